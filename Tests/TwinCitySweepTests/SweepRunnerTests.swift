// Sweeps run in-process on the 22-city baseline with a two-year horizon: results bitwise the
// same for any number of workers and any sharding, resumption equal to an uninterrupted run,
// and the database refusals that protect results (another sweep, corrupt file, overlap).
import Foundation
import GRDB
@testable import TwinCitySweep
import XCTest

final class SweepRunnerTests: XCTestCase {
    /// The grid sweep written to a scratch folder, and that folder.
    func gridSweep(seed: Int = 7) throws -> (path: String, folder: URL) {
        let folder = try scratchFolder()
        return (try write(SweepTestSupport.gridSweep(seed: seed), to: "grid.toml", in: folder), folder)
    }

    func testResultsAreIdenticalForAnyJobsAndAnySharding() throws {
        let (sweep, folder) = try gridSweep()
        let serial = folder.appendingPathComponent("serial"), parallel = folder.appendingPathComponent("parallel")
        let sharded = folder.appendingPathComponent("sharded")
        let outcome = try runSweep(sweep, into: serial, jobs: 1)
        XCTAssertEqual(outcome.progress.done, 8)
        XCTAssertEqual(outcome.progress.total, 8)
        XCTAssertFalse(outcome.stopped)
        try runSweep(sweep, into: parallel, jobs: 2)
        for k in 0..<3 { try runSweep(sweep, into: sharded, jobs: 2, shard: ShardSelection(index: k, count: 3)) }
        let report = try SweepDatabase.merge(
            sources: (0..<3).map { sharded.appendingPathComponent("shard-\($0)-of-3.sqlite").path },
            into: sharded.appendingPathComponent("sweep.sqlite").path, twinCityVersion: "test")
        XCTAssertEqual(report.counts, SweepRunCounts(ok: 8, failed: 0))
        XCTAssertEqual(report.totalRuns, 8)

        let reference = try DatabaseContent(serial.appendingPathComponent("sweep.sqlite").path)
        XCTAssertEqual(reference.runs.count, 8)
        XCTAssertEqual(reference.outputs.count, 8 * 4)
        XCTAssertTrue(reference.runs.allSatisfy { $0.contains(" ok -") }, "\(reference.runs)")
        // Growth is not defined in the first year: recorded as NULL, not as a number.
        XCTAssertEqual(reference.outputs.filter { $0.contains("region.gdp_growth@2020") }.map { $0.hasSuffix(" null") }, Array(repeating: true, count: 8))
        XCTAssertEqual(try DatabaseContent(parallel.appendingPathComponent("sweep.sqlite").path).runs, reference.runs)
        XCTAssertTrue(try DatabaseContent(parallel.appendingPathComponent("sweep.sqlite").path).sameResults(as: reference))
        XCTAssertTrue(try DatabaseContent(sharded.appendingPathComponent("sweep.sqlite").path).sameResults(as: reference))
        // Replications differ (their own seeds), so the comparison above is not vacuous.
        let gdp = reference.outputs.filter { $0.hasPrefix("0 ") && $0.contains("region.gdp@2022") }
        XCTAssertEqual(gdp.count, 2)
        XCTAssertNotEqual(gdp[0].split(separator: " ").last, gdp[1].split(separator: " ").last)
    }

    func testResumedSweepEqualsAnUninterruptedOne() throws {
        let (sweep, folder) = try gridSweep()
        let whole = folder.appendingPathComponent("whole"), resumed = folder.appendingPathComponent("resumed")
        try runSweep(sweep, into: whole, jobs: 2)
        let stopped = try runSweep(sweep, into: resumed, jobs: 2, stopAfter: 3)
        XCTAssertTrue(stopped.stopped)
        let partial = try DatabaseContent(resumed.appendingPathComponent("sweep.sqlite").path)
        XCTAssertGreaterThanOrEqual(partial.runs.count, 3)
        XCTAssertLessThan(partial.runs.count, 8)
        // All or nothing: every recorded run has all its outputs.
        XCTAssertEqual(partial.outputs.count, partial.runs.count * 4)

        XCTAssertThrowsError(try runSweep(sweep, into: resumed, jobs: 1)) { error in
            XCTAssertEqual(error as? SweepDatabaseError, .exists(path: resumed.appendingPathComponent("sweep.sqlite").path))
        }
        let outcome = try runSweep(sweep, into: resumed, jobs: 1, resume: true)
        XCTAssertEqual(outcome.progress.done, 8)
        XCTAssertEqual(outcome.progress.doneHere, 8 - partial.runs.count, "only the missing runs are run")
        XCTAssertTrue(try DatabaseContent(resumed.appendingPathComponent("sweep.sqlite").path)
            .sameResults(as: DatabaseContent(whole.appendingPathComponent("sweep.sqlite").path)))
    }

    func testResumingWithAnotherSweepFileLeavesTheDatabaseUntouched() throws {
        let (sweep, folder) = try gridSweep(seed: 7)
        let out = folder.appendingPathComponent("out")
        try runSweep(sweep, into: out, jobs: 2, stopAfter: 2)
        let database = out.appendingPathComponent("sweep.sqlite").path
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let other = try write(SweepTestSupport.gridSweep(seed: 8), to: "other.toml", in: folder)
        XCTAssertThrowsError(try runSweep(other, into: out, jobs: 1, resume: true)) { error in
            guard case .otherSweep(let path, _, _, let name)? = error as? SweepDatabaseError else {
                return XCTFail("expected otherSweep, got \(error)")
            }
            XCTAssertEqual(path, database)
            XCTAssertEqual(name, "test-grid")
            XCTAssertTrue((error as! SweepDatabaseError).description.contains("nothing was changed"))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: database)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["sweep.sqlite"])
    }

    func testCorruptDatabasesAreRefusedUnchanged() throws {
        let (sweep, folder) = try gridSweep()
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let database = out.appendingPathComponent("sweep.sqlite")
        for (name, contents) in [("empty", Data()), ("text", Data("not a database\n".utf8))] {
            try contents.write(to: database)
            XCTAssertThrowsError(try runSweep(sweep, into: out, jobs: 1, resume: true), name) { error in
                guard case .corrupt? = error as? SweepDatabaseError else { return XCTFail("\(name): \(error)") }
            }
            XCTAssertEqual(try Data(contentsOf: database), contents, name)
        }
        // A real sweep database with its pages scrambled past the header.
        try FileManager.default.removeItem(at: database)
        try runSweep(sweep, into: out, jobs: 2, stopAfter: 2)
        var bytes = try Data(contentsOf: database)
        for i in stride(from: 100, to: bytes.count, by: 7) { bytes[i] = 0xA5 }
        try bytes.write(to: database)
        XCTAssertThrowsError(try runSweep(sweep, into: out, jobs: 1, resume: true)) { error in
            guard case .corrupt(_, let reason)? = error as? SweepDatabaseError else { return XCTFail("\(error)") }
            XCTAssertFalse(reason.isEmpty)
        }
        XCTAssertEqual(try Data(contentsOf: database), bytes)
    }

    func testMergeRefusesOverlappingAndForeignShards() throws {
        let (sweep, folder) = try gridSweep(seed: 7)
        let shards = folder.appendingPathComponent("shards")
        try runSweep(sweep, into: shards, jobs: 2, shard: ShardSelection(index: 0, count: 2))
        let first = shards.appendingPathComponent("shard-0-of-2.sqlite").path
        let copy = shards.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: first, toPath: copy)
        let merged = folder.appendingPathComponent("merged/sweep.sqlite").path
        XCTAssertThrowsError(try SweepDatabase.merge(sources: [first, copy], into: merged, twinCityVersion: "test")) { error in
            XCTAssertEqual(error as? SweepDatabaseError, .overlap(path: copy, other: first, point: 0, replication: 0))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: merged))

        let other = try write(SweepTestSupport.gridSweep(seed: 8), to: "other.toml", in: folder)
        let foreign = folder.appendingPathComponent("foreign")
        try runSweep(other, into: foreign, jobs: 2, shard: ShardSelection(index: 1, count: 2))
        XCTAssertThrowsError(try SweepDatabase.merge(
            sources: [first, foreign.appendingPathComponent("shard-1-of-2.sqlite").path], into: merged, twinCityVersion: "test")) { error in
            guard case .otherSweep? = error as? SweepDatabaseError else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: merged))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("merged").path), [], "no temporary file is left")
    }

    func testRunsThatTheScenarioRefusesAreRecordedAsFailedWithTheirReason() throws {
        // Each value is accepted on its own with the other at its default, but an agriculture
        // share of 0.6 cannot be calibrated to the roster, and housing + agriculture shares of
        // 0.3 + 0.75 leave nothing for the modern sectors, and 0.75 alone leaves the modern
        // sectors a consumption share too small for their sales at home: points 1 and 3
        // fail, each with its reason, while 0 and 2 run.
        let folder = try scratchFolder()
        let sweep = try write("""
            schema = 1
            name = "failing"
            scenario = "\(SweepTestSupport.baseline)"
            seed = 3
            set = ["time.end=2021"]
            outputs = ["region.gdp@2021"]

            [sampler]
            kind = "grid"

            [[parameter]]
            path = "model.housing_share"
            values = [0.2, 0.3]

            [[parameter]]
            path = "model.agriculture_share"
            values = [0.1, 0.75]
            """, to: "failing.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        let outcome = try runSweep(sweep, into: out, jobs: 2)
        XCTAssertEqual(outcome.progress.failedHere, 2)
        let content = try DatabaseContent(out.appendingPathComponent("sweep.sqlite").path)
        let failed = content.runs.filter { $0.contains(" failed ") }
        XCTAssertEqual(failed.map { $0.prefix(4) }, ["1 0 ", "3 0 "])
        XCTAssertTrue(failed[0].contains("calibration to the roster"), failed[0])
        XCTAssertTrue(failed[1].contains("housing_share + agriculture_share must be below 1"), failed[1])
        XCTAssertEqual(content.outputs.map { $0.prefix(4) }, ["0 0 ", "2 0 "], "no outputs for the failed runs")
        // A resumed sweep tries failed runs again (here they fail again, deterministically).
        let again = try runSweep(sweep, into: out, jobs: 1, resume: true)
        XCTAssertEqual(again.progress.doneHere, 2)
        XCTAssertEqual(try DatabaseContent(out.appendingPathComponent("sweep.sqlite").path), content)
    }
}
