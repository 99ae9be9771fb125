// The SQLite file a sweep streams its runs into (docs/SWEEPS.md, "The database"): one
// transaction per run, WAL journal, so a run's rows are all there or none are, whatever
// stops the process.
import Foundation
import GRDB

/// What a sweep database records about the sweep it belongs to (table `meta`).
public struct SweepMeta: Sendable, Equatable {
    /// Version of the database layout (`format` key); this version writes 1.
    public static let formatVersion = 1

    /// SHA-256 of the sweep's canonical form (`sweep_hash`).
    public var sweepHash: String
    /// The sweep's canonical form, JSON (`sweep`).
    public var sweepJSON: String
    /// The sweep's name (`name`).
    public var name: String
    /// One line describing the sampler design (`design`).
    public var design: String
    /// Points of the design (`points`).
    public var points: Int
    /// Replications per point (`replications`).
    public var replications: Int
    /// Version of the twincity tool that created the database (`twincity_version`).
    public var twinCityVersion: String
    /// `k/n` for a shard's database, `merged` for a merge of shards, empty for a whole sweep
    /// (`shard`).
    public var shard: String
    /// When the database was created, ISO 8601 in UTC (`created`).
    public var created: String

    /// Meta data from its parts.
    public init(
        sweepHash: String, sweepJSON: String, name: String, design: String, points: Int, replications: Int,
        twinCityVersion: String, shard: String, created: String
    ) {
        self.sweepHash = sweepHash
        self.sweepJSON = sweepJSON
        self.name = name
        self.design = design
        self.points = points
        self.replications = replications
        self.twinCityVersion = twinCityVersion
        self.shard = shard
        self.created = created
    }

    /// Number of runs of the whole sweep: points × replications.
    public var totalRuns: Int { points * replications }

    var rows: [(String, String)] {
        [
            ("format", String(Self.formatVersion)), ("sweep_hash", sweepHash), ("sweep", sweepJSON),
            ("name", name), ("design", design), ("points", String(points)),
            ("replications", String(replications)), ("twincity_version", twinCityVersion),
            ("shard", shard), ("created", created),
        ]
    }
}

/// Counts of the runs recorded in a database.
public struct SweepRunCounts: Sendable, Equatable {
    /// Runs that reached the end year.
    public var ok: Int
    /// Runs that failed.
    public var failed: Int

    /// Counts of finished and failed runs.
    public init(ok: Int, failed: Int) {
        self.ok = ok
        self.failed = failed
    }
}

/// A sweep database: tables `meta(key, value)`, `runs(point, replication, seed, parameters,
/// status, error, wall_seconds, shard)` and `outputs(point, replication, metric, value)`.
///
/// Thread-safe: runs may be recorded from any number of workers; writes are serialised.
public final class SweepDatabase: Sendable {
    /// Name of a whole sweep's database in its output folder.
    public static let fileName = "sweep.sqlite"

    /// The database file.
    public let path: String
    let queue: DatabaseQueue

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    static let schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
        CREATE TABLE runs(
            point INTEGER NOT NULL,
            replication INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            parameters TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
            error TEXT,
            wall_seconds REAL NOT NULL,
            shard TEXT,
            PRIMARY KEY (point, replication)
        );
        CREATE TABLE outputs(
            point INTEGER NOT NULL,
            replication INTEGER NOT NULL,
            metric TEXT NOT NULL,
            value REAL,
            PRIMARY KEY (point, replication, metric)
        );
        """

    private static func configuration(wal: Bool) -> Configuration {
        var configuration = Configuration()
        if wal { configuration.journalMode = .wal }
        // Other processes (an export while a sweep runs) may hold the file briefly.
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // A committed run survives a power cut, not only a crash of the process.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    // MARK: - Creating and opening

    /// Creates a new database at `path` with its tables and `meta`, in WAL mode.
    ///
    /// The file is built under a temporary name beside `path` and renamed into place, so
    /// `path` never holds a database without its meta data.
    ///
    /// - Throws: `SweepDatabaseError.exists` when `path` exists; `DatabaseError` or a file
    ///   system error when the file cannot be written.
    public static func create(path: String, meta: SweepMeta) throws -> SweepDatabase {
        if itemExists(path) { throw SweepDatabaseError.exists(path: path) }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        removeDatabaseFiles(temporary)
        do {
            let queue = try DatabaseQueue(path: temporary, configuration: configuration(wal: true))
            try queue.write { db in
                try db.execute(sql: schema)
                for (key, value) in meta.rows {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
                }
            }
            try queue.close()
            // Another process may have created the sweep meanwhile: never replace it.
            guard link(temporary, path) == 0 else {
                let reason = errno == EEXIST ? nil : String(cString: strerror(errno))
                removeDatabaseFiles(temporary)
                if let reason { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot create \(path): \(reason)"]) }
                throw SweepDatabaseError.exists(path: path)
            }
            removeDatabaseFiles(temporary)
        } catch {
            removeDatabaseFiles(temporary)
            throw error
        }
        return try open(path: path)
    }

    /// The database a sweep records into: a new one at `path`, or with `resume` the existing
    /// one, checked against the sweep.
    ///
    /// - Returns: the database, and the twincity version that created it when it existed.
    /// - Throws: `SweepDatabaseError.exists` when `path` exists without `resume`;
    ///   `.otherSweep` when it records another sweep file; `.corrupt` when it is not a usable
    ///   sweep database. The existing file is not changed in any of these cases.
    public static func prepare(
        path: String, plan: SweepPlan, shard: ShardSelection?, resume: Bool, twinCityVersion: String
    ) throws -> (database: SweepDatabase, recordedVersion: String?) {
        let definition = plan.definition
        if itemExists(path) {
            guard resume else { throw SweepDatabaseError.exists(path: path) }
            let database = try open(path: path)
            let meta = try database.meta()
            guard meta.sweepHash == definition.contentHash else {
                try? database.close()
                throw SweepDatabaseError.otherSweep(
                    path: path, recorded: meta.sweepHash, expected: definition.contentHash, recordedName: meta.name)
            }
            do {
                _ = try database.checkedContents()
            } catch {
                try? database.close()
                throw error
            }
            return (database, meta.twinCityVersion)
        }
        let meta = SweepMeta(
            sweepHash: definition.contentHash, sweepJSON: definition.canonicalJSON, name: definition.name,
            design: plan.design.summary, points: plan.design.pointCount, replications: definition.replications,
            twinCityVersion: twinCityVersion, shard: shard?.description ?? "", created: Date().formatted(.iso8601))
        return (try create(path: path, meta: meta), nil)
    }

    /// Opens an existing sweep database and checks it: the SQLite header, SQLite's
    /// `quick_check`, the three tables and the meta data.
    ///
    /// - Throws: `SweepDatabaseError.missing` when there is no file, `.corrupt` when the file
    ///   is not a usable sweep database; the file is not changed in either case.
    public static func open(path: String) throws -> SweepDatabase {
        guard itemExists(path) else {
            throw SweepDatabaseError.missing(path: path, hint: "run the sweep first, or check the folder")
        }
        // SQLite would treat an empty or foreign file as a new database and write to it.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SweepDatabaseError.corrupt(path: path, reason: "cannot be opened for reading")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw SweepDatabaseError.corrupt(path: path, reason: header.isEmpty ? "the file is empty" : "not an SQLite database")
        }
        let database: SweepDatabase
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(wal: false))
            database = SweepDatabase(path: path, queue: queue)
            try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    throw SweepDatabaseError.corrupt(path: path, reason: "SQLite integrity check: " + check.prefix(3).joined(separator: "; "))
                }
                for table in ["meta", "runs", "outputs"] where try !db.tableExists(table) {
                    throw SweepDatabaseError.corrupt(path: path, reason: "no table '\(table)'; not a sweep database")
                }
            }
            _ = try database.meta()
        } catch let error as SweepDatabaseError {
            throw error
        } catch let error as DatabaseError {
            throw SweepDatabaseError.corrupt(path: path, reason: "SQLite: \(error.message ?? "\(error.resultCode)")")
        }
        return database
    }

    /// Closes the connection; the database cannot be used afterwards.
    public func close() throws {
        try queue.close()
    }

    // MARK: - Meta data

    /// The meta data recorded when the database was created.
    ///
    /// - Throws: `SweepDatabaseError.corrupt` when a key is missing or malformed.
    public func meta() throws -> SweepMeta {
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM meta").reduce(into: [String: String]()) { $0[$1["key"]] = $1["value"] }
        }
        func value(_ key: String) throws -> String {
            guard let value = rows[key] else { throw SweepDatabaseError.corrupt(path: path, reason: "meta data lacks '\(key)'") }
            return value
        }
        guard let format = Int(try value("format")), format == SweepMeta.formatVersion else {
            throw SweepDatabaseError.corrupt(path: path, reason: "database format \(rows["format"] ?? "?"); this version of twincity reads format \(SweepMeta.formatVersion)")
        }
        guard let points = Int(try value("points")), let replications = Int(try value("replications")) else {
            throw SweepDatabaseError.corrupt(path: path, reason: "meta data 'points' or 'replications' is not a number")
        }
        return SweepMeta(
            sweepHash: try value("sweep_hash"), sweepJSON: try value("sweep"), name: try value("name"),
            design: try value("design"), points: points, replications: replications,
            twinCityVersion: try value("twincity_version"), shard: try value("shard"), created: try value("created"))
    }

    // MARK: - Runs

    /// True when run (point, replication) is recorded as finished (`status = 'ok'`).
    public func isFinished(point: Int, replication: Int) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE point = ? AND replication = ? AND status = 'ok'", arguments: [point, replication]) ?? false
        }
    }

    /// Records a run and its outputs in one transaction, replacing an earlier record of the
    /// same run (a failed run tried again).
    ///
    /// - Parameter shard: `k/n` of the shard that ran it, `nil` for an unsharded sweep.
    public func record(_ run: SweepRunRecord, shard: ShardSelection?) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM outputs WHERE point = ? AND replication = ?", arguments: [run.point, run.replication])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO runs(point, replication, seed, parameters, status, error, wall_seconds, shard)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.point, run.replication, Int64(bitPattern: run.seed), run.parametersJSON, run.status.rawValue,
                    run.error, run.wallSeconds, shard?.description,
                ])
            for output in run.outputs {
                try db.execute(
                    sql: "INSERT INTO outputs(point, replication, metric, value) VALUES (?, ?, ?, ?)",
                    arguments: [run.point, run.replication, output.metric, output.value])
            }
        }
    }

    /// Number of runs recorded as finished among the points of `shard` (all points when
    /// `nil`) below `points`.
    public func finishedRuns(shard: ShardSelection?, points: Int) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'ok' AND point < ? AND point % ? = ?",
                arguments: [points, shard?.count ?? 1, shard?.index ?? 0]) ?? 0
        }
    }

    /// Numbers of finished and failed runs recorded.
    public func counts() throws -> SweepRunCounts {
        try queue.read { db in
            let ok = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'ok'") ?? 0
            let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE status = 'failed'") ?? 0
            return SweepRunCounts(ok: ok, failed: failed)
        }
    }

    /// Calls `body` with every recorded run in order of point and replication, and its
    /// outputs by metric name (absent: not recorded; `nil`: not defined). One run is held at
    /// a time.
    public func forEachRun(
        _ body: (_ point: Int, _ replication: Int, _ run: Row, _ outputs: [String: Double?]) throws -> Void
    ) throws {
        try queue.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT r.point, r.replication, r.seed, r.status, r.error, r.wall_seconds, r.shard, o.metric, o.value
                FROM runs r LEFT JOIN outputs o ON o.point = r.point AND o.replication = r.replication
                ORDER BY r.point, r.replication, o.metric
                """)
            var current: (point: Int, replication: Int, row: Row)?
            var outputs: [String: Double?] = [:]
            while let row = try cursor.next() {
                let point: Int = row["point"], replication: Int = row["replication"]
                if let open = current, open.point != point || open.replication != replication {
                    try body(open.point, open.replication, open.row, outputs)
                    outputs = [:]
                    current = nil
                }
                if current == nil { current = (point, replication, row.copy()) }
                if let metric: String = row["metric"] { outputs[metric] = .some(row["value"]) }
            }
            if let open = current { try body(open.point, open.replication, open.row, outputs) }
        }
    }

    /// The mean of each output at each point over the point's finished replications:
    /// `means[m][p]` for metric `metrics[m]` and point p, NaN where no finished run of the
    /// point has a defined value. Memory: metrics × points doubles.
    public func pointMeans(metrics: [String], points: Int) throws -> [[Double]] {
        var means = [[Double]](repeating: [Double](repeating: .nan, count: points), count: metrics.count)
        let index = Dictionary(uniqueKeysWithValues: metrics.enumerated().map { ($1, $0) })
        try queue.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT o.point, o.metric, AVG(o.value) AS mean
                FROM outputs o JOIN runs r ON r.point = o.point AND r.replication = o.replication
                WHERE r.status = 'ok' AND o.value IS NOT NULL
                GROUP BY o.point, o.metric
                """)
            while let row = try cursor.next() {
                let point: Int = row["point"]
                guard let m = index[row["metric"]], point >= 0, point < points, let mean: Double = row["mean"] else { continue }
                means[m][point] = mean
            }
        }
        return means
    }

    // MARK: - Merging

    /// What a merge combined.
    public struct MergeReport: Sendable, Equatable {
        /// The shard databases merged, in the order given.
        public var sources: [String]
        /// Runs recorded in the merged database.
        public var counts: SweepRunCounts
        /// Runs of the whole sweep (points × replications).
        public var totalRuns: Int
    }

    /// Combines shard databases of one sweep into a new database at `path`.
    ///
    /// Every source is checked before anything is written: each must be a usable sweep
    /// database, all must record the same sweep (content hash), and no run may appear in two
    /// of them. The result is built under a temporary name and renamed into place.
    ///
    /// - Parameter twinCityVersion: Recorded in the merged database's meta data.
    /// - Throws: `SweepDatabaseError` (`.exists`, `.corrupt`, `.otherSweep`, `.overlap`);
    ///   nothing is left at `path` then.
    public static func merge(sources: [String], into path: String, twinCityVersion: String) throws -> MergeReport {
        precondition(!sources.isEmpty, "merge needs at least one source database")
        if itemExists(path) { throw SweepDatabaseError.exists(path: path) }
        var metas: [SweepMeta] = []
        for source in sources {
            let database = try open(path: source)
            defer { try? database.close() }
            metas.append(try database.checkedContents().meta)
        }
        let first = metas[0]
        for (source, meta) in zip(sources, metas).dropFirst() where meta.sweepHash != first.sweepHash {
            throw SweepDatabaseError.otherSweep(path: source, recorded: meta.sweepHash, expected: first.sweepHash, recordedName: meta.name)
        }
        var meta = first
        meta.shard = "merged"
        meta.twinCityVersion = twinCityVersion
        meta.created = Date().formatted(.iso8601)
        let url = URL(fileURLWithPath: path)
        let temporaryPath = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).merge-\(getpid())").path
        removeDatabaseFiles(temporaryPath)
        do {
            let merged = try create(path: temporaryPath, meta: meta)
            try merged.queue.writeWithoutTransaction { db in
                for (k, source) in sources.enumerated() {
                    try db.execute(sql: "ATTACH DATABASE ? AS shard", arguments: [source])
                    defer { try? db.execute(sql: "DETACH DATABASE shard") }
                    if let clash = try Row.fetchOne(db, sql: """
                        SELECT s.point, s.replication FROM shard.runs s JOIN main.runs m
                        ON m.point = s.point AND m.replication = s.replication
                        ORDER BY s.point, s.replication LIMIT 1
                        """) {
                        let point: Int = clash["point"], replication: Int = clash["replication"]
                        let other = try sources[..<k].first { earlier in
                            try Self.holds(earlier, point: point, replication: replication)
                        } ?? sources[0]
                        throw SweepDatabaseError.overlap(path: source, other: other, point: point, replication: replication)
                    }
                    try db.inTransaction {
                        try db.execute(sql: "INSERT INTO main.runs SELECT point, replication, seed, parameters, status, error, wall_seconds, shard FROM shard.runs")
                        try db.execute(sql: "INSERT INTO main.outputs SELECT point, replication, metric, value FROM shard.outputs")
                        return .commit
                    }
                }
            }
            let counts = try merged.counts()
            try merged.close()
            guard link(temporaryPath, path) == 0 else {
                removeDatabaseFiles(temporaryPath)
                throw SweepDatabaseError.exists(path: path)
            }
            removeDatabaseFiles(temporaryPath)
            return MergeReport(sources: sources, counts: counts, totalRuns: meta.totalRuns)
        } catch {
            removeDatabaseFiles(temporaryPath)
            throw error
        }
    }

    /// True when the database at `path` records run (point, replication).
    private static func holds(_ path: String, point: Int, replication: Int) throws -> Bool {
        let database = try open(path: path)
        defer { try? database.close() }
        return try database.queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE point = ? AND replication = ?", arguments: [point, replication]) ?? false
        }
    }

    // MARK: - Files

    /// True when anything (file, folder, link) is at `path`.
    static func itemExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a database file and its WAL and shared-memory companions.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
