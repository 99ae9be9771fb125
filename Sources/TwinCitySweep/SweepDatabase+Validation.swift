// A sweep database read back (export, analyze, --resume, merge) is checked against the sweep
// it records before any of it is used: a database is a file anyone can edit or send, and a
// run outside the design or a text where a number belongs must be refused, not averaged.
import Foundation
import GRDB
import TwinCityScenario

extension SweepDatabase {
    /// The recorded meta data, sweep and design, after checking that the database holds
    /// only what that sweep can write.
    ///
    /// Checked in order: the meta data's points and replications against the run limit
    /// (`InputLimits.maximumSweepRuns`) before anything is allocated; the recorded sweep
    /// against its content hash; the design's points and the sweep's replications against
    /// the meta data; every row of `runs` (point and replication inside the design, an
    /// integer seed, a status of `ok` or `failed`, a numeric `wall_seconds`); every row of
    /// `outputs` (a run of the table `runs`, a metric of the sweep, a number or nothing).
    ///
    /// - Throws: `SweepDatabaseError.corrupt` naming the table, the row (its point and
    ///   replication, and SQLite's rowid) and the column.
    public func checkedContents() throws -> (meta: SweepMeta, definition: SweepDefinition, design: SamplingDesign) {
        let meta = try meta()
        func corrupt(_ reason: String) -> SweepDatabaseError { .corrupt(path: path, reason: reason) }
        guard meta.points >= 1 else { throw corrupt("meta data 'points' is \(meta.points); a sweep has at least one point") }
        guard meta.replications >= 1 else { throw corrupt("meta data 'replications' is \(meta.replications); a sweep has at least one") }
        let runs = meta.points.multipliedReportingOverflow(by: meta.replications)
        if runs.overflow || runs.partialValue > InputLimits.maximumSweepRuns {
            throw corrupt("meta data 'points' = \(meta.points) × 'replications' = \(meta.replications) is more than the \(InputLimits.maximumSweepRuns) runs a sweep may have (docs/RELIABILITY.md, \"Limits\")")
        }
        guard SHA256.hex(Array(meta.sweepJSON.utf8)) == meta.sweepHash else {
            throw corrupt("meta data 'sweep' does not match its content hash 'sweep_hash'; the recorded sweep was changed")
        }
        let definition: SweepDefinition
        do {
            definition = try SweepDefinition(canonicalJSON: meta.sweepJSON)
        } catch {
            throw corrupt("the recorded sweep cannot be read: \(error)")
        }
        let points = SamplingDesign.pointCount(definition)
        guard points == meta.points, definition.replications == meta.replications else {
            throw corrupt("meta data 'points' = \(meta.points) and 'replications' = \(meta.replications) disagree with the recorded sweep (\(points) points, \(definition.replications) replications)")
        }
        let design = try SamplingDesign(definition)
        try checkRows(points: points, replications: definition.replications, metrics: definition.outputs)
        return (meta, definition, design)
    }

    /// Refuses the first row of `runs` or `outputs` that the sweep cannot have written.
    private func checkRows(points: Int, replications: Int, metrics: [String]) throws {
        let problem: String? = try queue.read { db in
            let keys = "typeof(point) = 'integer' AND point >= 0 AND point < :points AND typeof(replication) = 'integer' AND replication >= 0 AND replication < :replications"
            var values: [String: (any DatabaseValueConvertible)?] = ["points": points, "replications": replications]
            for (k, metric) in metrics.enumerated() { values["m\(k)"] = metric }
            let arguments = StatementArguments(values)
            if let row = try Row.fetchOne(db, sql: """
                SELECT rowid, point, replication, typeof(seed) AS seedType, status, typeof(wall_seconds) AS wallType, wall_seconds
                FROM runs WHERE NOT (\(keys)) OR typeof(seed) != 'integer' OR status NOT IN ('ok', 'failed')
                    OR typeof(wall_seconds) NOT IN ('real', 'integer')
                ORDER BY rowid LIMIT 1
                """, arguments: arguments) {
                return Self.describe(row, table: "runs", points: points, replications: replications) { row in
                    if (row["seedType"] as String) != "integer" { return "column 'seed' is not an integer" }
                    let status = row["status"] as DatabaseValue
                    if !["ok", "failed"].contains(String.fromDatabaseValue(status) ?? "") || !status.isText {
                        return "column 'status' is \(Self.shown(row["status"])), not 'ok' or 'failed'"
                    }
                    return "column 'wall_seconds' is \(Self.shown(row["wall_seconds"])), not a number"
                }
            }
            let placeholders = metrics.indices.map { ":m\($0)" }.joined(separator: ", ")
            let knownMetric = metrics.isEmpty ? "0" : "metric IN (\(placeholders))"
            if let row = try Row.fetchOne(db, sql: """
                SELECT rowid, point, replication, metric, typeof(value) AS valueType, value FROM outputs
                WHERE NOT (\(keys)) OR NOT (\(knownMetric)) OR typeof(value) NOT IN ('real', 'integer', 'null')
                    OR NOT EXISTS (SELECT 1 FROM runs r WHERE r.point = outputs.point AND r.replication = outputs.replication)
                ORDER BY rowid LIMIT 1
                """, arguments: arguments) {
                return Self.describe(row, table: "outputs", points: points, replications: replications) { row in
                    let metricValue = row["metric"] as DatabaseValue
                    let metric = metricValue.isText ? String.fromDatabaseValue(metricValue) : nil
                    if !metrics.contains(metric ?? "") { return "column 'metric' is \(Self.shown(row["metric"])), not an output of the sweep" }
                    if !["real", "integer", "null"].contains(row["valueType"] as String) {
                        return "column 'value' is \(Self.shown(row["value"])) for metric '\(metric ?? "")', not a number"
                    }
                    return "no row of table 'runs' has this point and replication"
                }
            }
            return nil
        }
        if let problem { throw SweepDatabaseError.corrupt(path: path, reason: problem) }
    }

    /// `table 'runs', rowid 7 (point 3, replication -3): <what>`, the key columns first when
    /// they are at fault.
    private static func describe(
        _ row: Row, table: String, points: Int, replications: Int, otherwise: (Row) -> String
    ) -> String {
        let rowid: Int64 = row["rowid"]
        let point = row["point"] as DatabaseValue, replication = row["replication"] as DatabaseValue
        let place = "table '\(table)', rowid \(rowid) (point \(shown(point)), replication \(shown(replication)))"
        if let p = Int64.fromDatabaseValue(point), p >= 0, p < points, let r = Int64.fromDatabaseValue(replication), r >= 0, r < replications,
           point.storage.isInteger, replication.storage.isInteger {
            return "\(place): \(otherwise(row))"
        }
        if !(Int64.fromDatabaseValue(point).map { $0 >= 0 && $0 < points } ?? false) || !point.storage.isInteger {
            return "\(place): column 'point' is \(shown(point)), outside the design's points 0…\(points - 1)"
        }
        return "\(place): column 'replication' is \(shown(replication)), outside the sweep's replications 0…\(replications - 1)"
    }

    /// A cell as the message shows it: a number, a quoted text, or NULL.
    static func shown(_ value: DatabaseValue?) -> String {
        switch value?.storage {
        case .int64(let n)?: return String(n)
        case .double(let x)?: return String(x)
        case .string(let text)?: return "'" + String(text.prefix(40)) + "'"
        case .blob?: return "a blob"
        case .null?, nil: return "NULL"
        }
    }
}

private extension DatabaseValue.Storage {
    var isInteger: Bool {
        if case .int64 = self { return true }
        return false
    }
}

private extension DatabaseValue {
    var isText: Bool {
        if case .string = storage { return true }
        return false
    }
}
