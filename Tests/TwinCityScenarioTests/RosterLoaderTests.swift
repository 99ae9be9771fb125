// Loading rosters from CSV: a valid roster round-trips into the model's types, the shipped
// seed tables load, and each kind of malformed file is reported with its exact location.
import Foundation
import TwinCityModel
import TwinCityScenario
import TwinCityTestSupport
import XCTest

final class RosterLoaderTests: XCTestCase {
    /// Absolute path of a file under Fixtures/.
    private func fixture(_ relativePath: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(relativePath).path
    }

    /// Loads `cities` (with `roles`/`links`), expects it to fail, and compares the reported
    /// error lines; one line must come as `InputError`, several as `InputErrors`.
    private func assertErrors(
        cities: String, roles: String? = nil, links: String? = nil, _ expected: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let roster = try RosterLoader.load(cities: cities, roles: roles, links: links)
            XCTFail("loaded \(roster.count) cities, expected errors", file: file, line: line)
        } catch let error as InputError {
            XCTAssertEqual([error.description], expected, file: file, line: line)
        } catch let errors as InputErrors {
            XCTAssertGreaterThan(errors.errors.count, 1, "InputErrors holds a single error", file: file, line: line)
            XCTAssertEqual(errors.errors.map(\.description), expected, file: file, line: line)
            XCTAssertEqual(errors.description, expected.joined(separator: "\n"), file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(type(of: error)): \(error)", file: file, line: line)
        }
    }

    /// Relative closeness for floats read from text.
    private func assertClose(_ a: Double, _ b: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), 1e-12 * max(abs(a), abs(b)), "\(a) vs \(b)", file: file, line: line)
    }

    // MARK: - Valid input

    /// Chongqing's parts add up to the municipality's published figures: the total row of
    /// seeds/chongqing_parts.csv (7th and 6th census, first-published 2020 GDP, area) and the
    /// chongqing row of seeds/base_2020.csv.
    func testChongqingPartsAddUpToTheMunicipalTotals() throws {
        let seeds = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds")
        let roster = try RosterLoader.load(cities: seeds.appendingPathComponent("cities.csv").path)
        func table(_ name: String) throws -> [String: [String: String]] {
            let rows = parseCSV(try String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8))
            let header = try XCTUnwrap(rows.first)
            return Dictionary(uniqueKeysWithValues: rows.dropFirst().map { row in
                (row[0], Dictionary(uniqueKeysWithValues: zip(header, row)))
            })
        }
        let parts = try table("chongqing_parts.csv")
        let base = try table("base_2020.csv")
        let members = try XCTUnwrap(roster.cityIDs(for: "chongqing")).map { try XCTUnwrap(roster[$0]) }
        XCTAssertEqual(members.map(\.id), ["chongqing_core", "chongqing_rest"])
        func total(_ value: (City) -> Double) -> Double { members.reduce(0.0) { $0 + value($1) } }
        func number(_ row: [String: String]?, _ column: String) throws -> Double {
            try XCTUnwrap(row?[column].flatMap(Double.init), column)
        }
        let whole = parts["chongqing"]
        XCTAssertEqual(total(\.population2020), try number(whole, "pop_2020_census"), accuracy: 0)
        XCTAssertEqual(total(\.population2020), try number(base["chongqing"], "pop_2020_census"), accuracy: 0)
        XCTAssertEqual(total(\.population2010), try number(whole, "pop_2010_census"), accuracy: 0)
        XCTAssertEqual(total(\.gdp2020), try number(whole, "gdp_2020"), accuracy: 1e-9)
        XCTAssertEqual(total(\.gdp2020), try number(base["chongqing"], "gdp_2020"), accuracy: 1e-9)
        XCTAssertEqual(total(\.areaKm2), try number(whole, "area_km2"), accuracy: 1e-9)
        // Each part's roster row is its row of chongqing_parts.csv.
        for city in members {
            let row = parts[city.id]
            XCTAssertEqual(city.population2020, try number(row, "pop_2020_census"), city.id)
            XCTAssertEqual(city.population2010, try number(row, "pop_2010_census"), city.id)
            XCTAssertEqual(city.gdp2020, try number(row, "gdp_2020"), city.id)
            XCTAssertEqual(city.areaKm2, try number(row, "area_km2"), city.id)
            XCTAssertEqual(city.latitude, try number(row, "lat"), city.id)
            XCTAssertEqual(city.longitude, try number(row, "lon"), city.id)
        }
    }

    /// groups.csv is checked like the other tables: a group id that is a city id, an unknown
    /// member and a member of two groups are each reported with file, line and column.
    func testMalformedGroupsAreReportedWithTheirCell() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let cities = folder.appendingPathComponent("cities.csv").path
        try String(contentsOfFile: try fixture("cities_only/cities.csv"), encoding: .utf8)
            .write(toFile: cities, atomically: true, encoding: .utf8)
        let ids = try RosterLoader.load(cities: cities).cities.map(\.id)
        let groups = folder.appendingPathComponent("groups.csv").path
        try """
            id,name_zh,name_en,members
            pair,两市,Pair,\(ids[0]) \(ids[1])
            \(ids[0]),某,Clash,\(ids[2])
            other,另,Other,\(ids[1]) nowhere

            """.write(toFile: groups, atomically: true, encoding: .utf8)
        assertErrors(cities: cities, [
            "\(groups):3: column 'id': '\(ids[0])' is a city id in cities.csv; a group needs an id of its own",
            "\(groups):4: column 'members': '\(ids[1])' is already a member of group 'pair'; a city belongs to one group at most",
            "\(groups):4: column 'members': unknown city 'nowhere', not an id in cities.csv",
        ])
        try "id,name_zh,name_en,members\npair,两市,Pair,\(ids[0]) \(ids[2])\n".write(toFile: groups, atomically: true, encoding: .utf8)
        let roster = try RosterLoader.load(cities: cities)
        XCTAssertEqual(roster.cityIDs(for: "pair"), [ids[0], ids[2]])
        XCTAssertEqual(roster.cityIDs(for: ids[1]), [ids[1]])
        XCTAssertNil(roster.cityIDs(for: "nowhere"))
        XCTAssertEqual(roster.cities.map(\.group), ["pair", nil, "pair"])
    }

    func testValidRosterWithRolesAndLinksBesideIt() throws {
        let roster = try RosterLoader.load(cities: try fixture("valid/cities.csv"))
        XCTAssertEqual(roster.cities.map(\.id), ["chengdu", "mianyang", "ziyang"])

        let chengdu = try XCTUnwrap(roster["chengdu"])
        XCTAssertEqual(chengdu.nameZH, "成都市")
        XCTAssertEqual(chengdu.nameEN, "Chengdu")
        XCTAssertEqual(chengdu.province, "sichuan")
        XCTAssertEqual(chengdu.zone, "chengdu_plain")
        XCTAssertEqual(chengdu.tier, .core)
        assertClose(chengdu.latitude, 30.659462)
        assertClose(chengdu.longitude, 104.065735)
        assertClose(chengdu.areaKm2, 14335)
        assertClose(chengdu.population2010, 15_118_839)
        assertClose(chengdu.population2020, 20_937_757)
        assertClose(chengdu.gdp2020, 17716.7)
        assertClose(try XCTUnwrap(chengdu.urbanShare2020), 0.7877)
        XCTAssertEqual(chengdu.roles, [
            RoleTag(tag: "pole_core", section: "二(五)", quote: "做強成都極核和主干功能"),
            RoleTag(tag: "science_city", section: "二(五)", quote: "高標准規劃中國西部(成都)科學城"),
        ])

        let mianyang = try XCTUnwrap(roster["mianyang"])
        XCTAssertEqual(mianyang.tier, .regionalCentre)
        XCTAssertNil(mianyang.urbanShare2020, "a blank urban share means unknown")
        XCTAssertEqual(mianyang.roles.map(\.quote), ["以中國西部(成都)科學城、中國(綿陽)科技城為主要承載區"])
        XCTAssertEqual(roster["ziyang"]?.tier, .node)

        XCTAssertEqual(roster.links.count, 2)
        let link = roster.links[0]
        XCTAssertEqual([link.from, link.to], ["chengdu", "mianyang"])
        assertClose(link.hours, 1.0)
        XCTAssertEqual(
            link.note,
            "EMU (Chengdu–Mianyang–Leshan ICR); as of 2014-12; source: https://example.org/a; about 1 hour, at opening")
        assertClose(roster.links[1].hours, 27.0 / 60.0)
        XCTAssertEqual(roster.links[1].note, "HSR; as of 2023-06; source: https://example.org/b")
    }

    func testRolesAndLinksAreOptional() throws {
        let roster = try RosterLoader.load(cities: try fixture("cities_only/cities.csv"))
        XCTAssertEqual(roster.count, 3)
        XCTAssertTrue(roster.cities.allSatisfy { $0.roles.isEmpty })
        XCTAssertTrue(roster.links.isEmpty)
    }

    func testExplicitRolesFileReplacesTheOneBesideTheCities() throws {
        let otherRoles = try fixture("valid/roles.csv")
        let roster = try RosterLoader.load(cities: try fixture("cities_only/cities.csv"), roles: otherRoles)
        XCTAssertEqual(roster["ziyang"]?.roles.map(\.tag), ["node_city"])
        XCTAssertTrue(roster.links.isEmpty)
    }

    func testShippedSeedRosterLoads() throws {
        let seeds = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/cities.csv").path
        let roster = try RosterLoader.load(cities: seeds)
        XCTAssertEqual(roster.count, 23)
        XCTAssertEqual(roster.cities.filter { $0.tier == .core }.map(\.id).sorted(), ["chengdu", "chongqing_core"])
        XCTAssertEqual(roster.cities.filter { $0.tier == .regionalCentre }.count, 7)
        // The 13 node cities of 二(七) and the part of Chongqing outside its central urban area.
        XCTAssertEqual(roster.cities.filter { $0.tier == .node }.count, 14)
        XCTAssertEqual(roster.groups.map(\.id), ["chongqing"])
        XCTAssertEqual(roster.cities.filter { $0.group == "chongqing" }.map(\.id), ["chongqing_core", "chongqing_rest"])
        for city in roster.cities {
            XCTAssertFalse(city.roles.isEmpty, "\(city.id) has no role")
        }
        XCTAssertFalse(roster.links.isEmpty)
        for link in roster.links { XCTAssertGreaterThan(link.hours, 0) }
    }

    // MARK: - Malformed input, one error each

    func testMissingColumn() throws {
        let path = try fixture("malformed/missing_column.csv")
        assertErrors(cities: path, ["\(path):1: column 'gdp_2020': missing required column"])
    }

    func testMisspeltColumnSuggestsTheNearestName() throws {
        let path = try fixture("malformed/misspelt_column.csv")
        assertErrors(cities: path, ["\(path):1: column 'pop2020': unknown column; did you mean 'pop_2020'?"])
    }

    func testDuplicateID() throws {
        let path = try fixture("malformed/duplicate_id.csv")
        assertErrors(cities: path, ["\(path):4: column 'id': duplicate id 'chengdu' (first on line 2)"])
    }

    func testNonNumericPopulation() throws {
        let path = try fixture("malformed/non_numeric_population.csv")
        assertErrors(cities: path, ["\(path):3: column 'pop_2020': expected a number, found 'abc'"])
    }

    func testLatitudeOutOfRange() throws {
        let path = try fixture("malformed/latitude_out_of_range.csv")
        assertErrors(cities: path, ["\(path):2: column 'lat': expected a latitude in [-90, 90] degrees, found '95.5'"])
    }

    func testUnknownTierListsTheValidOnes() throws {
        let path = try fixture("malformed/unknown_tier.csv")
        assertErrors(cities: path, [
            "\(path):3: column 'tier': expected a tier (core, regional_centre, node), found 'regional_center'; did you mean 'regional_centre'?",
        ])
    }

    func testWrongFieldCount() throws {
        let path = try fixture("malformed/wrong_field_count.csv")
        assertErrors(cities: path, ["\(path):3: expected 12 fields as in the header, found 11"])
    }

    func testLineNumbersCountLineBreaksInsideQuotedFields() throws {
        let path = try fixture("malformed/multiline_field.csv")
        assertErrors(cities: path, ["\(path):4: column 'gdp_2020': expected a GDP in 亿元 > 0, found '-1'"])
    }

    func testRoleNamingAnUnknownCity() throws {
        let roles = try fixture("malformed/roles_unknown_city.csv")
        assertErrors(cities: try fixture("valid/cities.csv"), roles: roles, [
            "\(roles):3: column 'city': unknown city 'chengdo', not an id in cities.csv; did you mean 'chengdu'?",
        ])
    }

    func testMissingFile() throws {
        let path = try fixture("malformed/no_such_file.csv")
        assertErrors(cities: path, ["\(path): no such file"])
        let cities = try fixture("valid/cities.csv")
        assertErrors(cities: cities, links: path, ["\(path): no such file"])
    }

    // MARK: - Every error reported

    func testTwoErrorsInOneFileAreBothReported() throws {
        let path = try fixture("malformed/two_errors.csv")
        assertErrors(cities: path, [
            "\(path):2: column 'area_km2': expected an area in km² > 0, found '-14335'",
            "\(path):4: column 'gdp_2020': expected a number, found 'n/a'",
        ])
    }

    func testManyErrorsAreReportedInFileOrder() throws {
        let path = try fixture("malformed/many_errors.csv")
        let id = "expected an id of lower-case letters, digits and '_' starting with a letter"
        assertErrors(cities: path, [
            "\(path):2: column 'id': \(id), found 'Chengdu'",
            "\(path):2: column 'lon': expected a longitude in [-180, 180] degrees, found '190'",
            "\(path):2: column 'urban_share_2020': expected a share in (0, 1), or an empty cell if unknown, found '1.2'",
            "\(path):3: column 'id': \(id), found an empty cell",
            "\(path):3: column 'name_en': expected an English name, found an empty cell",
            "\(path):3: column 'pop_2010': expected a number of persons > 0, found '0'",
            "\(path):3: column 'gdp_2020': expected a finite number, found 'inf'",
        ])
    }

    func testBadLinks() throws {
        let links = try fixture("malformed/bad_links.csv")
        assertErrors(cities: try fixture("valid/cities.csv"), links: links, [
            "\(links):2: column 'minutes': expected a travel time in minutes > 0, found '0'",
            "\(links):3: column 'to': expected a city other than 'from', found 'ziyang' at both ends",
            "\(links):3: column 'minutes': expected a travel time in minutes > 0, found '-5'",
            "\(links):4: column 'to': the pair mianyang–chengdu is already listed on line 2",
        ])
    }

    func testErrorsFromSeveralFilesAreReportedTogether() throws {
        let cities = try fixture("malformed/two_errors.csv")
        let roles = try fixture("malformed/roles_unknown_city.csv")
        assertErrors(cities: cities, roles: roles, [
            "\(cities):2: column 'area_km2': expected an area in km² > 0, found '-14335'",
            "\(cities):4: column 'gdp_2020': expected a number, found 'n/a'",
            "\(roles):3: column 'city': unknown city 'chengdo', not an id in two_errors.csv; did you mean 'chengdu'?",
        ])
    }
}
