// A variable of a run over the years: one line per city, per zone total or for the region,
// an ensemble's 5–95 % band shaded behind its mean, another run overlaid with dashes.
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
        /// Drawn dashed (the compared run).
        var dashed: Bool
        /// Years of `values`.
        var years: [Double]
    }

    /// Title above the chart (two lines for an ensemble).
    public let title: String
    /// Label of the vertical axis: the variable and its unit.
    public let yLabel: String
    /// Label of the horizontal axis.
    public let xLabel = "year"
    /// Legend text of each line, in drawing order.
    public var seriesTitles: [String] { series.map(\.title) }
    let series: [Series]

    /// 1280 × 800 pixels: room for a legend of 22 cities beside the plot.
    public var size: (width: Int, height: Int) { (1280, 800) }

    /// Builds the chart of `variable` of `run`.
    ///
    /// - Parameters:
    ///   - run: The run directory.
    ///   - variable: A numeric column of cities.csv or region.csv (docs/OUTPUTS.md).
    ///   - scope: The lines; `nil` means every city for a column of cities.csv, else the region.
    ///   - compare: A second run drawn with dashed lines in the same colours, its legend
    ///     entries suffixed with its directory name.
    ///   - title: Replaces the title made from the variable and the runs.
    /// - Throws: `PlotError.unknownName` for a variable, city or zone the run does not have,
    ///   naming the nearest valid one; `.unsupported` for a sum of a variable that does not add up.
    public init(run: RunData, variable: String, scope: Scope? = nil, compare: RunData? = nil, title: String? = nil) throws {
        let known = run.cityVariables + run.regionVariables.filter { !run.cityVariables.contains($0) }
        guard known.contains(variable) else {
            throw PlotError.unknownName(
                kind: "variable", name: variable, place: "cities.csv or region.csv of \(run.path)",
                nearest: NearestName.of(variable, in: known))
        }
        let scope = scope ?? (run.cityVariables.contains(variable) ? .cities(run.cityIDs) : .region)
        let column = run.column(variable)
        var series = try Self.series(of: run, variable: variable, scope: scope, dashed: false, suffix: "")
        if let compare {
            guard compare.cityVariables.contains(variable) || compare.regionVariables.contains(variable) else {
                throw PlotError.unknownName(
                    kind: "variable", name: variable, place: "cities.csv or region.csv of \(compare.path)",
                    nearest: NearestName.of(variable, in: compare.cityVariables + compare.regionVariables))
            }
            series += try Self.series(of: compare, variable: variable, scope: scope, dashed: true, suffix: " (\(compare.name))")
        }
        self.series = series

        let unit = Self.displayUnit(column.unit)
        yLabel = unit.isEmpty ? column.label : "\(column.label) (\(unit))"
        var heading: String
        switch scope {
        case .cities: heading = "\(column.label) by city"
        case .zones: heading = "\(column.label) by zone"
        case .region: heading = "\(column.label), region"
        }
        heading += compare.map { " — \(run.name) (solid) vs \($0.name) (dashed)" } ?? " — \(run.name)"
        let ensembles = [run, compare].compactMap { $0 }.filter { $0.replications > 1 }
        if let ensemble = ensembles.first {
            let count = Set(ensembles.map(\.replications)).count == 1
                ? "\(ensemble.replications) replications" : ensembles.map { "\($0.replications) replications of \($0.name)" }.joined(separator: ", ")
            heading += "\nmean of \(count); shaded: 5th to 95th percentile"
        }
        self.title = title ?? heading
    }

    // MARK: - Series

    private static func series(of run: RunData, variable: String, scope: Scope, dashed: Bool, suffix: String) throws -> [Series] {
        let column = run.column(variable)
        let inCities = run.cityVariables.contains(variable)
        var result: [Series] = []
        switch scope {
        case .cities(let ids):
            guard inCities else {
                throw PlotError.unsupported("'\(variable)' is a column of region.csv only, not of cities.csv; plot it with --region")
            }
            guard !ids.isEmpty else { throw PlotError.unsupported("no city given; name at least one city id with --cities") }
            for (k, id) in ids.enumerated() {
                guard run.cityIDs.contains(id) else {
                    throw PlotError.unknownName(kind: "city", name: id, place: run.path, nearest: NearestName.of(id, in: run.cityIDs))
                }
                let band = run.summaryBand(scope: "city", id: id, variable: variable)
                result.append(makeSeries(
                    run: run, title: (run.cityNames[id] ?? id) + suffix, values: run.cityValues(variable, cities: [id]),
                    summary: band, colour: Palette.colour(k), dashed: dashed))
            }
        case .zones(let zones):
            guard inCities, column.additive else {
                throw PlotError.unsupported(
                    "'\(variable)' does not add up over a zone's cities (\(column.unit.isEmpty ? "not additive" : column.unit)); plot it with --cities")
            }
            guard !zones.isEmpty else { throw PlotError.unsupported("no zone given; name at least one zone with --zones") }
            for (k, zone) in zones.enumerated() {
                guard run.zones.contains(zone) else {
                    throw PlotError.unknownName(kind: "zone", name: zone, place: run.path, nearest: NearestName.of(zone, in: run.zones))
                }
                let members = Set(run.cityIDs.filter { run.zoneOfCity[$0] == zone })
                result.append(makeSeries(
                    run: run, title: zoneName(zone) + suffix, values: run.cityValues(variable, cities: members),
                    summary: nil, colour: Palette.colour(k), dashed: dashed))
            }
        case .region:
            if run.regionVariables.contains(variable) {
                result.append(makeSeries(
                    run: run, title: "region" + suffix, values: run.regionValues(variable),
                    summary: run.summaryBand(scope: "region", id: "region", variable: variable),
                    colour: Palette.colour(0), dashed: dashed))
            } else if column.additive {
                result.append(makeSeries(
                    run: run, title: "region (sum of cities)" + suffix, values: run.cityValues(variable, cities: Set(run.cityIDs)),
                    summary: nil, colour: Palette.colour(0), dashed: dashed))
            } else {
                throw PlotError.unsupported(
                    "'\(variable)' has no region value: region.csv has no such column and it does not add up over cities; plot it with --cities")
            }
        }
        return result
    }

    /// A series from values by replication and year: the single run's values, or the mean
    /// and 5–95 % band across replications (from summary.csv when it has them).
    private static func makeSeries(
        run: RunData, title: String, values: [[Double]], summary: (mean: [Double], low: [Double], high: [Double])?,
        colour: String, dashed: Bool
    ) -> Series {
        guard values.count > 1 else {
            return Series(title: title, values: values.first ?? [], band: nil, colour: colour, dashed: dashed, years: run.years)
        }
        if let summary {
            return Series(title: title, values: summary.mean, band: (summary.low, summary.high), colour: colour, dashed: dashed, years: run.years)
        }
        var mean: [Double] = [], low: [Double] = [], high: [Double] = []
        for year in run.years.indices {
            let sample = values.map { $0[year] }
            guard sample.allSatisfy(\.isFinite) else {
                mean.append(.nan); low.append(.nan); high.append(.nan)
                continue
            }
            let statistics = ReplicationSummary(sample)
            mean.append(statistics.mean)
            low.append(statistics.p05)
            high.append(statistics.p95)
        }
        return Series(title: title, values: mean, band: (low, high), colour: colour, dashed: dashed, years: run.years)
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

    /// Bands first (so lines stay on top), then one line per series with its legend entry.
    public var commands: String {
        let years = series.flatMap(\.years).filter(\.isFinite)
        let wholeYears = years.allSatisfy { $0 == $0.rounded() }
        var lines = [
            "set title \(GnuplotText.quoted(title)) font ',15'",
            "set xlabel \(GnuplotText.quoted(xLabel))",
            "set ylabel \(GnuplotText.quoted(yLabel))",
            "set grid lc rgb '#dddddd'",
            "set border lc rgb '#555555'",
            "set key outside right top vertical Left reverse samplen 3 spacing 1.15",
            "set style fill transparent solid 0.18 noborder",
            "set format y '%.6g'",
        ]
        if wholeYears { lines.append("set format x '%.0f'") }
        if let first = years.min(), let last = years.max(), last > first { lines.append("set xrange [\(first):\(last)]") }
        var plots: [String] = []
        for (k, line) in series.enumerated() where line.band != nil {
            plots.append("'series.dat' index \(k) using 1:3:4 with filledcurves lc rgb '\(line.colour)' notitle")
        }
        for (k, line) in series.enumerated() {
            let dash = line.dashed ? " dashtype (12,6)" : ""
            plots.append("'series.dat' index \(k) using 1:2 with lines lw 2.5 lc rgb '\(line.colour)'\(dash) title \(GnuplotText.quoted(line.title))")
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines.joined(separator: "\n")
    }
}

/// Line colours: distinguishable on white and for the common colour-vision deficiencies as
/// far as 22 colours allow; the first ones are the most distinct.
enum Palette {
    static let colours = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
        "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd",
        "#e6550d", "#31a354", "#756bb1", "#636363", "#843c39", "#5254a3",
    ]

    /// Colour of line `index`, cycling after the last.
    static func colour(_ index: Int) -> String {
        colours[index % colours.count]
    }
}
