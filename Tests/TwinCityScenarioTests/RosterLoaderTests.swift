// Loading rosters from CSV: a valid roster round-trips into the model's types, the shipped
// seed tables load, and each kind of malformed file is reported with its exact location.
import Foundation
import TwinCityModel
import TwinCityScenario
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
        XCTAssertEqual(roster.count, 22)
        XCTAssertEqual(roster.cities.filter { $0.tier == .core }.map(\.id).sorted(), ["chengdu", "chongqing"])
        XCTAssertEqual(roster.cities.filter { $0.tier == .regionalCentre }.count, 7)
        XCTAssertEqual(roster.cities.filter { $0.tier == .node }.count, 13)
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
