// Reads the 2010–2022 city panel (seeds/history.csv, format in seeds/README.md) against a
// roster. Every problem in the file is reported in one go, like the roster tables.
import Foundation
import TwinCityExport
import TwinCityModel

/// Loads a `HistoryPanel` from CSV.
///
/// Columns `id,year,gdp_current,gdp_real_growth_pct,pop_resident_10k` are required, in any
/// order; the source, vintage and note columns of seeds/history.csv are allowed. Units: GDP in
/// 亿元 at current prices, growth in per cent over the previous year, population in 10^4
/// persons. A value cell may be empty (not published); nothing is filled in.
package enum HistoryLoader {
    /// Columns the history file must have.
    package static let requiredColumns = ["id", "year", "gdp_current", "gdp_real_growth_pct", "pop_resident_10k"]
    /// Columns the history file may have.
    package static let optionalColumns = [
        "gdp_current_source", "gdp_vintage", "gdp_real_growth_source", "pop_resident_source",
        "pop_vintage", "note",
    ]

    /// Reads `path`, checking each row: `id` a city or a group of `roster` (a group's series
    /// is the published total, e.g. Chongqing municipality before and beside its parts; the
    /// panel's units are the cities, then the groups), `year` an integer in
    /// 2010–2022 (a later year is refused, not skipped), each city-year once, GDP and
    /// population ≥ 0 when given, growth above −100 %.
    ///
    /// - Throws: `InputError` for one problem, `InputErrors` for several (top to bottom).
    package static func load(_ path: String, roster: Roster) throws -> HistoryPanel {
        let table = CSVTable.read(file: path, required: requiredColumns, optional: optionalColumns)
        var errors = table.errors
        guard table.isReadable else {
            try InputErrors.throwIfAny(errors)
            return try HistoryPanel(cityIDs: roster.cities.map(\.id) + roster.groups.map(\.id), observations: [])
        }
        if table.rows.isEmpty && errors.isEmpty {
            errors.append(InputError(file: path, line: 1, message: "no observations; expected at least one row after the header"))
        }
        let ids = roster.cities.map(\.id) + roster.groups.map(\.id)
        let known = Set(ids)
        var firstLine: [String: Int] = [:]
        var observations: [HistoryObservation] = []
        let first = HistoryPanel.firstYear
        let last = HistoryPanel.lastYear
        for row in table.rows {
            var cells = CellReader(file: path, row: row)
            var city = cells.text("id", expected: "a city id")
            if let id = city, !known.contains(id) {
                cells.fail("id", "unknown city '\(id)', not in the roster" + Spelling.suggestion(for: id, among: ids))
                city = nil
            }
            var year: Int?
            if let cell = row["year"] {
                if let value = Int(cell) {
                    if value > last {
                        cells.fail("year", "year \(value) is after \(last): statistics after \(last) are held back for out-of-sample validation and are not read")
                    } else if value < first {
                        cells.fail("year", "expected a year in \(first)–\(last), found '\(cell)'")
                    } else {
                        year = value
                    }
                } else {
                    cells.fail("year", "expected a year in \(first)–\(last), found \(CellReader.found(cell))")
                }
            }
            if let city, let year {
                let key = "\(city) \(year)"
                if let line = firstLine[key] {
                    cells.fail("year", "duplicate city-year \(city) \(year) (first on line \(line))")
                } else {
                    firstLine[key] = row.line
                }
            }
            let gdp = cells.number("gdp_current", expected: "a GDP in 亿元 ≥ 0, or an empty cell if not published", optional: true) { $0 >= 0 }
            let growth = cells.number("gdp_real_growth_pct", expected: "a growth rate in per cent above −100, or an empty cell if not published", optional: true) { $0 > -100 }
            let population = cells.number("pop_resident_10k", expected: "a population in 10^4 persons ≥ 0, or an empty cell if not published", optional: true) { $0 >= 0 }
            errors += cells.errors
            guard cells.errors.isEmpty, let city, let year else { continue }
            let gdpVintage = row["gdp_vintage"].flatMap { $0.isEmpty ? nil : $0 }
            let popVintage = row["pop_vintage"].flatMap { $0.isEmpty ? nil : $0 }
            observations.append(HistoryObservation(
                city: city, year: year, gdpCurrent: gdp, realGrowthPercent: growth,
                population: population, gdpVintage: gdpVintage, populationVintage: popVintage))
        }
        try InputErrors.throwIfAny(table.sorted(errors))
        return try HistoryPanel(cityIDs: ids, observations: observations)
    }
}
