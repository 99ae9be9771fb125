// Charts of a sweep's analyses, drawn by gnuplot like the run charts: Sobol indices with their
// bootstrap intervals and their convergence, Morris μ*–σ, outcomes coloured by lever
// combination, regret box plots, and PRIM's coverage–density trade-off and box. Each chart
// takes plain numbers, so this module needs nothing from the sweep layer; every text goes
// into the script through `GnuplotText.quoted`.
import Foundation

/// Colours of successive series, chosen to stay apart in print (Okabe–Ito, then darker tones).
let sweepPalette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    "#004C7A", "#8C3D00", "#00664B", "#86507A", "#9A6A00", "#3A7A9E", "#666666", "#A39A2E",
]

/// Lines common to every sweep chart: title, grid and border.
private func header(_ title: String) -> [String] {
    [
        "set title \(GnuplotText.quoted(title)) font ',15'",
        "set grid lc rgb '#dddddd'",
        "set border lc rgb '#555555'",
    ]
}

/// Sobol first-order and total indices of one output, bars with their bootstrap intervals.
public struct SobolBarChart: GnuplotChart {
    /// One parameter's indices: estimate and interval ends (dimensionless).
    public struct Bar: Sendable {
        public var parameter: String
        public var first: (estimate: Double, lower: Double, upper: Double)
        public var total: (estimate: Double, lower: Double, upper: Double)
        public init(parameter: String, first: (Double, Double, Double), total: (Double, Double, Double)) {
            self.parameter = parameter
            self.first = (first.0, first.1, first.2)
            self.total = (total.0, total.1, total.2)
        }
    }

    public let title: String
    public let bars: [Bar]
    /// The interval's level, e.g. 0.95, for the legend.
    public let confidence: Double

    public init(title: String, bars: [Bar], confidence: Double) {
        self.title = title
        self.bars = bars
        self.confidence = confidence
    }

    public var size: (width: Int, height: Int) { (1100, 700) }

    public var dataFiles: [String: String] {
        var text = ""
        for bar in bars {
            text += [GnuplotText.cell(bar.parameter)].joined() + "\t"
            text += [bar.first.estimate, bar.first.lower, bar.first.upper, bar.total.estimate, bar.total.lower, bar.total.upper]
                .map(GnuplotText.number).joined(separator: "\t") + "\n"
        }
        return ["sobol.tsv": text]
    }

    public var commands: String {
        let level = String(format: "%g", confidence * 100)
        return (header(title) + [
            "set ylabel \(GnuplotText.quoted("share of the output's variance"))",
            "set style data histograms",
            "set style histogram errorbars gap 2 lw 1.5",
            "set style fill solid 0.85 border lc rgb '#333333'",
            "set boxwidth 0.9",
            "set xtics rotate by -25 left noenhanced",
            "set key top right",
            "set xzeroaxis lc rgb '#555555'",
            "plot 'sobol.tsv' using 2:3:4:xtic(1) lc rgb '\(sweepPalette[0])' title \(GnuplotText.quoted("first order S1, \(level) % interval")), "
                + "'' using 5:6:7 lc rgb '\(sweepPalette[1])' title \(GnuplotText.quoted("total ST, \(level) % interval"))",
        ]).joined(separator: "\n")
    }
}

/// Indices estimated from the first n base rows, as n grows: one line per parameter and index.
public struct SobolConvergenceChart: GnuplotChart {
    public let title: String
    /// Base rows of each estimate.
    public let rows: [Int]
    /// Parameter names, and `first[p][k]`, `total[p][k]`: the estimates from `rows[k]` rows.
    public let parameters: [String]
    public let first: [[Double]]
    public let total: [[Double]]

    public init(title: String, rows: [Int], parameters: [String], first: [[Double]], total: [[Double]]) {
        self.title = title
        self.rows = rows
        self.parameters = parameters
        self.first = first
        self.total = total
    }

    public var size: (width: Int, height: Int) { (1200, 700) }

    public var dataFiles: [String: String] {
        var text = ""
        for (k, n) in rows.enumerated() {
            text += "\(n)\t" + parameters.indices.flatMap { [first[$0][k], total[$0][k]] }.map(GnuplotText.number).joined(separator: "\t") + "\n"
        }
        return ["convergence.tsv": text]
    }

    public var commands: String {
        var plots: [String] = []
        for (p, name) in parameters.enumerated() {
            let colour = sweepPalette[p % sweepPalette.count]
            plots.append("'convergence.tsv' using 1:\(2 + 2 * p) with linespoints lw 2 pt 7 ps 0.8 dt 2 lc rgb '\(colour)' title \(GnuplotText.quoted("S1 " + name))")
            plots.append("'convergence.tsv' using 1:\(3 + 2 * p) with linespoints lw 2 pt 5 ps 0.8 lc rgb '\(colour)' title \(GnuplotText.quoted("ST " + name))")
        }
        return (header(title) + [
            "set xlabel \(GnuplotText.quoted("base rows N (Sobol points used)"))",
            "set ylabel \(GnuplotText.quoted("index (share of variance)"))",
            "set logscale x 2",
            "set key outside right top vertical Left reverse",
            "set xzeroaxis lc rgb '#555555'",
            "plot " + plots.joined(separator: ", \\\n     "),
        ]).joined(separator: "\n")
    }
}

/// Morris μ* against σ, each parameter a labelled point.
public struct MorrisScatterChart: GnuplotChart {
    public let title: String
    public let unit: String
    public let points: [(parameter: String, muStar: Double, sigma: Double)]

    public init(title: String, unit: String, points: [(parameter: String, muStar: Double, sigma: Double)]) {
        self.title = title
        self.unit = unit
        self.points = points
    }

    public var size: (width: Int, height: Int) { (1000, 750) }

    public var dataFiles: [String: String] {
        ["morris.tsv": points.map { "\(GnuplotText.cell($0.parameter))\t\(GnuplotText.number($0.muStar))\t\(GnuplotText.number($0.sigma))" }.joined(separator: "\n") + "\n"]
    }

    public var commands: String {
        let per = " (\(unit.isEmpty ? "output's unit" : unit) per unit of normalised range)"
        return (header(title) + [
            "set xlabel \(GnuplotText.quoted("μ*, mean absolute elementary effect" + per))",
            "set ylabel \(GnuplotText.quoted("σ, standard deviation of the effects" + per))",
            "set xrange [0:*]",
            "set yrange [0:*]",
            "set offsets graph 0, graph 0.25, graph 0.1, 0",
            "set key top right",
            "set format x '%.4g'",
            "set format y '%.4g'",
            "plot 'morris.tsv' using 2:3 with points pt 7 ps 1.6 lc rgb '\(sweepPalette[0])' notitle, "
                + "'' using 2:3:1 with labels left offset 1,0.6 noenhanced notitle, "
                + "x lc rgb '#999999' dt 2 title \(GnuplotText.quoted("σ = μ*"))",
        ]).joined(separator: "\n")
    }
}

/// Two outcomes of every run plotted against each other, one colour per lever combination.
public struct LeverScatterChart: GnuplotChart {
    public let title: String
    public let xLabel: String
    public let yLabel: String
    /// Legend text and points of each group.
    public let groups: [(label: String, points: [(x: Double, y: Double)])]
    /// Title of the legend, e.g. `levers transfer/tax_sharing`.
    public let legend: String

    public init(title: String, xLabel: String, yLabel: String, groups: [(label: String, points: [(x: Double, y: Double)])], legend: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.groups = groups
        self.legend = legend
    }

    public var size: (width: Int, height: Int) { (1300, 800) }

    public var dataFiles: [String: String] {
        // One data block per group, separated by two blank lines (gnuplot's `index`).
        let blocks = groups.map { group in
            group.points.map { "\(GnuplotText.number($0.x))\t\(GnuplotText.number($0.y))" }.joined(separator: "\n")
        }
        return ["scatter.tsv": blocks.joined(separator: "\n\n\n") + "\n"]
    }

    public var commands: String {
        let plots = groups.enumerated().map { i, group in
            "'scatter.tsv' index \(i) using 1:2 with points pt \(i < 8 ? 7 : 5) ps 1.1 lc rgb '\(sweepPalette[i % sweepPalette.count])' title \(GnuplotText.quoted(group.label))"
        }
        return (header(title) + [
            "set xlabel \(GnuplotText.quoted(xLabel))",
            "set ylabel \(GnuplotText.quoted(yLabel))",
            "set key outside right top vertical Left reverse title \(GnuplotText.quoted(legend))",
            "set format x '%.6g'",
            "set format y '%.6g'",
            "plot " + plots.joined(separator: ", \\\n     "),
        ]).joined(separator: "\n")
    }
}

/// Box plots of the regret of each lever combination over the futures.
public struct RegretBoxChart: GnuplotChart {
    public let title: String
    public let yLabel: String
    /// Tick label and regrets of each combination, in drawing order.
    public let boxes: [(label: String, regrets: [Double])]
    /// What the tick labels list, e.g. `levers transfer/tax_sharing`.
    public let legend: String

    public init(title: String, yLabel: String, boxes: [(label: String, regrets: [Double])], legend: String) {
        self.title = title
        self.yLabel = yLabel
        self.boxes = boxes
        self.legend = legend
    }

    public var size: (width: Int, height: Int) { (1300, 800) }

    public var dataFiles: [String: String] {
        let length = boxes.map(\.regrets.count).max() ?? 0
        var text = ""
        for k in 0..<length {
            text += boxes.map { k < $0.regrets.count ? GnuplotText.number($0.regrets[k]) : "NaN" }.joined(separator: "\t") + "\n"
        }
        return ["regret.tsv": text]
    }

    public var commands: String {
        let ticks = boxes.enumerated().map { "\(GnuplotText.quoted($1.label)) \($0 + 1)" }.joined(separator: ", ")
        let plots = boxes.indices.map { i in
            "'regret.tsv' using (\(i + 1)):\(i + 1) lc rgb '\(sweepPalette[0])' notitle"
        }
        return (header(title) + [
            "set ylabel \(GnuplotText.quoted(yLabel))",
            "set xlabel \(GnuplotText.quoted("lever combination (\(legend)), ranked by maximum regret"))",
            "set style data boxplot",
            "set style boxplot outliers pointtype 7",
            "set style fill solid 0.35 border lc rgb '#333333'",
            "set boxwidth 0.6",
            "set pointsize 0.6",
            "set xtics (\(ticks)) rotate by -35 left noenhanced",
            "set xrange [0.3:\(Double(boxes.count) + 0.7)]",
            "set yrange [0:*]",
            "set format y '%.6g'",
            "set key off",
            "set bmargin 9",
            "plot " + plots.joined(separator: ", \\\n     "),
        ]).joined(separator: "\n")
    }
}

/// PRIM's peeling and pasting trajectory: density against coverage, each box coloured by the
/// number of restricted dimensions, the chosen box circled.
public struct PRIMTradeoffChart: GnuplotChart {
    public let title: String
    public let boxes: [(coverage: Double, density: Double, restricted: Int)]
    public let chosen: Int

    public init(title: String, boxes: [(coverage: Double, density: Double, restricted: Int)], chosen: Int) {
        self.title = title
        self.boxes = boxes
        self.chosen = chosen
    }

    public var size: (width: Int, height: Int) { (1000, 750) }

    public var dataFiles: [String: String] {
        let rows = boxes.enumerated().map { "\(GnuplotText.number($1.coverage))\t\(GnuplotText.number($1.density))\t\($1.restricted)\t\($0)" }
        let pick = boxes.indices.contains(chosen)
            ? "\(GnuplotText.number(boxes[chosen].coverage))\t\(GnuplotText.number(boxes[chosen].density))\n" : ""
        return ["tradeoff.tsv": rows.joined(separator: "\n") + "\n", "chosen.tsv": pick]
    }

    public var commands: String {
        let most = boxes.map(\.restricted).max() ?? 1
        return (header(title) + [
            "set xlabel \(GnuplotText.quoted("coverage (share of the cases of interest inside the box)"))",
            "set ylabel \(GnuplotText.quoted("density (share of the box's cases that are of interest)"))",
            "set xrange [0:1.02]",
            "set yrange [0:1.02]",
            "set cblabel \(GnuplotText.quoted("restricted dimensions"))",
            "set cbrange [0:\(max(1, most))]",
            "set cbtics 1",
            "set palette maxcolors \(max(1, most) + 1) defined (0 '#56B4E9', 1 '#009E73', 2 '#E69F00', 3 '#D55E00', 4 '#CC79A7', 5 '#000000')",
            "set key bottom left",
            "plot 'tradeoff.tsv' using 1:2 with lines lc rgb '#999999' notitle, "
                + "'' using 1:2:3 with points pt 7 ps 1.4 lc palette title \(GnuplotText.quoted("box on the trajectory")), "
                + "'chosen.tsv' using 1:2 with points pt 6 ps 3.5 lw 2 lc rgb '#000000' title \(GnuplotText.quoted("chosen box \(chosen)"))",
        ]).joined(separator: "\n")
    }
}

/// A PRIM box: for each restricted dimension, its limits as a bar across the dimension's full
/// range (normalised to [0, 1]), labelled with the limits and their quasi-p-values.
public struct PRIMBoxChart: GnuplotChart {
    public struct Limit: Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var minimum: Double
        public var maximum: Double
        public var label: String
        public init(name: String, lower: Double, upper: Double, minimum: Double, maximum: Double, label: String) {
            self.name = name
            self.lower = lower
            self.upper = upper
            self.minimum = minimum
            self.maximum = maximum
            self.label = label
        }
    }

    public let title: String
    public let limits: [Limit]

    public init(title: String, limits: [Limit]) {
        self.title = title
        self.limits = limits
    }

    public var size: (width: Int, height: Int) { (1200, 200 + 90 * max(1, limits.count)) }

    public var dataFiles: [String: String] {
        let rows = limits.enumerated().map { k, limit -> String in
            let span = limit.maximum - limit.minimum
            let low = span > 0 ? (limit.lower - limit.minimum) / span : 0
            let high = span > 0 ? (limit.upper - limit.minimum) / span : 1
            return "\(k + 1)\t\(GnuplotText.number(low))\t\(GnuplotText.number(high))\t\(GnuplotText.cell(limit.label))"
        }
        return ["box.tsv": rows.joined(separator: "\n") + "\n"]
    }

    public var commands: String {
        let ticks = limits.enumerated().map { "\(GnuplotText.quoted($1.name)) \($0 + 1)" }.joined(separator: ", ")
        return (header(title) + [
            "set xlabel \(GnuplotText.quoted("position within the uncertainty's sampled range (0 = minimum, 1 = maximum)"))",
            "set xrange [-0.02:1.02]",
            "set yrange [0.4:\(Double(limits.count) + 0.6)]",
            "set ytics (\(ticks)) noenhanced",
            "set lmargin 40",
            "set key off",
            "set style fill solid 0.5 border lc rgb '#333333'",
            "plot 'box.tsv' using (($2 + $3) / 2):1:2:3:($1 - 0.25):($1 + 0.25) with boxxyerror lc rgb '\(sweepPalette[0])', "
                + "'' using (0.5):($1 + 0.36):4 with labels noenhanced",
        ]).joined(separator: "\n")
    }
}
