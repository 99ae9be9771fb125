// Charts of sweep analyses: the data gnuplot reads are the numbers given, texts reach the
// script only through GnuplotText.quoted, and each chart renders to a non-empty PNG and SVG.
@testable import TwinCityPlot
import Foundation
import XCTest

final class SweepChartTests: XCTestCase {
    /// Fails in CI (CI=true) when gnuplot is missing, skips elsewhere.
    func requireGnuplot() throws {
        guard Gnuplot.executable() == nil else { return }
        let message = "gnuplot is not installed; .ci/install-deps installs gnuplot-nox"
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message); return }
        throw XCTSkip(message)
    }

    static let charts: [(String, any GnuplotChart)] = [
        ("sobol", SobolBarChart(title: "Sobol 'indices'", bars: [
            .init(parameter: "model.saving_rate", first: (0.5, 0.4, 0.6), total: (0.6, 0.5, 0.7)),
            .init(parameter: "model.agglomeration", first: (0.1, 0.0, 0.2), total: (0.2, 0.1, 0.3)),
        ], confidence: 0.95)),
        ("convergence", SobolConvergenceChart(title: "convergence", rows: [4, 8, 16], parameters: ["a", "b"],
                                              first: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], total: [[0.2, 0.3, 0.4], [0.5, 0.6, 0.7]])),
        ("morris", MorrisScatterChart(title: "Morris", unit: "", points: [("a", 1, 0.5), ("b", 2, 3)])),
        ("scatter", LeverScatterChart(title: "scatter", xLabel: "x", yLabel: "y",
                                      groups: [("0: off", [(1, 2), (2, 3)]), ("1: on", [(1.5, 2.5)])], legend: "levers hukou")),
        ("regret", RegretBoxChart(title: "regret", yLabel: "regret", boxes: [("1: on", [0, 1, 2, 3]), ("0: off", [1, 2, 5])], legend: "levers hukou")),
        ("tradeoff", PRIMTradeoffChart(title: "PRIM", boxes: [(1, 0.4, 0), (0.9, 0.6, 1), (0.8, 0.9, 2)], chosen: 2)),
        ("box", PRIMBoxChart(title: "box", limits: [.init(name: "model.agglomeration", lower: 0.03, upper: 0.08, minimum: 0.02, maximum: 0.08, label: "0.03 to 0.08")])),
    ]

    func testDataFilesHoldTheNumbersGiven() throws {
        let sobol = Self.charts[0].1
        XCTAssertEqual(sobol.dataFiles["sobol.tsv"], "model.saving_rate\t0.5\t0.4\t0.6\t0.6\t0.5\t0.7\nmodel.agglomeration\t0.1\t0.0\t0.2\t0.2\t0.1\t0.3\n")
        XCTAssertTrue(sobol.commands.contains("set title ('Sobol ''indices''')"), sobol.commands)
        XCTAssertEqual(Self.charts[1].1.dataFiles["convergence.tsv"], "4\t0.1\t0.2\t0.4\t0.5\n8\t0.2\t0.3\t0.5\t0.6\n16\t0.3\t0.4\t0.6\t0.7\n")
        XCTAssertEqual(Self.charts[3].1.dataFiles["scatter.tsv"], "1.0\t2.0\n2.0\t3.0\n\n\n1.5\t2.5\n", "one block per lever combination")
        XCTAssertEqual(Self.charts[4].1.dataFiles["regret.tsv"], "0.0\t1.0\n1.0\t2.0\n2.0\t5.0\n3.0\tNaN\n", "one column per combination")
        // The box's limits as positions in the sampled range: (0.03 − 0.02) / 0.06.
        XCTAssertEqual(Self.charts[6].1.dataFiles["box.tsv"], "1\t\(1.0 / 6.0)\t1.0\t0.03 to 0.08\n")
    }

    func testEverySweepChartRenders() throws {
        try requireGnuplot()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-sweepcharts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, chart) in Self.charts {
            for format in PlotFormat.allCases {
                let file = folder.appendingPathComponent("\(name).\(format.rawValue)")
                try Gnuplot.render(chart, format: format, to: file)
                let data = try Data(contentsOf: file)
                if format == .png {
                    XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(name): a PNG")
                } else {
                    XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("<svg"), "\(name): an SVG")
                }
            }
        }
    }
}
