// The ways of drawing a chart besides its levels, each checked against the run files' own
// cells: an effect (B − A, %, and for ensembles the paired differences), an index of a base
// year, a log scale, small multiples, a palette that does not repeat, net flows, titles
// wrapped instead of cut, model units for the core–periphery model. The last test draws one
// picture of each kind, the gallery of docs/PLOTTING.md.
import Foundation
import TwinCityExport
import TwinCityPlot
import XCTest

final class PlotOptionsTests: RunFixturesTestCase {
    /// The rows of a run's CSV file as dictionaries by column name.
    func rows(_ run: URL, _ file: String) throws -> [[String: String]] {
        let table = parseCSV(try String(contentsOf: run.appendingPathComponent(file), encoding: .utf8))
        return table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
    }

    /// `variable` of `city` in cities.csv of `run`, by replication (0 for a single run) and year.
    func cells(_ run: URL, city: String, _ variable: String) throws -> [Int: [String: Double]] {
        var out: [Int: [String: Double]] = [:]
        for row in try rows(run, "cities.csv") where row["city"] == city {
            out[Int(row["replication"] ?? "0")!, default: [:]][row["year"]!] = Double(row[variable]!)!
        }
        return out
    }

    /// The drawn blocks of a chart: per series, rows of year, value, band low, band high.
    func drawn(_ chart: LineChart) throws -> [[[Double]]] {
        let data = try XCTUnwrap(chart.dataFiles["series.dat"])
        return data.components(separatedBy: "\n\n\n").map { block in
            block.split(separator: "\n").map { $0.split(separator: "\t").map { Double($0) ?? .nan } }
        }
    }

    let years = (2020...2026).map(String.init)

    func testEffectIsTheComparedRunMinusThisOne() throws {
        let a = try RunData(path: try runs().single.path), b = try RunData(path: try runs().other.path)
        let absolute = try LineChart(run: a, variable: "gdp", scope: .cities(["chengdu", "yibin"]), compare: b, options: .init(effect: .absolute))
        let percent = try LineChart(run: a, variable: "gdp", scope: .cities(["chengdu", "yibin"]), compare: b, options: .init(effect: .percent))
        XCTAssertEqual(absolute.seriesTitles, ["Chengdu", "Yibin"], "one line per city, not one per run")
        XCTAssertEqual(absolute.yLabel, "change in GDP (100 million yuan per year, 2020 prices)")
        XCTAssertEqual(percent.yLabel, "change in GDP (%)")
        XCTAssertTrue(absolute.title.hasPrefix("Effect on GDP by city: baseline-seed-7 − baseline"), absolute.title)
        XCTAssertTrue(absolute.commands.contains("set xzeroaxis"), "an effect chart marks zero")
        for (k, city) in ["chengdu", "yibin"].enumerated() {
            let cellsA = try cells(try runs().single, city: city, "gdp")[0]!, cellsB = try cells(try runs().other, city: city, "gdp")[0]!
            let lineAbs = try drawn(absolute)[k], linePct = try drawn(percent)[k]
            XCTAssertEqual(lineAbs.count, years.count)
            for (i, year) in years.enumerated() {
                // The same floating-point operations as the chart: exact.
                XCTAssertEqual(lineAbs[i][1], cellsB[year]! - cellsA[year]!, "\(city) \(year)")
                XCTAssertEqual(linePct[i][1], 100 * (cellsB[year]! / cellsA[year]! - 1), "\(city) \(year)")
                XCTAssertTrue(lineAbs[i][2].isNaN, "a single pair has no band")
            }
        }
        // Two different shock draws differ after the base year: the effect is not all zero.
        XCTAssertNotEqual(try drawn(absolute)[0].last![1], 0)
    }

    func testEnsembleEffectIsTheMeanAndBandOfThePairedDifferences() throws {
        let a = try RunData(path: try runs().ensemble.path), b = try RunData(path: try runs().policyEnsemble.path)
        let chart = try LineChart(run: a, variable: "capital", scope: .cities(["mianyang"]), compare: b, options: .init(effect: .absolute))
        XCTAssertTrue(chart.title.contains("mean of 3 paired replications (same seeds); shaded: 5th to 95th percentile of the paired differences"), chart.title)
        let cellsA = try cells(try runs().ensemble, city: "mianyang", "capital"), cellsB = try cells(try runs().policyEnsemble, city: "mianyang", "capital")
        let line = try drawn(chart)[0]
        for (i, year) in years.enumerated() {
            let differences = (0..<3).map { cellsB[$0]![year]! - cellsA[$0]![year]! }.sorted()
            // Mean, and GSL's quantile of sorted data by hand: with 3 values, (n − 1)·0.05 = 0.1
            // and (n − 1)·0.95 = 1.9 interpolate between neighbouring order statistics.
            let mean = differences.reduce(0, +) / 3
            let p05 = 0.9 * differences[0] + 0.1 * differences[1], p95 = 0.1 * differences[1] + 0.9 * differences[2]
            let scale = max(1, differences.map(abs).max()!)
            XCTAssertEqual(line[i][1], mean, accuracy: 1e-12 * scale, year)
            XCTAssertEqual(line[i][2], p05, accuracy: 1e-12 * scale, year)
            XCTAssertEqual(line[i][3], p95, accuracy: 1e-12 * scale, year)
        }
        XCTAssertGreaterThan(line.last![1], 0, "the fund adds capital in Mianyang, one of its recipients, by 2026")

        // An ensemble against itself: every pair differs by exactly 0, so the band is 0 too —
        // unpaired, the band would be the spread of the shocks.
        let itself = try drawn(try LineChart(run: a, variable: "gdp", scope: .cities(["chengdu"]), compare: a, options: .init(effect: .absolute)))[0]
        XCTAssertTrue(itself.allSatisfy { $0[1] == 0 && $0[2] == 0 && $0[3] == 0 }, "\(itself)")

        // A single run against an ensemble is not a paired comparison.
        XCTAssertThrowsError(try LineChart(run: try RunData(path: try runs().single.path), variable: "gdp", compare: a, options: .init(effect: .percent))) { error in
            XCTAssertTrue("\(error)".contains("an effect pairs replication k of one with replication k of the other"), "\(error)")
        }
        XCTAssertThrowsError(try LineChart(run: a, variable: "gdp", options: .init(effect: .percent))) { error in
            XCTAssertEqual("\(error)", "--effect draws another run's effect against this one; name that run with --compare RUN_DIR")
        }
        XCTAssertThrowsError(try LineChart(run: a, variable: "gdp", compare: b, options: .init(effect: .percent, indexYear: 2020))) { error in
            XCTAssertTrue("\(error)".hasPrefix("--effect and --index do not combine"), "\(error)")
        }
    }

    func testIndexIsOneHundredInTheBaseYear() throws {
        let run = try RunData(path: try runs().single.path)
        let chart = try LineChart(run: run, variable: "population", scope: .cities(["chengdu", "ganzi"]), options: .init(indexYear: 2020))
        XCTAssertEqual(chart.yLabel, "Population (index, 2020 = 100)")
        XCTAssertTrue(chart.title.hasPrefix("Population by city, index 2020 = 100"), chart.title)
        for (k, city) in ["chengdu", "ganzi"].enumerated() {
            let values = try cells(try runs().single, city: city, "population")[0]!
            let line = try drawn(chart)[k]
            XCTAssertEqual(line[0][1], 100, "exactly 100 in the base year")
            for (i, year) in years.enumerated() {
                XCTAssertEqual(line[i][1], 100 * values[year]! / values["2020"]!, "\(city) \(year)")
            }
        }
        // An ensemble is indexed replication by replication: its band in the base year is 100 to 100.
        let ensemble = try drawn(try LineChart(run: RunData(path: try runs().ensemble.path), variable: "gdp", scope: .cities(["chengdu"]), options: .init(indexYear: 2020)))[0]
        XCTAssertEqual(ensemble[0][1...3].map { $0 }, [100, 100, 100])
        XCTAssertLessThan(ensemble.last![2], ensemble.last![3], "the shocks spread the index after the base year")

        XCTAssertThrowsError(try LineChart(run: run, variable: "gdp", options: .init(indexYear: 2019))) { error in
            XCTAssertEqual(error as? PlotError, .unknownName(kind: "year", name: "2019", place: run.path, nearest: "2020"))
        }
        XCTAssertThrowsError(try LineChart(run: run, variable: "transfers", scope: .cities(["chengdu"]), options: .init(indexYear: 2020))) { error in
            XCTAssertEqual("\(error)", "Chengdu is 0.0 in 2020, so it has no index with that base year; choose another year with --index")
        }
    }

    func testLogScaleNeedsPositiveValues() throws {
        let run = try RunData(path: try runs().single.path)
        let chart = try LineChart(run: run, variable: "gdp", options: .init(logScale: true))
        XCTAssertTrue(chart.commands.contains("set logscale y"))
        XCTAssertFalse(try LineChart(run: run, variable: "gdp").commands.contains("logscale"))
        XCTAssertThrowsError(try LineChart(run: run, variable: "transfers", scope: .cities(["chengdu"]), options: .init(logScale: true))) { error in
            XCTAssertEqual("\(error)", "--log needs positive values, but Chengdu is 0.0 in 2020; draw it without --log")
        }
        XCTAssertThrowsError(try LineChart(run: run, variable: "gdp", compare: run, options: .init(effect: .absolute, logScale: true))) { error in
            XCTAssertEqual("\(error)", "--log needs positive values and an effect can be negative or zero; draw the effect without --log")
        }
    }

    func testSmallMultiplesDrawOnePanelPerCity() throws {
        try requireGnuplot()
        let run = try RunData(path: try runs().single.path), other = try RunData(path: try runs().other.path)
        let chart = try LineChart(run: run, variable: "gdp", compare: other, options: .init(facet: true))
        let count = try runs().cityCount
        XCTAssertEqual(chart.seriesTitles.count, 2 * count, "a solid and a dashed line per city")
        let columns = Int((Double(count) * 1.5).squareRoot().rounded(.up)), rows = (count + columns - 1) / columns
        XCTAssertTrue(chart.commands.contains("set multiplot layout \(rows),\(columns) "), chart.commands)
        XCTAssertEqual(chart.commands.components(separatedBy: "\nplot ").count - 1, count, "one plot per panel")
        XCTAssertEqual(chart.size.width, max(1280, 300 * columns))
        XCTAssertEqual(chart.size.height, 130 + 230 * rows)
        XCTAssertTrue(chart.title.contains("; GDP (100 million yuan per year, 2020 prices)"), "the unit moves into the title: \(chart.title)")
        let folder = try scratchFolder()
        let svg = folder.appendingPathComponent("facet.svg")
        try Gnuplot.render(chart, format: .svg, to: svg)
        let texts = svgText(try Data(contentsOf: svg))
        for name in ["Chengdu", "Chongqing core", "Chongqing rest", "Ngawa", "Liangshan"] {
            XCTAssertTrue(texts.contains(name), "a panel titled \(name): \(texts.prefix(40))")
        }
    }

    func testEveryCityHasItsOwnColour() throws {
        let run = try RunData(path: try runs().single.path)
        let colours = try LineChart(run: run, variable: "gdp").seriesColours
        XCTAssertEqual(colours.count, try runs().cityCount)
        XCTAssertEqual(Set(colours).count, colours.count, "no colour repeats: \(colours)")
        XCTAssertFalse(colours.contains("#ffffff"), "no line is white on the white background")
        // The compared run keeps each city's colour, dashed, and hatches its band.
        let ensemble = try RunData(path: try runs().ensemble.path)
        let overlay = try LineChart(run: ensemble, variable: "gdp", scope: .cities(["chengdu"]), compare: RunData(path: try runs().policyEnsemble.path))
        XCTAssertEqual(Set(overlay.seriesColours).count, 1)
        XCTAssertTrue(overlay.commands.contains("fs transparent pattern 4 border"), overlay.commands)
        XCTAssertTrue(overlay.title.contains("(hatched: investment-fund-ensemble)"), overlay.title)
    }

    func testNetFlowsAreOneWayLessTheOther() throws {
        let run = try RunData(path: try runs().single.path)
        var gross: [String: Double] = [:]
        for row in try rows(try runs().single, "flows_population.csv") where row["year"] == "2025" {
            gross["\(row["origin"]!)>\(row["destination"]!)"] = Double(row["value"]!)!
        }
        let names = run.cityNames
        let byName = Dictionary(names.map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(byName.count, names.count, "every city has a name of its own: \(names)")
        let net = try FlowMap(run: run, kind: "population", year: 2025, top: 12)
        XCTAssertTrue(net.net)
        XCTAssertTrue(net.title.hasPrefix("Net migration over the interval ending 2025: the 12 largest of "), net.title)
        var seenPairs = Set<String>()
        var previous = Double.infinity
        for title in net.arrowTitles {
            // "Chengdu → Deyang: 1.23"
            let parts = title.components(separatedBy: ": "), ends = parts[0].components(separatedBy: " → ")
            let (origin, destination) = (byName[ends[0]]!, byName[ends[1]]!)
            XCTAssertTrue(seenPairs.insert([origin, destination].sorted().joined(separator: "|")).inserted, "one arrow per pair: \(title)")
            let expected = (gross["\(origin)>\(destination)"] ?? 0) - (gross["\(destination)>\(origin)"] ?? 0)
            XCTAssertGreaterThan(expected, 0, "the arrow points the way of the larger flow: \(title)")
            XCTAssertEqual(parts[1], String(format: "%.3g", expected), title)
            XCTAssertLessThanOrEqual(expected, previous, "largest first")
            previous = expected
        }
        let grossMap = try FlowMap(run: run, kind: "population", year: 2025, top: 12, net: false)
        XCTAssertTrue(grossMap.title.hasPrefix("Migration (gross) over the interval ending 2025"), grossMap.title)
        let largestGross = try XCTUnwrap(gross.values.max())
        XCTAssertEqual(grossMap.arrowTitles[0].components(separatedBy: ": ")[1], String(format: "%.3g", largestGross))
        XCTAssertTrue(net.commands.contains("with labels boxed"), "city names sit on white boxes above the arrows")
    }

    func testLongTitlesAreWrappedNotCut() throws {
        XCTAssertEqual(GnuplotText.wrapped("aaa bbb ccc ddd", columns: 7), "aaa bbb\nccc ddd")
        XCTAssertEqual(GnuplotText.wrapped("aaa bbb\nccc", columns: 3), "aaa\nbbb\nccc")
        XCTAssertEqual(GnuplotText.wrapped("abcdefgh ij", columns: 4), "abcdefgh\nij", "a word longer than a line stays whole")
        XCTAssertEqual(GnuplotText.wrapped("short", columns: 80), "short")
        let map = try FlowMap(run: RunData(path: try runs().ensemble.path), kind: "industry", year: 2026, top: 10)
        let title = try XCTUnwrap(map.commands.split(separator: "\n").first { $0.hasPrefix("set title ") })
        // Each line of the title is one single-quoted piece of the gnuplot string expression.
        let pieces = title.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        XCTAssertGreaterThan(pieces.count, 1, "the long title is broken: \(title)")
        XCTAssertTrue(pieces.allSatisfy { $0.count <= map.size.width / 14 }, "\(pieces)")
        XCTAssertTrue(pieces.joined(separator: " ").hasPrefix("Net industry relocation over the interval ending 2026"), "\(pieces)")
    }

    func testCorePeripheryIsInModelTimeAndUnits() throws {
        let run = try RunData(path: try runs().corePeriphery.path)
        XCTAssertTrue(run.modelTime)
        XCTAssertFalse(try RunData(path: try runs().single.path).modelTime)
        let chart = try LineChart(run: run, variable: "population")
        XCTAssertEqual(chart.xLabel, "model time")
        XCTAssertEqual(chart.yLabel, "Population (model units)")
        XCTAssertEqual(try LineChart(run: RunData(path: try runs().single.path), variable: "population").xLabel, "year")
    }

    /// One picture of each kind, checked for size here and by eye in docs/PLOTTING.md, which
    /// shows them. With TWINCITY_PLOT_GALLERY=FOLDER they are kept there.
    func testGallery() throws {
        try requireGnuplot()
        let keep = ProcessInfo.processInfo.environment["TWINCITY_PLOT_GALLERY"].map { URL(fileURLWithPath: $0) }
        let folder = try keep ?? scratchFolder()
        let single = try RunData(path: try runs().single.path), ensemble = try RunData(path: try runs().ensemble.path)
        let policy = try RunData(path: try runs().policyEnsemble.path)
        let cores = LineChart.Scope.cities(["chengdu", "chongqing_core", "mianyang", "yibin", "nanchong"])
        let charts: [(String, any GnuplotChart)] = [
            ("lines-all-cities", try LineChart(run: single, variable: "population")),
            ("facet-gdp", try LineChart(run: single, variable: "gdp", options: .init(facet: true))),
            ("index-gdp-per-capita", try LineChart(run: single, variable: "gdp_per_capita", scope: cores, options: .init(indexYear: 2020))),
            ("log-gdp", try LineChart(run: single, variable: "gdp", scope: .cities(["chengdu", "ganzi", "aba", "deyang"]), options: .init(logScale: true))),
            ("compare-ensembles", try LineChart(run: ensemble, variable: "capital", scope: cores, compare: policy)),
            ("effect-pct-ensembles", try LineChart(run: ensemble, variable: "capital", scope: cores, compare: policy, options: .init(effect: .percent))),
            ("flows-net-population", try FlowMap(run: single, kind: "population", year: 2025, top: 10)),
            ("flows-gross-population", try FlowMap(run: single, kind: "population", year: 2025, top: 10, net: false)),
            ("flows-net-industry", try FlowMap(run: ensemble, kind: "industry", year: 2026, top: 10)),
            ("core-periphery", try LineChart(run: RunData(path: try runs().corePeriphery.path), variable: "population")),
        ]
        for (name, chart) in charts {
            let file = folder.appendingPathComponent("\(name).png")
            try Gnuplot.render(chart, format: .png, to: file)
            let size = try pngSize(try Data(contentsOf: file))
            XCTAssertEqual(size.width, chart.size.width, name)
            XCTAssertEqual(size.height, chart.size.height, name)
        }
    }
}
