// `twincity compare`: what a policy changed, read off two run directories at one year.
import ArgumentParser
import Foundation
import TwinCityScenario

/// Prints the differences between two runs at one year: region GDP, population, inequality
/// and the cores' shares, then each city's population and GDP, then each government's tax
/// revenue, transfers and fiscal balance.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two run directories at one year.",
        discussion: """
            Reads region.csv and cities.csv of both runs (docs/OUTPUTS.md) and prints, for each \
            quantity, its value in A and in B, B−A and (B−A)/A in percent. A is the reference \
            (usually the baseline), B the scenario compared with it. The table ends with the \
            equivalent variation of B against A over all years both record, by city and for the \
            region, with its parts (docs/MODEL.md §4.1). Exit status: 0 on success, \
            2 when a directory, file, column or year is missing.
            """
    )

    /// The reference run.
    @Argument(help: ArgumentHelp("Reference run directory (e.g. runs/baseline).", valueName: "run-a"))
    var runA: String

    /// The run compared with it.
    @Argument(help: ArgumentHelp("Run directory compared with it (e.g. runs/decision-2020).", valueName: "run-b"))
    var runB: String

    /// The year compared; `nil` means the last year both runs record.
    @Option(help: ArgumentHelp("Year to compare. Default: the last year recorded in both runs.", valueName: "y"))
    var year: Double?

    /// How the comparison is written.
    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        // Ensembles are paired by replication seed; anything that cannot be paired is refused
        // before a table is read.
        if let drawsA = RunDraws.read(runA), let drawsB = RunDraws.read(runB),
           case .paired(let pairs) = try RunDraws.pairing(drawsA, drawsB) {
            let comparison = try PairedComparison.compare(drawsA, drawsB, pairs: pairs, year: year)
            TerminalText.write(try Self.renderPaired(comparison, as: format), to: .standardOutput)
            return
        }
        let comparison = try RunComparison.compare(runA, runB, year: year)
        var output = try Self.render(comparison, as: format)
        if format == .table { output += Self.welfareTable(try WelfareComparison.compare(runA, runB)) }
        TerminalText.write(output, to: .standardOutput)
    }

    /// The whole output as text, so that nothing is written if rendering fails.
    static func render(_ comparison: RunComparison, as format: OutputFormat) throws -> String {
        switch format {
        case .table: return table(comparison)
        case .csv: return csv(comparison)
        case .json: return try json(comparison)
        }
    }

    /// One aligned table per section, numbers to six significant digits, percentages to three
    /// decimals; `n/a` where A is 0 and the relative change is not defined.
    static func table(_ comparison: RunComparison) -> String {
        let year = RunSummary.year(comparison.year)
        var text = "A: \(comparison.runA)\nB: \(comparison.runB)\nyear: \(year)\n"
        let headings: [RunComparison.Row.Section: String] = [
            .region: "region", .cities: "cities", .fiscal: "city governments",
        ]
        for section in RunComparison.Row.Section.allCases {
            let rows = comparison.rows.filter { $0.section == section }
            guard !rows.isEmpty else { continue }
            var table = TextTable(columns: [
                (headings[section] ?? section.rawValue, .left), ("A", .right), ("B", .right),
                ("B−A", .right), ("(B−A)/A %", .right),
            ])
            for row in rows {
                let label = row.city.map { "\($0) \(row.label)" } ?? row.label
                table.rows.append([
                    label, number(row.a), number(row.b), number(row.difference),
                    row.percent.map { String(format: "%+.3f", $0) } ?? "n/a",
                ])
            }
            text += "\n" + table.render()
        }
        return text
    }

    /// `section,city,column,year,a,b,difference,percent`, numbers written exactly (the fewest
    /// digits that read back as the same value); `percent` empty where A is 0.
    static func csv(_ comparison: RunComparison) -> String {
        var text = CSVText.record(["section", "city", "column", "year", "a", "b", "difference", "percent"])
        for row in comparison.rows {
            text += CSVText.record([
                row.section.rawValue, row.city ?? "", row.column, CSVText.number(comparison.year),
                CSVText.number(row.a), CSVText.number(row.b), CSVText.number(row.difference),
                row.percent.map(CSVText.number) ?? "",
            ])
        }
        return text
    }

    /// A pretty-printed JSON object: `run_a`, `run_b`, `year` and `rows`, one object per row
    /// with the CSV's fields (`city` and `percent` absent where they do not apply).
    static func json(_ comparison: RunComparison) throws -> String {
        struct Row: Encodable {
            let section: String, city: String?, column: String, a: Double, b: Double, difference: Double, percent: Double?
        }
        struct Document: Encodable {
            let run_a: String, run_b: String, year: Double, rows: [Row]
        }
        let document = Document(
            run_a: comparison.runA, run_b: comparison.runB, year: comparison.year,
            rows: comparison.rows.map {
                Row(section: $0.section.rawValue, city: $0.city, column: $0.column, a: $0.a, b: $0.b,
                    difference: $0.difference, percent: $0.percent)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// Six significant digits, so a GDP of 80 000 亿元 keeps its first decimal and a share its
    /// sixth.
    static func number(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
