// Writes an ensemble — several replications of one scenario — into one run directory whose
// tables carry a leading `replication` column, plus summary.csv across replications.
import Foundation
import TwinCityModel

/// Streams the replications of an ensemble into a run directory (docs/OUTPUTS.md,
/// "Ensembles"): `cities.csv`, `region.csv` and the flow files with a leading `replication`
/// column, `summary.csv` and `manifest.json`.
///
/// Replications may run in parallel, each through its own `ReplicationWriter`: it writes its
/// rows to files of its own in the temporary directory, a tick at a time, and `finish` joins
/// them in replication order. The output is therefore byte for byte the same whatever order
/// the replications finish in. Memory holds one tick per running replication, plus one value
/// per replication of every numeric cell of `cities.csv` and `region.csv` for `summary.csv`.
/// As with `RunDirectoryWriter`, the directory appears only when complete.
///
/// Usage: `init`; for each replication k, `replication(k)`, `consume(_:)` every tick of a
/// simulation run with `seeds[k]`, then `ReplicationWriter.finish()`; then `finish(wallTime:)`
/// (or `abort()`).
public final class EnsembleDirectoryWriter: @unchecked Sendable {
    // @unchecked: the mutable state (`status`, `started`, `finished`) is guarded by `lock`;
    // the statistics guard themselves; everything else is immutable.

    /// The output directory, as given.
    public let path: String
    /// The temporary directory the ensemble is written into until `finish(wallTime:)`.
    public let temporaryPath: String
    /// The seed of each replication: `replicationSeed(master:replication:)` of the manifest's
    /// master seed.
    public let seeds: [UInt64]
    /// Number of replications.
    public var replications: Int { seeds.count }

    private enum Status { case open, finished, aborted }

    private let lock = NSLock()
    private let staging: StagingDirectory
    private let cities: [City]
    private let sectors: [String]
    private let manifest: RunManifest
    let statistics: EnsembleStatistics
    private var status = Status.open
    private var started: [Bool]
    private var finished: [Bool]

    /// Creates the temporary directory next to `path`.
    ///
    /// - Parameters:
    ///   - path: The run directory to create. Missing parent folders are created.
    ///   - cities: The roster's cities, in the order of the simulation's arrays.
    ///   - sectors: Sector ids, in the order of the simulation's arrays.
    ///   - manifest: Versions, scenario and settings; `settings.seed` is the master seed.
    ///   - replications: Number of replications, ≥ 1.
    ///   - overwrite: Replace an existing `path` at `finish(wallTime:)`; otherwise refuse it.
    /// - Throws: `RunDirectoryError.exists` when `path` exists and `overwrite` is false;
    ///   `.fileSystem` when the directory cannot be created; `.duplicateColumn` when sector
    ///   ids clash with column names.
    public init(path: String, cities: [City], sectors: [String], manifest: RunManifest, replications: Int, overwrite: Bool = false) throws {
        precondition(replications >= 1, "an ensemble needs at least one replication, got \(replications)")
        self.path = path
        self.cities = cities
        self.sectors = sectors
        self.manifest = manifest
        seeds = (0..<replications).map { replicationSeed(master: manifest.settings.seed, replication: $0) }
        started = Array(repeating: false, count: replications)
        finished = Array(repeating: false, count: replications)
        let headers = RunTables.headers(cities: cities, sectors: sectors, replication: true)
        for (name, header) in zip(RunTables.tableFiles, headers) {
            var seen = Set<String>()
            for column in header where !seen.insert(column).inserted {
                throw RunDirectoryError.duplicateColumn(file: name, column: column)
            }
        }
        let zones = RegionSummary.zoneOrder(cities.map(\.zone))
        let cores = RunDirectoryWriter.coreMembers(in: cities).map(\.id)
        statistics = EnsembleStatistics(
            cityIDs: cities.map(\.id), cityColumns: OutputColumns.cities(sectors: sectors),
            regionColumns: OutputColumns.region(coreCities: cores, zones: zones),
            replications: replications, yearCount: manifest.settings.tickCount + 1)
        staging = try StagingDirectory(path: path, overwrite: overwrite)
        temporaryPath = staging.temporaryPath
    }

    deinit {
        // A writer dropped without finishing leaves nothing behind.
        if status == .open { abort() }
    }

    /// The folder of replication `index`'s files inside the temporary directory.
    private func folder(of index: Int) -> URL {
        staging.temporaryURL.appendingPathComponent("replications").appendingPathComponent(String(index))
    }

    /// Opens the files of replication `index` (0 ≤ index < `replications`); call once per
    /// replication, from any thread.
    public func replication(_ index: Int) throws -> ReplicationWriter {
        try lock.withLock {
            guard status == .open else { throw RunDirectoryError.closed(path: path) }
            guard started.indices.contains(index) else {
                throw RunDirectoryError.replication(path: path, message: "replication \(index) is outside 0..<\(replications)")
            }
            guard !started[index] else {
                throw RunDirectoryError.replication(path: path, message: "replication \(index) was started twice")
            }
            started[index] = true
        }
        let folder = folder(of: index)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw RunDirectoryError.fileSystem(path: folder.path, operation: "create directory", reason: StagingDirectory.reason(error))
        }
        let tables = try RunTables(directory: folder, cities: cities, sectors: sectors, dt: manifest.settings.dt, replication: index)
        var settings = manifest.settings
        settings.seed = seeds[index]
        return ReplicationWriter(ensemble: self, replication: index, settings: settings, tables: tables)
    }

    /// Marks replication `index` complete (its files closed).
    fileprivate func markFinished(_ index: Int) {
        lock.withLock { finished[index] = true }
    }

    // MARK: - Finishing

    /// Joins the replications' tables in replication order, writes summary.csv and
    /// manifest.json, and renames the temporary directory to `path` (replacing an existing
    /// one only with `overwrite`, as `RunDirectoryWriter.finish(wallTime:)` does).
    ///
    /// - Parameter wallTime: Seconds the ensemble took, recorded in the manifest.
    /// - Throws: `RunDirectoryError.replication` when a replication has not finished; the
    ///   writer is then aborted, like on any other error.
    public func finish(wallTime: Double) throws {
        let missing: [Int] = try lock.withLock {
            guard status == .open else { throw RunDirectoryError.closed(path: path) }
            return finished.indices.filter { !finished[$0] }
        }
        do {
            guard missing.isEmpty else {
                throw RunDirectoryError.replication(
                    path: path, message: "replications \(missing.map(String.init).joined(separator: ", ")) did not finish")
            }
            let directory = staging.temporaryURL
            let headers = RunTables.headers(cities: cities, sectors: sectors, replication: true)
            for (name, header) in zip(RunTables.tableFiles, headers) {
                let file = try CSVFile(directory: directory, name: name, header: header)
                do {
                    for index in 0..<replications {
                        try file.appendContents(of: folder(of: index).appendingPathComponent(name))
                    }
                    try file.close()
                } catch {
                    file.discard()
                    throw error
                }
            }
            try removeReplicationFolders()
            try writeSummary()
            let created = Date().formatted(.iso8601)
            let package = DataPackage(cities: cities, sectors: sectors, files: RunDirectoryWriter.ensembleFiles, ensemble: true)
            try staging.write(try package.json(), to: "datapackage.json")
            let document = ManifestDocument(
                manifest: manifest, cities: cities, sectors: sectors, seeds: seeds,
                files: RunDirectoryWriter.ensembleFiles, wallTimeSeconds: wallTime, created: created)
            try staging.write(try document.json(), to: "manifest.json")
            try staging.moveIntoPlace()
            lock.withLock { status = .finished }
        } catch {
            abort()
            throw error
        }
    }

    private func removeReplicationFolders() throws {
        let folder = staging.temporaryURL.appendingPathComponent("replications")
        do {
            try FileManager.default.removeItem(at: folder)
        } catch {
            throw RunDirectoryError.fileSystem(path: folder.path, operation: "remove", reason: StagingDirectory.reason(error))
        }
    }

    private func writeSummary() throws {
        let file = try CSVFile(directory: staging.temporaryURL, name: "summary.csv", header: EnsembleStatistics.header)
        do {
            try statistics.forEachYear { rows in
                for row in rows { file.append(row) }
                try file.flush()
            }
            try file.close()
        } catch {
            file.discard()
            throw error
        }
    }

    /// Abandons the ensemble: removes the temporary directory. Safe to call more than once,
    /// and from a handler of an interrupted run; does nothing once finished. Replications
    /// still writing then fail with a file-system error, which the caller ignores.
    public func abort() {
        let wasOpen = lock.withLock {
            guard status == .open else { return false }
            status = .aborted
            return true
        }
        if wasOpen { staging.remove() }
    }
}

/// The rows of one replication of an ensemble, written a tick at a time into files of its
/// own. Use it from one thread at a time.
public final class ReplicationWriter {
    /// Index of the replication, 0, 1, …: its value in the `replication` columns.
    public let replication: Int
    /// The run's settings with this replication's seed: what to build its simulation with.
    public let settings: SimulationSettings
    private let ensemble: EnsembleDirectoryWriter
    private var tables: RunTables?

    /// Ticks written so far.
    public private(set) var ticksWritten = 0

    fileprivate init(ensemble: EnsembleDirectoryWriter, replication: Int, settings: SimulationSettings, tables: RunTables) {
        self.ensemble = ensemble
        self.replication = replication
        self.settings = settings
        self.tables = tables
    }

    deinit {
        tables?.discard()
    }

    /// Writes one tick's rows and records its numbers for summary.csv; returns the region's
    /// summary of the tick. Ticks must come in order.
    @discardableResult
    public func consume(_ record: TickRecord) throws -> RegionSummary {
        guard let tables else { throw RunDirectoryError.closed(path: ensemble.path) }
        let values = try tables.consume(record)
        try ensemble.statistics.record(replication: replication, tick: record.tick, year: record.year, values)
        ticksWritten += 1
        return values.summary
    }

    /// Closes the replication's files; the ensemble can finish once every replication has.
    public func finish() throws {
        guard let tables else { throw RunDirectoryError.closed(path: ensemble.path) }
        self.tables = nil
        try tables.close()
        ensemble.markFinished(replication)
    }
}
