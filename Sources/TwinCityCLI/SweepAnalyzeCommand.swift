// `twincity sweep analyze DIR`: sensitivity analysis of a finished sweep — Sobol indices with
// bootstrap intervals, Morris statistics, or a grid's table of means.
import ArgumentParser
import Foundation
import TwinCitySweep

/// Prints the analysis a sweep's design supports.
struct SweepAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Sensitivity analysis of a sweep: Sobol indices, Morris statistics or grid means.",
        discussion: """
            sobol: first-order (Saltelli 2010) and total (Jansen) indices of each output, with \
            percentile bootstrap intervals over the N base rows. morris: μ*, μ and σ of the \
            elementary effects, per unit of each parameter's normalised range. grid: the mean \
            of each output at each level of each parameter. random and lhs: mean, standard \
            deviation and range of each output. A point's output is the mean of its finished \
            replications. --robustness (sweeps with levers): per lever combination and output, \
            the distribution over the futures, the regret against the best combination in each \
            future, and with --satisfice the share of futures meeting every condition, ranked. \
            --discover CONDITION: PRIM scenario discovery, the ranges of the uncertainties where \
            CONDITION holds (docs/SWEEPS.md).
            """
    )

    /// The sweep's folder, or its database file.
    @Argument(help: ArgumentHelp("The sweep's --out folder (with sweep.sqlite), or a sweep database file.", valueName: "dir"))
    var directory: String

    /// Bootstrap resamples.
    @Option(help: ArgumentHelp("Bootstrap resamples for Sobol confidence intervals.", valueName: "b"))
    var bootstrap = 1000

    /// Confidence level.
    @Option(help: ArgumentHelp("Confidence level of the Sobol intervals, in (0, 1).", valueName: "level"))
    var confidence = 0.95

    /// Bootstrap seed.
    @Option(help: ArgumentHelp("Seed of the bootstrap. Default: the sweep's seed.", valueName: "n"))
    var seed: UInt64?

    /// Output format.
    @Option(help: ArgumentHelp("table (aligned text), csv (one row per statistic) or json (the csv's rows as objects).", valueName: "format"))
    var format: OutputFormat = .table

    /// Robustness of the lever combinations.
    @Flag(help: "Robustness of each lever combination across the futures: distribution, regret, satisficing.")
    var robustness = false

    /// Satisficing conditions.
    @Option(help: ArgumentHelp("With --robustness: a condition such as \"region.gdp@2035 >= 130000\" (repeatable; all must hold).", valueName: "condition"))
    var satisfice: [String] = []

    /// Outputs for which less is better.
    @Option(help: ArgumentHelp("With --robustness: an output for which less is better, e.g. region.theil@2035 (repeatable; others are maximised).", valueName: "output"))
    var minimize: [String] = []

    /// The condition of scenario discovery.
    @Option(help: ArgumentHelp("PRIM scenario discovery of the futures where the condition holds, e.g. \"region.gdp@2035 < 125000\".", valueName: "condition"))
    var discover: String?

    /// The lever combination of a discovery.
    @Option(help: ArgumentHelp("With --discover on a sweep with levers: the lever combination (as --robustness numbers them).", valueName: "k"))
    var combination: Int?

    /// The box reported by a discovery.
    @Option(help: ArgumentHelp("With --discover: the box of the trajectory to report (default: the last).", valueName: "k"))
    var box: Int?

    func validate() throws {
        if robustness, discover != nil { throw ValidationError("give --robustness or --discover, not both") }
        if !robustness, !satisfice.isEmpty || !minimize.isEmpty { throw ValidationError("--satisfice and --minimize apply to --robustness") }
        if discover == nil, combination != nil || box != nil { throw ValidationError("--combination and --box apply to --discover") }
        if bootstrap < 1 { throw ValidationError("--bootstrap must be at least 1, got \(bootstrap)") }
        if !(confidence > 0 && confidence < 1) { throw ValidationError("--confidence must lie in (0, 1), e.g. 0.95, got \(confidence)") }
    }

    func run() throws {
        if robustness {
            let analysis = try Robustness.analyze(path: try SweepCommand.databasePath(directory), satisfice: satisfice, minimize: minimize)
            let text = format == .table ? SweepExploreReport.table(analysis)
                : try Self.render(SweepExploreReport.records(analysis), as: format, numeric: ["combination", "value", "futures"])
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        if let discover {
            let analysis = try Discovery.analyze(path: try SweepCommand.databasePath(directory), condition: discover, combination: combination, box: box)
            let text = format == .table ? SweepExploreReport.table(analysis)
                : try Self.render(SweepExploreReport.records(analysis), as: format, numeric: ["box", "value"])
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let analysis = try SweepAnalysis.analyze(
            path: try SweepCommand.databasePath(directory), resamples: bootstrap, confidence: confidence, seed: seed)
        let text = format == .table ? Self.table(analysis)
            : try Self.render(Self.records(analysis), as: format, numeric: ["value", "lower", "upper", "count"])
        TerminalText.write(text, to: .standardOutput)
        // In a table the warnings stand under their output; csv and json go to other programs,
        // so their reader is told on standard error.
        if format != .table {
            let warnings = analysis.outputs.compactMap { output in
                analysis.sobolChecks[output.metric].flatMap { Self.wideWarning($0, metric: output.metric, parameters: analysis.definition.parameters.map(\.path)) }
            }
            if !warnings.isEmpty { TerminalText.write(warnings.map { "twincity: " + $0 }.joined(), to: .standardError) }
        }
    }

    /// The Sobol indices of one output from its first N/4, N/2 and N base rows, one row per
    /// parameter, and the warning about wide intervals when there is one.
    static func convergenceTable(_ check: SobolCheck, parameters: [String]) -> String {
        var text = ""
        if check.rows.count >= 2 {
            let counts = check.rows.map(String.init)
            text += "indices from the first " + counts.joined(separator: ", ") + " base rows:\n"
            var table = TextTable(columns: [("parameter", .left)] + counts.map { ("S1 @\($0)", .right) } + counts.map { ("ST @\($0)", .right) })
            for (i, name) in parameters.enumerated() {
                table.rows.append([name] + check.first[i].map(number) + check.total[i].map(number))
            }
            text += table.render()
        }
        if let warning = wideWarning(check, metric: nil, parameters: parameters) { text += warning }
        return text
    }

    /// `warning: …` naming the indices whose intervals are wider than the larger of the
    /// index and 0.1 (`SobolCheck.isWide`), or `nil` when there are none.
    static func wideWarning(_ check: SobolCheck, metric: String?, parameters: [String]) -> String? {
        guard !check.wide.isEmpty, let n = check.rows.last else { return nil }
        let listed = check.wide.map { wide in
            "\(parameters[wide.parameter]) \(wide.index) \(number(wide.interval.estimate)) "
                + "[\(number(wide.interval.lower)), \(number(wide.interval.upper))]"
        }
        return "warning: " + (metric.map { "\($0): " } ?? "")
            + "\(check.wide.count) of \(2 * parameters.count) Sobol intervals are wider than the index (or than \(String(format: "%g", SobolCheck.floor))): "
            + listed.joined(separator: ", ")
            + "; with N = \(n) base rows these indices are not settled — raise [sampler] samples (e.g. to \(4 * n)) and compare the indices from N/4, N/2 and N rows\n"
    }

    /// `records` as CSV or JSON (`RecordText`), the cells of `numeric` columns as JSON numbers.
    static func render(_ records: [[String]], as format: OutputFormat, numeric: Set<String>) throws -> String {
        format == .json ? try RecordText.json(records, numeric: numeric) : RecordText.csv(records)
    }

    /// Four significant digits without an exponent between 10⁻³ and 10⁹ (`130900`,
    /// `0.02084`), with one outside; `–` for a value that is not defined.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        guard value != 0 else { return "0" }
        guard magnitude >= 1e-3, magnitude < 1e9 else { return String(format: "%.3e", value) }
        let decimals = max(0, 3 - Int(Foundation.log10(magnitude).rounded(.down)))
        return String(format: "%.\(decimals)f", value)
    }

    /// Aligned tables, one per output.
    static func table(_ analysis: SweepAnalysis) -> String {
        let parameters = analysis.definition.parameters.map(\.path)
        var text = "Sweep '\(analysis.definition.name)': \(analysis.design)\n"
        text += "Runs recorded: \(analysis.counts.ok) ok, \(analysis.counts.failed) failed, of \(analysis.totalRuns)\n"
        for (metric, section) in analysis.outputs {
            text += "\n"
            switch section {
            case .sobol(let result):
                let level = String(format: "%g", analysis.confidence * 100)
                text += "\(metric): Sobol indices, \(result.rows) base rows, \(level) % bootstrap intervals (\(analysis.resamples) resamples)\n"
                var table = TextTable(columns: [
                    ("parameter", .left), ("S1", .right), ("S1 low", .right), ("S1 high", .right),
                    ("ST", .right), ("ST low", .right), ("ST high", .right),
                ])
                for (i, name) in parameters.enumerated() {
                    let s = result.firstOrder[i], t = result.total[i]
                    table.rows.append([name] + [s.estimate, s.lower, s.upper, t.estimate, t.lower, t.upper].map(number))
                }
                text += table.render()
                if let check = analysis.sobolChecks[metric] { text += convergenceTable(check, parameters: parameters) }
            case .morris(let statistics):
                text += "\(metric): Morris elementary effects (per unit of normalised range)\n"
                var table = TextTable(columns: [("parameter", .left), ("mu*", .right), ("mu", .right), ("sigma", .right), ("effects", .right)])
                for (name, s) in zip(parameters, statistics) {
                    table.rows.append([name, number(s.meanAbsolute), number(s.mean), number(s.standardDeviation), String(s.count)])
                }
                text += table.render()
            case .grid(let levels):
                text += "\(metric): mean at each level of each parameter\n"
                var table = TextTable(columns: [("parameter", .left), ("level", .right), ("mean", .right), ("points", .right)])
                for (name, rows) in zip(parameters, levels) {
                    for level in rows { table.rows.append([name, level.value.label, number(level.mean), String(level.count)]) }
                }
                text += table.render()
            case .summary(let mean, let sd, let minimum, let maximum, let count):
                text += "\(metric): over \(count) points\n"
                var table = TextTable(columns: [("mean", .right), ("sd", .right), ("min", .right), ("max", .right)])
                table.rows.append([mean, sd, minimum, maximum].map(number))
                text += table.render()
            }
        }
        return text
    }

    /// One row per statistic: `output,method,parameter,level,statistic,value,lower,upper,count`.
    static func records(_ analysis: SweepAnalysis) -> [[String]] {
        let parameters = analysis.definition.parameters.map(\.path)
        func cell(_ value: Double) -> String { value.isFinite ? CSVText.number(value) : "" }
        var records: [[String]] = [["output", "method", "parameter", "level", "statistic", "value", "lower", "upper", "count"]]
        for (metric, section) in analysis.outputs {
            switch section {
            case .sobol(let result):
                for (i, name) in parameters.enumerated() {
                    for (statistic, interval) in [("S1", result.firstOrder[i]), ("ST", result.total[i])] {
                        records.append([metric, "sobol", name, "", statistic, cell(interval.estimate), cell(interval.lower), cell(interval.upper), String(result.rows)])
                    }
                }
                // The same indices from the first N/4, N/2 and N base rows: whether they settle.
                if let check = analysis.sobolChecks[metric] {
                    for (i, name) in parameters.enumerated() {
                        for (statistic, values) in [("S1", check.first[i]), ("ST", check.total[i])] {
                            for (rows, value) in zip(check.rows, values) {
                                records.append([metric, "sobol_convergence", name, "", statistic, cell(value), "", "", String(rows)])
                            }
                        }
                    }
                }
            case .morris(let statistics):
                for (name, s) in zip(parameters, statistics) {
                    for (statistic, value) in [("mu_star", s.meanAbsolute), ("mu", s.mean), ("sigma", s.standardDeviation)] {
                        records.append([metric, "morris", name, "", statistic, cell(value), "", "", String(s.count)])
                    }
                }
            case .grid(let levels):
                for (name, rows) in zip(parameters, levels) {
                    for level in rows {
                        records.append([metric, "grid", name, level.value.label, "mean", cell(level.mean), "", "", String(level.count)])
                    }
                }
            case .summary(let mean, let sd, let minimum, let maximum, let count):
                for (statistic, value) in [("mean", mean), ("sd", sd), ("min", minimum), ("max", maximum)] {
                    records.append([metric, analysis.definition.sampler.kind.rawValue, "", "", statistic, cell(value), "", "", String(count)])
                }
            }
        }
        return records
    }
}
