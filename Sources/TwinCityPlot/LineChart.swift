// A variable of a run over the years: one line per city, per zone total or for the region,
// an ensemble's 5–95 % band shaded behind its mean, another run overlaid with dashes — or the
// effect of the other run against this one, an index of a base year, a log scale, and one
// small panel per line when many lines would tangle.
import Foundation
import TwinCityExport
import TwinCityModel

/// A line chart of one variable of cities.csv or region.csv over the recorded years.
public struct LineChart: GnuplotChart {
    /// Which lines to draw.
    public enum Scope: Sendable, Equatable {
        /// One line per city, by id, in the order given.
        case cities([String])
        /// One line per zone: the sum over the zone's cities (additive variables only).
        case zones([String])
        /// One line for the region: region.csv's column, or the sum over all cities.
        case region
    }

    /// The effect of the compared run B on a line, against this run A, year by year.
    public enum Effect: String, Sendable, CaseIterable {
        /// B − A, in the variable's unit.
        case absolute = "abs"
        /// 100 · (B / A − 1), per cent of A.
        case percent = "pct"
    }

    /// How the lines are drawn, besides which lines (`Scope`) and which runs.
    public struct Options: Sendable, Equatable {
        /// Draw the compared run's effect instead of both runs' levels; needs a compared run.
        /// For two ensembles the effect is taken replication by replication over the first
        /// `pairs` replications (drawn from the same seeds), and the band is the 5th–95th
        /// percentile of those paired differences.
        public var effect: Effect?
        /// Number of replications the two ensembles share with the same seeds (the caller
        /// checks the seeds, `RunDraws.pairing`); `nil`: all of them, which must then be as
        /// many in both runs.
        public var pairs: Int?
        /// Divide each line (each replication of it) by its value in this year and multiply
        /// by 100: an index, base year = 100.
        public var indexYear: Double?
        /// A logarithmic vertical axis (every drawn value must be positive).
        public var logScale: Bool
        /// One small panel per line (small multiples), each with its own vertical scale.
        public var facet: Bool

        public init(effect: Effect? = nil, pairs: Int? = nil, indexYear: Double? = nil, logScale: Bool = false, facet: Bool = false) {
            self.effect = effect
            self.pairs = pairs
            self.indexYear = indexYear
            self.logScale = logScale
            self.facet = facet
        }
    }

    /// One drawn line, with the band around it for an ensemble.
    struct Series: Sendable {
        /// Legend text.
        var title: String
        /// Values by year index: the run's value, or the mean across replications.
        var values: [Double]
        /// 5th and 95th percentiles across replications by year index; `nil` for a single run.
        var band: (low: [Double], high: [Double])?
        /// Colour, `#rrggbb`.
        var colour: String
        /// gnuplot point type drawn on the line, for lines beyond the palette's colours.
        var point: Int?
        /// Drawn dashed, with a hatched band (the compared run).
        var dashed: Bool
        /// Years of `values`.
        var years: [Double]
        /// The panel of a faceted chart: the index of the line in the scope.
        var panel: Int
    }

    /// One line of the scope as read from a run, before it is summarised.
    struct Line {
        var title: String
        /// Values by replication and year index.
        var values: [[Double]]
        /// summary.csv's mean, p05 and p95 of the line, when the run has them.
        var summary: (mean: [Double], low: [Double], high: [Double])?
    }

    /// Title above the chart (two lines for an ensemble).
    public let title: String
    /// Label of the vertical axis: the variable and its unit.
    public let yLabel: String
    /// Label of the horizontal axis: `year`, or `model time` for a run in model time.
    public let xLabel: String
    /// Legend text of each line, in drawing order.
    public var seriesTitles: [String] { series.map(\.title) }
    /// Colour of each line, in drawing order.
    public var seriesColours: [String] { series.map(\.colour) }
    /// How the chart is drawn.
    public let options: Options
    let series: [Series]

    /// 1280 × 800 pixels (room for a legend of two dozen lines beside the plot); a faceted
    /// chart grows with its panels, about 300 × 230 pixels each.
    public var size: (width: Int, height: Int) {
        guard options.facet else { return (1280, 800) }
        let grid = Self.grid(panels: panelCount)
        return (max(1280, 300 * grid.columns), 130 + 230 * grid.rows)
    }

    private var panelCount: Int { (series.map(\.panel).max() ?? 0) + 1 }

    /// Builds the chart of `variable` of `run`.
    ///
    /// - Parameters:
    ///   - run: The run directory.
    ///   - variable: A numeric column of cities.csv or region.csv (docs/OUTPUTS.md).
    ///   - scope: The lines; `nil` means every city for a column of cities.csv, else the region.
    ///   - compare: A second run, drawn with dashed lines in the same colours (its legend
    ///     entries suffixed with its directory name), or whose effect is drawn (`options.effect`).
    ///   - title: Replaces the title made from the variable and the runs.
    ///   - options: Effect, index, log scale, small multiples.
    /// - Throws: `PlotError.unknownName` for a variable, city, zone or base year the run does
    ///   not have, naming the nearest valid one; `.unsupported` for a sum of a variable that
    ///   does not add up, an effect without a compared run or between runs that cannot be
    ///   paired, an index of a zero value, or a log scale of a value that is not positive.
    public init(
        run: RunData, variable: String, scope: Scope? = nil, compare: RunData? = nil, title: String? = nil, options: Options = Options()
    ) throws {
        let known = run.cityVariables + run.regionVariables.filter { !run.cityVariables.contains($0) }
        guard known.contains(variable) else {
            throw PlotError.unknownName(
                kind: "variable", name: variable, place: "cities.csv or region.csv of \(run.path)",
                nearest: Spelling.nearest(to: variable, among: known))
        }
        if let compare, !(compare.cityVariables.contains(variable) || compare.regionVariables.contains(variable)) {
            throw PlotError.unknownName(
                kind: "variable", name: variable, place: "cities.csv or region.csv of \(compare.path)",
                nearest: Spelling.nearest(to: variable, among: compare.cityVariables + compare.regionVariables))
        }
        if options.effect != nil {
            guard compare != nil else {
                throw PlotError.unsupported("--effect draws another run's effect against this one; name that run with --compare RUN_DIR")
            }
            if options.indexYear != nil {
                throw PlotError.unsupported("--effect and --index do not combine: an effect is already measured against the run; draw one or the other")
            }
            if options.logScale {
                throw PlotError.unsupported("--log needs positive values and an effect can be negative or zero; draw the effect without --log")
            }
        }
        self.options = options
        let scope = scope ?? (run.cityVariables.contains(variable) ? .cities(run.cityIDs) : .region)
        let column = run.column(variable)
        let modelTime = run.modelTime || compare?.modelTime == true
        xLabel = modelTime ? "model time" : "year"
        let unit = modelTime ? (column.unit.isEmpty ? "" : "model units") : Self.displayUnit(column.unit)
        let lines = try Self.lines(of: run, variable: variable, scope: scope)
        var series: [Series] = []
        var heading: String
        let what: String
        switch scope {
        case .cities: what = "by city"
        case .zones: what = "by zone"
        case .region: what = "for the region"
        }

        if let effect = options.effect, let compare {
            let pairs = try Self.pairCount(run, compare, given: options.pairs)
            let other = try Self.lines(of: compare, variable: variable, scope: scope)
            guard run.yearTexts == compare.yearTexts else {
                throw PlotError.unsupported(
                    "\(run.path) and \(compare.path) record different years, so their effect cannot be taken year by year; run both over the same [time] settings")
            }
            for (k, (a, b)) in zip(lines, other).enumerated() {
                let differences: [[Double]] = (0..<pairs).map { r -> [Double] in
                    zip(a.values[r], b.values[r]).map { (base: Double, other: Double) -> Double in Self.effect(effect, of: other, on: base) }
                }
                let style = options.facet ? (colour: Palette.colour(0), point: Int?.none) : Palette.style(k)
                series.append(Self.summarise(
                    Line(title: a.title, values: differences, summary: nil), years: run.years,
                    colour: style.colour, point: style.point, dashed: false, panel: k))
            }
            let label = column.label
            yLabel = effect == .absolute
                ? (unit.isEmpty ? "change in \(label)" : "change in \(label) (\(unit))") : "change in \(label) (%)"
            let measure = effect == .absolute ? "\(compare.name) − \(run.name)" : "\(compare.name) against \(run.name), %"
            heading = "Effect on \(label) \(what): \(measure)"
            if pairs > 1 {
                heading += "\nmean of \(pairs) paired replications (same seeds); shaded: 5th to 95th percentile of the paired differences"
            }
        } else {
            let base = try options.indexYear.map { try Self.yearIndex($0, in: run) }
            var allLines = lines.enumerated().map { (run, $0.element, $0.offset, false) }
            if let compare {
                let suffix = " (\(compare.name))"
                allLines += try Self.lines(of: compare, variable: variable, scope: scope).enumerated().map { offset, line in
                    var line = line
                    line.title += suffix
                    return (compare, line, offset, true)
                }
            }
            for (source, line, k, dashed) in allLines {
                var line = line
                if let year = options.indexYear, let base {
                    let index = dashed ? try Self.yearIndex(year, in: source) : base
                    line = try Self.indexed(line, base: index, yearText: source.yearTexts[index])
                }
                let style = options.facet ? (colour: Palette.colour(0), point: Int?.none) : Palette.style(k)
                series.append(Self.summarise(line, years: source.years, colour: style.colour, point: style.point, dashed: dashed, panel: k))
            }
            if let year = options.indexYear, let base {
                let yearText = run.yearTexts[base]
                yLabel = "\(column.label) (index, \(modelTime ? "t = \(FlowMap.text(year))" : yearText) = 100)"
                heading = "\(column.label) \(what), index \(yearText) = 100"
            } else {
                yLabel = unit.isEmpty ? column.label : "\(column.label) (\(unit))"
                heading = scope == .region ? "\(column.label), region" : "\(column.label) \(what)"
            }
            heading += compare.map { " — \(run.name) (solid) vs \($0.name) (dashed)" } ?? " — \(run.name)"
            let ensembles = [run, compare].compactMap { $0 }.filter { $0.replications > 1 }
            if let ensemble = ensembles.first {
                let count = Set(ensembles.map(\.replications)).count == 1
                    ? "\(ensemble.replications) replications" : ensembles.map { "\($0.replications) replications of \($0.name)" }.joined(separator: ", ")
                heading += (compare?.replications ?? 0) > 1
                    ? "\nmean of \(count); shaded: 5th to 95th percentile (hatched: \(compare!.name))"
                    : "\nmean of \(count); shaded: 5th to 95th percentile"
            }
        }
        if options.logScale { try Self.checkPositive(series) }
        if options.facet {
            // Small panels have no room for an axis label: it goes into the title's first line.
            var parts = heading.split(separator: "\n", maxSplits: 1).map(String.init)
            parts[0] += "; \(yLabel)"
            heading = parts.joined(separator: "\n")
        }
        self.series = series
        self.title = title ?? heading
    }

    // MARK: - Lines

    private static func lines(of run: RunData, variable: String, scope: Scope) throws -> [Line] {
        let column = run.column(variable)
        let inCities = run.cityVariables.contains(variable)
        var result: [Line] = []
        switch scope {
        case .cities(let ids):
            guard inCities else {
                throw PlotError.unsupported("'\(variable)' is a column of region.csv only, not of cities.csv; plot it with --region")
            }
            guard !ids.isEmpty else { throw PlotError.unsupported("no city given; name at least one city id with --cities") }
            for id in ids {
                guard run.cityIDs.contains(id) else {
                    throw PlotError.unknownName(kind: "city", name: id, place: run.path, nearest: Spelling.nearest(to: id, among: run.cityIDs))
                }
                result.append(Line(
                    title: run.cityNames[id] ?? id, values: run.cityValues(variable, cities: [id]),
                    summary: run.summaryBand(scope: "city", id: id, variable: variable)))
            }
        case .zones(let zones):
            guard inCities, column.additive else {
                throw PlotError.unsupported(
                    "'\(variable)' does not add up over a zone's cities (\(column.unit.isEmpty ? "not additive" : column.unit)); plot it with --cities")
            }
            guard !zones.isEmpty else { throw PlotError.unsupported("no zone given; name at least one zone with --zones") }
            for zone in zones {
                guard run.zones.contains(zone) else {
                    throw PlotError.unknownName(kind: "zone", name: zone, place: run.path, nearest: Spelling.nearest(to: zone, among: run.zones))
                }
                let members = Set(run.cityIDs.filter { run.zoneOfCity[$0] == zone })
                result.append(Line(title: zoneName(zone), values: run.cityValues(variable, cities: members), summary: nil))
            }
        case .region:
            if run.regionVariables.contains(variable) {
                result.append(Line(
                    title: "region", values: run.regionValues(variable),
                    summary: run.summaryBand(scope: "region", id: "region", variable: variable)))
            } else if column.additive {
                result.append(Line(title: "region (sum of cities)", values: run.cityValues(variable, cities: Set(run.cityIDs)), summary: nil))
            } else {
                throw PlotError.unsupported(
                    "'\(variable)' has no region value: region.csv has no such column and it does not add up over cities; plot it with --cities")
            }
        }
        return result
    }

    /// The effect of `other` on `base`: `other − base`, or `100 · (other / base − 1)` (NaN
    /// where `base` is 0).
    static func effect(_ effect: Effect, of other: Double, on base: Double) -> Double {
        switch effect {
        case .absolute: return other - base
        case .percent: return base == 0 ? .nan : 100 * (other / base - 1)
        }
    }

    /// The replications an effect pairs: `given`, or all of them when both runs have as many.
    private static func pairCount(_ a: RunData, _ b: RunData, given: Int?) throws -> Int {
        if let given {
            guard given >= 1, given <= min(a.replications, b.replications) else {
                throw PlotError.unsupported("\(given) paired replications asked for, but \(a.path) has \(a.replications) and \(b.path) \(b.replications)")
            }
            return given
        }
        guard a.replications == b.replications else {
            throw PlotError.unsupported(
                "\(a.path) has \(a.replications) replication(s) and \(b.path) \(b.replications): an effect pairs replication k of one with replication k of the other; run both with the same --replications and seed")
        }
        return a.replications
    }

    /// The index of recorded year `year` of `run`.
    private static func yearIndex(_ year: Double, in run: RunData) throws -> Int {
        guard let index = run.years.firstIndex(where: { abs($0 - year) < 1e-9 }) else {
            let nearest = run.nearestYearText(to: year)
            throw PlotError.unknownName(kind: "year", name: FlowMap.text(year), place: run.path, nearest: nearest)
        }
        return index
    }

    /// `line` as 100 · value / value in year `base`, replication by replication (so an
    /// ensemble's band is the band of the indices, not an index of the band).
    private static func indexed(_ line: Line, base: Int, yearText: String) throws -> Line {
        var out = line
        out.summary = nil
        out.values = try line.values.map { values in
            let reference = values[base]
            guard reference.isFinite, reference != 0 else {
                throw PlotError.unsupported(
                    "\(line.title) is \(reference) in \(yearText), so it has no index with that base year; choose another year with --index")
            }
            return values.map { 100 * $0 / reference }
        }
        return out
    }

    /// Every finite drawn value, band included, must be positive for a log scale.
    private static func checkPositive(_ series: [Series]) throws {
        for line in series {
            for (i, value) in (line.values + (line.band?.low ?? [])).enumerated() where value.isFinite && value <= 0 {
                let year = line.years[i % line.years.count]
                throw PlotError.unsupported(
                    "--log needs positive values, but \(line.title) is \(value) in \(FlowMap.text(year)); draw it without --log")
            }
        }
    }

    /// A series from a line's values by replication and year: the single run's values, or
    /// the mean and 5–95 % band across replications (from summary.csv when it has them).
    private static func summarise(_ line: Line, years: [Double], colour: String, point: Int?, dashed: Bool, panel: Int) -> Series {
        var series = Series(title: line.title, values: line.values.first ?? [], band: nil, colour: colour, point: point, dashed: dashed, years: years, panel: panel)
        guard line.values.count > 1 else { return series }
        if let summary = line.summary {
            series.values = summary.mean
            series.band = (summary.low, summary.high)
            return series
        }
        var mean: [Double] = [], low: [Double] = [], high: [Double] = []
        for year in years.indices {
            let sample = line.values.map { $0[year] }
            guard sample.allSatisfy(\.isFinite) else {
                mean.append(.nan); low.append(.nan); high.append(.nan)
                continue
            }
            let statistics = ReplicationSummary(sample)
            mean.append(statistics.mean)
            low.append(statistics.p05)
            high.append(statistics.p95)
        }
        series.values = mean
        series.band = (low, high)
        return series
    }

    /// A zone id as words with a capital: `chengdu_plain` → `Chengdu plain`.
    static func zoneName(_ zone: String) -> String {
        let words = zone.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// A unit of docs/OUTPUTS.md as a chart shows it: 亿元 (10⁸ yuan) as `100 million yuan`,
    /// which reads without a Chinese font, and 10⁴ persons as `10,000 persons`, whose digits
    /// stay legible at axis-label size where a superscript does not.
    static func displayUnit(_ unit: String) -> String {
        unit.replacingOccurrences(of: "亿元", with: "100 million yuan").replacingOccurrences(of: "10⁴ persons", with: "10,000 persons")
    }

    /// The smallest of 1, 2, 5, 10, 20, 50, … with at most `most` steps over `span`, so the
    /// year labels of a small panel do not run into each other.
    static func tickStep(span: Double, most: Int) -> Double {
        var step = 1.0
        while span / step > Double(most) {
            let digits = step / Foundation.pow(10, (Foundation.log10(step)).rounded(.down))
            step *= digits == 2 ? 2.5 : 2
        }
        return step
    }

    /// Rows and columns of a grid of `panels` small multiples, about 3 columns to 2 rows.
    static func grid(panels: Int) -> (rows: Int, columns: Int) {
        let columns = max(1, min(panels, Int((Double(panels) * 1.5).squareRoot().rounded(.up))))
        return ((panels + columns - 1) / columns, columns)
    }

    // MARK: - gnuplot

    /// One data block per series (`index k`): year, value, band low, band high.
    public var dataFiles: [String: String] {
        let blocks = series.map { line in
            line.years.indices.map { i in
                [line.years[i], line.values[i], line.band?.low[i] ?? .nan, line.band?.high[i] ?? .nan]
                    .map(GnuplotText.number).joined(separator: "\t")
            }.joined(separator: "\n")
        }
        return ["series.dat": blocks.joined(separator: "\n\n\n") + "\n"]
    }

    /// Bands first (so lines stay on top), then one line per series with its legend entry;
    /// for small multiples, one such plot per panel.
    public var commands: String {
        let years = series.flatMap(\.years).filter(\.isFinite)
        let wholeYears = years.allSatisfy { $0 == $0.rounded() }
        var lines = [
            "set grid lc rgb '#dddddd'",
            "set border lc rgb '#555555'",
            "set style fill transparent solid 0.18 noborder",
            "set format y '%.6g'",
        ]
        if wholeYears { lines.append("set format x '%.0f'") }
        if let first = years.min(), let last = years.max(), last > first { lines.append("set xrange [\(first):\(last)]") }
        if options.logScale { lines.append("set logscale y") }
        if options.effect != nil { lines.append("set xzeroaxis lt 1 lw 1.5 lc rgb '#555555'") }
        // gnuplot centres the title over the plot area and clips it there; beside it the
        // legend takes about 9 pixels a character of its longest entry, and a character of the
        // title's font about 10.
        let legend = options.facet ? 0 : 9 * ((series.map(\.title.count).max() ?? 0) + 6)
        let wrappedTitle = GnuplotText.wrapped(title, columns: max(400, size.width - 110 - legend) / 10)
        guard options.facet else {
            lines += [
                "set title \(GnuplotText.quoted(wrappedTitle)) font ',15'",
                "set xlabel \(GnuplotText.quoted(xLabel))",
                "set ylabel \(GnuplotText.quoted(yLabel))",
                "set key outside right top vertical Left reverse samplen 3 spacing 1.15",
                "plot " + plotItems(series.indices.map { $0 }, titled: true).joined(separator: ", \\\n     "),
            ]
            return lines.joined(separator: "\n")
        }
        let grid = Self.grid(panels: panelCount)
        let titleLines = wrappedTitle.split(separator: "\n").count
        let top = 1 - Double(56 + 24 * titleLines) / Double(size.height)
        lines += [
            "unset key",
            "set tics font ',9'",
            "set xtics out nomirror \(Self.tickStep(span: (years.max() ?? 0) - (years.min() ?? 0), most: 4))",
            "set multiplot layout \(grid.rows),\(grid.columns) title \(GnuplotText.quoted(wrappedTitle)) font ',15' "
                + "margins 0.05,0.98,0.06,\(String(format: "%.3f", top)) spacing 0.055,0.09",
        ]
        for panel in 0..<panelCount {
            let members = series.indices.filter { series[$0].panel == panel }
            let name = series[members[0]].title
            lines.append("set title \(GnuplotText.quoted(name)) font ',11'")
            lines.append("plot " + plotItems(members, titled: false).joined(separator: ", \\\n     "))
        }
        lines.append("unset multiplot")
        return lines.joined(separator: "\n")
    }

    /// The plot items of `members`: their bands (hatched for the compared run), then their lines.
    private func plotItems(_ members: [Int], titled: Bool) -> [String] {
        var items: [String] = []
        for k in members where series[k].band != nil {
            let fill = series[k].dashed ? " fs transparent pattern 4 border" : ""
            items.append("'series.dat' index \(k) using 1:3:4 with filledcurves lc rgb '\(series[k].colour)'\(fill) notitle")
        }
        for k in members {
            let line = series[k]
            let dash = line.dashed ? " dashtype (12,6)" : ""
            let style = line.point.map { " with linespoints pt \($0) ps 1.1 pointinterval 2" } ?? " with lines"
            let legend = titled ? " title \(GnuplotText.quoted(line.title))" : " notitle"
            items.append("'series.dat' index \(k) using 1:2\(style) lw 2.5 lc rgb '\(line.colour)'\(dash)\(legend)")
        }
        return items
    }
}

/// Line colours: 24 distinct hues and shades, distinguishable on white; the first seven are
/// Okabe & Ito's set, told apart also with the common colour-vision deficiencies (their
/// yellow, too pale on white, is replaced by an olive). A line beyond the 24th takes a colour
/// again but with a point marker, so no two lines look the same.
enum Palette {
    static let colours = [
        "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#999933",
        "#1f3d7a", "#a6361c", "#2e6b30", "#7b3f99", "#8c6d1f", "#1b9e9e", "#6e6e6e", "#e7298a",
        "#66a61e", "#b15928", "#4e79a7", "#b8860b", "#9c1f5f", "#e41a1c", "#7f7fff", "#ff6f61",
    ]

    /// Colour of line `index`, cycling after the last.
    static func colour(_ index: Int) -> String {
        colours[index % colours.count]
    }

    /// Colour and, from the 25th line on, a point type (gnuplot's 4, 6, 8, …) of line `index`.
    static func style(_ index: Int) -> (colour: String, point: Int?) {
        let round = index / colours.count
        return (colour(index), round == 0 ? nil : 2 + 2 * round)
    }
}
