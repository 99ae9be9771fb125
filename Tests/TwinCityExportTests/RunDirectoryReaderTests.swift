// The one reader of run directories (compare, plot, report): RFC 4180 quoting, line ends,
// non-ASCII text, the line each row starts on, and each problem named with its file and line.
import Foundation
import TwinCityExport
import XCTest

final class RunDirectoryReaderTests: XCTestCase {
    func testQuotedCellsLineEndsAndUnicode() {
        let text = "year,city,note\r\n2020,chengdu,\"a, b\"\n2021,\"Guang'an\",\"say \"\"hi\"\"\"\n2022,成都,\"two\nlines\"\n2023,,last"
        let records = RunDirectoryReader.parse(text)
        XCTAssertEqual(records.map(\.fields), [
            ["year", "city", "note"],
            ["2020", "chengdu", "a, b"],
            ["2021", "Guang'an", "say \"hi\""],
            ["2022", "成都", "two\nlines"],
            ["2023", "", "last"],
        ])
        // The quoted line break makes the 2022 row span lines 4 and 5, so 2023 is on line 6.
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 6])
    }

    func testATableKeepsRowLinesAndTheFirstReplication() throws {
        let folder = try scratchFolder()
        try write("\u{FEFF}replication,year,gdp\n0,2020,1\n\n1,2020,2\n0,2021,3\n", to: "region.csv", in: folder)
        let table = try RunDirectoryReader.table("region.csv", in: folder.path)
        XCTAssertEqual(table.header, ["replication", "year", "gdp"])
        XCTAssertEqual(table.rows, [["0", "2020", "1"], ["1", "2020", "2"], ["0", "2021", "3"]])
        XCTAssertEqual(table.lines, [2, 4, 5])
        XCTAssertEqual(table.file, folder.path + "/region.csv")
        XCTAssertTrue(table.isEnsemble)
        let first = table.firstReplication()
        XCTAssertEqual(first.rows, [["0", "2020", "1"], ["0", "2021", "3"]])
        XCTAssertEqual(first.lines, [2, 5])
        XCTAssertEqual(table.index(of: "gdp"), 2)
        XCTAssertNil(table.index(of: "population"))
    }

    func testEachProblemIsNamedWithItsFileAndLine() throws {
        let folder = try scratchFolder()
        let dir = folder.path
        try write("year,gdp\n2020,1\n2021\n", to: "region.csv", in: folder)
        try write("", to: "cities.csv", in: folder)
        try write("[1, 2]", to: "manifest.json", in: folder)
        try Data([0x79, 0xFF, 0x0A]).write(to: folder.appendingPathComponent("flows_capital.csv"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("summary.csv"), withIntermediateDirectories: false)

        func problem(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(problem { _ = try RunDirectoryReader.table("region.csv", in: dir) }, "\(dir)/region.csv:3: 1 cells for 2 columns")
        XCTAssertEqual(problem { _ = try RunDirectoryReader.table("cities.csv", in: dir) }, "\(dir)/cities.csv: is empty")
        XCTAssertEqual(problem { _ = try RunDirectoryReader.table("flows_capital.csv", in: dir) }, "\(dir)/flows_capital.csv: is not UTF-8 text")
        XCTAssertEqual(problem { _ = try RunDirectoryReader.table("summary.csv", in: dir) }, "\(dir)/summary.csv: is a directory, expected a CSV file")
        XCTAssertEqual(
            problem { _ = try RunDirectoryReader.table("flows_population.csv", in: dir) },
            "\(dir)/flows_population.csv: not found; expected a run directory written by `twincity run`")
        XCTAssertEqual(problem { _ = try RunDirectoryReader.manifest(in: dir) }, "\(dir)/manifest.json: is not a JSON object")
        XCTAssertEqual(
            problem { try RunDirectoryReader.checkDirectory(dir + "/nothing") },
            "\(dir)/nothing: run directory not found; expected a directory written by `twincity run`")
        XCTAssertEqual(
            problem { try RunDirectoryReader.checkDirectory(dir + "/region.csv") },
            "\(dir)/region.csv: is a file; expected a run directory written by `twincity run`")
        XCTAssertEqual(problem { try RunDirectoryReader.checkDirectory(dir) }, "no error")
    }
}
