// City names as the plot's legends and maps show them.
@testable import TwinCityPlot
import XCTest

final class CityNameTests: XCTestCase {
    func testShortNamesOfLongPrefectures() {
        XCTAssertEqual(RunData.shortName("Ngawa (Aba) Tibetan and Qiang Autonomous Prefecture"), "Ngawa")
        XCTAssertEqual(RunData.shortName("Liangshan Yi Autonomous Prefecture"), "Liangshan")
        XCTAssertEqual(RunData.shortName("Guang'an"), "Guang'an")
        XCTAssertEqual(RunData.shortName("Ya'an"), "Ya'an")
    }
}
