// What `compare` reads back from a run directory are columns of the writer's catalogue
// (OutputColumns, docs/OUTPUTS.md): a renamed or dropped column fails here, not in a user's
// comparison of two runs.
import TwinCityExport
@testable import TwinCityScenario
import XCTest

final class ComparedColumnsTests: XCTestCase {
    func testEveryComparedColumnIsOneTheWriterWrites() {
        let cores = RunDirectoryWriter.coreCityIDs
        let region = Set(OutputColumns.regionKeys + OutputColumns.region(coreCities: cores, zones: []).map(\.name))
        let cities = Set(OutputColumns.cityKeys + OutputColumns.cities(sectors: []).map(\.name))
        for column in RunComparison.regionColumns.map(\.column) {
            XCTAssertTrue(region.contains(column), "region.csv has no column '\(column)'")
        }
        for column in (RunComparison.cityColumns + RunComparison.fiscalColumns).map(\.column) + WelfareComparison.columns + [WelfareComparison.stayColumn] {
            XCTAssertTrue(cities.contains(column), "cities.csv has no column '\(column)'")
        }
    }
}
