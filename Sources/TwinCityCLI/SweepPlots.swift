// `twincity plot SWEEP_DIR`: the pictures of a sweep's analyses — Sobol bars and convergence,
// Morris μ*–σ, outcomes by lever combination, regret box plots, PRIM's trade-off and box —
// written into SWEEP_DIR/plots (docs/SWEEPS.md, "Pictures").
import Foundation
import TwinCityPlot
import TwinCitySweep

/// Draws every chart a sweep's design supports.
enum SweepPlots {
    /// True when `path` is a sweep folder (holding sweep.sqlite) or a sweep database.
    static func isSweep(_ path: String) -> Bool {
        if path.hasSuffix(".sqlite") { return true }
        return FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent(SweepDatabase.fileName).path)
    }

    /// File-name form of an output: `region.gdp@2035` → `region.gdp-2035`.
    static func slug(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "-" })
    }

    /// Draws the charts into `folder`; returns the files written, in order.
    static func draw(
        sweep path: String, into folder: URL, format: PlotFormat, discover: String?, combination: Int?, minimize: [String]
    ) throws -> [URL] {
        let database = try SweepCommand.databasePath(path)
        var charts: [(String, any GnuplotChart)] = []
        let analysis = try SweepAnalysis.analyze(path: database, resamples: 500, confidence: 0.95, seed: nil)
        let definition = analysis.definition
        let parameters = definition.parameters.map(\.path)
        if definition.levers.isEmpty {
            for (metric, section) in analysis.outputs {
                switch section {
                case .sobol(let result):
                    let bars = parameters.indices.map { i in
                        SobolBarChart.Bar(parameter: parameters[i],
                            first: (result.firstOrder[i].estimate, result.firstOrder[i].lower, result.firstOrder[i].upper),
                            total: (result.total[i].estimate, result.total[i].lower, result.total[i].upper))
                    }
                    charts.append(("sobol-\(slug(metric))", SobolBarChart(
                        title: "Sobol indices of \(metric), N = \(result.rows) base rows", bars: bars, confidence: 0.95)))
                    let convergence = try SweepConvergence.sobol(database: database, metric: metric)
                    if convergence.rows.count >= 2 {
                        charts.append(("sobol-convergence-\(slug(metric))", SobolConvergenceChart(
                            title: "Convergence of the Sobol indices of \(metric)", rows: convergence.rows, parameters: parameters,
                            first: convergence.first, total: convergence.total)))
                    }
                case .morris(let statistics):
                    charts.append(("morris-\(slug(metric))", MorrisScatterChart(
                        title: "Morris screening of \(metric), \(statistics.first?.count ?? 0) trajectories", unit: "",
                        points: zip(parameters, statistics).map { ($0, $1.meanAbsolute, $1.standardDeviation) })))
                default:
                    break
                }
            }
        } else {
            let robustness = try Robustness.analyze(path: database, satisfice: [], minimize: minimize)
            let combos = robustness.combinations
            let legend = "levers " + combos.levers.map(\.name).joined(separator: "/")
            let outputs = definition.outputs
            for (a, b) in zip(outputs, outputs.dropFirst()) {
                let groups = (0..<combos.count).map { c in
                    (label: "\(c): \(combos.shortLabel(c))", points: (0..<robustness.futures).compactMap { f -> (x: Double, y: Double)? in
                        let x = robustness.values[a]![c][f], y = robustness.values[b]![c][f]
                        return x.isFinite && y.isFinite ? (x, y) : nil
                    })
                }
                charts.append(("outcomes-\(slug(a))-\(slug(b))", LeverScatterChart(
                    title: "\(b) against \(a): \(robustness.futures) futures per lever combination",
                    xLabel: a, yLabel: b, groups: groups, legend: "\(legend)")))
            }
            for outcome in robustness.outcomes {
                let boxes = outcome.rows.map { (label: "\($0.combination): \(combos.shortLabel($0.combination))", regrets: $0.regrets) }
                charts.append(("regret-\(slug(outcome.metric))", RegretBoxChart(
                    title: "Regret in \(outcome.metric) against each future's best combination (\(outcome.maximize ? "more" : "less") is better)",
                    yLabel: "regret (unit of \(outcome.metric))", boxes: boxes, legend: legend)))
            }
        }
        if let discover {
            let found = try Discovery.analyze(path: database, condition: discover, combination: combination, box: nil)
            let under = found.combination.map { " under combination \($0)" } ?? ""
            charts.append(("prim-tradeoff", PRIMTradeoffChart(
                title: "PRIM trajectory for \(found.condition.text)\(under)",
                boxes: found.result.trajectory.map { ($0.coverage, $0.density, $0.restricted.count) }, chosen: found.chosen)))
            let step = found.result.trajectory[found.chosen]
            let limits = step.restricted.map { j -> PRIMBoxChart.Limit in
                let qp = [step.quasiP[j].lower, step.quasiP[j].upper].compactMap { $0 }.min() ?? 1
                return PRIMBoxChart.Limit(
                    name: found.dimensions[j], lower: step.box.lower[j], upper: step.box.upper[j],
                    minimum: found.result.initial.lower[j], maximum: found.result.initial.upper[j],
                    label: String(format: "%.4g to %.4g (quasi-p %.2g)", step.box.lower[j], step.box.upper[j], qp))
            }
            charts.append(("prim-box", PRIMBoxChart(
                title: String(format: "PRIM box %d: coverage %.2f, density %.2f", found.chosen, step.coverage, step.density),
                limits: limits)))
        }
        var written: [URL] = []
        for (name, chart) in charts {
            let file = folder.appendingPathComponent("\(name).\(format.rawValue)")
            try Gnuplot.render(chart, format: format, to: file)
            written.append(file)
        }
        return written
    }
}
