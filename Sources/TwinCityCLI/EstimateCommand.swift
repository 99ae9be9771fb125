// `twincity estimate`: fits each city's relative productivity drift to the history panel
// (docs/MODEL.md §10) and writes the estimates file a scenario's `estimates` key reads.
import ArgumentParser
import Foundation
import TwinCityModel
import TwinCityScenario

/// A fit of the drifts to a window of the panel, shared by `estimate` and `hindcast`.
struct HistoryFit {
    let scenario: Scenario
    let setup: SimulationSetup
    let parameters: ModelParameters
    let roster: Roster
    let panel: HistoryPanel
    let units: [EstimationUnit]
    let window: ClosedRange<Int>
    let horizon: Int
    let estimation: DriftEstimation

    /// Loads the scenario (its own estimates are ignored: the drifts are what is fitted) and
    /// the panel, and fits the drifts on `window`.
    static func fit(scenarioPath: String, historyPath: String, window: ClosedRange<Int>, horizon: Int) throws -> HistoryFit {
        let scenario = try ScenarioLoader.load(path: scenarioPath)
        let (setup, preparedParameters, roster) = try ScenarioLoader.prepare(scenario)
        guard let roster else {
            throw HistoryInputError(message: "\(scenarioPath): a core_periphery scenario has no roster to estimate drifts for; give a region scenario with --scenario")
        }
        var parameters = preparedParameters
        parameters.productivityDrift = [:]
        let panel = try HistoryLoader.load(historyPath, roster: roster)
        let units = EstimationUnit.units(of: roster)
        let moments = HistoryMoments.relativeGrowth(panel: panel, units: units.map(\.id), years: window)
        do {
            let estimation = try DriftEstimator.estimate(
                setup: setup, parameters: parameters, units: units, moments: moments, horizon: horizon)
            return HistoryFit(
                scenario: scenario, setup: setup, parameters: parameters, roster: roster, panel: panel, units: units,
                window: window, horizon: horizon, estimation: estimation)
        } catch let error as EstimationError {
            throw HistoryInputError(message: "\(historyPath): \(error.message) (window \(window.lowerBound)–\(window.upperBound))")
        }
    }

    /// The estimates file's text: the drifts, their standard errors, and the fit that gave them.
    func estimatesText(historyPath: String) -> String {
        func number(_ x: Double) -> String { x.isFinite ? String(format: "%.9g", x) : "nan" }
        var lines = [
            "# Relative productivity drift of each city, log points a year, fitted by `twincity estimate`",
            "# to the published real growth rates of \(historyPath), \(window.lowerBound)–\(window.upperBound)",
            "# (docs/MODEL.md §10). A scenario reads it with estimates = \"<this file>\".",
            "schema = 1",
            "kind = \"estimates\"",
            "history = \"\(historyPath)\"",
            "method = \"moment matching of mean relative real growth, empirical-Bayes shrinkage by tier\"",
            "through = \(window.upperBound)",
            "window = [\(window.lowerBound), \(window.upperBound)]",
            "horizon = \(horizon)   # model years over which its mean relative growth is taken",
            "",
            "[drift]",
        ]
        for unit in estimation.units { lines.append("\(unit.unit) = \(number(unit.drift))") }
        lines += ["", "# Standard errors (delta method through the model's response; see [moments]).", "[standard_error]"]
        for unit in estimation.units { lines.append("\(unit.unit) = \(number(unit.standardError))") }
        lines += ["", "# Covariance of the drifts (log points², delta method): one row per unit, columns in the",
                  "# order of [drift]. Parameter-uncertainty ensembles draw from it.", "[covariance]"]
        let count = estimation.units.count
        for (u, unit) in estimation.units.enumerated() {
            lines.append("\(unit.unit) = [" + (0..<count).map { number(estimation.covariance[u * count + $0]) }.joined(separator: ", ") + "]")
        }
        lines += ["", "# Per unit: years T, data mean relative growth r̄ (pp a year) and its standard error,",
                  "# shrinkage weight w, matched moment, the model's moment at the estimate, response ∂r̄/∂d.",
                  "[moments]"]
        for unit in estimation.units {
            lines.append("\(unit.unit) = { years = \(unit.years), mean_pp = \(number(unit.rawMoment)), se_pp = \(number(unit.rawStandardError)), weight = \(number(unit.shrinkageWeight)), matched_pp = \(number(unit.moment)), model_pp = \(number(unit.modelMoment)), response = \(number(unit.response)) }")
        }
        lines += ["", "[fit]"]
        for (pool, tau2) in estimation.poolVariance.sorted(by: { $0.key < $1.key }) {
            lines.append("pool_variance_\(pool) = \(number(tau2))   # τ², pp²")
        }
        lines += [
            "residual_sd_pp = \(number(estimation.residualSD))",
            "productivity_shock_sd = \(number(estimation.productivityShockSD))   # σ_A implied, log points (reported, not applied)",
            "residual_autocorrelation = \(number(estimation.residualAutocorrelation))",
            "residual_autocorrelation_se = \(number(estimation.residualAutocorrelationSE))",
            "iterations = \(estimation.iterations)",
            "largest_gap_pp = \(number(estimation.largestGap))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The residuals as CSV: unit, year, relative growth and residual, percentage points.
    var residualsCSV: String {
        var text = "unit,year,relative_growth_pp,residual_pp\n"
        for unit in estimation.units {
            for row in estimation.residuals[unit.unit] ?? [] {
                text += "\(unit.unit),\(row.year),\(String(format: "%.6f", row.relativeGrowth)),\(String(format: "%.6f", row.residual))\n"
            }
        }
        return text
    }

    /// The drifts' covariance as CSV: a header of unit ids, then one row per unit (log points²).
    var covarianceCSV: String {
        let ids = estimation.units.map(\.unit)
        var text = "unit," + ids.joined(separator: ",") + "\n"
        for (u, id) in ids.enumerated() {
            text += id + "," + ids.indices.map { String(format: "%.9g", estimation.covariance[u * ids.count + $0]) }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// The fit as a table for the terminal.
    var table: String {
        let t95 = 1.959964
        var table = TextTable(columns: [
            ("unit", .left), ("T", .right), ("r̄ pp", .right), ("se", .right), ("w", .right), ("matched", .right),
            ("drift", .right), ("se", .right), ("95 % interval", .right),
        ])
        for u in estimation.units {
            table.rows.append([
                u.unit, "\(u.years)", String(format: "%+.2f", u.rawMoment), String(format: "%.2f", u.rawStandardError),
                String(format: "%.2f", u.shrinkageWeight), String(format: "%+.2f", u.moment),
                String(format: "%+.4f", u.drift), String(format: "%.4f", u.standardError),
                String(format: "[%+.4f, %+.4f]", u.drift - t95 * u.standardError, u.drift + t95 * u.standardError),
            ])
        }
        return table.render()
    }
}

/// A history command asked for something the panel or scenario cannot give: exit status 2.
struct HistoryInputError: UserInputError {
    let message: String
    var description: String { message }
}

/// Writes `text` to `path` atomically (a temporary file renamed over it), so an interrupted
/// write leaves no half-written file.
func writeAtomically(_ text: String, to path: String, option: String) throws {
    try OutputPath.checkFile(path, option: option)
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .atomic)
}

/// Parses `A-B` (two years) for the window options.
func parseYearRange(_ text: String, option: String) throws -> ClosedRange<Int> {
    let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2, let a = parts[0], let b = parts[1], a <= b else {
        throw ValidationError("\(option): expected two years FIRST-LAST, e.g. 2011-2020, found '\(text)'")
    }
    guard a >= HistoryPanel.firstYear + 1, b <= HistoryPanel.lastYear else {
        throw ValidationError("\(option): years must lie in \(HistoryPanel.firstYear + 1)–\(HistoryPanel.lastYear) (a growth rate needs the year before; statistics after \(HistoryPanel.lastYear) are held back for out-of-sample validation), found '\(text)'")
    }
    return a...b
}

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Fit each city's productivity drift to the history panel.",
        discussion: """
            Matches the model's mean relative real growth of each city (its growth minus the \
            region's, over --horizon model years from the 2020 calibration, shocks off) to the \
            mean of the published rates over the window, after shrinking each city's mean \
            towards its tier's (docs/MODEL.md §10). Writes the estimates file (TOML) a scenario \
            reads with its `estimates` key, the yearly residuals (FILE-residuals.csv) and \
            the drifts' covariance (FILE-covariance.csv) beside it, and a table on standard \
            output.
            """
    )

    @Option(help: ArgumentHelp("History panel (CSV, seeds/README.md).", valueName: "file"))
    var history: String?

    @Option(help: ArgumentHelp("Region scenario giving the roster and the parameters.", valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("First year of relative growth fitted (default 2011).", valueName: "year"))
    var from: Int = 2011

    @Option(help: ArgumentHelp("Last panel year fitted, at most 2022.", valueName: "year"))
    var through: Int = 2022

    @Option(help: ArgumentHelp("Model years over which its mean relative growth is taken.", valueName: "n"))
    var horizon: Int = 10

    @Option(help: ArgumentHelp("Estimates file to write.", valueName: "file"))
    var out: String

    mutating func validate() throws {
        _ = try parseYearRange("\(from)-\(through)", option: "--from/--through")
        guard (1...50).contains(horizon) else { throw ValidationError("--horizon: expected 1–50 model years, found \(horizon)") }
    }

    func run() throws {
        let historyPath = try DefaultPaths.resolve(history, default: "seeds/history.csv", option: "--history")
        let scenarioPath = try DefaultPaths.resolve(scenario, default: "scenarios/baseline.toml", option: "--scenario")
        let residualsPath = Self.sidePath(for: out, suffix: "residuals")
        let covariancePath = Self.sidePath(for: out, suffix: "covariance")
        for path in [out, residualsPath, covariancePath] { try OutputPath.checkFile(path, option: "--out") }
        let fit = try HistoryFit.fit(scenarioPath: scenarioPath, historyPath: historyPath, window: from...through, horizon: horizon)
        try writeAtomically(fit.residualsCSV, to: residualsPath, option: "--out")
        try writeAtomically(fit.covarianceCSV, to: covariancePath, option: "--out")
        try writeAtomically(fit.estimatesText(historyPath: historyPath), to: out, option: "--out")
        TerminalText.write(fit.table, to: .standardOutput)
        TerminalText.write(String(
            format: "%d model runs; residual sd %.2f pp, autocorrelation %.2f (se %.2f); wrote %@, %@ and %@\n",
            fit.estimation.iterations, fit.estimation.residualSD, fit.estimation.residualAutocorrelation,
            fit.estimation.residualAutocorrelationSE, out, residualsPath, covariancePath), to: .standardOutput)
    }

    /// `x/estimates.toml` → `x/estimates-SUFFIX.csv`.
    static func sidePath(for out: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: out)
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = (out as NSString).deletingLastPathComponent
        let name = stem + "-\(suffix).csv"
        return folder.isEmpty ? name : folder + "/" + name
    }
}
