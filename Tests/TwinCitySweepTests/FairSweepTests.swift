// Sweeps whose differences between points are the parameters' and not the draws': common
// random numbers for grids, the analysis as JSON, and the check that tells whether a Sobol
// sweep has enough base rows.
import Foundation
@testable import TwinCitySweep
import XCTest

final class FairSweepTests: XCTestCase {
    /// A grid over the tax-sharing share of a policy that starts after the run ends, so the
    /// share has no effect: any difference between the points is the draws'.
    func inertGrid(commonRandomNumbers: Bool?) -> String {
        let scenario = SweepTestSupport.packageRoot.appendingPathComponent("scenarios/policies/tax-sharing.toml").path
        return """
            schema = 1
            name = "inert-grid"
            scenario = "\(scenario)"
            seed = 7
            replications = 2
            \(commonRandomNumbers.map { "common_random_numbers = \($0)" } ?? "")
            set = ["time.end=2023", "policy[0].start=2030"]
            outputs = ["region.gdp@2023", "city.chengdu.population@2023"]

            [sampler]
            kind = "grid"

            [[parameter]]
            path = "policy[0].share"
            values = [0.2, 0.6]
            """
    }

    /// outputs.csv of an exported sweep: (point, replication) → the row's cells after them.
    func outputs(_ folder: URL) throws -> [String: [String]] {
        let rows = parseCSV(try String(contentsOf: folder.appendingPathComponent("outputs.csv"), encoding: .utf8)).dropFirst()
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0[0]) \($0[1])", Array($0.dropFirst(2))) })
    }

    func seeds(_ folder: URL) throws -> [String: String] {
        let rows = parseCSV(try String(contentsOf: folder.appendingPathComponent("runs.csv"), encoding: .utf8)).dropFirst()
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0[0]) \($0[1])", $0[2]) })
    }

    func testAGridUsesTheSameSeedsAtEveryPointByDefault() throws {
        let folder = try scratchFolder()
        var results: [String: (outputs: [String: [String]], seeds: [String: String])] = [:]
        for (name, flag) in [("default", nil), ("off", false)] as [(String, Bool?)] {
            let sweep = try write(inertGrid(commonRandomNumbers: flag), to: "\(name).toml", in: folder)
            let out = folder.appendingPathComponent(name)
            XCTAssertEqual(try twincity(["sweep", sweep, "--out", out.path, "--quiet"]).status, 0)
            XCTAssertEqual(try twincity(["sweep", "export", out.path]).status, 0)
            results[name] = (try outputs(out), try seeds(out))
        }
        // Common random numbers: replication r has the seed of point 0 at both points, and a
        // parameter without effect leaves every output exactly as it was.
        let crn = try XCTUnwrap(results["default"])
        for r in 0..<2 {
            XCTAssertEqual(crn.seeds["1 \(r)"], String(SweepSeeds.runSeed(sweepSeed: 7, point: 0, replication: r)))
            XCTAssertEqual(crn.seeds["0 \(r)"], crn.seeds["1 \(r)"])
            XCTAssertEqual(crn.outputs["0 \(r)"], crn.outputs["1 \(r)"], "replication \(r): the share has no effect")
        }
        // Without them each point draws its own shocks, and the same inert parameter seems
        // to move region GDP.
        let own = try XCTUnwrap(results["off"])
        XCTAssertEqual(own.seeds["1 0"], String(SweepSeeds.runSeed(sweepSeed: 7, point: 1, replication: 0)))
        XCTAssertNotEqual(own.outputs["0 0"]?[0], own.outputs["1 0"]?[0])
        XCTAssertEqual(own.outputs["0 0"], crn.outputs["0 0"], "point 0 is the same run either way")
    }

    func testTheKeyIsReadAndRecordedInTheSweepsIdentity() throws {
        let folder = try scratchFolder()
        let grid = try SweepFileReader.read(path: try write(inertGrid(commonRandomNumbers: nil), to: "g.toml", in: folder)).definition
        XCTAssertTrue(grid.commonRandomNumbers)
        XCTAssertTrue(grid.canonicalJSON.contains("\"common_random_numbers\":true"), grid.canonicalJSON)
        let off = try SweepFileReader.read(path: try write(inertGrid(commonRandomNumbers: false), to: "o.toml", in: folder)).definition
        XCTAssertFalse(off.commonRandomNumbers)
        XCTAssertFalse(off.canonicalJSON.contains("common_random_numbers"), "a sweep without them keeps its old identity")
        XCTAssertNotEqual(grid.contentHash, off.contentHash)
        XCTAssertEqual(try SweepDefinition(canonicalJSON: grid.canonicalJSON), grid.withoutDescription)
        let random = try SweepFileReader.read(path: try write(SweepTestSupport.randomSweep(samples: 2, end: 2021), to: "r.toml", in: folder)).definition
        XCTAssertFalse(random.commonRandomNumbers, "other samplers keep a seed per point unless asked")

        let bad = try write(inertGrid(commonRandomNumbers: nil).replacingOccurrences(of: "replications = 2", with: "replications = 2\ncommon_random_numbers = \"yes\""), to: "bad.toml", in: folder)
        XCTAssertThrowsError(try SweepFileReader.read(path: bad)) { error in
            XCTAssertTrue(String(describing: error).contains(
                "key 'common_random_numbers': expected true (the same seeds at every point) or false (each point its own), found the string \"yes\""),
                String(describing: error))
        }
    }

    func testAnalyzeWritesTheCSVRowsAsJSON() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try twincity(["sweep", sweep, "--out", out.path, "--quiet"]).status, 0)
        let csv = try twincity(["sweep", "analyze", out.path, "--format", "csv"])
        let json = try twincity(["sweep", "analyze", out.path, "--format", "json"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let records = parseCSV(csv.standardOutput)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        XCTAssertEqual(objects.count, records.count - 1)
        for (row, object) in zip(records.dropFirst(), objects) {
            for (key, cell) in zip(records[0], row) {
                if ["value", "lower", "upper", "count"].contains(key) {
                    // Foundation's JSON reader may round the last bit of a long number; the
                    // text written is the shortest that reads back exactly (Double.description).
                    let read = (object[key] as? NSNumber)?.doubleValue
                    if let expected = Double(cell) {
                        XCTAssertEqual(try XCTUnwrap(read, "\(key) of \(row)"), expected, accuracy: 4 * expected.ulp, "\(key) of \(row)")
                    } else {
                        XCTAssertNil(read, "\(key) of \(row)")
                    }
                } else {
                    XCTAssertEqual(object[key] as? String, cell.isEmpty ? nil : cell, "\(key) of \(row)")
                }
            }
        }
        let help = try twincity(["sweep", "analyze", "--help"])
        XCTAssertTrue(help.standardOutput.contains("json"), help.standardOutput)
    }

    func testTheSobolCheckReportsTheIndicesAtAQuarterHalfAndAllRowsAndFlagsWideIntervals() throws {
        // Ishigami (a = 7, b = 0.1): S1 ≈ (0.314, 0.442, 0), ST ≈ (0.558, 0.442, 0.244).
        let ishigami = { (x: [Double]) in sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) }
        for (rows, expectWide) in [(16, true), (4096, false)] {
            let design = try SamplingDesign(SweepDefinition(
                name: "check", scenario: "none.toml", seed: 1, sampler: SamplerSpec(kind: .sobol, samples: rows),
                parameters: (1...3).map { SweepParameter(path: "x\($0)", domain: .range(min: -Double.pi, max: Double.pi, scale: .linear, levels: nil)) },
                outputs: ["region.gdp@2020"]))
            func f(_ index: Int) -> Double { ishigami(design.values(at: index).map { $0.number! }) }
            let a = (0..<rows).map { f(design.saltelliIndex(.a(row: $0))) }
            let b = (0..<rows).map { f(design.saltelliIndex(.b(row: $0))) }
            let ab = (0..<3).map { i in (0..<rows).map { f(design.saltelliIndex(.ab(row: $0, parameter: i))) } }
            let result = SobolIndices.analyze(a: a, b: b, ab: ab, resamples: 200, confidence: 0.95, seed: 3)
            let check = SobolCheck(a: a, b: b, ab: ab, result: result)
            XCTAssertEqual(check.rows, [rows / 4, rows / 2, rows])
            for (k, count) in check.rows.enumerated() {
                let prefix = SobolIndices.estimate(a: a, b: b, ab: ab, rows: Array(0..<count))
                for i in 0..<3 {
                    XCTAssertEqual(check.first[i][k], prefix.firstOrder[i])
                    XCTAssertEqual(check.total[i][k], prefix.total[i])
                }
            }
            XCTAssertEqual(check.first.map { $0.last! }, result.firstOrder.map { $0.estimate }, "N rows: the reported indices")
            // Wide: every flagged interval is wider than max(|estimate|, 0.1), every other not.
            for i in 0..<3 {
                for (name, interval) in [("S1", result.firstOrder[i]), ("ST", result.total[i])] {
                    let flagged = check.wide.contains { $0.parameter == i && $0.index == name }
                    XCTAssertEqual(flagged, interval.upper - interval.lower > max(abs(interval.estimate), 0.1), "\(rows) rows, x\(i + 1) \(name)")
                }
            }
            XCTAssertEqual(!check.wide.isEmpty, expectWide, "\(rows) rows: \(check.wide)")
        }
        XCTAssertTrue(SobolCheck.isWide(.init(estimate: 0.2, lower: -0.1, upper: 0.3)))
        XCTAssertFalse(SobolCheck.isWide(.init(estimate: 0.5, lower: 0.45, upper: 0.55)))
        XCTAssertFalse(SobolCheck.isWide(.init(estimate: 0.001, lower: -0.04, upper: 0.05)), "near zero, narrower than 0.1")
        XCTAssertTrue(SobolCheck.isWide(.init(estimate: .nan, lower: .nan, upper: .nan)))
    }

    func testASmallSobolSweepIsAnalysedWithAWarningAndTheIndicesAtNOver4NOver2AndN() throws {
        let folder = try scratchFolder()
        let sweep = try write("""
            schema = 1
            name = "small-sobol"
            scenario = "\(SweepTestSupport.baseline)"
            seed = 3
            set = ["time.end=2022"]
            outputs = ["region.gdp@2022"]

            [sampler]
            kind = "sobol"
            samples = 8

            [[parameter]]
            path = "model.saving_rate"
            min = 0.2
            max = 0.4

            [[parameter]]
            path = "model.migration_elasticity"
            min = 1
            max = 3
            """, to: "sobol.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        XCTAssertEqual(try twincity(["sweep", sweep, "--out", out.path, "--quiet"]).status, 0)
        let analysis = try SweepAnalysis.analyze(path: out.appendingPathComponent("sweep.sqlite").path, resamples: 200, confidence: 0.95, seed: nil)
        let check = try XCTUnwrap(analysis.sobolChecks["region.gdp@2022"])
        XCTAssertEqual(check.rows, [2, 4, 8])
        let table = try twincity(["sweep", "analyze", out.path, "--bootstrap", "200"])
        XCTAssertEqual(table.status, 0, table.standardError)
        XCTAssertTrue(table.standardOutput.contains("indices from the first 2, 4, 8 base rows:\n"), table.standardOutput)
        XCTAssertTrue(table.standardOutput.contains("S1 @2"), table.standardOutput)
        let csv = try twincity(["sweep", "analyze", out.path, "--bootstrap", "200", "--format", "csv"])
        let convergence = parseCSV(csv.standardOutput).filter { $0[1] == "sobol_convergence" }
        XCTAssertEqual(convergence.count, 2 * 2 * 3, "2 parameters × S1, ST × 3 row counts")
        // Eight base rows of a noisy model output: every interval is wider than its index.
        XCTAssertEqual(check.wide.count, 4, "\(check.wide)")
        XCTAssertTrue(table.standardOutput.contains(
            "warning: 4 of 4 Sobol intervals are wider than the index (or than 0.1): model.saving_rate S1 "), table.standardOutput)
        XCTAssertTrue(table.standardOutput.contains("with N = 8 base rows these indices are not settled — raise [sampler] samples (e.g. to 32)"), table.standardOutput)
        XCTAssertTrue(csv.standardError.hasPrefix("twincity: warning: region.gdp@2022: 4 of 4 Sobol intervals are wider than the index"), csv.standardError)
        XCTAssertFalse(csv.standardOutput.contains("warning"), "csv output stays data")
    }
}
