// `twincity run` as a user runs it: the shipped scenarios, the run directory it writes, the
// refusals (existing output, bad scenario), a numerical failure and an interrupted run.
import Foundation
import TwinCityExport
import XCTest

final class RunCommandTests: XCTestCase {
    let root = TwinCityProcess.packageRoot
    let runFiles = ["cities.csv", "datapackage.json", "flows_capital.csv", "flows_industry.csv", "flows_population.csv", "manifest.json", "region.csv"]

    /// A fresh scratch folder, removed when the test ends.
    func scratch() throws -> URL {
        try scratchFolder()
    }

    /// The baseline scenario rewritten into `folder` with `edit` applied to its text and the
    /// roster path made absolute, so it runs from there.
    func baselineCopy(in folder: URL, named name: String, edit: (String) -> String = { $0 }) throws -> URL {
        var text = try String(contentsOf: root.appendingPathComponent("scenarios/baseline.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../seeds/cities.csv\"", with: "\"\(root.appendingPathComponent("seeds/cities.csv").path)\"")
        text = text.replacingOccurrences(of: "\"../seeds/estimates-2022.toml\"", with: "\"\(root.appendingPathComponent("seeds/estimates-2022.toml").path)\"")
        let url = folder.appendingPathComponent(name)
        try edit(text).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func manifest(_ run: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: run.appendingPathComponent("manifest.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func table(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let records = parseCSV(try String(contentsOf: url, encoding: .utf8))
        return (records.first ?? [], Array(records.dropFirst()))
    }

    func testBaselineWritesTheRunDirectory() throws {
        let folder = try scratch()
        let out = folder.appendingPathComponent("base")
        let result = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardError, "", "--quiet writes no progress")
        XCTAssertEqual(try contents(folder), ["base"], "no temporary directory is left")
        XCTAssertEqual(try contents(out), [".twincity-run"] + runFiles, "the tables, the manifest and the marker --force looks for")

        let cities = try table(out.appendingPathComponent("cities.csv"))
        XCTAssertEqual(cities.rows.count, 16 * 23, "2020–2035 × 23 cities")
        let year = try XCTUnwrap(cities.header.firstIndex(of: "year"))
        let city = try XCTUnwrap(cities.header.firstIndex(of: "city"))
        let gdp = try XCTUnwrap(cities.header.firstIndex(of: "gdp"))
        let seeds = try table(root.appendingPathComponent("seeds/cities.csv"))
        let seedID = try XCTUnwrap(seeds.header.firstIndex(of: "id"))
        let seedGDP = try XCTUnwrap(seeds.header.firstIndex(of: "gdp_2020"))
        var observed: [String: Double] = [:]
        for row in cities.rows where row[year] == "2020" { observed[row[city]] = Double(row[gdp]) }
        XCTAssertEqual(observed.count, 23)
        for row in seeds.rows {
            let data = try XCTUnwrap(Double(row[seedGDP]))
            let model = try XCTUnwrap(observed[row[seedID]], row[seedID])
            XCTAssertLessThan(abs(model - data) / data, 1e-8, "\(row[seedID]): \(model) vs \(data)")
        }

        let region = try table(out.appendingPathComponent("region.csv"))
        XCTAssertEqual(region.rows.count, 16)
        XCTAssertEqual(region.rows.map { $0[0] }, (2020...2035).map(String.init))

        // Chongqing as a whole, from its two parts: the group's GDP share and the zone's GDP in
        // region.csv, and the share the summary prints, against the parts' rows of cities.csv.
        let chongqing = try ["chongqing_core", "chongqing_rest"].reduce(0.0) { $0 + (try XCTUnwrap(observed[$1], $1)) }
        let regionGDP = observed.values.reduce(0, +)
        func regionNumber(_ column: String) throws -> Double {
            try XCTUnwrap(Double(region.rows[0][try XCTUnwrap(region.header.firstIndex(of: column), column)]), column)
        }
        XCTAssertEqual(try regionNumber("chongqing_gdp_share"), chongqing / regionGDP, accuracy: 1e-12)
        XCTAssertEqual(try regionNumber("gdp_chongqing"), chongqing, accuracy: 1e-9 * chongqing)
        XCTAssertEqual(chongqing, 25002.79, accuracy: 1e-8 * 25002.79, "Chongqing's first-published 2020 GDP")
        let shareLine = try XCTUnwrap(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("Chongqing GDP share") })
        XCTAssertEqual(shareLine.split(separator: " ").dropFirst(3).first.map(String.init), String(format: "%.4f", chongqing / regionGDP), String(shareLine))

        let manifest = try manifest(out)
        XCTAssertEqual(manifest["seed"] as? Int, 20200710, "the scenario's seed")
        XCTAssertEqual(manifest["twincity_version"] as? String, twinCityVersion)
        XCTAssertNotNil(manifest["gsl_version"] as? String)
        XCTAssertEqual((manifest["scenario"] as? [String: Any])?["name"] as? String, "baseline")

        XCTAssertTrue(result.standardOutput.contains("Output written to \(out.path)\n"), result.standardOutput)
        for file in runFiles { XCTAssertTrue(result.standardOutput.contains("  \(file)\n"), file) }
        for label in ["GDP (亿元, 2020 prices)", "population (万人)", "Chengdu GDP share", "Chongqing GDP share", "Theil index"] {
            XCTAssertTrue(result.standardOutput.contains(label), label)
        }
        XCTAssertTrue(result.standardOutput.contains("fastest GDP growth"), result.standardOutput)
    }

    func testAnExistingRunIsReplacedOnlyWithForce() throws {
        let folder = try scratch()
        let out = folder.appendingPathComponent("base")
        XCTAssertEqual(try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet"]).status, 0)
        let created = try manifest(out)["created"] as? String

        let again = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertEqual(again.standardOutput, "")
        XCTAssertTrue(again.standardError.contains("--force"), again.standardError)
        XCTAssertTrue(again.standardError.contains(out.path), again.standardError)
        XCTAssertEqual(try contents(folder), ["base"])
        XCTAssertEqual(try manifest(out)["created"] as? String, created, "the earlier run is untouched")

        let forced = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet", "--seed", "3", "--force"])
        XCTAssertEqual(forced.status, 0, forced.standardError)
        XCTAssertEqual(try contents(folder), ["base"], "the replaced run is deleted")
        XCTAssertEqual(try manifest(out)["seed"] as? Int, 3)
    }

    func testSeedOptionAndDefaultOutputDirectory() throws {
        let folder = try scratch()
        let scenario = root.appendingPathComponent("scenarios/baseline.toml").path
        let result = try TwinCityProcess.run(["run", scenario, "--seed", "7", "--quiet"], in: folder)
        XCTAssertEqual(result.status, 0, result.standardError)
        let out = folder.appendingPathComponent("runs/baseline")
        XCTAssertEqual(try contents(folder.appendingPathComponent("runs")), ["baseline"])
        XCTAssertEqual(try manifest(out)["seed"] as? Int, 7)
        let resolved = try XCTUnwrap(try manifest(out)["scenario"] as? [String: Any])
        XCTAssertEqual((resolved["run"] as? [String: Any])?["seed"] as? Int, 7, "the resolved scenario records the seed used")
        XCTAssertTrue(result.standardOutput.contains("Output written to runs/baseline\n"), result.standardOutput)
    }

    func testProgressGoesToStandardErrorEveryTenPercent() throws {
        let folder = try scratch()
        let result = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", folder.appendingPathComponent("base").path])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 10, result.standardError)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("twincity: tick ") }, result.standardError)
        XCTAssertTrue(lines.last?.hasPrefix("twincity: tick 15/15 (100%), year 2035, elapsed ") == true, result.standardError)
    }

    func testABadKeyExitsWith2AndWritesNothing() throws {
        let folder = try scratch()
        let scenario = try baselineCopy(in: folder, named: "bad.toml") {
            $0.replacingOccurrences(of: "\ndecision_rule = ", with: "\ndecison_rule = ")
        }
        let result = try TwinCityProcess.run(["run", scenario.lastPathComponent, "--quiet"], in: folder)
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: bad.toml:"), result.standardError)
        XCTAssertTrue(result.standardError.contains("decision_rule"), "suggests the valid key: \(result.standardError)")
        XCTAssertEqual(try contents(folder), ["bad.toml"], "no run directory, no runs/ folder")
    }

    func testANumericalFailureExitsWith1AndLeavesNoDirectory() throws {
        let folder = try scratch()
        // One iteration cannot reach the equilibrium of the second tick.
        let scenario = try baselineCopy(in: folder, named: "fail.toml") {
            $0.replacingOccurrences(of: "\ndecision_rule = \"tournament\"", with: "\ndecision_rule = \"tournament\"\nequilibrium_max_iterations = 1")
        }
        let result = try TwinCityProcess.run(["run", scenario.path, "--out", folder.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertNotNil(
            result.standardError.firstMatch(of: try Regex(#"^twincity: error: tick \d+ \(year \d+\), city '[a-z]+': "#)),
            "names tick, year and city: \(result.standardError)")
        XCTAssertEqual(try contents(folder), ["fail.toml"])
    }

    func testCorePeripheryScenarioRuns() throws {
        let folder = try scratch()
        let out = folder.appendingPathComponent("cp")
        let result = try TwinCityProcess.run(["run", "scenarios/theory/core-periphery.toml", "--out", out.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let cities = try table(out.appendingPathComponent("cities.csv"))
        XCTAssertEqual(cities.rows.count, 601 * 2, "t = 0, 0.1, …, 60 × 2 cities")
        XCTAssertEqual(cities.rows.map { $0[0] }.prefix(8), ["0", "0", "0.1", "0.1", "0.2", "0.2", "0.3", "0.3"],
                       "fractional years without binary noise")
        let region = try table(out.appendingPathComponent("region.csv"))
        XCTAssertEqual(region.rows.count, 601)
        XCTAssertFalse(region.header.contains("chengdu_gdp_share"), "no share columns for cities not in the roster")
        XCTAssertEqual(try manifest(out)["dt"] as? Double, 0.1)
    }

    func testAnInterruptedRunLeavesNothing() throws {
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let folder = try scratch()
            // Long enough that it is still running when the signal arrives: the baseline over
            // the longest horizon a run may have (1000 ticks, docs/RELIABILITY.md, "Limits").
            let text = "schema = 1\nextends = \"\(root.appendingPathComponent("scenarios/baseline.toml").path)\"\nname = \"long\"\n[time]\nend = 3020\n"
            let scenario = folder.appendingPathComponent("long.toml")
            try text.write(to: scenario, atomically: true, encoding: .utf8)

            let running = try startTwinCity(["run", scenario.path, "--out", folder.appendingPathComponent("out").path, "--quiet"])
            let process = running.process
            let partial = ".out.partial-\(process.processIdentifier)"
            let deadline = Date().addingTimeInterval(60)
            while try !contents(folder).contains(partial), process.isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
            XCTAssertTrue(try contents(folder).contains(partial), "the run started writing")
            kill(process.processIdentifier, signal)
            // Should the signal be lost, end the run rather than wait for a thousand ticks.
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { kill(pid, SIGKILL) } }
            let message = try running.wait().standardError
            XCTAssertEqual(process.terminationStatus, status)
            XCTAssertTrue(message.contains("interrupted"), message)
            XCTAssertEqual(try contents(folder), ["long.toml"], "neither the run nor its temporary directory remains")
        }
    }
}
