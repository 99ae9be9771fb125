// `twincity plot`: charts of a run directory drawn with gnuplot (docs/PLOTTING.md).
import ArgumentParser
import Foundation
import TwinCityPlot
import TwinCityScenario

extension PlotFormat: ExpressibleByArgument {}
extension LineChart.Effect: ExpressibleByArgument {}

/// Draws a variable of a run over the years, or the largest flows of one year on a map.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot a run directory: a variable over the years, or a year's largest flows on a map.",
        discussion: """
            A line chart of --var (a column of cities.csv or region.csv, docs/OUTPUTS.md) has \
            one line per city (--cities, default all), per zone total (--zones) or for the \
            region (--region); an ensemble's lines are its means with the 5th–95th percentile \
            band shaded; --compare overlays a second run with dashed lines (its band hatched), \
            or with --effect abs|pct draws its effect against the first run (two ensembles \
            paired replication by replication, the band then that of the paired differences). \
            --index YEAR draws each line as 100 in YEAR, --log a logarithmic axis, --facet one \
            small panel per line. --flows draws the --top largest net flows of --year as \
            arrows between the cities (--gross: the flows each way). Needs gnuplot \
            (Debian: gnuplot-nox). Given a sweep folder (with sweep.sqlite), draws the \
            charts of its analyses into SWEEP_DIR/plots (--out: another folder): Sobol \
            indices and their convergence, Morris μ*–σ, outcomes and regret by lever \
            combination, and with --discover PRIM's trade-off and box. Exit status: 0 on success, 2 for a variable, city, zone or \
            year the run does not have, 1 when gnuplot is missing or fails.
            """
    )

    /// The run directory to plot.
    @Argument(help: ArgumentHelp("Run directory written by `twincity run`.", valueName: "run-dir"))
    var runDirectory: String

    /// The variable of a line chart.
    @Option(name: .customLong("var"), help: ArgumentHelp("Variable to plot: a column of cities.csv or region.csv, e.g. gdp.", valueName: "name"))
    var variable: String?

    /// Comma-separated city ids.
    @Option(help: ArgumentHelp("One line per city, e.g. chengdu,chongqing (default: every city).", valueName: "ids"))
    var cities: String?

    /// Comma-separated zone ids.
    @Option(help: ArgumentHelp("One line per zone, the sum over its cities, e.g. chengdu_plain,south.", valueName: "ids"))
    var zones: String?

    /// One line for the whole region.
    @Flag(help: "One line for the region (region.csv, or the sum over all cities).")
    var region = false

    /// The flow kind of a flow map.
    @Option(help: ArgumentHelp("Draw a flow map instead: population, capital or industry.", valueName: "kind"))
    var flows: String?

    /// The year of a flow map.
    @Option(help: ArgumentHelp("Year of the flow map (a recorded year after the first).", valueName: "year"))
    var year: Double?

    /// How many flows the map draws.
    @Option(help: ArgumentHelp("Number of largest flows drawn on the map.", valueName: "k"))
    var top = 10

    /// Picture format; `nil` means the extension of `--out`, else PNG.
    @Option(help: ArgumentHelp("png or svg (default: from --out's extension, else png).", valueName: "format"))
    var format: PlotFormat?

    /// Output file; `nil` means `RUN_DIR/plots/<var>.<format>`.
    @Option(help: ArgumentHelp("Picture to write. Default: RUN_DIR/plots/<var>[_effect_pct|_index_<year>|_log|_facet].<format> (flows_<kind>_<year>[_gross].<format> for a map).", valueName: "file"))
    var out: String?

    /// A second run drawn dashed.
    @Option(help: ArgumentHelp("Another run directory, overlaid with dashed lines.", valueName: "run-dir"))
    var compare: String?

    /// Effect of the compared run instead of both runs' levels.
    @Option(help: ArgumentHelp("With --compare: draw its effect on each line, abs (B − A) or pct (100·(B/A − 1)).", valueName: "abs|pct"))
    var effect: LineChart.Effect?

    /// Base year of an index chart.
    @Option(name: .customLong("index"), help: ArgumentHelp("Draw each line as an index, 100 in this recorded year, e.g. 2020.", valueName: "year"))
    var indexYear: Double?

    /// Logarithmic vertical axis.
    @Flag(name: .customLong("log"), help: "Logarithmic vertical axis (every value drawn must be positive).")
    var logScale = false

    /// Small multiples.
    @Flag(help: "One small panel per line, each with its own scale (small multiples).")
    var facet = false

    /// Gross flows on a map.
    @Flag(help: "With --flows: draw the gross flows each way instead of the net flow of each pair.")
    var gross = false

    /// Replaces the generated title.
    @Option(help: ArgumentHelp("Chart title.", valueName: "text"))
    var title: String?

    /// PRIM condition of a sweep's pictures.
    @Option(help: ArgumentHelp("For a sweep: also draw PRIM's trade-off and box for this condition.", valueName: "condition"))
    var discover: String?

    /// Lever combination of a sweep's PRIM pictures.
    @Option(help: ArgumentHelp("For a sweep with levers and --discover: the lever combination.", valueName: "k"))
    var combination: Int?

    /// Outputs of a sweep for which less is better.
    @Option(help: ArgumentHelp("For a sweep with levers: an output for which less is better (regret; repeatable).", valueName: "output"))
    var minimize: [String] = []

    func validate() throws {
        if SweepPlots.isSweep(runDirectory) {
            if variable != nil || flows != nil { throw ValidationError("--var and --flows apply to a run directory; a sweep folder gets every chart of its analyses") }
            return
        }
        if discover != nil || combination != nil || !minimize.isEmpty { throw ValidationError("--discover, --combination and --minimize apply to a sweep folder") }
        guard (variable == nil) != (flows == nil) else {
            throw ValidationError("give either --var NAME (a line chart) or --flows KIND --year YEAR (a flow map)")
        }
        let scopes = [cities != nil, zones != nil, region].filter { $0 }.count
        if scopes > 1 { throw ValidationError("give at most one of --cities, --zones and --region") }
        let lineOptions = [effect.map { _ in "--effect" }, indexYear.map { _ in "--index" }, logScale ? "--log" : nil, facet ? "--facet" : nil].compactMap { $0 }
        if flows != nil, let first = lineOptions.first {
            throw ValidationError("\(first) applies to --var only; a flow map draws flows")
        }
        if gross && flows == nil { throw ValidationError("--gross applies to --flows only") }
        if effect != nil && compare == nil {
            throw ValidationError("--effect needs --compare RUN_DIR: the run whose effect against \(runDirectory) to draw")
        }
        if flows != nil {
            if year == nil { throw ValidationError("--flows needs --year, the year whose flows to draw") }
            if scopes > 0 || compare != nil { throw ValidationError("--cities, --zones, --region and --compare apply to --var only") }
            if top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
        } else if year != nil {
            throw ValidationError("--year applies to --flows only; a line chart shows every year")
        }
    }

    func run() throws {
        if SweepPlots.isSweep(runDirectory) {
            let folder = URL(fileURLWithPath: out ?? URL(fileURLWithPath: runDirectory).appendingPathComponent("plots").path)
            do {
                let files = try SweepPlots.draw(
                    sweep: runDirectory, into: folder, format: format ?? .png, discover: discover, combination: combination, minimize: minimize)
                FileHandle.standardOutput.write(Data(files.map { "Plot written to \($0.path)\n" }.joined().utf8))
            } catch let error as PlotError where error.isUserInput {
                throw PlotInputError(message: error.description)
            }
            return
        }
        do {
            let run = try RunData(path: runDirectory)
            let chosenFormat = format ?? out.flatMap { PlotFormat(rawValue: URL(fileURLWithPath: $0).pathExtension.lowercased()) } ?? .png
            let output: URL
            if let variable {
                let other = try compare.map { try RunData(path: $0) }
                var options = LineChart.Options(effect: effect, indexYear: indexYear, logScale: logScale, facet: facet)
                if effect != nil, let compare, let a = RunDraws.read(runDirectory), let b = RunDraws.read(compare) {
                    // The rule `twincity compare` pairs by: replications drawn from the same seeds.
                    switch try RunDraws.pairing(a, b) {
                    case .single: options.pairs = 1
                    case .paired(let count): options.pairs = count
                    }
                }
                let chart = try LineChart(run: run, variable: variable, scope: scope, compare: other, title: title, options: options)
                output = try destination(default: "\(Self.fileStem(variable: variable, options: options)).\(chosenFormat.rawValue)")
                try Gnuplot.render(chart, format: chosenFormat, to: output)
            } else if let flows, let year {
                let chart = try FlowMap(run: run, kind: flows, year: year, top: top, net: !gross, title: title)
                output = try destination(default: "flows_\(flows)_\(RunSummary.year(year))\(gross ? "_gross" : "").\(chosenFormat.rawValue)")
                try Gnuplot.render(chart, format: chosenFormat, to: output)
            } else {
                return
            }
            TerminalText.write("Plot written to \(out ?? output.relativePath)\n", to: .standardOutput)
        } catch let error as PlotError where error.isUserInput {
            throw PlotInputError(message: error.description)
        }
    }

    /// The lines asked for; `nil` lets the chart choose (every city, or the region).
    private var scope: LineChart.Scope? {
        if let cities { return .cities(Self.list(cities)) }
        if let zones { return .zones(Self.list(zones)) }
        return region ? .region : nil
    }

    /// `--out`, or `name` in the run directory's `plots` folder; either must be a regular
    /// file or a new path, and the `plots` folder a real folder (a run directory from
    /// elsewhere may hold a link there), so a plot never replaces a device or writes through a link.
    private func destination(default name: String) throws -> URL {
        if let out {
            try OutputPath.checkFile(out, option: "--out")
            return URL(fileURLWithPath: out)
        }
        let plots = URL(fileURLWithPath: runDirectory).appendingPathComponent("plots")
        try OutputPath.checkFolder(plots.path, option: "the default output folder")
        let file = plots.appendingPathComponent(name)
        try OutputPath.checkFile(file.path, option: "the default output file")
        return file
    }

    /// The default file name of a line chart, without extension: the variable, then what
    /// sets the chart apart (`gdp`, `gdp_effect_pct`, `gdp_index_2020_log_facet`), so charts
    /// of one variable drawn differently do not replace each other.
    static func fileStem(variable: String, options: LineChart.Options) -> String {
        var parts = [variable]
        if let effect = options.effect { parts.append("effect_\(effect.rawValue)") }
        if let year = options.indexYear { parts.append("index_" + RunSummary.year(year)) }
        if options.logScale { parts.append("log") }
        if options.facet { parts.append("facet") }
        return parts.joined(separator: "_")
    }

    /// Comma-separated ids, blanks trimmed, empty items dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A plot request naming something the run does not have: exit status 2.
struct PlotInputError: UserInputError {
    /// The sentence to show, naming the nearest valid name where there is one.
    let message: String

    var description: String { message }
}
