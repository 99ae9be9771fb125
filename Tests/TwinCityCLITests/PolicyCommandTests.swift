// `twincity validate`, `twincity compare` and `twincity run --set` as a user runs them:
// exit statuses, every error of every file, and comparisons that agree with the run files.
import Foundation
import XCTest

final class PolicyCommandTests: XCTestCase {
    let root = TwinCityProcess.packageRoot

    /// A fresh scratch folder, removed when the test ends.
    func scratch() throws -> URL {
        try scratchFolder()
    }

    func table(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        let records = parseCSV(try String(contentsOf: url, encoding: .utf8))
        return (records.first ?? [], Array(records.dropFirst()))
    }

    /// The cell of `column` in the row of `table` where `match` holds.
    func cell(_ table: (header: [String], rows: [[String]]), _ column: String, where match: ([String: String]) -> Bool) throws -> String {
        let rows = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
        let row = try XCTUnwrap(rows.first(where: match), "no matching row")
        return try XCTUnwrap(row[column], column)
    }

    // MARK: - validate

    func testValidateAcceptsEveryShippedScenario() throws {
        let files = ["scenarios/baseline.toml", "scenarios/decision-2020.toml", "scenarios/policies/tax-sharing.toml",
                     "scenarios/theory/core-periphery.toml"]
        let result = try TwinCityProcess.run(["validate"] + files)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardOutput, files.map { "\($0): ok\n" }.joined())
        XCTAssertEqual(result.standardError, "")
    }

    func testValidateReportsEveryErrorOfEveryFileAndExits2() throws {
        let folder = try scratch()
        let roster = root.appendingPathComponent("seeds/cities.csv").path
        try """
            schema = 1
            name = "two errors"
            roster = "\(roster)"
            [model]
            migration_rate = 2
            [[policy]]
            kind = "metro_integration"
            start = 2020
            cities = ["chengdu", "deyan"]
            """.write(to: folder.appendingPathComponent("first.toml"), atomically: true, encoding: .utf8)
        try """
            schema = 1
            name = "three errors"
            roster = "\(roster)"
            [time]
            dt = 0
            [[policy]]
            kind = "tax_shareing"
            start = 2021
            [[policy]]
            kind = "opening"
            start = 2050
            cities = ["chongqing"]
            """.write(to: folder.appendingPathComponent("second.toml"), atomically: true, encoding: .utf8)
        let good = root.appendingPathComponent("scenarios/baseline.toml").path
        let result = try TwinCityProcess.run(["validate", "first.toml", good, "second.toml"], in: folder)
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertEqual(result.standardOutput, "\(good): ok\n", "the good file is reported as such")
        XCTAssertEqual(result.standardError.split(separator: "\n"), [
            "twincity: error: first.toml:5:1: key 'model.migration_rate': expected a number in [0, 1] (per year), found 2",
            "twincity: error: first.toml:9:22: key 'policy[0].cities[1]': unknown city 'deyan'; did you mean 'deyang'?",
            "twincity: error: second.toml:5:1: key 'time.dt': expected a number > 0 (years), found 0",
            "twincity: error: second.toml:7:1: key 'policy[0].kind': unknown policy kind \"tax_shareing\"; did you mean 'tax_sharing'?",
            "twincity: error: second.toml:11:1: key 'policy[1].start': expected a year in [2020, 2035] (the scenario's [time]), found 2050",
        ])
    }

    func testValidateReportsTheRostersOwnErrors() throws {
        let folder = try scratch()
        try "id,name_zh\nchengdu,成都市\n".write(to: folder.appendingPathComponent("cities.csv"), atomically: true, encoding: .utf8)
        try "schema = 1\nname = \"bad roster\"\nroster = \"cities.csv\"\n"
            .write(to: folder.appendingPathComponent("scenario.toml"), atomically: true, encoding: .utf8)
        let result = try TwinCityProcess.run(["validate", "scenario.toml"], in: folder)
        XCTAssertEqual(result.status, 2, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: \(folder.appendingPathComponent("cities.csv").standardizedFileURL.path):1: column "),
                      result.standardError)
    }

    // MARK: - run --set

    func testRunWithOverridesRecordsThemAndThePolicies() throws {
        let folder = try scratch()
        let out = folder.appendingPathComponent("short")
        let result = try TwinCityProcess.run([
            "run", "scenarios/decision-2020.toml", "--out", out.path, "--quiet",
            "--set", "time.end=2022", "--set", "policy[1].share=0.3",
        ])
        XCTAssertEqual(result.status, 0, result.standardError)
        let region = try table(out.appendingPathComponent("region.csv"))
        XCTAssertEqual(region.rows.map { $0[0] }, ["2020", "2021", "2022"])
        let data = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let scenario = try XCTUnwrap(manifest["scenario"] as? [String: Any])
        XCTAssertEqual(scenario["overrides"] as? [String], ["time.end=2022", "policy[1].share=0.3"])
        let policies = try XCTUnwrap(scenario["policy"] as? [[String: Any]])
        XCTAssertEqual(policies.count, 16, "the [[policy]] blocks of decision-2020.toml")
        XCTAssertEqual(policies[1]["kind"] as? String, "tax_sharing")
        XCTAssertEqual(policies[1]["share"] as? Double, 0.3)
        XCTAssertEqual((scenario["extends"] as? [String])?.first, root.appendingPathComponent("scenarios/baseline.toml").path)
    }

    func testABadOverrideNamesSetAndExits2() throws {
        let folder = try scratch()
        let result = try TwinCityProcess.run([
            "run", "scenarios/baseline.toml", "--out", folder.appendingPathComponent("x").path, "--quiet",
            "--set", "model.migration_rate=-0.5",
        ])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError,
                       "twincity: error: --set: key 'model.migration_rate': expected a number in [0, 1] (per year), found -0.5\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    // MARK: - compare

    /// Runs the baseline and the decision package to 2023 into `folder`.
    func twoRuns(in folder: URL) throws -> (URL, URL) {
        let a = folder.appendingPathComponent("baseline"), b = folder.appendingPathComponent("decision")
        for (scenario, out) in [("scenarios/baseline.toml", a), ("scenarios/decision-2020.toml", b)] {
            let result = try TwinCityProcess.run(["run", scenario, "--out", out.path, "--quiet", "--set", "time.end=2023"])
            XCTAssertEqual(result.status, 0, result.standardError)
        }
        return (a, b)
    }

    func testCompareAgreesWithTheRunFiles() throws {
        let folder = try scratch()
        let (a, b) = try twoRuns(in: folder)
        let regionA = try table(a.appendingPathComponent("region.csv"))
        let regionB = try table(b.appendingPathComponent("region.csv"))
        let citiesA = try table(a.appendingPathComponent("cities.csv"))
        let citiesB = try table(b.appendingPathComponent("cities.csv"))

        // The table: the last common year, the region's GDP row with both values as printed.
        let shown = try TwinCityProcess.run(["compare", a.path, b.path])
        XCTAssertEqual(shown.status, 0, shown.standardError)
        XCTAssertTrue(shown.standardOutput.contains("year: 2023\n"), shown.standardOutput)
        let gdpA = try XCTUnwrap(Double(try cell(regionA, "gdp") { $0["year"] == "2023" }))
        let gdpB = try XCTUnwrap(Double(try cell(regionB, "gdp") { $0["year"] == "2023" }))
        let line = try XCTUnwrap(shown.standardOutput.split(separator: "\n").first { $0.hasPrefix("GDP (亿元/yr, 2020 prices)") })
        let fields = line.split(separator: " ").suffix(4).map(String.init)
        XCTAssertEqual(fields[0], String(format: "%.6g", gdpA))
        XCTAssertEqual(fields[1], String(format: "%.6g", gdpB))
        XCTAssertEqual(fields[2], String(format: "%.6g", gdpB - gdpA))
        XCTAssertEqual(fields[3], String(format: "%+.3f", 100 * (gdpB - gdpA) / gdpA))
        for label in ["population (万人)", "Theil index of GDP per capita", "Chengdu GDP share", "Chongqing GDP share",
                      "chengdu population (万人)", "aba GDP (亿元/yr, 2020 prices)", "chengdu transfers received (亿元/yr, 2020 prices)",
                      "yibin fiscal balance (亿元/yr, 2020 prices)"] {
            XCTAssertTrue(shown.standardOutput.contains("\n\(label) "), label)
        }

        // CSV: every number exactly as in the run files, for an earlier year too.
        let csv = try TwinCityProcess.run(["compare", a.path, b.path, "--year", "2021", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        let rows = parseCSV(csv.standardOutput)
        XCTAssertEqual(rows.first, ["section", "city", "column", "year", "a", "b", "difference", "percent"])
        let body = rows.dropFirst()
        XCTAssertEqual(body.count, 5 + 23 * 2 + 23 * 3)
        for row in body {
            XCTAssertEqual(row[3], "2021")
            let (section, city, column) = (row[0], row[1], row[2])
            let expectedA: String, expectedB: String
            if section == "region" {
                expectedA = try cell(regionA, column) { $0["year"] == "2021" }
                expectedB = try cell(regionB, column) { $0["year"] == "2021" }
            } else {
                expectedA = try cell(citiesA, column) { $0["year"] == "2021" && $0["city"] == city }
                expectedB = try cell(citiesB, column) { $0["year"] == "2021" && $0["city"] == city }
            }
            XCTAssertEqual(Double(row[4]), Double(expectedA), "\(section) \(city) \(column)")
            XCTAssertEqual(Double(row[5]), Double(expectedB), "\(section) \(city) \(column)")
            XCTAssertEqual(Double(row[6]), Double(expectedB)! - Double(expectedA)!, "\(section) \(city) \(column)")
        }
        // The package moves money between governments: transfers differ from the baseline's 0.
        let transfers = body.filter { $0[2] == "transfers_real" }
        XCTAssertTrue(transfers.allSatisfy { Double($0[4]) == 0 && $0[7] == "" }, "no transfers and no percentage in the baseline")
        XCTAssertTrue(transfers.contains { Double($0[5])! != 0 })
    }

    func testCompareRefusesMissingDirectoriesFilesColumnsAndYears() throws {
        let folder = try scratch()
        let (a, b) = try twoRuns(in: folder)
        let missing = folder.appendingPathComponent("nowhere").path
        var result = try TwinCityProcess.run(["compare", a.path, missing])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError, "twincity: error: \(missing): run directory not found; expected a directory written by `twincity run`\n")

        result = try TwinCityProcess.run(["compare", a.path, b.path, "--year", "2030"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardError,
                       "twincity: error: \(a.path)/region.csv: column 'year': no row for year 2030; the run records 2020–2023\n")

        // A run without its cities.csv, and one whose region.csv lacks the Theil index.
        let broken = folder.appendingPathComponent("broken")
        try FileManager.default.copyItem(at: b, to: broken)
        try FileManager.default.removeItem(at: broken.appendingPathComponent("cities.csv"))
        let region = broken.appendingPathComponent("region.csv")
        let records = parseCSV(try String(contentsOf: region, encoding: .utf8))
        let drop = try XCTUnwrap(records[0].firstIndex(of: "theil_gdp_per_capita"))
        try records.map { $0.enumerated().filter { $0.offset != drop }.map(\.element).joined(separator: ",") + "\n" }.joined()
            .write(to: region, atomically: true, encoding: .utf8)
        result = try TwinCityProcess.run(["compare", a.path, broken.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardError.split(separator: "\n"), [
            "twincity: error: \(broken.path)/region.csv:1: column 'theil_gdp_per_capita': missing required column",
            "twincity: error: \(broken.path)/cities.csv: no such file",
        ])
    }

    func testHelpListsTheNewCommands() throws {
        let result = try TwinCityProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        for command in ["validate", "compare"] { XCTAssertTrue(result.standardOutput.contains("  \(command) "), command) }
    }
}
