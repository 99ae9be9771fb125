// A run directory read for plotting goes through the export module's reader: a row of the
// wrong length is refused naming its file and the line it starts on, quoted line breaks counted.
import Foundation
@testable import TwinCityPlot
import TwinCityTestSupport
import XCTest

final class RunDataReadingTests: XCTestCase {
    func testARaggedRowIsNamedByItsLine() throws {
        let folder = try scratchFolder()
        try write("{}", to: "manifest.json", in: folder)
        try write("year,city,zone,tier,gdp\n2020,a,z,core,1\n", to: "cities.csv", in: folder)
        try write("year,gdp\n2020,\"1\n\"\n2021\n", to: "region.csv", in: folder)
        XCTAssertThrowsError(try RunData(path: folder.path)) { error in
            XCTAssertEqual(error as? PlotError, .runDirectory(path: folder.path, message: "region.csv:4: 1 cells for 2 columns"))
        }
        try write("", to: "region.csv", in: folder)
        XCTAssertThrowsError(try RunData(path: folder.path)) { error in
            XCTAssertEqual(error as? PlotError, .runDirectory(path: folder.path, message: "region.csv is empty"))
        }
    }
}
