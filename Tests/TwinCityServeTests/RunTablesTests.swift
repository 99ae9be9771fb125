// The report reads a run directory through the export module's reader: a row of the wrong
// length is refused with its file and line instead of being indexed out of range.
import Foundation
@testable import TwinCityServe
import XCTest

final class RunTablesTests: XCTestCase {
    func testARaggedRowIsRefusedWithItsLine() throws {
        let folder = try ServeSupport.temporaryFolder("ragged")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "cities.csv": "year,city,zone,tier,gdp\n2020,a,z,core,1\n",
            "region.csv": "year,gdp\n2020,1\n2021\n",
            "flows_population.csv": "year,origin,destination,value\n",
            "flows_capital.csv": "year,origin,destination,value\n",
            "flows_industry.csv": "year,origin,destination,value\n",
            "manifest.json": "{}",
        ]
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        XCTAssertThrowsError(try RunTables(path: folder.path)) { error in
            XCTAssertEqual("\(error)", "\(folder.path)/region.csv:3: 1 cells for 2 columns")
        }
        // Mended, the same directory reads: one year, one city.
        try "year,gdp\n2020,1\n2021,2\n".write(to: folder.appendingPathComponent("region.csv"), atomically: true, encoding: .utf8)
        let run = try RunTables(path: folder.path)
        XCTAssertEqual(run.years, [2020, 2021])
        XCTAssertEqual(run.cityIDs, ["a"])
        XCTAssertEqual(run.cityValue("a", "gdp", year: 2020), 1)
    }
}
