// The short report `twincity run` prints when a run is complete: the region at the first and
// last year, the fastest-growing cities, and where the files are.
import Foundation
import TwinCityExport

/// What the end-of-run report needs from the first and last recorded years; everything else
/// of the run is in its files.
struct RunSummary {
    /// One recorded year.
    struct Year {
        /// Model year.
        let year: Double
        /// The region in that year.
        let region: RegionSummary
        /// Each city's GDP at constant 2020 prices, 亿元 per year, in roster order.
        let cityGDP: [Double]
    }

    /// The scenario's name.
    let scenario: String
    /// City ids, in roster order.
    let cityIDs: [String]
    /// Chengdu and Chongqing, each with the positions of the cities it covers
    /// (`RunDirectoryWriter.coreMembers`).
    let cores: [(id: String, indices: [Int])]
    /// The first recorded year (the base year).
    let first: Year
    /// The last recorded year.
    let last: Year
    /// Master seed of the run.
    let seed: UInt64
    /// Standard deviation of the yearly productivity shock, `model.productivity_shock_sd`
    /// (dimensionless, on ln Abar): 0 makes the run deterministic.
    let shockSD: Double
    /// Seconds the run took.
    let wallTime: Double
    /// The run directory, as given or defaulted.
    let directory: String

    /// How many cities the growth ranking shows.
    static let rankedCities = 5

    /// The report, ending in a newline.
    func render() -> String {
        let years = last.year - first.year
        var text = "Run '\(scenario)': \(Self.year(first.year))–\(Self.year(last.year)), seed \(seed), "
            + String(format: "%.1f s", wallTime) + "\n" + drawNote() + "\n"

        var region = TextTable(columns: [("region", .left), (Self.year(first.year), .right), (Self.year(last.year), .right)])
        func add(_ label: String, _ value: (RegionSummary) -> Double, _ format: String) {
            region.rows.append([label, String(format: format, value(first.region)), String(format: format, value(last.region))])
        }
        add("GDP (亿元, 2020 prices)", \.gdp, "%.1f")
        add("population (万人)", \.population, "%.2f")
        // A core that is a group of cities (Chongqing's parts) shows the sum of its members.
        for (id, label) in [("chengdu", "Chengdu GDP share"), ("chongqing", "Chongqing GDP share")] {
            guard let members = cores.first(where: { $0.id == id })?.indices else { continue }
            add(label, { region in members.reduce(0.0) { $0 + region.gdpShares[$1] } }, "%.4f")
        }
        add("Theil index, GDP per capita", \.theil, "%.5f")
        text += region.render()

        if years > 0 {
            let growth = cityIDs.indices.map {
                RegionSummary.growthRate(from: first.cityGDP[$0], to: last.cityGDP[$0], years: years)
            }
            let ranked = cityIDs.indices.sorted { growth[$0] > growth[$1] }.prefix(Self.rankedCities)
            var cities = TextTable(columns: [
                ("fastest GDP growth", .left), ("GDP \(Self.year(first.year)) (亿元)", .right),
                ("GDP \(Self.year(last.year)) (亿元)", .right), ("growth (%/yr)", .right),
            ])
            for i in ranked {
                cities.rows.append([
                    cityIDs[i], String(format: "%.1f", first.cityGDP[i]), String(format: "%.1f", last.cityGDP[i]),
                    String(format: "%.2f", 100 * growth[i]),
                ])
            }
            text += "\n" + cities.render()
        }

        text += "\nOutput written to \(directory)\n"
        for file in RunDirectoryWriter.files { text += "  \(file.name)\n" }
        return text
    }

    /// Whether the figures are one random draw: with productivity shocks, another seed gives
    /// other figures, and an ensemble gives their mean and band.
    func drawNote() -> String {
        guard shockSD > 0 else {
            return "Productivity shocks are off (model.productivity_shock_sd = 0): the figures do not depend on the seed.\n"
        }
        return "One random draw of the productivity shocks (model.productivity_shock_sd = \(String(format: "%g", shockSD))): "
            + "another seed gives other figures; --replications N gives their mean and 5–95 % band.\n"
    }

    /// A model year as a reader expects it: `2035`, or `12.5` for a fractional one.
    static func year(_ value: Double) -> String {
        let rounded = (value * 1e9).rounded() / 1e9
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%g", rounded)
    }
}
