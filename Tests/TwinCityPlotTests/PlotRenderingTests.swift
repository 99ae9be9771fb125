// Pictures gnuplot draws from real baseline runs: PNG and SVG of a single run, an ensemble
// and a comparison, and a flow map; each checked for format, size, legend and axis labels.
import Foundation
import TwinCityPlot
import XCTest

final class PlotRenderingTests: RunFixturesTestCase {
    /// A scratch folder for pictures, removed when the test ends.
    func scratch() throws -> URL {
        try scratchFolder()
    }

    let fiveCities = ["chengdu", "chongqing_core", "mianyang", "deyang", "yibin"]
    let fiveNames = ["Chengdu", "Chongqing core", "Mianyang", "Deyang", "Yibin"]
    let gdpAxis = "GDP (100 million yuan per year, 2020 prices)"

    /// Renders `chart` as PNG and SVG; checks the PNG's signature, size and weight and
    /// returns the SVG's texts.
    func renderBoth(_ chart: some GnuplotChart, width: Int, height: Int) throws -> [String] {
        let folder = try scratch()
        let png = folder.appendingPathComponent("nested/chart.png")
        try Gnuplot.render(chart, format: .png, to: png)
        let pngData = try Data(contentsOf: png)
        let size = try pngSize(pngData)
        XCTAssertEqual(size.width, width)
        XCTAssertEqual(size.height, height)
        XCTAssertGreaterThan(pngData.count, 5_000, "a real picture, not an empty canvas")

        let svg = folder.appendingPathComponent("chart.svg")
        try Gnuplot.render(chart, format: .svg, to: svg)
        let svgData = try Data(contentsOf: svg)
        XCTAssertGreaterThan(svgData.count, 5_000)
        return svgText(svgData)
    }

    func testSingleRunLineChart() throws {
        try requireGnuplot()
        let run = try RunData(path: try runs().single.path)
        let chart = try LineChart(run: run, variable: "gdp", scope: .cities(fiveCities))
        XCTAssertEqual(chart.seriesTitles, fiveNames, "legend shows English names, in the order asked")
        XCTAssertEqual(chart.yLabel, gdpAxis)
        let texts = try renderBoth(chart, width: 1280, height: 800)
        for name in fiveNames + [gdpAxis, "year", "2020", "2026"] {
            XCTAssertTrue(texts.contains(name), "SVG shows '\(name)': \(texts)")
        }
        XCTAssertTrue(texts.contains { $0.hasPrefix("GDP by city — baseline") }, "\(texts)")
    }

    func testEnsembleBandComesFromTheSummary() throws {
        try requireGnuplot()
        let run = try RunData(path: try runs().ensemble.path)
        XCTAssertEqual(run.replications, 3)
        let chart = try LineChart(run: run, variable: "gdp", scope: .cities(["chengdu", "chongqing_core"]))
        XCTAssertTrue(chart.title.contains("mean of 3 replications; shaded: 5th to 95th percentile"), chart.title)

        // The data gnuplot draws for Chengdu are summary.csv's mean, p05 and p95, unchanged.
        let summary = try String(contentsOf: try runs().ensemble.appendingPathComponent("summary.csv"), encoding: .utf8)
        let expected = summary.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count == 9 && $0[1] == "city" && $0[2] == "chengdu" && $0[3] == "gdp" }
        let block = try XCTUnwrap(chart.dataFiles["series.dat"]?.components(separatedBy: "\n\n\n").first)
        let drawn = block.split(separator: "\n").map { $0.split(separator: "\t").map { Double($0)! } }
        XCTAssertEqual(drawn.count, 7, "2020–2026")
        for (row, line) in zip(expected, drawn) {
            XCTAssertEqual(line[0], Double(row[0]))
            XCTAssertEqual(line[1], Double(row[4]), "mean")
            XCTAssertEqual(line[2], Double(row[6]), "p05")
            XCTAssertEqual(line[3], Double(row[8]), "p95")
        }
        XCTAssertLessThan(drawn[6][2], drawn[6][3], "the replications spread by the last year")

        let texts = try renderBoth(chart, width: 1280, height: 800)
        for name in ["Chengdu", "Chongqing core", gdpAxis] { XCTAssertTrue(texts.contains(name), "SVG shows '\(name)'") }
    }

    func testComparisonDrawsTheSecondRunDashed() throws {
        try requireGnuplot()
        let run = try RunData(path: try runs().single.path)
        let other = try RunData(path: try runs().other.path)
        let chart = try LineChart(run: run, variable: "population", scope: .cities(["chengdu", "chongqing_core"]), compare: other)
        XCTAssertEqual(chart.seriesTitles, ["Chengdu", "Chongqing core", "Chengdu (baseline-seed-7)", "Chongqing core (baseline-seed-7)"])
        XCTAssertEqual(chart.yLabel, "Population (10,000 persons)")
        XCTAssertTrue(chart.commands.contains("dashtype"), "the compared run is dashed")
        let texts = try renderBoth(chart, width: 1280, height: 800)
        for name in chart.seriesTitles + ["Population (10,000 persons)"] { XCTAssertTrue(texts.contains(name), "SVG shows '\(name)'") }
        XCTAssertTrue(texts.contains { $0.contains("baseline (solid) vs baseline-seed-7 (dashed)") }, "\(texts)")
    }

    func testEnsembleComparedWithASingleRun() throws {
        try requireGnuplot()
        let chart = try LineChart(
            run: RunData(path: try runs().ensemble.path), variable: "gdp", scope: .region, compare: RunData(path: try runs().single.path))
        XCTAssertEqual(chart.seriesTitles, ["region", "region (baseline)"])
        let texts = try renderBoth(chart, width: 1280, height: 800)
        XCTAssertTrue(texts.contains(gdpAxis))
    }

    func testRegionAndZoneTotals() throws {
        let run = try RunData(path: try runs().single.path)
        // Zone totals of an additive city variable equal region.csv's zone columns.
        let zones = try LineChart(run: run, variable: "gdp", scope: .zones(["chengdu_plain", "chongqing"]))
        XCTAssertEqual(zones.seriesTitles, ["Chengdu plain", "Chongqing"])
        let region = try String(contentsOf: try runs().single.appendingPathComponent("region.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try XCTUnwrap(region[0].firstIndex(of: "gdp_chengdu_plain"))
        let block = try XCTUnwrap(zones.dataFiles["series.dat"]?.components(separatedBy: "\n\n\n").first)
        let drawn = block.split(separator: "\n").map { Double($0.split(separator: "\t")[1])! }
        for (value, row) in zip(drawn, region.dropFirst()) {
            let expected = try XCTUnwrap(Double(row[column]))
            // The same cities summed in another order: a few ulps apart at most.
            XCTAssertEqual(value, expected, accuracy: 1e-12 * expected)
        }
        // A region-only variable defaults to the region; a city variable sums over cities.
        XCTAssertEqual(try LineChart(run: run, variable: "theil_gdp_per_capita").seriesTitles, ["region"])
        XCTAssertEqual(try LineChart(run: run, variable: "capital", scope: .region).seriesTitles, ["region (sum of cities)"])
        XCTAssertEqual(try LineChart(run: run, variable: "wage").seriesTitles.count, 23, "every city by default")
    }

    func testFlowMap() throws {
        try requireGnuplot()
        let run = try RunData(path: try runs().single.path)
        XCTAssertEqual(run.cityNames["aba"], "Ngawa", "long prefecture names are shortened for legends")
        let map = try FlowMap(run: run, kind: "population", year: 2025, top: 8)
        XCTAssertEqual(map.arrowTitles.count, 8)
        XCTAssertTrue(map.title.contains("2025"), map.title)
        XCTAssertTrue(map.title.contains("10,000 persons"), map.title)
        let values = map.arrowTitles.map { Double($0.split(separator: " ").last!)! }
        XCTAssertEqual(values, values.sorted(by: >), "largest first")
        let texts = try renderBoth(map, width: 1200, height: 1000)
        for name in ["Chengdu", "Chongqing core", "Ngawa", "longitude (°E)", "latitude (°N)"] + map.arrowTitles {
            XCTAssertTrue(texts.contains(name), "SVG shows '\(name)'")
        }
        // An ensemble's flows are the mean over replications.
        let ensembleMap = try FlowMap(run: RunData(path: try runs().ensemble.path), kind: "capital", year: 2026, top: 3)
        XCTAssertTrue(ensembleMap.title.contains("mean of 3 replications"), ensembleMap.title)
        XCTAssertEqual(ensembleMap.arrowTitles.count, 3)
    }

    func testUnknownNamesSuggestTheNearestValidOne() throws {
        let run = try RunData(path: try runs().single.path)
        func assertUnknown(_ body: @autoclosure () throws -> Any, kind: String, name: String, nearest: String, line: UInt = #line) {
            XCTAssertThrowsError(try body(), line: line) { error in
                guard case .unknownName(let foundKind, let foundName, _, let foundNearest)? = error as? PlotError else {
                    return XCTFail("unexpected error \(error)", line: line)
                }
                XCTAssertEqual([foundKind, foundName, foundNearest], [kind, name, nearest], line: line)
                XCTAssertTrue((error as? PlotError)?.isUserInput == true, line: line)
                XCTAssertTrue("\(error)".contains("did you mean '\(nearest)'"), "\(error)", line: line)
            }
        }
        assertUnknown(try LineChart(run: run, variable: "gpd"), kind: "variable", name: "gpd", nearest: "gdp")
        assertUnknown(try LineChart(run: run, variable: "theil_gdp_percapita"), kind: "variable", name: "theil_gdp_percapita", nearest: "theil_gdp_per_capita")
        assertUnknown(try LineChart(run: run, variable: "gdp", scope: .cities(["chengdu", "chongqing_cor"])), kind: "city", name: "chongqing_cor", nearest: "chongqing_core")
        assertUnknown(try LineChart(run: run, variable: "gdp", scope: .zones(["sout"])), kind: "zone", name: "sout", nearest: "south")
        assertUnknown(try FlowMap(run: run, kind: "population", year: 2040), kind: "year", name: "2040", nearest: "2026")
        assertUnknown(try FlowMap(run: run, kind: "populaton", year: 2025), kind: "flow kind", name: "populaton", nearest: "population")

        XCTAssertThrowsError(try FlowMap(run: run, kind: "population", year: 2020)) { error in
            XCTAssertTrue("\(error)".contains("the nearest year with flows is 2021"), "\(error)")
        }
        XCTAssertThrowsError(try LineChart(run: run, variable: "wage", scope: .zones(["south"]))) { error in
            XCTAssertTrue("\(error)".contains("does not add up"), "\(error)")
        }
        XCTAssertThrowsError(try LineChart(run: run, variable: "migrants", scope: .cities(["chengdu"]))) { error in
            XCTAssertTrue("\(error)".contains("--region"), "\(error)")
        }
        XCTAssertThrowsError(try RunData(path: "/nonexistent/run")) { error in
            XCTAssertTrue((error as? PlotError)?.isUserInput == true)
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }

    func testNamesAndCoordinatesFallBackOnTheRecordedRoster() throws {
        // A run directory whose manifest lacks city_names and city_coordinates still gets
        // English names and a map from the roster its resolved scenario names.
        let folder = try scratch()
        let copy = folder.appendingPathComponent("old-run")
        try FileManager.default.copyItem(at: try runs().single, to: copy)
        let manifestURL = copy.appendingPathComponent("manifest.json")
        var manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        manifest["city_names"] = nil
        manifest["city_coordinates"] = nil
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let run = try RunData(path: copy.path)
        XCTAssertEqual(run.cityNames["chengdu"], "Chengdu")
        XCTAssertEqual(run.cityNames["guangan"], "Guang'an")
        XCTAssertEqual(run.cityNames["liangshan"], "Liangshan")
        XCTAssertEqual(run.coordinates.count, 23)
        XCTAssertEqual(run.coordinates["chongqing_core"], GeoPoint(latitude: 29.5636, longitude: 106.5503))
    }

    func testGnuplotIsLookedUpOnThePath() {
        XCTAssertNil(Gnuplot.executable(environment: ["PATH": "/nonexistent:/also/not/here"]))
        XCTAssertEqual(PlotError.gnuplotMissing.description, "plotting needs gnuplot; install it with: sudo apt-get install gnuplot-nox")
        XCTAssertFalse(PlotError.gnuplotMissing.isUserInput, "a missing program is not the user's typo: exit status 1")
    }
}
