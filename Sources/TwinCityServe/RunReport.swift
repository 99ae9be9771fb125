// `twincity report`: one self-contained HTML file of a run directory — map, charts as inline
// SVG, summary tables, the resolved scenario and the manifest's provenance — that opens
// offline and can be mailed.
import Foundation
import TwinCityExport
import TwinCityScenario

/// The tables of one run directory, as read back for the report by the export module's
/// `RunDirectoryReader`.
public struct RunTables: Sendable {
    /// The directory, as given.
    public let path: String
    /// Header and rows of cities.csv, region.csv and the flow files (replication 0 of an
    /// ensemble).
    let cities: RunFileTable
    let region: RunFileTable
    let flows: [String: RunFileTable]
    /// manifest.json as parsed JSON.
    public let manifest: [String: any Sendable]

    /// Reads a run directory.
    ///
    /// - Throws: `ReportInputError` naming the missing or unreadable file (and the line of a
    ///   row of the wrong length).
    public init(path: String) throws {
        self.path = path
        func read(_ name: String) throws -> RunFileTable {
            do {
                return try RunDirectoryReader.table(name, in: path).firstReplication()
            } catch {
                throw ReportInputError(message: error.description)
            }
        }
        cities = try read("cities.csv")
        region = try read("region.csv")
        var flows: [String: RunFileTable] = [:]
        for kind in ["population", "capital", "industry"] {
            flows[kind] = try read("flows_\(kind).csv")
        }
        self.flows = flows
        do {
            manifest = try RunDirectoryReader.manifest(in: path).mapValues { Self.sendable($0) }
        } catch {
            throw ReportInputError(message: error.description)
        }
        for table in [cities, region] where table.index(of: "year") == nil {
            throw ReportInputError(message: "\(table.file): column 'year' missing")
        }
    }

    private static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let d as [String: Any]: return d.mapValues { sendable($0) }
        case let a as [Any]: return a.map { sendable($0) }
        case let s as String: return s
        case let n as NSNumber: return n.doubleValue
        default: return String(describing: value)
        }
    }

    /// Years of region.csv, in order.
    var years: [Double] {
        let y = region.index(of: "year")!
        return region.rows.compactMap { Double($0[y]) }
    }

    /// (year, value) of a region.csv column.
    func regionSeries(_ variable: String) -> [(Double, Double)] {
        guard let y = region.index(of: "year"), let v = region.index(of: variable) else { return [] }
        return region.rows.compactMap { row in Double(row[y]).flatMap { year in Double(row[v]).map { (year, $0) } } }
    }

    /// The value of a cities.csv column for `city` in `year`.
    func cityValue(_ city: String, _ variable: String, year: Double) -> Double? {
        guard let y = cities.index(of: "year"), let c = cities.index(of: "city"), let v = cities.index(of: variable) else { return nil }
        return cities.rows.first { $0[c] == city && Double($0[y]) == year }.flatMap { Double($0[v]) }
    }

    /// City ids in the order of cities.csv.
    var cityIDs: [String] {
        guard let c = cities.index(of: "city") else { return [] }
        var seen: [String] = []
        for row in cities.rows where !seen.contains(row[c]) { seen.append(row[c]) }
        return seen
    }
}

/// A report input that is not a readable run directory; exit status 2.
public struct ReportInputError: UserInputError {
    public let message: String
    public var description: String { message }
}

/// Renders the report.
public enum RunReport {
    /// Region variables charted, with their units (docs/OUTPUTS.md).
    static let regionCharts: [(String, String)] = [
        ("gdp", "region GDP, 亿元/yr (2020 prices)"), ("population", "region population, 10⁴ persons"),
        ("gdp_per_capita", "GDP per capita, yuan"), ("chengdu_gdp_share", "Chengdu's share of region GDP"),
        ("chongqing_gdp_share", "Chongqing's share of region GDP"), ("theil_gdp_per_capita", "Theil index of GDP per capita"),
    ]

    /// The report of `run`, against `base` when given.
    ///
    /// - Parameter boundaries: GeoJSON of the prefecture outlines (seeds/prefectures.geojson).
    public static func html(run: RunTables, base: RunTables?, boundaries: Data?) -> String {
        let name = (run.manifest["scenario"] as? [String: any Sendable])?["name"] as? String ?? (run.path as NSString).lastPathComponent
        var body = "<h1>twincity report: \(escape(name))</h1>\n"
        body += "<p>Run directory <code>\(escape(run.path))</code>"
        if let base { body += ", compared with <code>\(escape(base.path))</code>" }
        body += ".</p>\n"
        body += "<h2>Map</h2>\n" + mapSVG(run: run, boundaries: boundaries)
        body += "<h2>Region</h2>\n<div class=\"charts\">"
        for (variable, label) in regionCharts {
            let mine = run.regionSeries(variable)
            guard !mine.isEmpty else { continue }
            var lines = [("run", mine, false)]
            if let base { lines.append(("comparison", base.regionSeries(variable), true)) }
            body += "<figure>" + lineChart(lines: lines, label: label) + "<figcaption>\(escape(label))</figcaption></figure>"
        }
        body += "</div>\n<h2>Cities in \(run.years.last.map { String(Int($0)) } ?? "")</h2>\n" + cityTable(run: run, base: base)
        body += "<h2>Scenario as resolved</h2>\n<pre>\(escape(json(run.manifest["scenario"])))</pre>\n"
        var provenance = run.manifest
        provenance["scenario"] = nil
        provenance["city_coordinates"] = nil
        body += "<h2>Provenance (manifest.json)</h2>\n<pre>\(escape(json(provenance)))</pre>\n"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>twincity report: \(escape(name))</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 16px auto; max-width: 1000px; color: #222; }
            h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; }
            .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
            figure { margin: 0; } figcaption { font-size: 12px; color: #555; }
            svg { width: 100%; background: #fff; border: 1px solid #ddd; }
            svg text { font-size: 10px; fill: #333; }
            table { border-collapse: collapse; font-size: 12px; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: right; }
            td:first-child, th:first-child { text-align: left; }
            pre { background: #f6f6f6; padding: 8px; font-size: 11px; overflow: auto; max-height: 400px; }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func json(_ value: Any?) -> String {
        guard let value, JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func number(_ x: Double) -> String {
        abs(x) >= 1000 ? String(format: "%.0f", x) : abs(x) >= 1 ? String(format: "%.3f", x) : String(format: "%.4g", x)
    }

    /// A line chart of (year, value) series; a dashed line for a comparison.
    static func lineChart(lines: [(String, [(Double, Double)], Bool)], label: String) -> String {
        let w = 460.0, h = 240.0, l = 64.0, r = 80.0, t = 12.0, b = 28.0
        let points = lines.flatMap(\.1)
        guard var x0 = points.map(\.0).min(), var x1 = points.map(\.0).max(),
              var y0 = points.map(\.1).min(), var y1 = points.map(\.1).max() else { return "" }
        if x0 == x1 { x0 -= 1; x1 += 1 }
        if y0 == y1 { y0 -= 1; y1 += 1 }
        func X(_ x: Double) -> Double { l + (x - x0) / (x1 - x0) * (w - l - r) }
        func Y(_ y: Double) -> Double { h - b - (y - y0) / (y1 - y0) * (h - t - b) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(escape(label))\">"
        svg += "<line x1=\"\(l)\" y1=\"\(h - b)\" x2=\"\(w - r)\" y2=\"\(h - b)\" stroke=\"#555\"/><line x1=\"\(l)\" y1=\"\(t)\" x2=\"\(l)\" y2=\"\(h - b)\" stroke=\"#555\"/>"
        for k in 0...4 {
            let y = y0 + (y1 - y0) * Double(k) / 4, x = x0 + (x1 - x0) * Double(k) / 4
            svg += "<text x=\"\(l - 4)\" y=\"\(Y(y) + 3)\" text-anchor=\"end\">\(number(y))</text>"
            svg += "<text x=\"\(X(x))\" y=\"\(h - b + 14)\" text-anchor=\"middle\">\(Int(x.rounded()))</text>"
        }
        let colours = ["#1b6ca8", "#c0392b"]
        for (i, (name, series, dashed)) in lines.enumerated() where !series.isEmpty {
            let colour = colours[i % colours.count]
            let path = series.map { "\(X($0.0)),\(Y($0.1))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
            for (x, y) in series {
                svg += "<circle cx=\"\(X(x))\" cy=\"\(Y(y))\" r=\"2.5\" fill=\"\(colour)\" data-series=\"\(name)\" data-year=\"\(Int(x))\" data-value=\"\(y)\"><title>\(name) \(Int(x)): \(number(y))</title></circle>"
            }
            svg += "<text x=\"\(w - r + 4)\" y=\"\(Y(series.last!.1) + 3)\" fill=\"\(colour)\">\(name)</text>"
        }
        return svg + "</svg>"
    }

    /// The prefecture outlines, the cities coloured by GDP per capita in the last year, and
    /// the twelve largest population flows of that year as arrows.
    static func mapSVG(run: RunTables, boundaries: Data?) -> String {
        // manifest.json: `cities` (ids in roster order), `city_names`, `city_coordinates`.
        let ids = (run.manifest["cities"] as? [any Sendable])?.compactMap { $0 as? String } ?? []
        let names = run.manifest["city_names"] as? [String: any Sendable] ?? [:]
        let coordinates = run.manifest["city_coordinates"] as? [String: any Sendable] ?? [:]
        var located: [(id: String, name: String, lon: Double, lat: Double)] = []
        for id in ids {
            guard let c = coordinates[id] as? [String: any Sendable], let lat = c["latitude"] as? Double,
                  let lon = c["longitude"] as? Double else { continue }
            located.append((id, names[id] as? String ?? id, lon, lat))
        }
        var rings: [(String, [[(Double, Double)]])] = []
        if let boundaries, let object = try? JSONSerialization.jsonObject(with: boundaries) as? [String: Any],
           let features = object["features"] as? [[String: Any]] {
            for feature in features {
                let name = (feature["properties"] as? [String: Any])?["name"] as? String ?? ""
                let polygons = (feature["geometry"] as? [String: Any])?["coordinates"] as? [[[[Double]]]] ?? []
                rings.append((name, polygons.compactMap { $0.first?.map { ($0[0], $0[1]) } }))
            }
        }
        let all = located.map { ($0.lon, $0.lat) } + rings.flatMap { $0.1.flatMap { $0 } }
        guard let lon0 = all.map(\.0).min(), let lon1 = all.map(\.0).max(),
              let lat0 = all.map(\.1).min(), let lat1 = all.map(\.1).max(), lon1 > lon0, lat1 > lat0 else { return "<p>No coordinates in manifest.json.</p>" }
        let k = cos((lat0 + lat1) / 2 * .pi / 180), w = 640.0, h = 460.0
        let s = min((w - 20) / ((lon1 - lon0) * k), (h - 20) / (lat1 - lat0))
        func P(_ lon: Double, _ lat: Double) -> (Double, Double) { (10 + (lon - lon0) * k * s, 10 + (lat1 - lat) * s) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"map\">"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1b4f72\"/></marker></defs>"
        for (name, polygons) in rings {
            let d = polygons.map { ring in "M" + ring.map { let p = P($0.0, $0.1); return String(format: "%.1f,%.1f", p.0, p.1) }.joined(separator: "L") + "Z" }.joined()
            svg += "<path class=\"division\" d=\"\(d)\" fill=\"#eef3f6\" stroke=\"#7f8c8d\" stroke-width=\"0.7\"><title>\(escape(name))</title></path>"
        }
        let year = run.years.last ?? 0
        let values = located.compactMap { run.cityValue($0.id, "gdp_per_capita", year: year) }
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        let flows = run.flows["population"]!
        if let y = flows.index(of: "year"), let o = flows.index(of: "origin"), let d = flows.index(of: "destination"), let v = flows.index(of: "value") {
            let top = flows.rows.filter { Double($0[y]) == year }.sorted { (Double($0[v]) ?? 0) > (Double($1[v]) ?? 0) }.prefix(12)
            let biggest = top.first.flatMap { Double($0[v]) } ?? 1
            let at = Dictionary(located.map { ($0.id, P($0.lon, $0.lat)) }, uniquingKeysWith: { a, _ in a })
            for row in top {
                guard let a = at[row[o]], let b = at[row[d]], let value = Double(row[v]) else { continue }
                svg += "<line class=\"flow\" x1=\"\(a.0)\" y1=\"\(a.1)\" x2=\"\(b.0)\" y2=\"\(b.1)\" stroke=\"#1b4f72\" stroke-opacity=\"0.6\" stroke-width=\"\(1 + 5 * value / biggest)\" marker-end=\"url(#arrow)\"><title>\(row[o]) → \(row[d]) \(Int(year)): \(number(value)) 10⁴ persons</title></line>"
            }
        }
        for city in located {
            let p = P(city.lon, city.lat)
            let value = run.cityValue(city.id, "gdp_per_capita", year: year)
            let t = value.map { hi > lo ? ($0 - lo) / (hi - lo) : 0.5 } ?? 0
            let fill = String(format: "rgb(%d,%d,%d)", Int(255 - 75 * t), Int(245 - 215 * t), Int(200 - 170 * t))
            svg += "<circle class=\"city\" cx=\"\(p.0)\" cy=\"\(p.1)\" r=\"6\" fill=\"\(fill)\" stroke=\"#333\" stroke-width=\"0.8\"><title>\(escape(city.name)): GDP per capita \(Int(year)) \(value.map(number) ?? "–") yuan</title></circle>"
            svg += "<text x=\"\(p.0 + 8)\" y=\"\(p.1 - 6)\">\(escape(city.name))</text>"
        }
        svg += "</svg>"
        return svg + "<p>Cities coloured by GDP per capita in \(Int(year)) (\(number(lo)) light – \(number(hi)) yuan dark); arrows: the twelve largest population flows of \(Int(year)). Outlines: seeds/prefectures.geojson.</p>"
    }

    /// Population, GDP and GDP per capita of every city in the last year, with the % difference
    /// to the comparison run.
    static func cityTable(run: RunTables, base: RunTables?) -> String {
        guard let year = run.years.last else { return "" }
        let variables = [("population", "population, 10⁴"), ("gdp", "GDP, 亿元/yr"), ("gdp_per_capita", "GDP per capita, yuan")]
        var html = "<table><tr><th>city</th>"
        for (_, label) in variables {
            html += "<th>\(label)</th>"
            if base != nil { html += "<th>% vs comparison</th>" }
        }
        html += "</tr>"
        for city in run.cityIDs {
            html += "<tr><td>\(escape(city))</td>"
            for (variable, _) in variables {
                let mine = run.cityValue(city, variable, year: year)
                html += "<td>\(mine.map(number) ?? "–")</td>"
                if let base {
                    let theirs = base.cityValue(city, variable, year: year)
                    let diff = mine.flatMap { m in theirs.map { 100 * (m - $0) / $0 } }
                    html += "<td>\(diff.map { String(format: "%+.2f", $0) } ?? "–")</td>"
                }
            }
            html += "</tr>"
        }
        return html + "</table>"
    }
}
