// A run directory read back for plotting: its tables, its cities' English names and
// coordinates, its years and, for an ensemble, its replications and summary.
import Foundation
import TwinCityExport

/// A point on the map, degrees.
public struct GeoPoint: Sendable, Equatable {
    /// Degrees north.
    public var latitude: Double
    /// Degrees east.
    public var longitude: Double

    /// A point at `latitude` °N and `longitude` °E.
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// One run directory (docs/OUTPUTS.md), single run or ensemble, as a plot needs it.
public struct RunData: Sendable {
    /// The directory as given.
    public let path: String
    /// The directory's last path component, used to tell runs apart in legends.
    public let name: String
    /// City ids in roster order.
    public let cityIDs: [String]
    /// Short English name of each city for legends and maps (`Chengdu`, `Ngawa`); the id when
    /// the run records no name.
    public let cityNames: [String: String]
    /// Each city's seat of government, when the run (or its roster) records it.
    public let coordinates: [String: GeoPoint]
    /// Each city's economic zone.
    public let zoneOfCity: [String: String]
    /// Zones in order of first appearance in the roster.
    public let zones: [String]
    /// Number of replications (1 for a single run).
    public let replications: Int
    /// Recorded years as written in the files (`2020`, `12.5`), in order.
    public let yearTexts: [String]
    /// Recorded years, in order.
    public let years: [Double]
    /// Sector ids, in the order of the sector columns.
    public let sectors: [String]
    /// Numeric columns of cities.csv, in file order.
    public let cityVariables: [String]
    /// Numeric columns of region.csv, in file order.
    public let regionVariables: [String]
    /// True for a run in model time and model units (a core–periphery scenario, `kind =
    /// "core_periphery"`): its years are model time and its quantities have no physical unit.
    public let modelTime: Bool
    /// True when the run has summary.csv (an ensemble).
    public var hasSummary: Bool { summary != nil }

    let cities: RunFileTable
    let region: RunFileTable
    let summary: RunFileTable?

    /// Reads the run directory at `path`.
    ///
    /// - Throws: `PlotError.runDirectory` when the directory, its manifest or a table is
    ///   missing or malformed.
    public init(path: String) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path)
        name = directory.standardizedFileURL.lastPathComponent
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.json").path) else {
            let what = FileManager.default.fileExists(atPath: path) ? "has no manifest.json" : "does not exist"
            throw PlotError.runDirectory(path: path, message: "\(what); make one with `twincity run SCENARIO --out \(path)`")
        }
        let manifest: [String: Any]
        do {
            manifest = try RunDirectoryReader.manifest(in: path)
        } catch {
            throw PlotError.runDirectory(path: path, message: "manifest.json is not valid JSON")
        }
        cities = try Self.table("cities.csv", in: path)
        region = try Self.table("region.csv", in: path)
        summary = RunDirectoryReader.has("summary.csv", in: path) ? try Self.table("summary.csv", in: path) : nil

        let lead = cities.header.first == OutputColumns.replication ? 1 : 0
        guard let yearColumn = region.index(of: "year"), let cityColumn = cities.index(of: "city"),
              let zoneColumn = cities.index(of: "zone") else {
            throw PlotError.runDirectory(path: path, message: "cities.csv or region.csv lacks the year, city or zone column")
        }
        cityVariables = Array(cities.header.dropFirst(lead + OutputColumns.cityKeys.count))
        regionVariables = Array(region.header.dropFirst(lead + OutputColumns.regionKeys.count))

        var seenYears = Set<String>()
        yearTexts = region.rows.map { $0[yearColumn] }.filter { seenYears.insert($0).inserted }
        years = yearTexts.map { Double($0) ?? .nan }
        var zoneOfCity: [String: String] = [:]
        var zoneOrder: [String] = []
        var rosterOrder: [String] = []
        for row in cities.rows where zoneOfCity[row[cityColumn]] == nil {
            zoneOfCity[row[cityColumn]] = row[zoneColumn]
            rosterOrder.append(row[cityColumn])
            if !zoneOrder.contains(row[zoneColumn]) { zoneOrder.append(row[zoneColumn]) }
        }
        self.zoneOfCity = zoneOfCity
        zones = zoneOrder
        cityIDs = manifest["cities"] as? [String] ?? rosterOrder
        sectors = manifest["sectors"] as? [String] ?? []
        modelTime = ((manifest["scenario"] as? [String: Any])?["kind"] as? String) == "core_periphery"
        if lead == 1 {
            // The manifest's count, checked against every replication cell below; a count
            // far beyond the rows (−1, Int.max) is refused before anything is sized by it.
            guard let recorded = manifest["replications"] as? Int, recorded >= 1, recorded <= max(cities.rows.count, 1) else {
                throw PlotError.runDirectory(
                    path: path, message: "manifest.json: 'replications' is \(manifest["replications"].map { "\($0)" } ?? "missing"); an ensemble records a count from 1 to its number of rows")
            }
            replications = recorded
        } else {
            replications = 1
        }
        guard manifest["cities"] == nil || manifest["cities"] is [String] else {
            throw PlotError.runDirectory(path: path, message: "manifest.json: 'cities' is not a list of city ids")
        }
        try Self.check(
            path: path, cities: cities, region: region, replications: replications,
            cityIDs: manifest["cities"] as? [String] ?? rosterOrder, ensemble: lead == 1)

        // Names and coordinates: the manifest's, else the roster the scenario names, else ids.
        var names = manifest["city_names"] as? [String: String] ?? [:]
        var points: [String: GeoPoint] = [:]
        for (id, value) in manifest["city_coordinates"] as? [String: [String: Double]] ?? [:] {
            if let latitude = value["latitude"], let longitude = value["longitude"] {
                points[id] = GeoPoint(latitude: latitude, longitude: longitude)
            }
        }
        if names.isEmpty || points.isEmpty,
           let scenario = manifest["scenario"] as? [String: Any], let roster = scenario["roster"] as? String,
           let table = try? RunDirectoryReader.table(atPath: roster),
           let id = table.index(of: "id") {
            for row in table.rows {
                if names[row[id]] == nil, let column = table.index(of: "name_en") { names[row[id]] = row[column] }
                if points[row[id]] == nil, let lat = table.index(of: "lat"), let lon = table.index(of: "lon"),
                   let latitude = Double(row[lat]), let longitude = Double(row[lon]) {
                    points[row[id]] = GeoPoint(latitude: latitude, longitude: longitude)
                }
            }
        }
        var shortNames: [String: String] = [:]
        for id in cityIDs { shortNames[id] = names[id].map(Self.shortName) ?? id }
        // Two cities whose short names would be the same ("Chongqing central urban area" and
        // "Chongqing outside the central urban area" are both "Chongqing") are named by their
        // ids in words instead ("Chongqing core", "Chongqing rest"), so no two lines of a
        // legend and no two labels of a map read alike.
        let counts = Dictionary(shortNames.values.map { ($0, 1) }, uniquingKeysWith: +)
        for (id, short) in shortNames where counts[short, default: 0] > 1 {
            shortNames[id] = LineChart.zoneName(id)
        }
        cityNames = shortNames
        coordinates = points
    }

    /// The table `name` of the run directory at `path`, read by the export module's reader.
    ///
    /// - Throws: `PlotError.runDirectory` when the file cannot be read, is empty or has a row
    ///   of the wrong length (naming its line).
    static func table(_ name: String, in path: String) throws -> RunFileTable {
        do {
            return try RunDirectoryReader.table(name, in: path)
        } catch {
            switch error.problem {
            case .empty: throw PlotError.runDirectory(path: path, message: "\(name) is empty")
            case .ragged: throw PlotError.runDirectory(path: path, message: "\(error.place): \(error.reason)")
            default: throw PlotError.runDirectory(path: path, message: "cannot read \(name)")
            }
        }
    }

    /// A city's English name as a legend shows it: without a parenthesised alternative, and
    /// only the first word of a long prefecture name ("Ngawa (Aba) Tibetan and Qiang
    /// Autonomous Prefecture" → "Ngawa", "Liangshan Yi Autonomous Prefecture" → "Liangshan").
    static func shortName(_ english: String) -> String {
        var name = english
        if let parenthesis = name.range(of: " (") { name = String(name[..<parenthesis.lowerBound]) }
        let words = name.split(separator: " ")
        return words.count > 2 ? String(words[0]) : name
    }

    /// The description of `variable` (a column of cities.csv or region.csv): its unit and
    /// label, as docs/OUTPUTS.md gives them; a bare description for a column the catalogue
    /// does not know.
    public func column(_ variable: String) -> OutputColumn {
        // A core may be a group of cities (Chongqing's parts): its columns are in region.csv.
        let cores = RunDirectoryWriter.coreCityIDs.filter { regionVariables.contains("\($0)_gdp_share") }
        let known = OutputColumns.cities(sectors: sectors) + OutputColumns.region(coreCities: cores, zones: zones)
        return known.first { $0.name == variable } ?? OutputColumn(variable, "", variable, additive: false)
    }

    /// The table of flow kind `kind` (`population`, `capital` or `industry`).
    ///
    /// - Throws: `PlotError.runDirectory` for a row whose replication is outside the
    ///   manifest's, whose origin or destination is not a city of the run, or whose value is
    ///   not a number, naming the line and column.
    func flows(_ kind: String) throws -> RunFileTable {
        let name = "flows_\(kind).csv"
        let table = try Self.table(name, in: path)
        let lead = table.header.first == OutputColumns.replication ? 1 : 0
        guard table.header.count >= lead + 4 else {
            throw PlotError.runDirectory(path: path, message: "\(name): the header has \(table.header.count) columns; expected year, origin, destination and the flow")
        }
        let known = Set(cityIDs)
        for (row, line) in zip(table.rows, table.lines) {
            if lead == 1, !(Int(row[0]).map { $0 >= 0 && $0 < replications } ?? false) {
                throw PlotError.runDirectory(path: path, message: "\(name):\(line): column 'replication' is '\(row[0])'; the manifest records replications 0…\(replications - 1)")
            }
            for column in [lead + 1, lead + 2] where !known.contains(row[column]) {
                throw PlotError.runDirectory(path: path, message: "\(name):\(line): column '\(table.header[column])' is '\(row[column].prefix(40))', not a city of the run")
            }
            for column in [lead, lead + 3] where Double(row[column])?.isFinite != true {
                throw PlotError.runDirectory(path: path, message: "\(name):\(line): column '\(table.header[column])' is '\(row[column].prefix(40))', not a number")
            }
        }
        return table
    }

    /// The recorded year closest to `year` (ties: the earlier), as written in the files.
    func nearestYearText(to year: Double) -> String? {
        years.indices.min { abs(years[$0] - year) < abs(years[$1] - year) }.map { yearTexts[$0] }
    }

    // MARK: - Values by replication and year

    /// Column index offset of the key columns: 1 in an ensemble (the `replication` column).
    var lead: Int { cities.header.first == OutputColumns.replication ? 1 : 0 }

    /// The replication of a row (0 for a single run).
    func replication(of row: [String]) -> Int {
        lead == 1 ? Int(row[0]) ?? 0 : 0
    }

    /// `variable` of cities.csv summed over `cityIDs`, as [replication][year index]; NaN
    /// where a cell is empty.
    func cityValues(_ variable: String, cities ids: Set<String>) -> [[Double]] {
        guard let column = cities.index(of: variable), let cityColumn = cities.index(of: "city"),
              let yearColumn = cities.index(of: "year") else { return [] }
        let yearIndex = Dictionary(uniqueKeysWithValues: yearTexts.enumerated().map { ($1, $0) })
        var values = Array(repeating: Array(repeating: 0.0, count: years.count), count: replications)
        for row in cities.rows where ids.contains(row[cityColumn]) {
            guard let year = yearIndex[row[yearColumn]] else { continue }
            values[replication(of: row)][year] += Double(row[column]) ?? .nan
        }
        return values
    }

    /// `variable` of region.csv as [replication][year index]; NaN where a cell is empty.
    func regionValues(_ variable: String) -> [[Double]] {
        guard let column = region.index(of: variable), let yearColumn = region.index(of: "year") else { return [] }
        let yearIndex = Dictionary(uniqueKeysWithValues: yearTexts.enumerated().map { ($1, $0) })
        var values = Array(repeating: Array(repeating: Double.nan, count: years.count), count: replications)
        for row in region.rows {
            guard let year = yearIndex[row[yearColumn]] else { continue }
            values[replication(of: row)][year] = Double(row[column]) ?? .nan
        }
        return values
    }

    /// Mean, p05 and p95 of summary.csv for (`scope`, `id`, `variable`), by year index; `nil`
    /// without summary.csv or when it has no such rows.
    func summaryBand(scope: String, id: String, variable: String) -> (mean: [Double], low: [Double], high: [Double])? {
        guard let summary, let year = summary.index(of: "year"), let scopeColumn = summary.index(of: "scope"),
              let idColumn = summary.index(of: "id"), let variableColumn = summary.index(of: "variable"),
              let mean = summary.index(of: "mean"), let p05 = summary.index(of: "p05"),
              let p95 = summary.index(of: "p95") else { return nil }
        let yearIndex = Dictionary(uniqueKeysWithValues: yearTexts.enumerated().map { ($1, $0) })
        var band = (mean: Array(repeating: Double.nan, count: years.count), low: Array(repeating: Double.nan, count: years.count),
                    high: Array(repeating: Double.nan, count: years.count))
        var found = false
        for row in summary.rows where row[scopeColumn] == scope && row[idColumn] == id && row[variableColumn] == variable {
            guard let index = yearIndex[row[year]] else { continue }
            found = true
            band.mean[index] = Double(row[mean]) ?? .nan
            band.low[index] = Double(row[p05]) ?? .nan
            band.high[index] = Double(row[p95]) ?? .nan
        }
        return found ? band : nil
    }
}
