// The largest flows of one interval on a map: cities at their coordinates, arrows from origin
// to destination as wide as the flow is large, each labelled with its value. Net flows by
// default (what moved from one city to the other, less what moved back), gross on request.
import Foundation
import TwinCityExport

/// A map of the K largest flows (population, capital or industry) of one recorded year.
public struct FlowMap: GnuplotChart {
    /// The flow kinds, as in the file names `flows_<kind>.csv`.
    public static let kinds = ["population", "capital", "industry"]

    /// One arrow.
    struct Arrow: Sendable {
        /// City ids.
        var origin, destination: String
        /// Flow over the interval (mean across replications for an ensemble), in the file's
        /// unit; for a net flow, origin → destination less destination → origin (> 0).
        var value: Double
    }

    /// True for net flows between each pair of cities, false for gross flows.
    public let net: Bool

    /// Title above the map.
    public let title: String
    /// Legend text of each arrow, largest flow first (`Chengdu → Deyang: 12.3`).
    public var arrowTitles: [String] { arrows.map(arrowTitle) }
    let arrows: [Arrow]
    let cities: [(id: String, name: String, point: GeoPoint)]

    /// 1200 × 1000 pixels: the region is about as tall as it is wide, and the legend beside
    /// it needs a third of the width.
    public var size: (width: Int, height: Int) { (1200, 1000) }

    /// Builds the map of the `top` largest `kind` flows over the interval ending at `year`.
    ///
    /// - Parameters:
    ///   - run: The run directory; an ensemble's flows are averaged over its replications
    ///     (a pair missing from a replication counts as 0 there).
    ///   - kind: `population`, `capital` or `industry`.
    ///   - year: A recorded year after the first (the first has no interval before it).
    ///   - top: How many flows to draw, ≥ 1.
    ///   - net: Draw, for each pair of cities, one arrow for the flow one way less the flow
    ///     back, pointing the way of the larger (the default); false draws the gross flows,
    ///     a flow and its return side by side.
    ///   - title: Replaces the title made from the kind, year and unit.
    /// - Throws: `PlotError.unknownName` for a kind or year the run does not have, naming the
    ///   nearest valid one; `.unsupported` for the first year or a run without coordinates.
    public init(run: RunData, kind: String, year: Double, top: Int = 10, net: Bool = true, title: String? = nil) throws {
        guard Self.kinds.contains(kind) else {
            throw PlotError.unknownName(kind: "flow kind", name: kind, place: "flows_<kind>.csv", nearest: Spelling.nearest(to: kind, among: Self.kinds))
        }
        guard top >= 1 else { throw PlotError.unsupported("--top must be at least 1, got \(top)") }
        guard let index = run.years.firstIndex(where: { abs($0 - year) < 1e-9 }) else {
            let nearest = run.nearestYearText(to: year)
            throw PlotError.unknownName(kind: "year", name: Self.text(year), place: run.path, nearest: nearest)
        }
        guard index > 0 else {
            throw PlotError.unsupported(
                "\(run.yearTexts[0]) is the first recorded year of \(run.path) and has no flows (a flow is a total over the interval ending at a year); "
                + (run.yearTexts.count > 1 ? "the nearest year with flows is \(run.yearTexts[1])" : "the run has no later year"))
        }
        for id in run.cityIDs where run.coordinates[id] == nil {
            throw PlotError.unsupported("\(run.path) records no coordinates for city '\(id)' (manifest.json city_coordinates), so there is no map to draw")
        }
        let yearText = run.yearTexts[index]

        let table = try run.flows(kind)
        let lead = table.header.first == OutputColumns.replication ? 1 : 0
        var totals: [String: Double] = [:]
        var order: [String] = []
        for row in table.rows where row[lead] == yearText {
            let key = row[lead + 1] + "\t" + row[lead + 2]
            if totals[key] == nil { order.append(key) }
            totals[key, default: 0] += Double(row[lead + 3]) ?? 0
        }
        var flows = order.map { key -> Arrow in
            let parts = key.split(separator: "\t").map(String.init)
            return Arrow(origin: parts[0], destination: parts[1], value: totals[key]! / Double(run.replications))
        }
        if net { flows = Self.netFlows(flows) }
        self.net = net
        // Largest first; equal values keep the file's order (roster order of origin, destination).
        arrows = Array(flows.enumerated().sorted { ($0.element.value, -$0.offset) > ($1.element.value, -$1.offset) }.prefix(top).map(\.element))
        cities = run.cityIDs.map { ($0, run.cityNames[$0] ?? $0, run.coordinates[$0]!) }
        self.arrowNames = run.cityNames

        let unit = run.modelTime ? "model units" : LineChart.displayUnit(OutputColumns.flowUnits[kind] ?? "")
        let what = ["population": "migration", "capital": "investment across cities", "industry": "industry relocation"][kind] ?? kind
        let kindText = net ? "Net " + what : what.prefix(1).uppercased() + what.dropFirst() + " (gross)"
        var heading = "\(kindText) over the interval ending \(yearText): the \(arrows.count) largest of \(flows.count) \(net ? "net " : "")flows (\(unit))"
        if run.replications > 1 { heading += "\nmean of \(run.replications) replications" }
        self.title = title ?? heading
    }

    private let arrowNames: [String: String]

    /// One arrow per pair of cities with flows either way: the larger direction, less the
    /// flow back; pairs whose flows cancel exactly get none. Pairs keep the order in which
    /// their first flow appears.
    static func netFlows(_ flows: [Arrow]) -> [Arrow] {
        var gross: [String: Double] = [:]
        var pairs: [(String, String)] = []
        for flow in flows {
            if gross["\(flow.destination)\t\(flow.origin)"] == nil, gross["\(flow.origin)\t\(flow.destination)"] == nil {
                pairs.append((flow.origin, flow.destination))
            }
            gross["\(flow.origin)\t\(flow.destination)", default: 0] += flow.value
        }
        return pairs.compactMap { a, b in
            let value = (gross["\(a)\t\(b)"] ?? 0) - (gross["\(b)\t\(a)"] ?? 0)
            if value > 0 { return Arrow(origin: a, destination: b, value: value) }
            if value < 0 { return Arrow(origin: b, destination: a, value: -value) }
            return nil
        }
    }

    private func arrowTitle(_ arrow: Arrow) -> String {
        "\(arrowNames[arrow.origin] ?? arrow.origin) → \(arrowNames[arrow.destination] ?? arrow.destination): \(Self.value(arrow.value))"
    }

    /// A flow value with three significant digits, for labels.
    static func value(_ value: Double) -> String {
        String(format: "%.3g", value)
    }

    /// A year as given: `2030`, or `2030.5`.
    static func text(_ year: Double) -> String {
        year == year.rounded() && abs(year) < 1e15 ? String(Int64(year)) : String(year)
    }

    // MARK: - gnuplot

    /// Degrees of latitude per degree of longitude on the map: 1 / cos(mean latitude), so that
    /// distances look right near the region.
    private var aspect: Double {
        let latitudes = cities.map(\.point.latitude)
        let mean = latitudes.reduce(0, +) / Double(max(latitudes.count, 1))
        return 1 / cos(mean * .pi / 180)
    }

    /// Cities (lon, lat, name) and arrows (x, y, dx, dy, arrow style).
    public var dataFiles: [String: String] {
        let cityRows = cities.map {
            [GnuplotText.number($0.point.longitude), GnuplotText.number($0.point.latitude), GnuplotText.cell($0.name)].joined(separator: "\t")
        }
        var arrowRows: [String] = []
        let points = Dictionary(cities.map { ($0.id, $0.point) }, uniquingKeysWith: { first, _ in first })
        let scale = aspect
        let largest = arrows.map(\.value).max() ?? 1
        for (k, arrow) in arrows.enumerated() {
            guard let from = points[arrow.origin], let to = points[arrow.destination] else { continue }
            // Work in map units (longitude, latitude × aspect) so offsets are perpendicular on screen.
            let x0 = from.longitude, y0 = from.latitude * scale, x1 = to.longitude, y1 = to.latitude * scale
            let length = max(hypot(x1 - x0, y1 - y0), 1e-9)
            let (ux, uy) = ((x1 - x0) / length, (y1 - y0) / length)
            // Shift to the right of the direction of travel by more than half the arrow's
            // width, so a flow and its return run side by side, and stop short of the cities
            // so the heads do not hide their dots (degrees of longitude).
            // A net flow has no return arrow beside it and runs straight between the cities.
            let side = net ? 0 : 0.03 + 0.07 * arrow.value / max(largest, .leastNormalMagnitude), inset = min(0.12, length / 4)
            let (sx, sy) = (uy * side, -ux * side)
            let start = (x0 + ux * inset + sx, y0 + uy * inset + sy)
            let end = (x1 - ux * inset + sx, y1 - uy * inset + sy)
            arrowRows.append([start.0, start.1 / scale, end.0 - start.0, (end.1 - start.1) / scale, Double(k + 1)]
                .map(GnuplotText.number).joined(separator: "\t"))
        }
        return ["cities.dat": cityRows.joined(separator: "\n") + "\n", "arrows.dat": arrowRows.joined(separator: "\n") + "\n"]
    }

    /// One arrow style per flow (width by value), the arrows, their values, the cities.
    public var commands: String {
        let longitudes = cities.map(\.point.longitude), latitudes = cities.map(\.point.latitude)
        let pad = 0.6
        var lines = [
            // gnuplot centres the title over the map, which the legend beside it narrows to
            // about half the picture: lines of width / 20 characters fit over it.
            "set title \(GnuplotText.quoted(GnuplotText.wrapped(title, columns: size.width / 20))) font ',15'",
            "set xlabel 'longitude (°E)'",
            "set ylabel 'latitude (°N)'",
            "set grid lc rgb '#eeeeee'",
            "set border lc rgb '#555555'",
            "set size ratio -\(aspect)",
            // City names on white boxes drawn over the arrows, so an arrow never hides one.
            "set style textbox opaque fc rgb 'white' noborder margins 1,1",
            "set key outside right top vertical Right noreverse samplen 5 spacing 1.5 title \(net ? "'largest net flows, largest first'" : "'largest flows, largest first'") font ',12'",
            "set xrange [\((longitudes.min() ?? 0) - pad):\((longitudes.max() ?? 1) + pad)]",
            "set yrange [\((latitudes.min() ?? 0) - pad):\((latitudes.max() ?? 1) + pad)]",
        ]
        let largest = arrows.map(\.value).max() ?? 1
        for (k, arrow) in arrows.enumerated() {
            let width = 1 + 9 * arrow.value / max(largest, .leastNormalMagnitude)
            lines.append(
                "set style arrow \(k + 1) head filled size screen 0.012,25,60 lw \(String(format: "%.2f", width)) lc rgb '#b2182b'")
        }
        var plots = [
            "'arrows.dat' using 1:2:3:4:5 with vectors arrowstyle variable notitle",
            "'cities.dat' using 1:2 with points pt 7 ps 1.3 lc rgb '#252525' notitle",
            "'cities.dat' using 1:2:3 with labels boxed left offset 0.7,0.5 font ',11' tc rgb '#252525' notitle",
        ]
        for (k, arrow) in arrows.enumerated() {
            plots.append("keyentry with vectors arrowstyle \(k + 1) title \(GnuplotText.quoted(arrowTitle(arrow)))")
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
        return lines.joined(separator: "\n")
    }
}
