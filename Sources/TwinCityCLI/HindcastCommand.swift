// `twincity hindcast`: fits the drifts on the panel up to a year, forecasts the later panel
// years from the 2020 calibration, and compares the errors with naive forecasts.
import ArgumentParser
import Foundation
import TwinCityModel
import TwinCityPlot
import TwinCityScenario

struct HindcastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hindcast",
        abstract: "Forecast the panel's last years from a fit to the earlier ones, against naive forecasts.",
        discussion: """
            Fits the drifts on --fit (as `twincity estimate`), runs the model from its 2020 \
            calibration with shocks off, with the fitted drifts and without any, and compares \
            each test year's GDP shares, real growth rates and population shares with the panel. \
            Naive forecasts: persistence (2020 shares; each unit's 2020 growth), the unit's own \
            trend (its mean relative growth over --fit added to the region's mean growth), and \
            the region's mean growth for every unit. Prints the mean absolute errors and writes \
            every forecast to --out (CSV) and, with --plot, a picture of each GDP-share forecast's error against the published share. The model starts from 2020, so the test years are \
            2021 onwards and --fit must end by 2020. docs/VALIDATION.md.
            """
    )

    @Option(help: ArgumentHelp("History panel (CSV, seeds/README.md).", valueName: "file"))
    var history: String?

    @Option(help: ArgumentHelp("Region scenario giving the roster and the parameters.", valueName: "file"))
    var scenario: String?

    @Option(help: ArgumentHelp("Fitting window FIRST-LAST, ending by 2020.", valueName: "years"))
    var fit: String = "2011-2020"

    @Option(help: ArgumentHelp("Test years FIRST-LAST, after 2020 and at most 2022.", valueName: "years"))
    var test: String = "2021-2022"

    @Option(help: ArgumentHelp("Model years over which the fit takes its mean relative growth.", valueName: "n"))
    var horizon: Int = 10

    @Option(help: ArgumentHelp("CSV file with every forecast.", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Picture of the GDP-share forecast errors (.png or .svg; needs gnuplot).", valueName: "file"))
    var plot: String?

    mutating func validate() throws {
        let fitYears = try parseYearRange(fit, option: "--fit")
        let testYears = try parseYearRange(test, option: "--test")
        guard fitYears.upperBound <= 2020 else {
            throw ValidationError("--fit: the model forecasts from its 2020 calibration, so the fitting window must end by 2020 for the test years to lie outside it; found '\(fit)'")
        }
        guard testYears.lowerBound > 2020 else {
            throw ValidationError("--test: the model starts in 2020, so test years begin in 2021 at the earliest; found '\(test)'")
        }
        guard (1...50).contains(horizon) else { throw ValidationError("--horizon: expected 1–50 model years, found \(horizon)") }
        if let plot, Self.format(of: plot) == nil {
            throw ValidationError("--plot: expected a file ending in .png or .svg, found '\(plot)'")
        }
    }

    static func format(of path: String) -> PlotFormat? {
        PlotFormat(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// The three variables compared.
    enum Variable: String, CaseIterable { case gdpShare = "gdp_share_pct", growth = "real_growth_pct", populationShare = "population_share_pct" }

    /// One forecast row.
    struct Row {
        var unit: String
        var year: Int
        var variable: Variable
        var data: Double
        var forecasts: [Double?]
    }

    static let methods = ["model", "model_without_drift", "persistence", "own_trend", "region_mean"]

    func run() throws {
        let fitYears = try parseYearRange(fit, option: "--fit")
        let testYears = try parseYearRange(test, option: "--test")
        if let out { try OutputPath.checkFile(out, option: "--out") }
        if let plot { try OutputPath.checkFile(plot, option: "--plot") }
        let historyPath = try DefaultPaths.resolve(history, default: "seeds/history.csv", option: "--history")
        let scenarioPath = try DefaultPaths.resolve(scenario, default: "scenarios/baseline.toml", option: "--scenario")
        let fitted = try HistoryFit.fit(scenarioPath: scenarioPath, historyPath: historyPath, window: fitYears, horizon: horizon)
        let units = fitted.units
        let ids = units.map(\.id)
        let panel = fitted.panel

        // The model's paths, shocks off, with and without the fitted drifts.
        func path(_ drift: [String: Double]) throws -> [Int: (real: [Double], nominal: [Double], population: [Double])] {
            var p = fitted.parameters
            p.productivityShockSD = 0
            p.productivityDrift = drift
            let settings = SimulationSettings(startYear: 2020, endYear: Double(testYears.upperBound), dt: 1, seed: fitted.scenario.settings.seed)
            let simulation = try Simulation(setup: fitted.setup, parameters: p, settings: settings)
            var years: [Int: (real: [Double], nominal: [Double], population: [Double])] = [:]
            try simulation.run { record in
                let sum = { (values: [Double]) in units.map { $0.members.reduce(0) { $0 + values[$1] } } }
                let population = zip(record.state.urbanPopulation, record.state.ruralPopulation).map { $0 + $1 }
                years[Int(record.year.rounded())] = (sum(record.realGDP), sum(record.equilibrium.gdp), sum(population))
            }
            return years
        }
        let withDrift = try path(fitted.estimation.driftByCity)
        let withoutDrift = try path([:])

        // Region mean growth over the fitting window (the weighted mean of the published rates).
        let regionGrowth = fitYears.compactMap { HistoryMoments.regionGrowth(panel: panel, units: ids, year: $0) }
        let meanRegionGrowth = regionGrowth.reduce(0, +) / Double(max(regionGrowth.count, 1))
        let ownMean = Dictionary(uniqueKeysWithValues: fitted.estimation.units.map { ($0.unit, $0.rawMoment) })

        var rows: [Row] = []
        for year in testYears {
            // GDP shares among the units with GDP in the year (and 2020).
            let gdpUnits = ids.indices.filter { panel.observation(city: ids[$0], year: year)?.gdpCurrent != nil && panel.observation(city: ids[$0], year: 2020)?.gdpCurrent != nil }
            let horizonYears = Double(year - 2020)
            func shares(_ values: [Double], among members: [Int]) -> [Double] {
                let total = members.reduce(0) { $0 + values[$1] }
                return members.map { 100 * values[$0] / total }
            }
            if !gdpUnits.isEmpty {
                let data = shares(ids.map { panel.observation(city: $0, year: year)?.gdpCurrent ?? 0 }, among: gdpUnits)
                let base = ids.map { panel.observation(city: $0, year: 2020)?.gdpCurrent ?? 0 }
                let persistence = shares(base, among: gdpUnits)
                let trend = shares(ids.indices.map { base[$0] * Foundation.pow(1 + (ownMean[ids[$0]] ?? 0) / 100, horizonYears) }, among: gdpUnits)
                let model = withDrift[year].map { shares($0.nominal, among: gdpUnits) }
                let plain = withoutDrift[year].map { shares($0.nominal, among: gdpUnits) }
                for (k, u) in gdpUnits.enumerated() {
                    rows.append(Row(unit: ids[u], year: year, variable: .gdpShare, data: data[k],
                                    forecasts: [model?[k], plain?[k], persistence[k], trend[k], persistence[k]]))
                }
            }
            for (u, id) in ids.enumerated() {
                guard let g = panel.observation(city: id, year: year)?.realGrowthPercent else { continue }
                let modelGrowth = withDrift[year].flatMap { now in withDrift[year - 1].map { 100 * (now.real[u] / $0.real[u] - 1) } }
                let plainGrowth = withoutDrift[year].flatMap { now in withoutDrift[year - 1].map { 100 * (now.real[u] / $0.real[u] - 1) } }
                let last = panel.observation(city: id, year: 2020)?.realGrowthPercent
                rows.append(Row(unit: id, year: year, variable: .growth, data: g,
                                forecasts: [modelGrowth, plainGrowth, last, meanRegionGrowth + (ownMean[id] ?? 0), meanRegionGrowth]))
            }
            let popUnits = ids.indices.filter { panel.observation(city: ids[$0], year: year)?.population != nil && panel.observation(city: ids[$0], year: 2020)?.population != nil }
            if popUnits.count >= 2 {
                let data = shares(ids.map { panel.observation(city: $0, year: year)?.population ?? 0 }, among: popUnits)
                let persistence = shares(ids.map { panel.observation(city: $0, year: 2020)?.population ?? 0 }, among: popUnits)
                let model = withDrift[year].map { shares($0.population, among: popUnits) }
                let plain = withoutDrift[year].map { shares($0.population, among: popUnits) }
                for (k, u) in popUnits.enumerated() {
                    rows.append(Row(unit: ids[u], year: year, variable: .populationShare, data: data[k],
                                    forecasts: [model?[k], plain?[k], persistence[k], nil, persistence[k]]))
                }
            }
        }

        // Mean absolute errors by variable.
        let columns: [(heading: String, alignment: TextTable.Alignment)] =
            [("variable", .left), ("n", .right)] + Self.methods.map { ($0, .right) }
        var table = TextTable(columns: columns)
        for variable in Variable.allCases {
            let selected = rows.filter { $0.variable == variable }
            guard !selected.isEmpty else { continue }
            var line = [variable.rawValue, "\(selected.count)"]
            for m in Self.methods.indices {
                let errors = selected.compactMap { row in row.forecasts[m].map { abs($0 - row.data) } }
                line.append(errors.isEmpty ? "—" : String(format: "%.4f", errors.reduce(0, +) / Double(errors.count)))
            }
            table.rows.append(line)
        }
        var text = "mean absolute error, percentage points (fit \(fitYears.lowerBound)–\(fitYears.upperBound), test \(testYears.lowerBound)–\(testYears.upperBound)):\n"
        text += table.render()
        text += "(region_mean equals persistence for shares: equal growth keeps every share)\n"
        if let out {
            var csv = "unit,year,variable,data," + Self.methods.joined(separator: ",") + "\n"
            for row in rows {
                csv += "\(row.unit),\(row.year),\(row.variable.rawValue),\(String(format: "%.6f", row.data))"
                for f in row.forecasts { csv += "," + (f.map { String(format: "%.6f", $0) } ?? "") }
                csv += "\n"
            }
            try writeAtomically(csv, to: out, option: "--out")
            text += "wrote \(out)\n"
        }
        if let plot, let format = Self.format(of: plot) {
            // Each GDP-share forecast's error against the published share: the shares span
            // 0.5–35 %, their errors a few hundredths, so the errors are what is drawn.
            let shares = rows.filter { $0.variable == .gdpShare }
            let shown = [(0, "model"), (1, "model without drift"), (2, "persistence"), (3, "own trend")]
            var groups: [(label: String, points: [(x: Double, y: Double)])] = [("data (no error)", shares.map { ($0.data, 0) })]
            for (m, label) in shown {
                groups.append((label, shares.compactMap { row in row.forecasts[m].map { (row.data, $0 - row.data) } }))
            }
            let chart = LeverScatterChart(
                title: "Errors of the GDP-share forecasts for \(testYears.lowerBound)–\(testYears.upperBound), fitted to \(fitYears.lowerBound)–\(fitYears.upperBound)",
                xLabel: "published share, % of the units' GDP", yLabel: "forecast − published share, percentage points", groups: groups, legend: "forecast")
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: plot).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Gnuplot.render(chart, format: format, to: URL(fileURLWithPath: plot))
            text += "wrote \(plot)\n"
        }
        TerminalText.write(text, to: .standardOutput)
    }
}
