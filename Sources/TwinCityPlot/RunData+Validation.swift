// A run directory read for plotting is checked before any value is drawn: it may come from
// anyone, and a replication outside the manifest's count, a text where a number belongs or a
// year missing for one city would otherwise index out of range or plot a wrong line.
import Foundation
import TwinCityExport

extension RunData {
    /// Checks the tables of a run directory against each other and the manifest.
    ///
    /// - Every row's `replication` (an ensemble's first column) is a whole number in
    ///   0 ..< `replications`, and every replication has rows.
    /// - Every cell of a numeric column (every column after the key columns) is a number or
    ///   empty; `year` is a number in every row.
    /// - region.csv has one row per replication and year, the same years in every
    ///   replication; cities.csv has one row per replication, year and city of the manifest.
    ///
    /// - Throws: `PlotError.runDirectory` naming the file, its line and the column.
    static func check(
        path: String, cities: RunFileTable, region: RunFileTable, replications: Int, cityIDs: [String], ensemble: Bool
    ) throws {
        func fail(_ message: String) -> PlotError { .runDirectory(path: path, message: message) }
        let cityKeys = (ensemble ? 1 : 0) + OutputColumns.cityKeys.count
        let regionKeys = (ensemble ? 1 : 0) + OutputColumns.regionKeys.count
        for (name, table, keys) in [("cities.csv", cities, cityKeys), ("region.csv", region, regionKeys)] {
            guard table.header.count >= keys else {
                throw fail("\(name): the header has \(table.header.count) columns, fewer than its \(keys) key columns")
            }
            guard let year = table.index(of: "year") else { throw fail("\(name): the header has no 'year' column") }
            for (row, line) in zip(table.rows, table.lines) {
                if ensemble {
                    guard let k = Int(row[0]), k >= 0, k < replications else {
                        throw fail("\(name):\(line): column 'replication' is '\(row[0])'; the manifest records replications 0…\(replications - 1)")
                    }
                }
                guard Double(row[year])?.isFinite == true else {
                    throw fail("\(name):\(line): column 'year' is '\(row[year])', not a year")
                }
                for column in keys..<table.header.count where !row[column].isEmpty && Double(row[column]) == nil {
                    throw fail("\(name):\(line): column '\(table.header[column])' is '\(row[column].prefix(40))', not a number")
                }
            }
        }

        // The same years in every replication of region.csv, each once.
        let regionYear = region.index(of: "year")!
        var regionYears = [[String]](repeating: [], count: replications)
        for row in region.rows {
            let k = ensemble ? Int(row[0])! : 0
            regionYears[k].append(row[regionYear])
        }
        for k in 0..<replications {
            if regionYears[k].isEmpty { throw fail("region.csv: no row for replication \(k) of the \(replications) the manifest records") }
            if Set(regionYears[k]).count != regionYears[k].count {
                throw fail("region.csv: replication \(k) records a year twice")
            }
            if regionYears[k] != regionYears[0] {
                throw fail("region.csv: replication \(k) records other years than replication 0")
            }
        }
        // One row per replication, year and city of the manifest in cities.csv.
        let years = Set(regionYears[0]), known = Set(cityIDs)
        guard let cityColumn = cities.index(of: "city"), let yearColumn = cities.index(of: "year") else {
            throw fail("cities.csv: the header has no 'city' or 'year' column")
        }
        var seen = Set<String>()
        for (row, line) in zip(cities.rows, cities.lines) {
            guard known.contains(row[cityColumn]) else {
                throw fail("cities.csv:\(line): column 'city' is '\(row[cityColumn].prefix(40))', not a city of the manifest")
            }
            guard years.contains(row[yearColumn]) else {
                throw fail("cities.csv:\(line): column 'year' is '\(row[yearColumn])', a year region.csv does not record")
            }
            let key = (ensemble ? row[0] : "0") + "\t" + row[yearColumn] + "\t" + row[cityColumn]
            guard seen.insert(key).inserted else {
                throw fail("cities.csv:\(line): a second row for city '\(row[cityColumn])' in year \(row[yearColumn])")
            }
        }
        let expected = replications * years.count * known.count
        if seen.count != expected {
            throw fail("cities.csv: \(seen.count) rows for \(replications) replication(s) × \(years.count) years × \(known.count) cities = \(expected); the tables disagree")
        }
    }
}
