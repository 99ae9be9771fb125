// The outputs a sweep records: a column of region.csv or cities.csv (docs/OUTPUTS.md) at one
// year, computed in-process from the run's ticks with the export layer's figures.
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// A syntax error in an output name.
public struct OutputMetricSyntaxError: Error, Sendable {
    /// What is wrong, as a sentence fragment.
    public var message: String
}

/// One recorded output: `region.<column>@<year>` or `city.<id>.<column>@<year>`, the column
/// named as in region.csv or cities.csv (docs/OUTPUTS.md), in that column's unit.
public struct OutputMetric: Sendable, Hashable {
    /// Whose figure it is.
    public enum Scope: Sendable, Hashable {
        /// The whole region (region.csv).
        case region
        /// One city of the roster, by id (cities.csv).
        case city(String)
    }

    /// The name as written in the sweep file, e.g. `region.theil@2035`.
    public var name: String
    /// The region or a city.
    public var scope: Scope
    /// The column as written (`theil` is accepted for `theil_gdp_per_capita`, `cv` for
    /// `cv_gdp_per_capita`).
    public var column: String
    /// The recorded year whose value is taken, in years.
    public var year: Double

    /// Short names accepted for region.csv columns.
    public static let regionAliases = ["theil": "theil_gdp_per_capita", "cv": "cv_gdp_per_capita"]

    /// Parses `region.gdp@2035` or `city.chengdu.population@2035`.
    ///
    /// - Throws: `OutputMetricSyntaxError` saying what the name should look like.
    public init(parsing text: String) throws(OutputMetricSyntaxError) {
        let example = "expected region.<column>@<year> or city.<id>.<column>@<year>, e.g. region.gdp@2035 or city.chengdu.population@2035"
        let halves = text.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else {
            throw OutputMetricSyntaxError(message: "'\(text)': \(example)")
        }
        guard let year = Double(halves[1]), year.isFinite else {
            throw OutputMetricSyntaxError(message: "'\(text)': the year after '@' must be a number, found '\(halves[1])'")
        }
        let parts = halves[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "region" where parts.count == 2 && !parts[1].isEmpty:
            self.init(name: text, scope: .region, column: parts[1], year: year)
        case "city" where parts.count == 3 && !parts[1].isEmpty && !parts[2].isEmpty:
            self.init(name: text, scope: .city(parts[1]), column: parts[2], year: year)
        default:
            throw OutputMetricSyntaxError(message: "'\(text)': \(example)")
        }
    }

    /// An output from its parts.
    public init(name: String, scope: Scope, column: String, year: Double) {
        self.name = name
        self.scope = scope
        self.column = column
        self.year = year
    }
}

/// What a run's outputs are computed from: the roster's cities (ids and zones), the sectors
/// and the recorded years.
public struct OutputContext: Sendable {
    /// The roster's cities, in roster order.
    public var cities: [City]
    /// Sector ids, in the order of the simulation's arrays.
    public var sectors: [String]
    /// Tick length, years.
    public var dt: Double

    /// A context for a roster, its sectors and tick length (years).
    public init(cities: [City], sectors: [String], dt: Double) {
        self.cities = cities
        self.sectors = sectors
        self.dt = dt
    }

    /// Zones in order of first appearance in the roster.
    var zones: [String] { RegionSummary.zoneOrder(cities.map(\.zone)) }

    /// Cities with share columns in region.csv.
    var coreCities: [(id: String, indices: [Int])] {
        RunDirectoryWriter.coreMembers(in: cities)
    }
}

/// The value of one region.csv column for a tick; `growth` is the compound growth of region
/// GDP since the previous recorded year, per year (`nil` at the first year).
typealias RegionColumn = @Sendable (_ summary: RegionSummary, _ record: TickRecord, _ growth: Double?) -> Double?
/// The value of one cities.csv column for a city's figures.
typealias CityColumn = @Sendable (CityFigures) -> Double

/// How each output of a sweep is computed from a run's ticks.
struct OutputExtractor: Sendable {
    enum Source: Sendable {
        case region(RegionColumn)
        case city(index: Int, CityColumn)
    }

    let metric: OutputMetric
    let source: Source

    // MARK: - Columns

    /// Every numeric column of region.csv, by name, as in docs/OUTPUTS.md: the names of the
    /// export's catalogue with the cells the export writes (`RegionSummary.cells`), so a
    /// sweep's output is the file's number bit for bit.
    static func regionColumns(_ context: OutputContext) -> [(String, RegionColumn)] {
        let cores = context.coreCities
        let names = OutputColumns.region(coreCities: cores.map(\.id), zones: context.zones).map(\.name)
        return names.enumerated().map { k, name in
            (name, { summary, record, growth in summary.cells(record: record, growth: growth ?? .nan, cores: cores)[k] })
        }
    }

    /// Every numeric column of cities.csv, by name, as in docs/OUTPUTS.md: the catalogue's
    /// names with the cells the export writes (`CityFigures.cells`).
    static func cityColumns(_ context: OutputContext) -> [(String, CityColumn)] {
        OutputColumns.cities(sectors: context.sectors).map(\.name).enumerated().map { k, name in
            (name, { $0.cells[k] })
        }
    }

    // MARK: - Resolving

    /// The extractor of `metric`, or a message naming what is unknown with the nearest valid
    /// name.
    static func resolve(_ metric: OutputMetric, in context: OutputContext) -> Result<OutputExtractor, OutputMetricSyntaxError> {
        switch metric.scope {
        case .region:
            let columns = regionColumns(context)
            let column = OutputMetric.regionAliases[metric.column] ?? metric.column
            guard let found = columns.first(where: { $0.0 == column }) else {
                let names = columns.map(\.0) + OutputMetric.regionAliases.keys.sorted()
                return .failure(OutputMetricSyntaxError(message:
                    "'\(metric.name)': unknown region column '\(metric.column)'" + Spelling.suggestion(for: metric.column, among: names)
                    + " (the columns of region.csv, docs/OUTPUTS.md)"))
            }
            return .success(OutputExtractor(metric: metric, source: .region(found.1)))
        case .city(let id):
            guard let index = context.cities.firstIndex(where: { $0.id == id }) else {
                return .failure(OutputMetricSyntaxError(message:
                    "'\(metric.name)': unknown city '\(id)'" + Spelling.suggestion(for: id, among: context.cities.map(\.id))
                    + " (the ids of the base scenario's roster)"))
            }
            let columns = cityColumns(context)
            guard let found = columns.first(where: { $0.0 == metric.column }) else {
                return .failure(OutputMetricSyntaxError(message:
                    "'\(metric.name)': unknown city column '\(metric.column)'" + Spelling.suggestion(for: metric.column, among: columns.map(\.0))
                    + " (the numeric columns of cities.csv, docs/OUTPUTS.md)"))
            }
            return .success(OutputExtractor(metric: metric, source: .city(index: index, found.1)))
        }
    }
}

/// Collects a run's outputs from its ticks as they are produced, holding only the values
/// asked for and the previous tick's region GDP.
final class OutputCollector {
    private let extractors: [OutputExtractor]
    private let context: OutputContext
    private var previous: (year: Double, gdp: Double)?
    /// The value of each output, in the order of the extractors; `nil` until its year is
    /// recorded, and for a value that is not defined (growth in the first year, a non-finite
    /// figure).
    private(set) var values: [Double?]

    init(extractors: [OutputExtractor], context: OutputContext) {
        self.extractors = extractors
        self.context = context
        values = Array(repeating: nil, count: extractors.count)
    }

    /// True when two years are the same recorded year (years are `start + k·dt`, which
    /// carries binary rounding).
    static func sameYear(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-6 * max(1, abs(a))
    }

    /// Takes the outputs whose year is this tick's.
    func observe(_ record: TickRecord) {
        let gdp = record.realGDP.reduce(0, +)
        defer { previous = (record.year, gdp) }
        let due = extractors.indices.filter { Self.sameYear(extractors[$0].metric.year, record.year) }
        guard !due.isEmpty else { return }
        var summary: RegionSummary?
        var figures: [CityFigures]?
        for k in due {
            let value: Double?
            switch extractors[k].source {
            case .region(let column):
                if summary == nil { summary = RegionSummary(record: record, cities: context.cities) }
                let growth = previous.map { RegionSummary.growthRate(from: $0.gdp, to: summary!.gdp, years: record.year - $0.year) }
                value = column(summary!, record, growth)
            case .city(let index, let column):
                if figures == nil { figures = CityFigures.all(record, sectorCount: context.sectors.count, dt: context.dt) }
                value = column(figures![index])
            }
            values[k] = value.flatMap { $0.isFinite ? $0 : nil }
        }
    }
}
