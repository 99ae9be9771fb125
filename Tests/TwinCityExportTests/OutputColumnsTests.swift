// The column catalogue the writer and the plots use agrees with docs/OUTPUTS.md: the same
// columns, in the same order, with the same units.
import Foundation
import TwinCityExport
import XCTest

/// docs/OUTPUTS.md, which the tests hold the writer to.
let outputsDocument = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/OUTPUTS.md")

/// (first cell without backticks, second cell) of every row of the first table after the
/// line `heading` in docs/OUTPUTS.md.
func documentedColumns(under heading: String) throws -> [(String, String)] {
    let text = try String(contentsOf: outputsDocument, encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    let start = try XCTUnwrap(lines.firstIndex(of: heading), "no heading \(heading) in docs/OUTPUTS.md")
    var rows: [(String, String)] = []
    var inTable = false
    for line in lines[(start + 1)...] {
        if line.hasPrefix("|") {
            inTable = true
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, cells[1].hasPrefix("`") else { continue }
            rows.append((cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[2]))
        } else if inTable {
            break
        }
    }
    return rows
}

final class OutputColumnsTests: XCTestCase {
    func testCitiesColumnsMatchTheDocumentation() throws {
        let documented = try documentedColumns(under: "## `cities.csv`")
        let catalogue = OutputColumns.cities(sectors: ["<sector>"])
        XCTAssertEqual(documented.map(\.0), OutputColumns.cityKeys + catalogue.map(\.name), "same columns in the same order")
        let units = Dictionary(uniqueKeysWithValues: documented)
        for column in catalogue {
            XCTAssertEqual(column.unit, units[column.name], column.name)
        }
    }

    func testRegionColumnsMatchTheDocumentation() throws {
        let documented = try documentedColumns(under: "## `region.csv`")
        let catalogue = OutputColumns.region(coreCities: ["chengdu", "chongqing"], zones: ["<zone>"])
        XCTAssertEqual(documented.map(\.0), OutputColumns.regionKeys + catalogue.map(\.name), "same columns in the same order")
        let units = Dictionary(uniqueKeysWithValues: documented)
        for column in catalogue {
            XCTAssertEqual(column.unit, units[column.name], column.name)
        }
    }

    func testSummaryColumnsAreDocumented() throws {
        let documented = try documentedColumns(under: "## `summary.csv`")
        XCTAssertEqual(documented.map(\.0), ["year", "scope", "id", "variable", "mean", "sd", "p05", "p50", "p95"])
    }

    func testFlowUnitsMatchTheDocumentation() throws {
        let text = try String(contentsOf: outputsDocument, encoding: .utf8)
        for (kind, unit) in OutputColumns.flowUnits {
            let row = try XCTUnwrap(text.components(separatedBy: "\n").first { $0.hasPrefix("| `flows_\(kind).csv` |") && $0.split(separator: "|").count == 3 },
                                    "no unit row for flows_\(kind).csv")
            XCTAssertTrue(row.hasSuffix("| \(unit) |"), "\(row) should end with the unit \(unit)")
        }
    }

    func testAdditiveColumnsAreThoseWithoutPerUnitsOrShares() {
        // A sum over cities makes sense for stocks, flows and money per year, and for nothing
        // measured per person, as a share or as an index.
        for column in OutputColumns.cities(sectors: ["services"]) + OutputColumns.region(coreCities: ["chengdu"], zones: ["south"]) {
            let perSomething = column.unit.contains("per person") || column.unit.contains("per urban worker")
                || column.unit.hasPrefix("index")
                || ["share", "ratio", "per year", "log return points", "relative error"].contains(column.unit)
            XCTAssertEqual(column.additive, !perSomething, column.name)
        }
    }
}
