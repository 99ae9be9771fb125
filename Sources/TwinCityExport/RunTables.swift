// The five CSV tables of one run (one replication of an ensemble), written a tick at a time:
// shared by the single-run and the ensemble writers so both spell every row the same way.
import Foundation
import TwinCityModel

/// The numbers of one recorded tick as written to `cities.csv` and `region.csv`: one array
/// per city with the numeric columns of `OutputColumns.cities`, and one with those of
/// `OutputColumns.region`, in the units of those files; NaN where a cell is empty.
struct TickValues {
    /// Per city (roster order), the numeric cells of its cities.csv row.
    var cities: [[Double]]
    /// The numeric cells of the region.csv row.
    var region: [Double]
    /// The region's summary of the tick.
    var summary: RegionSummary
}

/// Writes the rows of one run into `cities.csv`, `region.csv` and the three flow files.
///
/// With a `replication` index every row starts with that index (the ensemble layout) and the
/// files have no header row: they are appended, in replication order, to files that have one.
final class RunTables {
    /// The flow files, in the order of `TickFlows`' population, capital and industry matrices.
    static let flowFiles = ["flows_population.csv", "flows_capital.csv", "flows_industry.csv"]
    /// The CSV tables, in the order `cities.csv`, `region.csv`, then `flowFiles`.
    static let tableFiles = ["cities.csv", "region.csv"] + flowFiles

    let cities: [City]
    let sectors: [String]
    /// Tick length, years, for the interval's subsidies as a yearly balance.
    let dt: Double
    let replication: Int?
    let zones: [String]
    let coreIndices: [(id: String, indices: [Int])]
    private var tables: [CSVFile] = []
    /// Each city's id as a flow row spells it (`CSVFile.spelled`).
    private let spelledIDs: [[UInt8]]
    private var previousGDP: Double?
    private var previousYear: Double?

    /// Creates the five files in `directory`.
    init(directory: URL, cities: [City], sectors: [String], dt: Double, replication: Int? = nil) throws {
        self.cities = cities
        self.sectors = sectors
        self.dt = dt
        self.replication = replication
        zones = RegionSummary.zoneOrder(cities.map(\.zone))
        coreIndices = RunDirectoryWriter.coreMembers(in: cities)
        spelledIDs = cities.map { CSVFile.spelled([$0.id]) }
        let headers = Self.headers(cities: cities, sectors: sectors, replication: replication != nil)
        do {
            for (name, header) in zip(Self.tableFiles, headers) {
                tables.append(try CSVFile(directory: directory, name: name, header: header, writeHeader: replication == nil))
            }
        } catch {
            discard()
            throw error
        }
    }

    /// The header of each of `tableFiles`, with a leading `replication` column for an ensemble.
    static func headers(cities: [City], sectors: [String], replication: Bool) -> [[String]] {
        let zones = RegionSummary.zoneOrder(cities.map(\.zone))
        let cores = RunDirectoryWriter.coreMembers(in: cities).map(\.id)
        let lead = replication ? [OutputColumns.replication] : []
        let flows = lead + OutputColumns.flowKeys
        return [
            lead + OutputColumns.cityKeys + OutputColumns.cities(sectors: sectors).map(\.name),
            lead + OutputColumns.regionKeys + OutputColumns.region(coreCities: cores, zones: zones).map(\.name),
            flows, flows, flows,
        ]
    }

    // MARK: - Writing

    /// Writes one tick's rows and returns its numbers. Ticks must come in order.
    func consume(_ record: TickRecord) throws -> TickValues {
        try checkShape(record)
        let figures = CityFigures.all(record, sectorCount: sectors.count, dt: dt)
        let summary = RegionSummary(record: record, cities: cities)
        let values = TickValues(cities: figures.map(\.cells), region: regionNumbers(summary, record: record), summary: summary)
        let year = CSVFormat.year(record.year)
        let lead = replication.map { [String($0)] } ?? []
        for (city, numbers) in zip(cities, values.cities) {
            tables[0].append(text: lead + [year, city.id, city.zone, city.tier.rawValue], numbers: numbers)
        }
        tables[1].append(text: lead + [year], numbers: values.region)
        if let flows = record.flows {
            for (matrix, table) in zip([flows.population, flows.capital, flows.industry], tables[2...]) {
                writeFlows(matrix, to: table, year: year, lead: lead)
            }
        }
        for table in tables { try table.flush() }
        previousGDP = summary.gdp
        previousYear = record.year
        return values
    }

    /// The numeric cells of the region's row (`RegionSummary.cells`), growth since the
    /// previous tick NaN (an empty cell) at the first.
    private func regionNumbers(_ s: RegionSummary, record: TickRecord) -> [Double] {
        var growth = Double.nan
        if let gdp = previousGDP, let then = previousYear {
            growth = RegionSummary.growthRate(from: gdp, to: s.gdp, years: record.year - then)
        }
        return s.cells(record: record, growth: growth, cores: coreIndices)
    }

    /// One row per pair with a positive amount: `[replication,]year,origin,destination,amount`,
    /// the leading cells spelt once per tick and per city.
    private func writeFlows(_ matrix: [Double], to table: CSVFile, year: String, lead: [String]) {
        let n = cities.count
        let prefix = CSVFile.spelled(lead + [year])
        for i in 0..<n {
            for j in 0..<n where j != i && matrix[i * n + j] > 0 {
                table.append(spelled: prefix, spelledIDs[i], spelledIDs[j], number: matrix[i * n + j])
            }
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

    // MARK: - Closing

    /// Writes what is buffered, forces it to disk and closes every file.
    func close() throws {
        for table in tables { try table.close() }
        tables = []
    }

    /// Closes every file without reporting errors, for a run being abandoned.
    func discard() {
        for table in tables { table.discard() }
        tables = []
    }
}
