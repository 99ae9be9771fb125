// `twincity compare` on two ensembles: the paired effect B − A, replication by replication,
// as a table, CSV or JSON (docs/OUTPUTS.md, "Comparing runs").
import Foundation
import TwinCityScenario

extension CompareCommand {
    /// The whole paired output as text, so that nothing is written if rendering fails.
    static func renderPaired(_ comparison: PairedComparison, as format: OutputFormat) throws -> String {
        switch format {
        case .table: return pairedTable(comparison)
        case .csv: return pairedCSV(comparison)
        case .json: return try pairedJSON(comparison)
        }
    }

    /// What was paired, in one line per run and one for the pairing.
    static func pairingNote(_ comparison: PairedComparison) -> String {
        let (a, b) = (comparison.drawsA, comparison.drawsB)
        var text = "paired by replication: \(comparison.pairs) pair\(comparison.pairs == 1 ? "" : "s"), "
            + "replication k of A and of B drawn from the same seed (stream k of master seed \(a.masterSeed)), "
            + "so both met the same productivity shocks"
        if a.seeds.count != comparison.pairs || b.seeds.count != comparison.pairs {
            text += "; only replications 0–\(comparison.pairs - 1) are in both (A has \(a.seeds.count), B \(b.seeds.count))"
        }
        return text + "\n"
    }

    /// One aligned table per section: mean of A and of B, the mean effect B−A with its
    /// confidence interval, the mean effect relative to mean A, and the share of pairs
    /// agreeing on the mean's sign.
    static func pairedTable(_ comparison: PairedComparison) -> String {
        let year = RunSummary.year(comparison.year)
        let level = String(format: "%g", 100 * comparison.confidence)
        var text = "A: \(comparison.runA) (ensemble, \(comparison.drawsA.seeds.count) replications of master seed \(comparison.drawsA.masterSeed))\n"
            + "B: \(comparison.runB) (ensemble, \(comparison.drawsB.seeds.count) replications of master seed \(comparison.drawsB.masterSeed))\n"
            + "year: \(year)\n" + pairingNote(comparison)
            + "B−A: mean over the pairs with its \(level) % confidence interval (Student t, \(comparison.pairs - 1) degrees of freedom); "
            + "same sign: share of pairs whose B−A has the mean's sign\n"
        let headings: [RunComparison.Row.Section: String] = [
            .region: "region", .cities: "cities", .fiscal: "city governments",
        ]
        for section in RunComparison.Row.Section.allCases {
            let rows = comparison.rows.filter { $0.section == section }
            guard !rows.isEmpty else { continue }
            var table = TextTable(columns: [
                (headings[section] ?? section.rawValue, .left), ("mean A", .right), ("mean B", .right),
                ("B−A", .right), ("\(level) % interval", .right), ("(B−A)/A %", .right), ("same sign", .right),
            ])
            for row in rows {
                let label = row.city.map { "\($0) \(row.label)" } ?? row.label
                let interval = row.interval.map { "[\(number($0.lower)), \(number($0.upper))]" } ?? "n/a"
                table.rows.append([
                    label, number(row.meanA), number(row.meanB), number(row.meanDifference), interval,
                    row.percent.map { String(format: "%+.3f", $0) } ?? "n/a",
                    String(format: "%.0f %%", 100 * row.sameSignShare),
                ])
            }
            text += "\n" + table.render()
        }
        return text
    }

    /// `section,city,column,year,pairs,mean_a,mean_b,mean_difference,lower,upper,percent,same_sign_share`,
    /// numbers written exactly; `lower` and `upper` empty for one pair, `percent` where mean A is 0.
    static func pairedCSV(_ comparison: PairedComparison) -> String {
        var text = CSVText.record([
            "section", "city", "column", "year", "pairs", "mean_a", "mean_b", "mean_difference", "lower", "upper",
            "percent", "same_sign_share",
        ])
        for row in comparison.rows {
            text += CSVText.record([
                row.section.rawValue, row.city ?? "", row.column, CSVText.number(comparison.year), String(row.count),
                CSVText.number(row.meanA), CSVText.number(row.meanB), CSVText.number(row.meanDifference),
                row.interval.map { CSVText.number($0.lower) } ?? "", row.interval.map { CSVText.number($0.upper) } ?? "",
                row.percent.map(CSVText.number) ?? "", CSVText.number(row.sameSignShare),
            ])
        }
        return text
    }

    /// A pretty-printed JSON object: `run_a`, `run_b`, `year`, `pairs`, `seed` (the master seed
    /// both share), `confidence` and `rows` with the CSV's fields (absent where they do not apply).
    static func pairedJSON(_ comparison: PairedComparison) throws -> String {
        struct Row: Encodable {
            let section: String, city: String?, column: String, pairs: Int, mean_a: Double, mean_b: Double
            let mean_difference: Double, lower: Double?, upper: Double?, percent: Double?, same_sign_share: Double
        }
        struct Document: Encodable {
            let run_a: String, run_b: String, year: Double, pairs: Int, seed: UInt64, confidence: Double, rows: [Row]
        }
        let document = Document(
            run_a: comparison.runA, run_b: comparison.runB, year: comparison.year, pairs: comparison.pairs,
            seed: comparison.drawsA.masterSeed, confidence: comparison.confidence,
            rows: comparison.rows.map {
                Row(section: $0.section.rawValue, city: $0.city, column: $0.column, pairs: $0.count, mean_a: $0.meanA,
                    mean_b: $0.meanB, mean_difference: $0.meanDifference, lower: $0.interval?.lower,
                    upper: $0.interval?.upper, percent: $0.percent, same_sign_share: $0.sameSignShare)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
