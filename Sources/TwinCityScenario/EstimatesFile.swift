// The estimates file `twincity estimate` writes and a scenario's `estimates` key reads: the
// drifts of each city's productivity fitted to the history panel (docs/MODEL.md §10).
import Foundation
import TwinCityModel

/// The parts of an estimates file a run uses.
public struct Estimates: Sendable, Equatable {
    /// The file as given.
    public var path: String
    /// Relative productivity drift d_i by roster city id, log points a year (a group's value
    /// is given to each of its members).
    public var drift: [String: Double]
    /// Standard error of each drift, log points a year (`[standard_error]`), for
    /// parameter-uncertainty ensembles.
    public var standardError: [String: Double]
    /// Last year of the panel the drifts were fitted to.
    public var through: Int
    /// Ids in the file that the roster does not have (not used).
    public var unused: [String] = []
    /// Each `[drift]` entry the roster has, in file order, with its cities and standard error
    /// (0 when `[standard_error]` lacks it): what `--parameter-uncertainty` draws from.
    public var units: [EstimatedDrift] = []
    /// Covariance of the drifts of `units`, in their order, row-major, log points² (from
    /// `[covariance]`); `nil` when the file has none or was fitted to another roster.
    public var covariance: [Double]? = nil
}

/// Reads and writes estimates files.
///
/// Format (TOML): `schema = 1`, `kind = "estimates"`, `through` (the last panel year fitted,
/// at most 2022), `[drift]` (one key per roster city or group, log points a year, in
/// [−0.5, 0.5]; an id the roster lacks is not used, but a file naming none of its cities is
/// refused) and `[standard_error]` (the same keys, ≥ 0). The tables `[moments]`,
/// `[fit]` and the string keys `history` and `method` describe the fit and are not read
/// back. docs/SCENARIOS.md, "Estimates".
package enum EstimatesFile {
    static let topLevelKeys = ["schema", "kind", "history", "method", "through", "window", "horizon", "drift", "standard_error", "covariance", "moments", "fit"]

    /// `[covariance]`: one array per unit of the file's `[drift]` order. Used only when the
    /// file's units are exactly the roster's (rows for other cities cannot be dropped without
    /// changing what the matrix means); a malformed table is an error.
    static func readCovariance(_ node: TOMLNode?, ids order: [String], allIDs: [String], _ reader: inout TableReader) -> [Double]? {
        guard let node, let table = reader.table(node, at: ["covariance"]) else { return nil }
        let keys = reader.orderedKeys(table, at: ["covariance"])
        guard keys == order else { return nil }
        var matrix: [Double] = []
        for key in keys {
            guard case .array(let cells)? = table[key], cells.count == order.count else {
                reader.fail(["covariance", key], "expected an array of \(order.count) numbers, one per unit of [drift]")
                return nil
            }
            for (k, cell) in cells.enumerated() {
                guard let x = reader.number(cell, at: ["covariance", key, "[\(k)]"], expected: "(log points²)", admits: { _ in true }) else { return nil }
                matrix.append(x)
            }
        }
        return matrix
    }

    /// Reads `path` against `roster`; every problem is reported with file, line and key.
    package static func read(_ path: String, roster: Roster) throws -> Estimates {
        let document = try TOMLDocument.read(path, what: "estimates file")
        let folder = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent()
        var reader = TableReader(file: path, positions: document.locations(file: path, folder: folder))
        let root = document.root
        reader.rejectUnknownKeys(root, at: [], allowed: topLevelKeys, context: "an estimates file")
        if let node = root["schema"] {
            _ = reader.integer(node, at: ["schema"], in: 1...1)
        } else {
            reader.fail(["schema"], "missing; an estimates file starts with schema = 1")
        }
        if let node = root["kind"] {
            _ = reader.choice(node, at: ["kind"], among: ["estimates"])
        } else {
            reader.fail(["kind"], "missing; expected kind = \"estimates\"")
        }
        var through = HistoryPanel.lastYear
        if let node = root["through"] {
            through = reader.integer(node, at: ["through"], in: HistoryPanel.firstYear...HistoryPanel.lastYear) ?? through
        } else {
            reader.fail(["through"], "missing; the last panel year the drifts were fitted to")
        }
        let ids = roster.cities.map(\.id) + roster.groups.map(\.id)
        var skipped = Set<String>()
        func cityTable(_ key: String, range: String, order: inout [String], admits: (Double) -> Bool) -> [String: Double] {
            guard let node = root[key] else {
                reader.fail([key], "missing; expected a [\(key)] table with one value per city")
                return [:]
            }
            guard let table = reader.table(node, at: [key]) else { return [:] }
            var values: [String: Double] = [:]
            for id in reader.orderedKeys(table, at: [key]) {
                guard let cell = table[id] else { continue }
                guard let value = reader.number(cell, at: [key, id], expected: "in \(range) (log points per year)", admits: admits) else { continue }
                // A city the roster does not have is not used, so that a scenario extending
                // the baseline runs on another roster (`--set roster=…`); the cities it does
                // have keep their drifts, the others drift by 0.
                guard ids.contains(id) else {
                    skipped.insert(id)
                    continue
                }
                order.append(id)
                if let group = roster.groups.first(where: { $0.id == id }) {
                    for member in group.members { values[member] = value }
                } else {
                    values[id] = value
                }
            }
            return values
        }
        var order: [String] = []
        let drift = cityTable("drift", range: "[−0.5, 0.5]", order: &order) { abs($0) <= 0.5 }
        var errorOrder: [String] = []
        let errors = cityTable("standard_error", range: "[0, 0.5]", order: &errorOrder) { $0 >= 0 && $0 <= 0.5 }
        let units = order.map { id in
            let cities = roster.groups.first { $0.id == id }?.members ?? [id]
            return EstimatedDrift(id: id, cities: cities, drift: drift[cities[0]] ?? 0, standardError: errors[cities[0]] ?? 0)
        }
        let covariance = readCovariance(root["covariance"], ids: order, allIDs: ids, &reader)
        if drift.isEmpty, reader.errors.isEmpty, !skipped.isEmpty {
            reader.fail(["drift"], "names no city of the roster (it names \(TableReader.list(skipped.sorted().map { "'\($0)'" }))); the estimates were fitted to another roster")
        }
        try InputErrors.throwIfAny(reader.errors)
        return Estimates(path: path, drift: drift, standardError: errors, through: through, unused: skipped.sorted(), units: units, covariance: covariance)
    }
}
