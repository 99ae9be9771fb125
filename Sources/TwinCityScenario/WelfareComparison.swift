// The equivalent variation of run B against run A, read off both runs' cities.csv and
// manifest.json (docs/OUTPUTS.md) and computed by `Welfare` (docs/MODEL.md §4.1).
import Foundation
import TwinCityExport
import TwinCityModel

/// Each city's and the region's equivalent variation of run B against reference run A, over
/// the years both record.
public struct WelfareComparison: Sendable {
    /// City ids in run A's order (cities of both runs).
    public var cities: [String]
    /// The EV of each city, in `cities` order.
    public var cityVariation: [EquivalentVariation]
    /// The EV of the region (reference urban population weights).
    public var region: EquivalentVariation
    /// First and last year compared.
    public var firstYear: Double
    public var lastYear: Double
    /// Discount rate r, per year.
    public var discountRate: Double

    /// Columns of cities.csv the equivalent variation reads.
    static let columns = ["wage", "real_utility", "public_services", "population", "urban_population"]
    /// The column of the movers' part, read when both runs have it (runs written before it
    /// existed leave movers out).
    static let stayColumn = "stay_probability"

    /// Reads both runs and computes the EV over every year both record.
    ///
    /// - Throws: `InputError`/`InputErrors` naming the file (line, column or key) for a missing
    ///   file or column, a cell that is not a positive number, or a manifest without the
    ///   model's `public_service_elasticity`.
    public static func compare(_ runA: String, _ runB: String, discountRate: Double = Welfare.defaultDiscountRate) throws -> WelfareComparison {
        var errors: [InputError] = []
        let a = read(runA, &errors), b = read(runB, &errors)
        try InputErrors.throwIfAny(errors)
        let years = a.years.filter { y in b.years.contains { abs($0 - y) < 1e-9 } }
        guard !years.isEmpty else {
            throw InputError(file: PathText.join(runB, "cities.csv"), key: "year", keyKind: .column, message: "no year in common with \(PathText.join(runA, "cities.csv"))")
        }
        let cities = a.order.filter { b.rows[$0] != nil }
        func series(_ run: Tables, _ id: String) -> WelfareSeries {
            let rows = years.map { y in run.rows[id]!.first { abs($0.year - y) < 1e-9 }!.values }
            return WelfareSeries(
                years: years, wage: rows.map { $0["wage"]! }, utility: rows.map { $0["real_utility"]! },
                publicServices: rows.map { $0["public_services"]! }, population: rows.map { $0["population"]! },
                urbanPopulation: rows.map { $0["urban_population"]! },
                moverValue: run.mobility.flatMap { m in
                    rows.allSatisfy { $0[stayColumn] != nil }
                        ? Welfare.moverValue(
                            stayProbability: rows.map { $0[stayColumn]! }, urbanPopulation: rows.map { $0["urban_population"]! },
                            rate: m.rate, elasticity: m.elasticity, sizeElasticity: m.sizeElasticity)
                        : nil
                })
        }
        for id in cities {
            for (run, directory) in [(a, runA), (b, runB)] where years.contains(where: { y in !run.rows[id]!.contains { abs($0.year - y) < 1e-9 } }) {
                throw InputError(file: PathText.join(directory, "cities.csv"), key: "city", keyKind: .column, message: "city '\(id)' lacks a year the other run records")
            }
        }
        let (perCity, region) = Welfare.equivalentVariation(
            reference: cities.map { series(a, $0) }, policy: cities.map { series(b, $0) },
            elasticity: (a.elasticity, b.elasticity), discountRate: discountRate)
        return WelfareComparison(
            cities: cities, cityVariation: perCity, region: region, firstYear: years.first!, lastYear: years.last!,
            discountRate: discountRate)
    }

    private struct Tables {
        var years: [Double] = []
        var order: [String] = []
        var rows: [String: [(year: Double, values: [String: Double])]] = [:]
        var elasticity = 0.0
        /// ν, θ and λ of the logit destination choice; nil under the replicator rule or when
        /// the manifest lacks them.
        var mobility: (rate: Double, elasticity: Double, sizeElasticity: Double)?
    }

    private static func read(_ directory: String, _ errors: inout [InputError]) -> Tables {
        var run = Tables()
        let file = PathText.join(directory, "cities.csv")
        let table = CSVTable.read(runFile: "cities.csv", in: directory, required: ["year", "city"] + columns)
        let hasStay = table.header.contains(stayColumn)
        errors += table.errors
        for row in table.rows {
            var reader = CellReader(file: file, row: row)
            guard let id = row["city"], let year = reader.number("year", expected: "a year") else { errors += reader.errors; continue }
            var values: [String: Double] = [:]
            for column in columns {
                if let x = reader.number(column, expected: "a number > 0", isValid: { $0 > 0 }) { values[column] = x }
            }
            if hasStay, let x = reader.number(stayColumn, expected: "a probability in (0, 1]", isValid: { $0 > 0 && $0 <= 1 }) {
                values[stayColumn] = x
            }
            errors += reader.errors
            guard reader.errors.isEmpty else { continue }
            if run.rows[id] == nil { run.order.append(id) }
            if !run.years.contains(where: { abs($0 - year) < 1e-9 }) { run.years.append(year) }
            run.rows[id, default: []].append((year, values))
        }
        let manifest = PathText.join(directory, "manifest.json")
        let key = "scenario.model.public_service_elasticity"
        guard let data = FileManager.default.contents(atPath: manifest) else {
            errors.append(InputError(file: manifest, message: "not found; expected the manifest `twincity run` writes"))
            return run
        }
        let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let model = (document?["scenario"] as? [String: Any])?["model"] as? [String: Any]
        guard let eta = (model?["public_service_elasticity"] as? NSNumber)?.doubleValue, eta.isFinite, eta >= 0 else {
            errors.append(InputError(file: manifest, key: key, message: "missing or not a number ≥ 0; the equivalent variation needs the model's public_service_elasticity"))
            return run
        }
        run.elasticity = eta
        func number(_ key: String) -> Double? { (model?[key] as? NSNumber)?.doubleValue }
        if (model?["migration_rule"] as? String ?? "logit") == "logit",
           let nu = number("migration_rate"), let theta = number("migration_elasticity"), theta > 0,
           let lambda = number("destination_size_elasticity") {
            run.mobility = (nu, theta, lambda)
        }
        return run
    }
}
