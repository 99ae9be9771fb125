// Shared helpers of the sweep tests: sweep files over the shipped baseline with a short
// horizon, in-process sweeps, and database contents read with GRDB independently of the code
// under test. Scratch folders and the twincity executable come from TwinCityTestSupport.
@_exported import TwinCityTestSupport
import Foundation
import GRDB
import TwinCitySweep
import XCTest

enum SweepTestSupport {
    /// The package root.
    static var packageRoot: URL { Checkout.root }

    /// The shipped 22-city baseline.
    static var baseline: String { packageRoot.appendingPathComponent("scenarios/baseline.toml").path }

    /// A small grid over the baseline with a 2-year horizon: 2 × 2 points × 2 replications.
    static func gridSweep(seed: Int = 7, extra: String = "") -> String {
        """
        schema = 1
        name = "test-grid"
        scenario = "\(baseline)"
        seed = \(seed)
        replications = 2
        set = ["time.end=2022"]
        outputs = ["region.gdp@2022", "region.theil@2022", "city.chengdu.population@2022", "region.gdp_growth@2020"]
        \(extra)
        [sampler]
        kind = "grid"

        [[parameter]]
        path = "model.migration_elasticity"
        values = [1.5, 2.5]

        [[parameter]]
        path = "model.saving_rate"
        min = 0.25
        max = 0.35
        levels = 2
        """
    }

    /// A random sweep of `samples` points over the baseline to `end`, one replication: a
    /// sweep long enough to be interrupted midway.
    static func randomSweep(samples: Int, end: Int) -> String {
        """
        schema = 1
        name = "test-random"
        scenario = "\(baseline)"
        seed = 13
        set = ["time.end=\(end)"]
        outputs = ["region.gdp@\(end)", "city.chengdu.population@\(end)"]

        [sampler]
        kind = "random"
        samples = \(samples)

        [[parameter]]
        path = "model.hukou_barrier"
        min = 0.5
        max = 1.5
        """
    }

    /// Number of runs recorded in the database at `path` (0 while it does not exist).
    static func recordedRuns(_ path: String) -> Int {
        guard FileManager.default.fileExists(atPath: path), let queue = try? DatabaseQueue(path: path) else { return 0 }
        defer { try? queue.close() }
        return (try? queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") ?? 0 }) ?? 0
    }

    /// The folder of the twincity executable built with the tests.
    static var productsDirectory: URL { Checkout.productsDirectory }

    static var executable: URL { Checkout.twincity }
}

extension XCTestCase {
    /// Runs a sweep in-process into `folder`: the whole sweep, or one shard.
    @discardableResult
    func runSweep(
        _ path: String, into folder: URL, jobs: Int, shard: ShardSelection? = nil, resume: Bool = false,
        stopAfter: Int? = nil
    ) throws -> SweepOutcome {
        let plan = try SweepPlan.load(path: path)
        let database = folder.appendingPathComponent(shard?.databaseName ?? SweepDatabase.fileName).path
        let (db, _) = try SweepDatabase.prepare(path: database, plan: plan, shard: shard, resume: resume, twinCityVersion: "test")
        defer { try? db.close() }
        let runner = SweepRunner(executor: plan.executor, database: db, shard: shard, jobs: jobs)
        let stop = StopAfter(limit: stopAfter, database: db)
        return try runner.run(shouldStop: { stop.reached() })
    }
}

/// Says stop once the database holds `limit` runs.
final class StopAfter: Sendable {
    let limit: Int?
    let database: SweepDatabase

    init(limit: Int?, database: SweepDatabase) {
        self.limit = limit
        self.database = database
    }

    func reached() -> Bool {
        guard let limit else { return false }
        let counts = (try? database.counts()) ?? SweepRunCounts(ok: 0, failed: 0)
        return counts.ok + counts.failed >= limit
    }
}

/// The content of a sweep database that must not depend on how it was run: every column of
/// `runs` except `wall_seconds` and `shard`, and every output with its value's bit pattern,
/// ordered by point, replication and metric.
struct DatabaseContent: Equatable {
    var runs: [String]
    var outputs: [String]
    var meta: [String: String]

    init(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        (runs, outputs, meta) = try queue.read { db in
            let runs = try Row.fetchAll(db, sql: "SELECT point, replication, seed, parameters, status, error FROM runs ORDER BY point, replication")
                .map { row in "\(row["point"] as Int) \(row["replication"] as Int) \(row["seed"] as Int64) \(row["parameters"] as String) \(row["status"] as String) \((row["error"] as String?) ?? "-")" }
            let outputs = try Row.fetchAll(db, sql: "SELECT point, replication, metric, value FROM outputs ORDER BY point, replication, metric")
                .map { row in
                    let value: Double? = row["value"]
                    return "\(row["point"] as Int) \(row["replication"] as Int) \(row["metric"] as String) \(value.map { String($0.bitPattern, radix: 16) } ?? "null")"
                }
            let meta = try Row.fetchAll(db, sql: "SELECT key, value FROM meta").reduce(into: [String: String]()) { $0[$1["key"]] = $1["value"] }
            return (runs, outputs, meta)
        }
    }

    /// The same content, meta data aside (creation time, shard and version differ by design).
    func sameResults(as other: DatabaseContent) -> Bool {
        runs == other.runs && outputs == other.outputs && meta["sweep_hash"] == other.meta["sweep_hash"]
    }
}
