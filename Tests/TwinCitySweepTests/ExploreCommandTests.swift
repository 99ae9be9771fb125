// `twincity sweep analyze --robustness / --discover` and `twincity plot SWEEP_DIR` through the
// executable: their tables, the numbers in them against the database, and their refusals
// (exit status 2 naming the argument).
import Foundation
import GRDB
import XCTest

final class ExploreCommandTests: XCTestCase {
    /// One lever (hukou reform off/on) × 20 futures to 2022: 40 runs.
    func leverSweep(in folder: URL) throws -> (file: String, out: String) {
        let text = LeverSweepTests.leverSweep(levers: """
            [[lever]]
            name = "hukou"
            path = "policy[3].enabled"
            options = [false, true]
            """, sampler: "kind = \"lhs\"\nsamples = 20")
        let file = try write(text, to: "levers.toml", in: folder)
        let out = folder.appendingPathComponent("out").path
        let run = try twincity(["sweep", file, "--out", out, "--jobs", "2", "--quiet"])
        XCTAssertEqual(run.status, 0, run.standardError)
        return (file, out)
    }

    func testRobustnessAndDiscoveryTablesAndTheirRefusals() throws {
        let folder = try scratchFolder()
        let (_, out) = try leverSweep(in: folder)

        // Region GDP in 2022 of each combination and future, read independently.
        let queue = try DatabaseQueue(path: out + "/sweep.sqlite")
        let gdp: [Int: Double] = try queue.read { db in
            var values: [Int: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT point, value FROM outputs WHERE metric = 'region.gdp@2022'") {
                values[row["point"]] = row["value"]
            }
            return values
        }
        try queue.close()
        XCTAssertEqual(gdp.count, 40)
        // Points: future f, combination c at 2f + c. Regret of combination 1 (hukou on).
        let regrets = (0..<20).map { f in max(gdp[2 * f]!, gdp[2 * f + 1]!) - gdp[2 * f + 1]! }
        let threshold = gdp.values.sorted()[20]
        let metOff = (0..<20).filter { gdp[2 * $0]! >= threshold }.count

        let robust = try twincity(["sweep", "analyze", out, "--robustness", "--satisfice", "region.gdp@2022 >= \(threshold)", "--format", "csv"])
        XCTAssertEqual(robust.status, 0, robust.standardError)
        let lines = robust.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "output,combination,levers,statistic,value,futures")
        let maxRegret = lines.first { $0.hasPrefix("region.gdp@2022,1,hukou=true,max_regret,") }
        XCTAssertNotNil(maxRegret, robust.standardOutput)
        let shown = Double(maxRegret!.split(separator: ",")[4])!
        XCTAssertEqual(shown, regrets.max()!, accuracy: 1e-9 * abs(regrets.max()!) + 1e-9)
        let share = lines.first { $0.contains(",0,hukou=false,satisficing_share,") }
        XCTAssertEqual(share.map { Double($0.split(separator: ",")[4])! }, Double(metOff) / 20, robust.standardOutput)

        let table = try twincity(["sweep", "analyze", out, "--robustness"])
        XCTAssertEqual(table.status, 0, table.standardError)
        XCTAssertTrue(table.standardOutput.contains("region.gdp@2022 (more is better): ranked by maximum regret over 20 futures"), table.standardOutput)

        let discover = try twincity(["sweep", "analyze", out, "--discover", "region.gdp@2022 < \(threshold)", "--combination", "0"])
        XCTAssertEqual(discover.status, 0, discover.standardError)
        XCTAssertTrue(discover.standardOutput.contains("Peeling and pasting trajectory (coverage–density trade-off):"), discover.standardOutput)
        XCTAssertTrue(discover.standardOutput.contains("20 cases, \(20 - metOff) of interest"), discover.standardOutput)

        func refusal(_ arguments: [String], _ message: String) throws {
            let result = try twincity(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardError, "twincity: error: " + message + "\n")
            XCTAssertEqual(result.standardOutput, "", "nothing printed before the error")
        }
        try refusal(["sweep", "analyze", out, "--robustness", "--satisfice", "region.gpd@2022 >= 1"],
            "--satisfice 'region.gpd@2022 >= 1': the sweep does not record 'region.gpd@2022'; did you mean 'region.gdp@2022'? (it records 'region.gdp@2022', 'region.theil@2022', 'city.chengdu.population@2022')")
        try refusal(["sweep", "analyze", out, "--robustness", "--satisfice", "region.gdp@2022 => 1"],
            "--satisfice 'region.gdp@2022 => 1': malformed comparison 'region.gdp@2022 => 1'; expected OUTPUT OP NUMBER with OP one of >=, <=, >, <, e.g. \"region.gdp@2035 >= 130000\", terms joined by 'and'")
        try refusal(["sweep", "analyze", out, "--discover", "region.gdp@2022 < 1"],
            "--discover: the sweep has 2 lever combinations; choose one with --combination K (0 to 1, as --robustness numbers them)")
        try refusal(["sweep", "analyze", out, "--discover", "region.gdp@2022 < \(threshold)", "--combination", "2"],
            "--combination 2: the sweep has lever combinations 0 to 1 (see --robustness)")
        try refusal(["sweep", "analyze", out, "--discover", "region.gdp@2022 < 1", "--combination", "1"],
            "--discover 'region.gdp@2022 < 1': the condition holds in 0 of 20 cases; PRIM needs cases of interest and cases that are not")

        // PRIM on too few cases: a sweep of 10 futures.
        let small = try write(LeverSweepTests.leverSweep(sampler: "kind = \"lhs\"\nsamples = 10"), to: "small.toml", in: folder)
        let smallOut = folder.appendingPathComponent("small").path
        XCTAssertEqual(try twincity(["sweep", small, "--out", smallOut, "--quiet"]).status, 0)
        try refusal(["sweep", "analyze", smallOut, "--discover", "region.gdp@2022 < 1", "--combination", "0"],
            "--discover 'region.gdp@2022 < 1': PRIM needs at least 20 cases (1/α with peeling α = 0.05) with the output defined, found 10")

        // Robustness of a sweep without levers.
        let grid = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let gridOut = folder.appendingPathComponent("grid").path
        XCTAssertEqual(try twincity(["sweep", grid, "--out", gridOut, "--quiet"]).status, 0)
        try refusal(["sweep", "analyze", gridOut, "--robustness"],
            "--robustness: the sweep 'test-grid' has no [[lever]] tables; robustness compares lever combinations across futures (docs/SWEEPS.md, \"Levers and uncertainties\")")

        // The pictures of the lever sweep.
        let plot = try twincity(["plot", out, "--discover", "region.gdp@2022 < \(threshold)", "--combination", "0"])
        if plot.status == 1, plot.standardError.contains("gnuplot") {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("gnuplot missing: .ci/install-deps installs gnuplot-nox") }
            return
        }
        XCTAssertEqual(plot.status, 0, plot.standardError)
        let names = try FileManager.default.contentsOfDirectory(atPath: out + "/plots").sorted()
        XCTAssertEqual(names, [
            "outcomes-region.gdp-2022-region.theil-2022.png", "outcomes-region.theil-2022-city.chengdu.population-2022.png",
            "prim-box.png", "prim-tradeoff.png",
            "regret-city.chengdu.population-2022.png", "regret-region.gdp-2022.png", "regret-region.theil-2022.png",
        ])
    }
}
