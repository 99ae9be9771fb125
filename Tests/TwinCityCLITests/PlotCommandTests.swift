// `twincity plot` as a user runs it: default output paths, formats, flow maps, the exit
// status and message for a name the run lacks, and for a machine without gnuplot.
import Foundation
import XCTest

final class PlotCommandTests: XCTestCase {
    let root = TwinCityProcess.packageRoot

    /// A fresh scratch folder holding a baseline run 2020–2024 at `runs/base`.
    func scratchWithRun() throws -> (folder: URL, run: URL) {
        let folder = try scratchFolder()
        var text = try String(contentsOf: root.appendingPathComponent("scenarios/baseline.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../seeds/cities.csv\"", with: "\"\(root.appendingPathComponent("seeds/cities.csv").path)\"")
        text = text.replacingOccurrences(of: "\"../seeds/estimates-2022.toml\"", with: "\"\(root.appendingPathComponent("seeds/estimates-2022.toml").path)\"")
        text = text.replacingOccurrences(of: "\nend = 2035", with: "\nend = 2024")
        let scenario = folder.appendingPathComponent("short.toml")
        try text.write(to: scenario, atomically: true, encoding: .utf8)
        let run = folder.appendingPathComponent("runs/base")
        let result = try TwinCityProcess.run(["run", scenario.path, "--out", run.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        return (folder, run)
    }

    /// Runs `twincity` with `arguments` in `directory` with the environment `environment`.
    func runWithEnvironment(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> ProcessResult {
        try TwinCityProcess.run(arguments, in: directory, environment: environment)
    }

    func testPicturesGoToThePlotsFolderByDefault() throws {
        try requireTool("gnuplot", installStep: "apt-get install gnuplot-nox (.ci/install-deps)")
        let (folder, run) = try scratchWithRun()
        let region = try TwinCityProcess.run(["plot", "runs/base", "--var", "gdp", "--region"], in: folder)
        XCTAssertEqual(region.status, 0, region.standardError)
        XCTAssertEqual(region.standardOutput, "Plot written to runs/base/plots/gdp.png\n")
        let png = try Data(contentsOf: run.appendingPathComponent("plots/gdp.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG file")

        let svg = try TwinCityProcess.run(
            ["plot", "runs/base", "--var", "population", "--cities", "chengdu, chongqing_core", "--format", "svg", "--title", "Twin cores"], in: folder)
        XCTAssertEqual(svg.status, 0, svg.standardError)
        let text = try String(contentsOf: run.appendingPathComponent("plots/population.svg"), encoding: .utf8)
        for expected in ["<svg", "Twin cores", "Chengdu", "Chongqing", "Population (10,000 persons)"] {
            XCTAssertTrue(text.contains(expected), expected)
        }

        // The format follows --out's extension unless given.
        let out = folder.appendingPathComponent("pictures/zones.svg")
        let zones = try TwinCityProcess.run(["plot", run.path, "--var", "gdp", "--zones", "chengdu_plain,south", "--out", out.path], in: folder)
        XCTAssertEqual(zones.status, 0, zones.standardError)
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains("Chengdu plain"))

        let flows = try TwinCityProcess.run(["plot", "runs/base", "--flows", "capital", "--year", "2023", "--top", "5"], in: folder)
        XCTAssertEqual(flows.status, 0, flows.standardError)
        XCTAssertEqual(flows.standardOutput, "Plot written to runs/base/plots/flows_capital_2023.png\n")
        XCTAssertGreaterThan(try Data(contentsOf: run.appendingPathComponent("plots/flows_capital_2023.png")).count, 5_000)
    }

    func testNamesTheRunLacksExitWith2AndSuggestTheNearest() throws {
        let (folder, _) = try scratchWithRun()
        for (arguments, message) in [
            (["--var", "gpd"], "twincity: error: unknown variable 'gpd' in cities.csv or region.csv of runs/base; did you mean 'gdp'?\n"),
            (["--var", "gdp", "--cities", "chengdu,chongqing_cor"], "twincity: error: unknown city 'chongqing_cor' in runs/base; did you mean 'chongqing_core'?\n"),
            (["--var", "gdp", "--zones", "panx"], "twincity: error: unknown zone 'panx' in runs/base; did you mean 'panxi'?\n"),
            (["--flows", "population", "--year", "2031"], "twincity: error: unknown year '2031' in runs/base; did you mean '2024'?\n"),
        ] {
            let result = try TwinCityProcess.run(["plot", "runs/base"] + arguments, in: folder)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardError, message)
            XCTAssertEqual(result.standardOutput, "")
        }
        let missing = try TwinCityProcess.run(["plot", "runs/nothing", "--var", "gdp"], in: folder)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.standardError.contains("runs/nothing"), missing.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/base/plots").path), "nothing drawn")
    }

    func testWithoutGnuplotTheMessageSaysHowToInstallIt() throws {
        let (folder, run) = try scratchWithRun()
        let result = try runWithEnvironment(["plot", run.path, "--var", "gdp"], in: folder, environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError, "twincity: error: plotting needs gnuplot; install it with: sudo apt-get install gnuplot-nox\n")
        XCTAssertEqual(result.standardOutput, "")
    }

    func testEffectIndexLogFacetAndGrossFlowsGetTheirOwnFiles() throws {
        try requireTool("gnuplot", installStep: "apt-get install gnuplot-nox (.ci/install-deps)")
        let (folder, run) = try scratchWithRun()
        let other = try TwinCityProcess.run(["run", folder.appendingPathComponent("short.toml").path, "--out", "runs/seed7", "--seed", "7", "--quiet"], in: folder)
        XCTAssertEqual(other.status, 0, other.standardError)
        for (arguments, file) in [
            (["--var", "gdp", "--compare", "runs/seed7", "--effect", "pct"], "gdp_effect_pct.png"),
            (["--var", "gdp", "--index", "2020", "--log", "--facet"], "gdp_index_2020_log_facet.png"),
            (["--flows", "population", "--year", "2023", "--gross"], "flows_population_2023_gross.png"),
        ] {
            let result = try TwinCityProcess.run(["plot", "runs/base"] + arguments, in: folder)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardOutput, "Plot written to runs/base/plots/\(file)\n")
            XCTAssertGreaterThan(try Data(contentsOf: run.appendingPathComponent("plots/\(file)")).count, 5_000, file)
        }
        // An ensemble against a single run is refused with the rule `twincity compare` uses.
        let ensemble = try TwinCityProcess.run(
            ["run", folder.appendingPathComponent("short.toml").path, "--out", "runs/ens", "--replications", "2", "--quiet"], in: folder)
        XCTAssertEqual(ensemble.status, 0, ensemble.standardError)
        let unpaired = try TwinCityProcess.run(["plot", "runs/base", "--var", "gdp", "--compare", "runs/ens", "--effect", "abs"], in: folder)
        XCTAssertEqual(unpaired.status, 2, unpaired.standardError)
        XCTAssertTrue(unpaired.standardError.contains("one random draw against a mean is not a paired comparison"), unpaired.standardError)
    }

    func testConflictingOptionsAreUsageErrors() throws {
        for arguments in [
            ["--var", "gdp", "--flows", "population", "--year", "2023"],
            ["--flows", "population"],
            ["--var", "gdp", "--cities", "chengdu", "--region"],
            ["--var", "gdp", "--year", "2023"],
            ["--var", "gdp", "--effect", "pct"],
            ["--var", "gdp", "--gross"],
            ["--flows", "population", "--year", "2023", "--log"],
            ["--flows", "population", "--year", "2023", "--index", "2020"],
        ] {
            let result = try TwinCityProcess.run(["plot", "runs/any"] + arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("--"), result.standardError)
        }
    }
}
