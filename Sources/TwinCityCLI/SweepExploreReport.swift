// Tables of `twincity sweep analyze --robustness` and `--discover`: the ranked robustness of
// the lever combinations, and PRIM's trajectory and box.
import Foundation
import TwinCitySweep

/// Text and CSV of the exploratory analyses.
enum SweepExploreReport {
    private static func number(_ value: Double) -> String { SweepAnalyzeCommand.number(value) }
    private static func cell(_ value: Double) -> String { value.isFinite ? CSVText.number(value) : "" }

    // MARK: - Robustness

    /// One ranked table per outcome, then the satisficing table.
    static func table(_ analysis: Robustness.Analysis) -> String {
        let combos = analysis.combinations
        var text = "Sweep '\(analysis.definition.name)': \(combos.count) lever combinations × \(analysis.futures) futures (common random numbers)\n"
        text += "Runs recorded: \(analysis.counts.ok) ok, \(analysis.counts.failed) failed, of \(analysis.totalRuns)\n"
        text += "\nLever combinations:\n"
        var legend = TextTable(columns: [("combination", .right)] + combos.levers.map { ($0.name, .left) })
        for c in 0..<combos.count { legend.rows.append([String(c)] + combos.values(c).map(\.label)) }
        text += legend.render()
        for outcome in analysis.outcomes {
            let direction = outcome.maximize ? "more is better" : "less is better"
            text += "\n\(outcome.metric) (\(direction)): ranked by maximum regret over \(outcome.regretFutures.count) futures\n"
            var table = TextTable(columns: [
                ("rank", .right), ("combination", .right), ("mean", .right), ("p05", .right), ("p50", .right), ("p95", .right),
                ("max regret", .right), ("p90 regret", .right), ("futures", .right),
            ])
            for (rank, row) in outcome.rows.enumerated() {
                table.rows.append([String(rank + 1), String(row.combination)]
                    + [row.mean, row.p05, row.p50, row.p95, row.maxRegret, row.p90Regret].map(number) + [String(row.futures)])
            }
            text += table.render()
        }
        if !analysis.conditions.isEmpty {
            text += "\nShare of futures meeting " + analysis.conditions.map { "'\($0.text)'" }.joined(separator: " and ") + ":\n"
            var table = TextTable(columns: [("rank", .right), ("combination", .right), ("share", .right), ("met", .right), ("futures", .right), ("levers", .left)])
            for (rank, row) in analysis.satisficing.enumerated() {
                table.rows.append([String(rank + 1), String(row.combination), number(row.share), String(row.met), String(row.futures), combos.label(row.combination)])
            }
            text += table.render()
        }
        return text
    }

    /// `output,combination,levers,statistic,value,futures`: one row per statistic, in rank order.
    static func records(_ analysis: Robustness.Analysis) -> [[String]] {
        var records: [[String]] = [["output", "combination", "levers", "statistic", "value", "futures"]]
        for outcome in analysis.outcomes {
            for row in outcome.rows {
                let label = analysis.combinations.label(row.combination)
                for (name, value) in [("mean", row.mean), ("p05", row.p05), ("p50", row.p50), ("p95", row.p95), ("max_regret", row.maxRegret), ("p90_regret", row.p90Regret)] {
                    records.append([outcome.metric, String(row.combination), label, name, cell(value), String(row.futures)])
                }
            }
        }
        if !analysis.conditions.isEmpty {
            let name = analysis.conditions.map(\.text).joined(separator: " and ")
            for row in analysis.satisficing {
                records.append([name, String(row.combination), analysis.combinations.label(row.combination), "satisficing_share", cell(row.share), String(row.futures)])
            }
        }
        return records
    }

    // MARK: - Discovery

    /// The trajectory, the chosen box with its quasi-p-values, and the restricted box.
    static func table(_ analysis: Discovery.Analysis) -> String {
        let result = analysis.result
        var text = "Sweep '\(analysis.definition.name)': PRIM for '\(analysis.condition.text)'"
        if let c = analysis.combination, let label = analysis.combinationLabel { text += " under lever combination \(c) (\(label))" }
        text += "\n\(result.cases) cases, \(result.interesting) of interest"
        if analysis.undefined > 0 { text += ", \(analysis.undefined) left out (output not defined)" }
        text += "; dimensions: " + analysis.dimensions.joined(separator: ", ")
        if !analysis.skipped.isEmpty { text += " (not numeric, left out: " + analysis.skipped.joined(separator: ", ") + ")" }
        text += "\n\nPeeling and pasting trajectory (coverage–density trade-off):\n"
        var trajectory = TextTable(columns: [("box", .right), ("phase", .left), ("coverage", .right), ("density", .right), ("mass", .right), ("cases", .right), ("restricted", .right)])
        for (i, step) in result.trajectory.enumerated() {
            trajectory.rows.append([String(i), step.phase.rawValue, number(step.coverage), number(step.density), number(step.mass), String(step.cases.count), String(step.restricted.count)])
        }
        text += trajectory.render()
        let step = result.trajectory[analysis.chosen]
        text += "\nBox \(analysis.chosen): coverage \(number(step.coverage)), density \(number(step.density)), mass \(number(step.mass))\n"
        text += limits(step, analysis: analysis)
        let levelText = String(format: "%g", analysis.significance)
        if analysis.kept.isEmpty {
            text += "\nNo limit of box \(analysis.chosen) has a quasi-p-value below \(levelText).\n"
        } else {
            let r = analysis.restricted
            text += "\nRestricted to the uncertainties with a limit of quasi-p-value below \(levelText) ("
                + analysis.kept.map { analysis.dimensions[$0] }.joined(separator: ", ")
                + "): coverage \(number(r.coverage)), density \(number(r.density)), mass \(number(r.mass))\n"
            text += limits(r, analysis: analysis)
        }
        return text
    }

    /// The limits of `step`'s restricted dimensions with the full ranges and quasi-p-values.
    private static func limits(_ step: PRIM.Step, analysis: Discovery.Analysis) -> String {
        guard !step.restricted.isEmpty else { return "(no dimension restricted: the box holds every case)\n" }
        var table = TextTable(columns: [("uncertainty", .left), ("lower", .right), ("upper", .right), ("min", .right), ("max", .right), ("qp lower", .right), ("qp upper", .right)])
        let initial = analysis.result.initial
        for j in step.restricted {
            let qp = step.quasiP[j]
            table.rows.append([analysis.dimensions[j], number(step.box.lower[j]), number(step.box.upper[j]),
                               number(initial.lower[j]), number(initial.upper[j]),
                               qp.lower.map(pValue) ?? "–", qp.upper.map(pValue) ?? "–"])
        }
        return table.render()
    }

    /// A p-value: three significant digits, with an exponent below 10⁻³.
    private static func pValue(_ p: Double) -> String {
        p < 1e-3 ? String(format: "%.2e", p) : String(format: "%.3f", p)
    }

    /// `section,box,phase,uncertainty,statistic,value`: the trajectory, then the chosen and
    /// restricted boxes' limits.
    static func records(_ analysis: Discovery.Analysis) -> [[String]] {
        var records: [[String]] = [["section", "box", "phase", "uncertainty", "statistic", "value"]]
        for (i, step) in analysis.result.trajectory.enumerated() {
            for (name, value) in [("coverage", step.coverage), ("density", step.density), ("mass", step.mass), ("restricted", Double(step.restricted.count))] {
                records.append(["trajectory", String(i), step.phase.rawValue, "", name, cell(value)])
            }
        }
        for (section, step) in [("box", analysis.result.trajectory[analysis.chosen]), ("restricted", analysis.restricted)] {
            for j in step.restricted {
                let qp = step.quasiP[j]
                for (name, value) in [("lower", step.box.lower[j]), ("upper", step.box.upper[j]), ("qp_lower", qp.lower ?? .nan), ("qp_upper", qp.upper ?? .nan)] {
                    records.append([section, String(analysis.chosen), "", analysis.dimensions[j], name, cell(value)])
                }
            }
        }
        return records
    }
}
