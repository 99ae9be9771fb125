// `twincity cities`, `--version` and `--help`, run as a subprocess against the shipped seeds
// and a malformed fixture.
import Foundation
import TwinCityExport
import XCTest

final class CitiesCommandTests: XCTestCase {
    /// The decision's seven regional centre cities, 二(六).
    let regionalCentres: Set = ["mianyang", "deyang", "leshan", "yibin", "luzhou", "nanchong", "dazhou"]
    /// The decision's thirteen important node cities, 二(七).
    let nodes: Set = [
        "meishan", "ziyang", "suining", "yaan", "zigong", "neijiang", "guangan",
        "guangyuan", "bazhong", "panzhihua", "liangshan", "aba", "ganzi",
        // Not a node city of the decision: Chongqing outside its central urban area.
        "chongqing_rest",
    ]

    func testCSVListsTheSeedRosterByTier() throws {
        let result = try TwinCityProcess.run(["cities", "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardError, "")
        let records = parseCSV(result.standardOutput)
        let header = [
            "id", "name_zh", "name_en", "province", "zone", "tier", "lat", "lon",
            "area_km2", "pop_2010", "pop_2020", "gdp_2020", "group", "roles",
        ]
        XCTAssertEqual(records.first, header)
        let rows = records.dropFirst()
        XCTAssertEqual(rows.count, 23)
        let groupIndex = try XCTUnwrap(header.firstIndex(of: "group"))
        XCTAssertEqual(rows.filter { $0[groupIndex] == "chongqing" }.map { $0[0] }, ["chongqing_core", "chongqing_rest"])

        let tierIndex = try XCTUnwrap(header.firstIndex(of: "tier"))
        let rolesIndex = try XCTUnwrap(header.firstIndex(of: "roles"))
        func ids(ofTier tier: String) -> Set<String> { Set(rows.filter { $0[tierIndex] == tier }.map { $0[0] }) }
        XCTAssertEqual(ids(ofTier: "core"), ["chengdu", "chongqing_core"])
        XCTAssertEqual(ids(ofTier: "regional_centre"), regionalCentres)
        XCTAssertEqual(ids(ofTier: "node"), nodes)

        // Each role item reads `tag [part(section) 「quote」]`.
        let citation = try Regex(#"[a-z_]+ \[[一二三四]\([一二三四五六七八九十]+\) 「[^」]+」\]"#)
        for row in rows {
            XCTAssertEqual(row.count, header.count, "\(row)")
            XCTAssertFalse(row[rolesIndex].isEmpty, "\(row[0]) has no roles")
            XCTAssertNotNil(row[rolesIndex].firstMatch(of: citation), "\(row[0]): \(row[rolesIndex])")
        }
    }

    func testJSONHasEveryCity() throws {
        let result = try TwinCityProcess.run(["cities", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let cities = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        XCTAssertEqual(cities.count, 23)
        let chengdu = try XCTUnwrap(cities.first { $0["id"] as? String == "chengdu" })
        XCTAssertEqual(chengdu["tier"] as? String, "core")
        XCTAssertEqual(chengdu["name_zh"] as? String, "成都市")
        XCTAssertEqual(chengdu["urban_share_2020"] as? Double, 0.7876)
        let aba = try XCTUnwrap(cities.first { $0["id"] as? String == "aba" })
        XCTAssertTrue(aba["urban_share_2020"] is NSNull, "an unknown urban share is null")
        let roles = try XCTUnwrap(chengdu["roles"] as? [[String: String]])
        XCTAssertFalse(roles.isEmpty)
        XCTAssertEqual(Set(roles[0].keys), ["tag", "section", "quote"])
    }

    func testTableShowsPopulationInTenThousands() throws {
        let result = try TwinCityProcess.run(["cities"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 23 + 1, "heading, rule, one line per city, one total per group")
        XCTAssertTrue(lines[0].hasPrefix("id "))
        // Chengdu: 20,937,757 persons = 2093.78 万人.
        let chengdu = try XCTUnwrap(lines.first { $0.hasPrefix("chengdu ") })
        XCTAssertTrue(chengdu.contains(" 2093.78 "), String(chengdu))
        // The last line is Chongqing's total: its 7th-census population 32,054,159 and its
        // first-published 2020 GDP 25002.79 (seeds/cities.csv before the split), from the parts.
        let total = try XCTUnwrap(lines.last)
        XCTAssertTrue(total.hasPrefix("chongqing "), String(total))
        for text in [" total ", " 3205.42 ", " 25002.79 ", "= chongqing_core + chongqing_rest"] {
            XCTAssertTrue(total.contains(text), "\(text) in \(total)")
        }
    }

    func testDefaultRosterIsFoundAboveTheExecutableFromAnyDirectory() throws {
        let elsewhere = FileManager.default.temporaryDirectory
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("seeds/cities.csv").path))
        let result = try TwinCityProcess.run(["cities", "--format", "csv"], in: elsewhere)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(parseCSV(result.standardOutput).count, 1 + 23)
    }

    func testMalformedRosterExitsWithStatus2AndNamesTheCell() throws {
        let path = "Tests/TwinCityScenarioTests/Fixtures/malformed/non_numeric_population.csv"
        let result = try TwinCityProcess.run(["cities", "--roster", path, "--format", "csv"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "", "nothing is written before an input error")
        XCTAssertEqual(
            result.standardError,
            "twincity: error: \(path):3: column 'pop_2020': expected a number, found 'abc'\n")
    }

    func testEveryErrorGetsItsOwnLine() throws {
        let path = "Tests/TwinCityScenarioTests/Fixtures/malformed/two_errors.csv"
        let result = try TwinCityProcess.run(["cities", "--roster", path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError, """
            twincity: error: \(path):2: column 'area_km2': expected an area in km² > 0, found '-14335'
            twincity: error: \(path):4: column 'gdp_2020': expected a number, found 'n/a'

            """)
    }

    func testMissingRosterFileExitsWithStatus2() throws {
        let result = try TwinCityProcess.run(["cities", "--roster", "no/such/cities.csv"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardError, "twincity: error: no/such/cities.csv: no such file\n")
    }

    func testVersion() throws {
        let result = try TwinCityProcess.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardOutput, twinCityVersion + "\n")
    }

    func testHelpListsTheCitiesSubcommand() throws {
        let result = try TwinCityProcess.run(["--help"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.standardOutput.contains("USAGE: twincity"), result.standardOutput)
        XCTAssertNotNil(result.standardOutput.firstMatch(of: try Regex(#"\n\s+cities\s+List the cities"#)),
                        result.standardOutput)
    }
}
