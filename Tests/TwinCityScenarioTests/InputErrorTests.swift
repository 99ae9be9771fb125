// The text of input errors: location parts appear only when known.
import TwinCityScenario
import XCTest

final class InputErrorTests: XCTestCase {
    func testDescriptionLeavesOutUnknownParts() {
        XCTAssertEqual(
            InputError(file: "cities.csv", line: 5, key: "pop_2020", keyKind: .column,
                       message: "expected a number, found 'abc'").description,
            "cities.csv:5: column 'pop_2020': expected a number, found 'abc'")
        XCTAssertEqual(
            InputError(file: "run.toml", line: 12, column: 9, key: "policy[2].start",
                       message: "expected a year").description,
            "run.toml:12:9: key 'policy[2].start': expected a year")
        XCTAssertEqual(InputError(file: "x.csv", message: "no such file").description, "x.csv: no such file")
    }

    func testSeveralErrorsOneLineEach() {
        let errors = InputErrors([
            InputError(file: "a.csv", line: 2, message: "one"),
            InputError(file: "a.csv", line: 3, message: "two"),
        ])
        XCTAssertEqual(errors.description, "a.csv:2: one\na.csv:3: two")
    }

    func testThrowIfAnyPicksTheShape() {
        XCTAssertNoThrow(try InputErrors.throwIfAny([]))
        let one = InputError(file: "a.csv", message: "one")
        XCTAssertThrowsError(try InputErrors.throwIfAny([one])) { XCTAssertEqual($0 as? InputError, one) }
        XCTAssertThrowsError(try InputErrors.throwIfAny([one, one])) {
            XCTAssertEqual(($0 as? InputErrors)?.errors.count, 2)
        }
    }
}
