// The plot module's reader of run tables: RFC 4180 quoting, line ends and non-ASCII text.
@testable import TwinCityPlot
import XCTest

final class CSVTableTests: XCTestCase {
    func testQuotedCellsLineEndsAndUnicode() {
        let text = "year,city,note\r\n2020,chengdu,\"a, b\"\n2021,\"Guang'an\",\"say \"\"hi\"\"\"\n2022,成都,\"two\nlines\"\n2023,,last"
        XCTAssertEqual(CSVTable.parse(text), [
            ["year", "city", "note"],
            ["2020", "chengdu", "a, b"],
            ["2021", "Guang'an", "say \"hi\""],
            ["2022", "成都", "two\nlines"],
            ["2023", "", "last"],
        ])
    }

    func testShortNamesOfLongPrefectures() {
        XCTAssertEqual(RunData.shortName("Ngawa (Aba) Tibetan and Qiang Autonomous Prefecture"), "Ngawa")
        XCTAssertEqual(RunData.shortName("Liangshan Yi Autonomous Prefecture"), "Liangshan")
        XCTAssertEqual(RunData.shortName("Guang'an"), "Guang'an")
        XCTAssertEqual(RunData.shortName("Ya'an"), "Ya'an")
    }
}
