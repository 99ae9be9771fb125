// docs/MODEL.md §7 lists every parameter with its unit, default, range and reason; the
// defaults there are the ones a run uses (ModelParameters()), so a changed default cannot
// leave the documentation behind.
import Foundation
import TwinCityModel
import XCTest

final class ParameterDocumentationTests: XCTestCase {
    func testEveryParameterRowStatesTheDefaultTheModelUses() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/MODEL.md"), encoding: .utf8)
        var documented: [String: String] = [:]
        for line in text.components(separatedBy: "\n") where line.hasPrefix("| `") {
            // | `key` | `swiftName` | unit | default | range | reason |
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 7, cells[1].hasPrefix("`"), cells[2].hasPrefix("`") else { continue }
            documented[cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = cells[4]
        }
        let defaults = ModelParameters()
        var wrong: [String] = []
        for info in ModelParameters.catalog {
            guard let cell = documented[info.name] else {
                wrong.append("\(info.name): no row in docs/MODEL.md §7")
                continue
            }
            let value = info.value(in: defaults)
            // The table writes minus signs as U+2212.
            guard let stated = Double(cell.replacingOccurrences(of: "−", with: "-")) else {
                wrong.append("\(info.name): default '\(cell)' is not a number")
                continue
            }
            if abs(stated - value) > 1e-12 * max(1, abs(value)) {
                wrong.append("\(info.name): docs/MODEL.md says \(cell), the model uses \(value)")
            }
        }
        XCTAssertEqual(wrong, [])
    }
}
