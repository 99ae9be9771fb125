// `compare` reads run directories through the export module's reader and words its problems
// as the scenario module words an input file's: a row of the wrong length at its line (a
// quoted line break counted), an empty table with the header it expects.
import Foundation
@testable import TwinCityScenario
import XCTest

final class RunFileProblemsTests: XCTestCase {
    private func run(_ folder: URL, _ name: String, region: String, cities: String) throws -> String {
        let directory = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try region.write(to: directory.appendingPathComponent("region.csv"), atomically: true, encoding: .utf8)
        try cities.write(to: directory.appendingPathComponent("cities.csv"), atomically: true, encoding: .utf8)
        return directory.path
    }

    func testRaggedAndEmptyRunTablesAreNamedWithTheirLines() throws {
        let folder = try scratchFolder()
        let region = "year,gdp,population,theil_gdp_per_capita\n2020,1,2,0.1\n2021,1,2,0.1\n"
        let cities = "city,year,population,gdp,tax_revenue_real,transfers_real,fiscal_balance_real\na,2020,1,1,1,0,0\na,2021,1,1,1,0,0\n"
        let a = try run(folder, "a", region: region, cities: cities)
        XCTAssertEqual(try RunComparison.compare(a, a).rows.count, 3 + 2 + 3)

        // A quoted cell spanning lines 2 and 3 puts the short row on line 4, not 3.
        let b = try run(folder, "b", region: "year,gdp,population,theil_gdp_per_capita\n2020,1,2,\"0.1\n\"\n2021\n", cities: "")
        XCTAssertThrowsError(try RunComparison.compare(a, b)) { error in
            XCTAssertEqual((error as? InputErrors)?.errors.map(\.description), [
                "\(b)/region.csv:4: expected 4 fields as in the header, found 1",
                "\(b)/cities.csv:1: the file is empty; expected a header row 'city,year,population,gdp,tax_revenue_real,transfers_real,fiscal_balance_real'",
            ])
        }
    }
}
