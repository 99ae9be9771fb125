// The strategic decision rules on the shipped 22-city region as a user runs them, their bad
// input, and the welfare table `twincity compare` ends with.
import Foundation
import XCTest

final class StrategicRulesCommandTests: XCTestCase {
    func records(_ url: URL) throws -> [[String: String]] {
        let rows = parseCSV(try String(contentsOf: url, encoding: .utf8))
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(rows[0], $0)) }
    }

    func testNashAndCooperativeRunOnTheRegionAndCompareReportsTheWelfare() throws {
        let folder = try scratchFolder()
        var runs: [String: URL] = [:]
        for rule in ["tournament", "nash", "cooperative"] {
            let out = folder.appendingPathComponent(rule)
            let result = try TwinCityProcess.run([
                "run", "scenarios/baseline.toml", "--out", out.path, "--quiet",
                // A tax of 0.15 of GDP makes the subsidy game interior (at 8.7 % it is 0).
                "--set", "model.decision_rule=\(rule)", "--set", "time.end=2023", "--set", "model.tax_rate=0.15",
            ])
            XCTAssertEqual(result.status, 0, result.standardError)
            runs[rule] = out
        }
        let nash = try records(runs["nash"]!.appendingPathComponent("cities.csv"))
        let plan = try records(runs["cooperative"]!.appendingPathComponent("cities.csv"))
        XCTAssertEqual(nash.filter { $0["year"] == "2023" }.count, 23)
        XCTAssertTrue(nash.contains { $0["year"] == "2023" && Double($0["subsidy_rate"]!)! > 0.01 }, "governments competing subsidise")
        XCTAssertTrue(plan.allSatisfy { Double($0["subsidy_rate"]!)! == 0 && Double($0["retention_effort"]!)! == 0 }, "the planner pays for neither")

        // The welfare table of the planner against Nash, against the run files.
        let shown = try TwinCityProcess.run(["compare", runs["nash"]!.path, runs["cooperative"]!.path])
        XCTAssertEqual(shown.status, 0, shown.standardError)
        XCTAssertTrue(shown.standardOutput.contains(
            "\nequivalent variation of B against A, 2020–2023, discounted at 5 %/yr (yuan per urban resident per year, at A's prices)\n"),
            shown.standardOutput)
        var total = 0.0, weights = 0.0
        for (k, year) in ["2020", "2021", "2022", "2023"].enumerated() {
            var ev = 0.0, population = 0.0
            for a in nash where a["year"] == year {
                let b = try XCTUnwrap(plan.first { $0["year"] == year && $0["city"] == a["city"] })
                let weight = Double(a["urban_population"]!)!
                // The movers' value ν (λ ln L − ln π_ii) / θ at the baseline's ν = 0.1, θ = 2, λ = 1.
                func mover(_ row: [String: String]) -> Double {
                    0.1 * (Foundation.log(Double(row["urban_population"]!)!) - Foundation.log(Double(row["stay_probability"]!)!)) / 2
                }
                let logRatio = Foundation.log(Double(b["real_utility"]!)! / Double(a["real_utility"]!)!) + mover(b) - mover(a)
                ev += weight * Double(a["wage"]!)! * Foundation.expm1(logRatio)
                population += weight
            }
            let d = Foundation.pow(1.05, -Double(k))
            total += d * ev / population
            weights += d
        }
        let welfare = try XCTUnwrap(shown.standardOutput.components(separatedBy: "\nequivalent variation").last)
        let line = try XCTUnwrap(welfare.split(separator: "\n").first { $0.hasPrefix("region ") })
        let fields = line.split(separator: " ").map(String.init)
        XCTAssertEqual(fields.count, 8, String(line))
        XCTAssertEqual(fields[1], String(format: "%.6g", total / weights))
        // The parts add up to the EV (as printed, to six digits).
        let parts = fields[3...7].map { Double($0)! }
        XCTAssertEqual(parts.reduce(0, +), Double(fields[1])!, accuracy: 1e-5 * max(1, abs(Double(fields[1])!)))
        for city in ["chengdu", "chongqing_core", "aba"] {
            XCTAssertTrue(shown.standardOutput.contains("\n\(city) "), city)
        }
    }

    func testUnknownRuleAndBargainingWeightOutsideItsRangeNameFileLineAndKey() throws {
        let folder = try scratchFolder()
        let roster = TwinCityProcess.packageRoot.appendingPathComponent("seeds/cities.csv").path
        try """
            schema = 1
            name = "strategic"
            roster = "\(roster)"
            [model]
            decision_rule = "nashh"
            [[policy]]
            kind = "tax_sharing"
            start = 2021
            bargaining_weight = 1.5
            """.write(to: folder.appendingPathComponent("s.toml"), atomically: true, encoding: .utf8)
        let result = try TwinCityProcess.run(["validate", "s.toml"], in: folder)
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError.split(separator: "\n"), [
            "twincity: error: s.toml:5:1: key 'model.decision_rule': expected \"fixed\", \"tournament\", \"nash\" or \"cooperative\", found the string \"nashh\"; did you mean 'nash'?",
            "twincity: error: s.toml:9:1: key 'policy[0].bargaining_weight': expected a number in [0, 1] (weight), found 1.5",
        ])
        let run = try TwinCityProcess.run([
            "run", "scenarios/baseline.toml", "--out", folder.appendingPathComponent("x").path, "--quiet",
            "--set", "model.decision_rule=planner",
        ])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.standardError,
                       "twincity: error: --set: key 'model.decision_rule': expected \"fixed\", \"tournament\", \"nash\" or \"cooperative\", found the string \"planner\"\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x").path))
    }
}
