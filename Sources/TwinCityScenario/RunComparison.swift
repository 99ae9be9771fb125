// Two run directories side by side at one year: the region's headline figures, each city's
// population and GDP, and each government's accounts, read back from region.csv and
// cities.csv (docs/OUTPUTS.md) to show what a policy changed against a reference run.
import Foundation
import TwinCityExport

/// The differences between run A (the reference, e.g. the baseline) and run B (e.g. a policy
/// scenario) at one recorded year, as `twincity compare` prints them.
public struct RunComparison: Sendable {
    /// One compared quantity.
    public struct Row: Sendable, Equatable {
        /// Which part of the table the row belongs to.
        public enum Section: String, Sendable, Equatable, CaseIterable {
            /// Region-wide figures from region.csv.
            case region
            /// Each city's population and GDP from cities.csv.
            case cities
            /// Each city government's tax revenue, transfers and fiscal balance from cities.csv.
            case fiscal
        }

        /// The part of the table.
        public var section: Section
        /// The city id for a city row, `nil` for a region row.
        public var city: String?
        /// The CSV column compared (`gdp`, `theil_gdp_per_capita`, …).
        public var column: String
        /// What the row shows, with its unit, e.g. `GDP (亿元/yr, 2020 prices)`.
        public var label: String
        /// The value in run A, in the column's unit (docs/OUTPUTS.md).
        public var a: Double
        /// The value in run B.
        public var b: Double

        /// B − A, in the column's unit.
        public var difference: Double { b - a }
        /// (B − A)/A in percent; `nil` when A is 0, where it is not defined.
        public var percent: Double? { a == 0 ? nil : 100 * (b - a) / a }
    }

    /// The reference run directory, as given.
    public var runA: String
    /// The run directory compared with it, as given.
    public var runB: String
    /// The year compared (a recorded year of both runs).
    public var year: Double
    /// The rows: region, then each city's population and GDP, then each city's fiscal figures,
    /// cities in run A's roster order (cities missing from run B are left out).
    public var rows: [Row]

    /// Region columns compared, with their labels; the GDP shares only when both runs have them.
    public static let regionColumns: [(column: String, label: String)] = [
        ("gdp", "GDP (亿元/yr, 2020 prices)"),
        ("population", "population (万人)"),
        ("theil_gdp_per_capita", "Theil index of GDP per capita"),
        ("chengdu_gdp_share", "Chengdu GDP share"),
        ("chongqing_gdp_share", "Chongqing GDP share"),
    ]
    /// City columns compared, with their labels.
    public static let cityColumns: [(column: String, label: String)] = [
        ("population", "population (万人)"),
        ("gdp", "GDP (亿元/yr, 2020 prices)"),
    ]
    /// Fiscal columns compared, with their labels.
    public static let fiscalColumns: [(column: String, label: String)] = [
        ("tax_revenue_real", "tax revenue (亿元/yr, 2020 prices)"),
        ("transfers_real", "transfers received (亿元/yr, 2020 prices)"),
        ("fiscal_balance_real", "fiscal balance (亿元/yr, 2020 prices)"),
    ]
    /// Region columns a run directory may lack (a roster without Chengdu or Chongqing).
    static let optionalRegionColumns: Set<String> = ["chengdu_gdp_share", "chongqing_gdp_share"]

    /// Reads both run directories and compares them at `year`, by default the last year
    /// recorded in both.
    ///
    /// - Throws: `InputError`/`InputErrors` naming the file (and line and column) for a missing
    ///   directory or file, a missing column, a cell that is not a number, or a year that is
    ///   not recorded in both runs.
    public static func compare(_ runA: String, _ runB: String, year: Double? = nil) throws -> RunComparison {
        let runs = [runA, runB].map(RunTables.read)
        try InputErrors.throwIfAny(runs.flatMap(\.errors))
        let (a, b) = (runs[0], runs[1])

        let chosen = try RunComparison.comparedYear(
            year, years: (a.years, b.years), files: (a.regionFile, b.regionFile), kind: "run")

        var rows: [Row] = []
        let regionA = a.region(at: chosen), regionB = b.region(at: chosen)
        for (column, label) in regionColumns {
            guard let x = regionA?[column], let y = regionB?[column] else { continue }
            rows.append(Row(section: .region, city: nil, column: column, label: label, a: x, b: y))
        }
        let cities = a.cities.filter { b.cities.contains($0) }
        for (section, columns) in [(Row.Section.cities, cityColumns), (.fiscal, fiscalColumns)] {
            for city in cities {
                let cellsA = a.city(city, at: chosen), cellsB = b.city(city, at: chosen)
                for (column, label) in columns {
                    guard let x = cellsA?[column], let y = cellsB?[column] else { continue }
                    rows.append(Row(section: section, city: city, column: column, label: label, a: x, b: y))
                }
            }
        }
        return RunComparison(runA: runA, runB: runB, year: chosen, rows: rows)
    }
}

/// The rows of one run directory's region.csv and cities.csv that a comparison needs.
private struct RunTables {
    var regionFile: String
    /// Recorded years of region.csv, in file order.
    var years: [Double] = []
    /// City ids in the order of cities.csv (roster order).
    var cities: [String] = []
    var regionRows: [(year: Double, values: [String: Double])] = []
    var cityRows: [String: [(year: Double, values: [String: Double])]] = [:]
    var errors: [InputError] = []

    func region(at year: Double) -> [String: Double]? {
        regionRows.first { abs($0.year - year) < 1e-9 }?.values
    }

    func city(_ id: String, at year: Double) -> [String: Double]? {
        cityRows[id]?.first { abs($0.year - year) < 1e-9 }?.values
    }

    /// `2020–2023`, `2020`, or `no year` for the message about a missing year.
    static func span(_ years: [Double]) -> String {
        guard let first = years.min(), let last = years.max() else { return "no year" }
        return first == last ? "only \(TOMLNode.format(first))" : "\(TOMLNode.format(first))–\(TOMLNode.format(last))"
    }

    static func read(_ directory: String) -> RunTables {
        let regionFile = PathText.join(directory, "region.csv")
        var run = RunTables(regionFile: regionFile)
        do {
            try RunDirectoryReader.checkDirectory(directory)
        } catch {
            run.errors.append(InputError(file: directory, message: error.reason))
            return run
        }

        let regionRequired = ["year"] + RunComparison.regionColumns.map(\.column).filter { !RunComparison.optionalRegionColumns.contains($0) }
        let region = CSVTable.read(runFile: "region.csv", in: directory, required: regionRequired)
        run.errors += region.errors
        let regionNumbers = ["year"] + RunComparison.regionColumns.map(\.column).filter(region.has)
        for row in region.rows {
            guard let values = numbers(row, regionNumbers, file: regionFile, errors: &run.errors), let year = values["year"] else { continue }
            run.years.append(year)
            run.regionRows.append((year, values))
        }

        let cityFile = PathText.join(directory, "cities.csv")
        let cityNumbers = ["year"] + (RunComparison.cityColumns + RunComparison.fiscalColumns).map(\.column)
        let cities = CSVTable.read(runFile: "cities.csv", in: directory, required: ["city"] + cityNumbers)
        run.errors += cities.errors
        for row in cities.rows {
            guard let id = row["city"], let values = numbers(row, cityNumbers, file: cityFile, errors: &run.errors),
                  let year = values["year"] else { continue }
            if run.cityRows[id] == nil { run.cities.append(id) }
            run.cityRows[id, default: []].append((year, values))
        }
        if run.errors.isEmpty { run.errors += checkAgreement(run, regionFile: regionFile, cityFile: cityFile) }
        return run
    }

    /// The tables of one run must cover the same years: region.csv each year once, and
    /// cities.csv every city in every one of them, once. A table of only a header, a city
    /// missing a year or a year twice would otherwise be compared as if nothing were missing.
    private static func checkAgreement(_ run: RunTables, regionFile: String, cityFile: String) -> [InputError] {
        guard !run.years.isEmpty else {
            return [InputError(file: regionFile, message: "has no rows; a run directory records one row per year")]
        }
        guard !run.cities.isEmpty else {
            return [InputError(file: cityFile, message: "has no rows; a run directory records one row per year and city")]
        }
        let yearKeys = run.years.map { ($0 * 1e9).rounded() }
        if Set(yearKeys).count != yearKeys.count {
            return [InputError(file: regionFile, message: "records a year twice; a run directory records each year once")]
        }
        var errors: [InputError] = []
        for id in run.cities {
            let years = (run.cityRows[id] ?? []).map { ($0.year * 1e9).rounded() }
            if years.sorted() != yearKeys.sorted() {
                let missing = run.years.filter { year in !years.contains((year * 1e9).rounded()) }
                let detail = missing.isEmpty
                    ? "\(years.count) rows for the \(yearKeys.count) years of region.csv"
                    : "no row for year \(missing.prefix(3).map { TOMLNode.format($0) }.joined(separator: ", "))\(missing.count > 3 ? ", …" : "") of region.csv"
                errors.append(InputError(file: cityFile, key: "city", keyKind: .column, message: "city '\(id)': \(detail)"))
            }
        }
        return errors
    }

    /// The row's cells of `columns` as numbers; `nil` with an error per cell that is not one.
    /// An empty cell (a value not defined, docs/OUTPUTS.md) is left out of the result.
    private static func numbers(_ row: CSVTable.Row, _ columns: [String], file: String, errors: inout [InputError]) -> [String: Double]? {
        var reader = CellReader(file: file, row: row)
        var values: [String: Double] = [:]
        for column in columns {
            if let x = reader.number(column, expected: "a number", optional: column != "year") { values[column] = x }
        }
        errors += reader.errors
        return reader.errors.isEmpty ? values : nil
    }
}

extension RunComparison {
    /// The year two runs (or ensembles, `kind`) are compared at: `year` when both record it,
    /// by default the last year both record; a year missing from either is an error naming
    /// that file's `year` column.
    static func comparedYear(
        _ year: Double?, years: ([Double], [Double]), files: (String, String), kind: String
    ) throws -> Double {
        if let year {
            for (recorded, file) in [(years.0, files.0), (years.1, files.1)] where !recorded.contains(where: { abs($0 - year) < 1e-9 }) {
                throw InputError(
                    file: file, key: "year", keyKind: .column,
                    message: "no row for year \(TOMLNode.format(year)); the \(kind) records \(RunTables.span(recorded))")
            }
            return year
        }
        guard let last = years.0.filter({ y in years.1.contains { abs($0 - y) < 1e-9 } }).max() else {
            throw InputError(
                file: files.1, key: "year", keyKind: .column,
                message: "no year in common with \(files.0): this \(kind) records \(RunTables.span(years.1)), the other \(RunTables.span(years.0))")
        }
        return last
    }
}
