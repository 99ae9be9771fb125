// Writes one run into a directory of CSV files and a manifest (docs/OUTPUTS.md), a tick at a
// time, and makes the directory appear only once it is complete.
import Foundation
import TwinCityModel

/// Streams the ticks of one run into a run directory: `cities.csv`, `region.csv`, the three
/// origin–destination flow files and `manifest.json` (docs/OUTPUTS.md gives every column).
///
/// Everything is written into a hidden sibling `.NAME.partial-<pid>` and renamed to the
/// output path by `finish(wallTime:)`, so the output path either does not exist or holds a
/// complete run. A failure while writing, or `abort()`, removes the temporary directory.
/// Only the current tick is held in memory.
///
/// Usage: `init`, then `consume(_:)` for every `TickRecord` in order, then `finish(wallTime:)`
/// (or `abort()`).
public final class RunDirectoryWriter {
    /// A file of the run directory and what it holds.
    public struct File: Sendable, Equatable {
        /// File name inside the run directory.
        public let name: String
        /// One line: what a row is, with units.
        public let description: String
    }

    /// The files of every run directory, in the order they are listed to users.
    public static let files: [File] = [
        File(name: "cities.csv", description: "one row per year and city: population (10^4 persons), GDP (亿元/yr, 2020 and current prices), GDP per capita (yuan), wage (yuan/worker/yr), utility, rent, capital, fiscal accounts (亿元), capital, output and employment by sector, flows over the interval ending at the year"),
        File(name: "region.csv", description: "one row per year: region population (10^4 persons) and GDP (亿元/yr), GDP growth (per year), Chengdu and Chongqing shares, zone totals, Theil index and coefficient of variation of GDP per capita, flows over the interval ending at the year"),
        File(name: "flows_population.csv", description: "one row per year, origin and destination: residents who moved over the interval ending at the year, 10^4 persons (positive values only)"),
        File(name: "flows_capital.csv", description: "one row per year, origin and destination: investment financed by savers of the origin and installed in the destination over the interval ending at the year, 亿元 (positive values only)"),
        File(name: "flows_industry.csv", description: "one row per year, origin and destination: installed capacity relocated over the interval ending at the year, 亿元 (positive values only)"),
        File(name: "manifest.json", description: "versions, seed, time settings, cities, sectors, the resolved scenario, wall time and creation time of the run"),
    ]

    /// Cities whose shares of the region get their own columns in region.csv, when present.
    public static let coreCityIDs = ["chengdu", "chongqing"]

    /// The output directory, as given.
    public let path: String
    /// The temporary directory the run is written into until `finish(wallTime:)`.
    public let temporaryPath: String

    private enum Status { case open, finished, aborted }

    private let finalURL: URL
    private let temporaryURL: URL
    private let cities: [City]
    private let sectors: [String]
    private let manifest: RunManifest
    private let overwrite: Bool
    private let zones: [String]
    private let coreIndices: [(id: String, index: Int)]
    private var tables: [CSVFile] = []
    private var status = Status.open
    private var previousGDP: Double?
    private var previousYear: Double?

    /// Ticks written so far.
    public private(set) var ticksWritten = 0

    /// Creates the temporary directory next to `path` and writes the CSV headers.
    ///
    /// - Parameters:
    ///   - path: The run directory to create. Missing parent folders are created.
    ///   - cities: The roster's cities, in the order of the simulation's arrays.
    ///   - sectors: Sector ids, in the order of the simulation's arrays.
    ///   - manifest: Versions, scenario and settings for manifest.json.
    ///   - overwrite: Replace an existing `path` at `finish(wallTime:)`; otherwise refuse it.
    /// - Throws: `RunDirectoryError.exists` when `path` exists and `overwrite` is false;
    ///   `.fileSystem` when the directory or a file cannot be created; `.duplicateColumn`
    ///   when sector ids clash with column names.
    public init(path: String, cities: [City], sectors: [String], manifest: RunManifest, overwrite: Bool = false) throws {
        self.path = path
        self.cities = cities
        self.sectors = sectors
        self.manifest = manifest
        self.overwrite = overwrite
        finalURL = URL(fileURLWithPath: path).standardizedFileURL
        let parent = finalURL.deletingLastPathComponent()
        temporaryURL = parent.appendingPathComponent(".\(finalURL.lastPathComponent).partial-\(getpid())")
        temporaryPath = temporaryURL.path
        zones = RegionSummary.zoneOrder(cities.map(\.zone))
        coreIndices = Self.coreCityIDs.compactMap { id in cities.firstIndex { $0.id == id }.map { (id, $0) } }

        let files = FileManager.default
        if Self.itemExists(finalURL.path), !overwrite { throw RunDirectoryError.exists(path: path) }
        do {
            try files.createDirectory(at: parent, withIntermediateDirectories: true)
            // A leftover of an earlier process that had the same id; nothing else writes here.
            if Self.itemExists(temporaryPath) { try files.removeItem(at: temporaryURL) }
            try files.createDirectory(at: temporaryURL, withIntermediateDirectories: false)
        } catch {
            throw RunDirectoryError.fileSystem(path: temporaryPath, operation: "create directory", reason: Self.reason(error))
        }
        do {
            tables = [
                try CSVFile(directory: temporaryURL, name: "cities.csv", header: citiesHeader()),
                try CSVFile(directory: temporaryURL, name: "region.csv", header: regionHeader()),
            ]
            for name in ["flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
                tables.append(try CSVFile(directory: temporaryURL, name: name, header: ["year", "origin", "destination", "value"]))
            }
        } catch {
            abort()
            throw error
        }
    }

    deinit {
        // A writer dropped without finishing leaves nothing behind.
        if status == .open { abort() }
    }

    // MARK: - Headers

    private func citiesHeader() -> [String] {
        var header = [
            "year", "city", "zone", "tier", "population", "urban_population", "rural_population",
            "gdp", "gdp_nominal", "gdp_per_capita", "wage", "real_utility", "rent", "capital",
            "tax_revenue", "public_spending", "public_services", "subsidy_rate", "subsidies_paid",
            "retention_effort", "transfers", "fiscal_balance",
        ]
        header += sectors.map { "capital_\($0)" }
        header += sectors.map { "output_\($0)" }
        header += sectors.map { "employment_\($0)" }
        header += [
            "population_in", "population_out", "capital_in", "capital_out", "industry_in",
            "industry_out", "industry_external_in", "natural_growth", "urbanisation",
        ]
        return header
    }

    private func regionHeader() -> [String] {
        var header = ["year", "population", "urban_population", "gdp", "gdp_nominal", "gdp_growth", "gdp_per_capita"]
        header += coreIndices.map { "\($0.id)_gdp_share" }
        header += coreIndices.map { "\($0.id)_population_share" }
        header += zones.map { "gdp_\($0)" }
        header += zones.map { "population_\($0)" }
        header += ["theil_gdp_per_capita", "cv_gdp_per_capita", "migrants", "capital_flows", "industry_relocated", "conservation_worst"]
        return header
    }

    // MARK: - Writing

    /// Writes one tick's rows to every CSV file and returns the region's summary of it.
    ///
    /// Ticks must come in order, as `Simulation.run(observer:)` hands them over. On any
    /// error the temporary directory is removed and the writer is closed.
    @discardableResult
    public func consume(_ record: TickRecord) throws -> RegionSummary {
        guard status == .open else { throw RunDirectoryError.closed(path: path) }
        do {
            try checkShape(record)
            let dt = manifest.settings.dt
            let figures = CityFigures.all(record, sectorCount: sectors.count, dt: dt)
            let summary = RegionSummary(record: record, cities: cities)
            let year = CSVFormat.year(record.year)
            writeCities(figures, year: year)
            writeRegion(summary, record: record, year: year)
            if let flows = record.flows {
                writeFlows(flows.population, to: tables[2], year: year)
                writeFlows(flows.capital, to: tables[3], year: year)
                writeFlows(flows.industry, to: tables[4], year: year)
            }
            for table in tables { try table.flush() }
            previousGDP = summary.gdp
            previousYear = record.year
            ticksWritten += 1
            return summary
        } catch {
            abort()
            throw error
        }
    }

    private func checkShape(_ record: TickRecord) throws {
        let n = cities.count, v = n * sectors.count
        let byCity: [(String, Int)] = [
            ("realGDP", record.realGDP.count), ("utility", record.utility.count),
            ("urbanPopulation", record.state.urbanPopulation.count), ("ruralPopulation", record.state.ruralPopulation.count),
            ("publicServices", record.state.publicServices.count), ("wages", record.equilibrium.wages.count),
            ("gdp", record.equilibrium.gdp.count), ("rent", record.equilibrium.rent.count),
            ("agents", record.agents.count), ("subsidiesPaid", record.subsidiesPaid.count),
            ("fiscal.revenue", record.fiscal.revenue.count),
        ]
        var byVariety: [(String, Int)] = [
            ("capital", record.state.capital.count), ("revenue", record.equilibrium.revenue.count),
            ("sectorLabour", record.equilibrium.sectorLabour.count),
        ]
        var byPair: [(String, Int)] = []
        if let flows = record.flows {
            byVariety.append(("externalIndustry", flows.externalIndustry.count))
            byPair = [("population flows", flows.population.count), ("capital flows", flows.capital.count), ("industry flows", flows.industry.count)]
        }
        for (name, count) in byCity where count != n {
            throw RunDirectoryError.shapeMismatch("\(name) has \(count) entries for \(n) cities")
        }
        for (name, count) in byVariety where count != v {
            throw RunDirectoryError.shapeMismatch("\(name) has \(count) entries for \(n) cities × \(sectors.count) sectors")
        }
        for (name, count) in byPair where count != n * n {
            throw RunDirectoryError.shapeMismatch("\(name) has \(count) entries for \(n)×\(n) city pairs")
        }
    }

    private func writeCities(_ figures: [CityFigures], year: String) {
        let number = CSVFormat.number as (Double) -> String
        for (city, f) in zip(cities, figures) {
            var row = [year, city.id, city.zone, city.tier.rawValue]
            row += [
                f.population, f.urbanPopulation, f.ruralPopulation, f.gdp, f.gdpNominal, f.gdpPerCapita,
                f.wage, f.realUtility, f.rent, f.capital, f.taxRevenue, f.publicSpending, f.publicServices,
                f.subsidyRate, f.subsidiesPaid, f.retentionEffort, f.transfers, f.fiscalBalance,
            ].map(number)
            row += (f.sectorCapital + f.sectorOutput + f.sectorEmployment).map(number)
            row += [
                f.populationIn, f.populationOut, f.capitalIn, f.capitalOut, f.industryIn, f.industryOut,
                f.industryExternalIn, f.naturalGrowth, f.urbanisation,
            ].map(number)
            tables[0].append(row)
        }
    }

    private func writeRegion(_ s: RegionSummary, record: TickRecord, year: String) {
        let number = CSVFormat.number as (Double) -> String
        var growth: Double?
        if let gdp = previousGDP, let then = previousYear {
            growth = RegionSummary.growthRate(from: gdp, to: s.gdp, years: record.year - then)
        }
        var row = [year] + [s.population, s.urbanPopulation, s.gdp, s.gdpNominal].map(number)
        row += [CSVFormat.number(growth), number(s.gdpPerCapita)]
        row += coreIndices.map { number(s.gdpShares[$0.index]) }
        row += coreIndices.map { number(s.populationShares[$0.index]) }
        row += (s.zoneGDP + s.zonePopulation).map(number)
        let flows = record.flows
        let migrants: Double = flows?.population.reduce(0, +) ?? 0
        let capitalFlows: Double = flows?.capital.reduce(0, +) ?? 0
        let relocated: Double = flows?.industry.reduce(0, +) ?? 0
        row += [s.theil, s.coefficientOfVariation, migrants, capitalFlows, relocated].map(number)
        row.append(CSVFormat.number(record.conservation?.worst))
        tables[1].append(row)
    }

    private func writeFlows(_ matrix: [Double], to table: CSVFile, year: String) {
        let n = cities.count
        for i in 0..<n {
            for j in 0..<n where j != i && matrix[i * n + j] > 0 {
                table.append([year, cities[i].id, cities[j].id, CSVFormat.number(matrix[i * n + j])])
            }
        }
    }

    // MARK: - Finishing

    /// Closes the CSV files, writes manifest.json and renames the temporary directory to
    /// `path`. With `overwrite`, an existing `path` is moved aside just before the rename
    /// and deleted after it, so the old run stays in place if anything fails before.
    ///
    /// - Parameter wallTime: Seconds the run took, recorded in the manifest.
    public func finish(wallTime: Double) throws {
        guard status == .open else { throw RunDirectoryError.closed(path: path) }
        do {
            for table in tables { try table.close() }
            let document = ManifestDocument(
                manifest: manifest, cities: cities.map(\.id), sectors: sectors,
                files: Dictionary(uniqueKeysWithValues: Self.files.map { ($0.name, $0.description) }),
                wallTimeSeconds: wallTime, created: Date().formatted(.iso8601))
            let manifestURL = temporaryURL.appendingPathComponent("manifest.json")
            do {
                try document.json().write(to: manifestURL)
            } catch {
                throw RunDirectoryError.fileSystem(path: manifestURL.path, operation: "write", reason: Self.reason(error))
            }
            try moveIntoPlace()
            status = .finished
        } catch {
            abort()
            throw error
        }
    }

    private func moveIntoPlace() throws {
        guard Self.itemExists(finalURL.path) else {
            try Self.rename(temporaryPath, to: finalURL.path)
            return
        }
        // Appeared during the run, or was there from the start with overwrite asked for.
        guard overwrite else { throw RunDirectoryError.exists(path: path) }
        let aside = finalURL.deletingLastPathComponent().appendingPathComponent(".\(finalURL.lastPathComponent).old-\(getpid())").path
        if Self.itemExists(aside) { try? FileManager.default.removeItem(atPath: aside) }
        try Self.rename(finalURL.path, to: aside)
        do {
            try Self.rename(temporaryPath, to: finalURL.path)
        } catch {
            try? Self.rename(aside, to: finalURL.path)
            throw error
        }
        do {
            try FileManager.default.removeItem(atPath: aside)
        } catch {
            throw RunDirectoryError.fileSystem(
                path: aside, operation: "remove the replaced run directory",
                reason: Self.reason(error) + "; the new run is in place at '\(path)'")
        }
    }

    /// Abandons the run: closes the files and removes the temporary directory. Safe to call
    /// more than once, and from a handler of an interrupted run; does nothing once finished.
    public func abort() {
        guard status == .open else { return }
        status = .aborted
        for table in tables { table.discard() }
        tables = []
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    // MARK: - File system helpers

    /// True when anything (directory, file, link) is at `path`.
    private static func itemExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// rename(2): atomic within one file system.
    private static func rename(_ source: String, to destination: String) throws {
        guard Foundation.rename(source, destination) == 0 else {
            throw RunDirectoryError.fileSystem(
                path: destination, operation: "rename '\(source)' to", reason: String(cString: strerror(errno)))
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
