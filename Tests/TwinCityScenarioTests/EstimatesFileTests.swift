// The estimates file a scenario's `estimates` key reads: values, groups and errors.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class EstimatesFileTests: XCTestCase {
    private let root = Checkout.root

    private func roster() throws -> Roster { try RosterLoader.load(cities: Checkout.roster.path) }

    private func write(_ text: String) throws -> String {
        let path = try scratchFolder().appendingPathComponent("estimates.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testAGroupsValueGoesToEachMember() throws {
        let path = try write("schema = 1\nkind = \"estimates\"\nthrough = 2020\n[drift]\nchengdu = 0.01\nchongqing = -0.002\n[standard_error]\nchengdu = 0.001\n")
        let estimates = try EstimatesFile.read(path, roster: roster())
        XCTAssertEqual(estimates.drift, ["chengdu": 0.01, "chongqing_core": -0.002, "chongqing_rest": -0.002])
        XCTAssertEqual(estimates.standardError, ["chengdu": 0.001])
        XCTAssertEqual(estimates.through, 2020)
    }

    func testBadValuesAreNamedWithLineAndKey() throws {
        let path = try write("schema = 1\nkind = \"estimates\"\nthrough = 2023\n[drift]\nchengdu = 0.9\nmianyang = \"fast\"\n[standard_error]\nchengdu = -1\n")
        XCTAssertThrowsError(try EstimatesFile.read(path, roster: roster())) { error in
            let lines = "\(error)".components(separatedBy: "\n")
            XCTAssertEqual(lines, [
                "\(path):3:1: key 'through': expected a whole number in [2010, 2022], found 2023",
                "\(path):5:1: key 'drift.chengdu': expected a number in [−0.5, 0.5] (log points per year), found 0.9",
                "\(path):6:1: key 'drift.mianyang': expected a number in [−0.5, 0.5] (log points per year), found the string \"fast\"",
                "\(path):8:1: key 'standard_error.chengdu': expected a number in [0, 0.5] (log points per year), found -1",
            ])
        }
    }

    func testAFileForAnotherRosterIsRefused() throws {
        let path = try write("schema = 1\nkind = \"estimates\"\nthrough = 2022\n[drift]\nparis = 0.01\n[standard_error]\nparis = 0.001\n")
        XCTAssertThrowsError(try EstimatesFile.read(path, roster: roster())) { error in
            XCTAssertEqual("\(error)", "\(path):4:2: key 'drift': names no city of the roster (it names 'paris'); the estimates were fitted to another roster")
        }
    }

    func testAMissingFileIsAnErrorOfTheScenario() throws {
        let folder = try scratchFolder()
        let scenario = folder.appendingPathComponent("s.toml")
        try "schema = 1\nname = \"s\"\nroster = \"\(Checkout.roster.path)\"\nestimates = \"none.toml\"\n".write(to: scenario, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioLoader.load(path: scenario.path)) { error in
            XCTAssertEqual("\(error)", "\(scenario.path):4:1: key 'estimates': estimates file not found: \(folder.appendingPathComponent("none.toml").standardizedFileURL.path) (a relative path is taken from the folder of the file that sets it)")
        }
    }
}
