// The short report `twincity run` prints when an ensemble is complete: the region at the first
// and last year as mean and 5–95 % range across replications, and where the files are.
import Foundation
import TwinCityExport
import TwinCityModel

/// What the end-of-ensemble report needs: each replication's first and last recorded years.
struct EnsembleSummary {
    /// The scenario's name.
    let scenario: String
    /// City ids, in roster order.
    let cityIDs: [String]
    /// Chengdu and Chongqing, each with the positions of the cities it covers
    /// (`RunDirectoryWriter.coreMembers`).
    let cores: [(id: String, indices: [Int])]
    /// Each replication's first and last recorded years, in replication order.
    let replications: [(first: RunSummary.Year, last: RunSummary.Year)]
    /// Master seed of the ensemble.
    let seed: UInt64
    /// Replications that ran at once.
    let jobs: Int
    /// Seconds the ensemble took.
    let wallTime: Double
    /// The run directory, as given or defaulted.
    let directory: String

    /// The report, ending in a newline.
    func render() -> String {
        guard let sample = replications.first else { return "" }
        let firstYear = RunSummary.year(sample.first.year), lastYear = RunSummary.year(sample.last.year)
        var text = "Ensemble '\(scenario)': \(firstYear)–\(lastYear), \(replications.count) replications of master seed \(seed), "
            + "\(jobs) at a time, " + String(format: "%.1f s", wallTime) + "\n\n"

        var region = TextTable(columns: [
            ("region: mean [5%, 95%]", .left), (firstYear, .right), (lastYear, .right),
        ])
        func add(_ label: String, _ value: (RegionSummary) -> Double, _ format: String) {
            let cells = [replications.map { value($0.first.region) }, replications.map { value($0.last.region) }].map { values in
                guard values.allSatisfy(\.isFinite) else { return "n/a" }
                let summary = ReplicationSummary(values)
                return String(format: "\(format) [\(format), \(format)]", summary.mean, summary.p05, summary.p95)
            }
            region.rows.append([label] + cells)
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

        text += "\nOutput written to \(directory)\n"
        for file in RunDirectoryWriter.ensembleFiles { text += "  \(file.name)\n" }
        return text
    }
}
