// Every input the parser fuzzer (.ci/fuzz) found to crash a parser, and inputs at the edges of
// the roster reader met while fuzzing it, replayed through the same harness: each must be
// refused with an error the user can act on. The inputs live in Fixtures/<parser>/NAME.*, each
// with NAME.expected holding text its error must contain (roster inputs hold the cities,
// roles and links tables separated by form feeds, as the harness splits them).
import Foundation
@testable import TwinCityFuzz
import TwinCityScenario
import XCTest

final class FuzzRegressionTests: XCTestCase {
    /// One harness for the whole class: building its sandbox copies the roster.
    static let harness = try! ParserHarness(checkout: Reliability.packageRoot)

    override class func tearDown() {
        harness.removeSandbox()
        super.tearDown()
    }

    /// The fixtures of one parser: each input with the text its error must contain.
    func fixtures(_ target: ParserTarget) throws -> [(name: String, input: [UInt8], expected: String)] {
        let folder = Reliability.fixtures.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.filter { !$0.hasSuffix(".expected") && !$0.hasPrefix(".") }.map { name in
            let stem = (name as NSString).deletingPathExtension
            let expected = try String(contentsOf: folder.appendingPathComponent(stem + ".expected"), encoding: .utf8)
            let input = try Data(contentsOf: folder.appendingPathComponent(name))
            return (name, Array(input), expected.trimmingCharacters(in: .newlines))
        }
    }

    /// Replays every fixture of `target`; returns how many there were.
    @discardableResult
    func replay(_ target: ParserTarget) throws -> Int {
        let cases = try fixtures(target)
        for (name, input, expected) in cases {
            switch try Self.harness.run(target, bytes: input) {
            case .accepted:
                XCTFail("\(target.rawValue)/\(name): accepted; expected an error containing '\(expected)'")
            case .refused(let message):
                XCTAssertTrue(message.contains(expected), "\(target.rawValue)/\(name): \(message)")
            }
        }
        return cases.count
    }

    func testScenarioInputsThatCrashedTheParserAreRefusedCleanly() throws {
        // Table headers whose name starts with no key character, and arrays whose next element
        // starts with `}` or a Unicode line separator, aborted the TOML parser.
        XCTAssertGreaterThanOrEqual(try replay(.scenario), 5)
    }

    func testRosterInputsAtTheReadersEdgesAreRefusedCleanly() throws {
        // No roster input has crashed the reader; these are the edges it was fuzzed across.
        XCTAssertGreaterThanOrEqual(try replay(.roster), 5)
    }

    func testSweepInputsThatCrashedTheParserAreRefusedCleanly() throws {
        // `[[[` and an array closed by `}` aborted the TOML parser; a grid of Int.max levels
        // was built before being counted.
        XCTAssertGreaterThanOrEqual(try replay(.sweep), 3)
    }

    func testOverrideValuesThatAbortedTheParserAreRefusedByKey() throws {
        // A --set value is parsed as TOML too (`value = …`): the same constructs reached the
        // parser's assertions from the command line. Now they are no TOML value, so they are
        // taken as strings and refused by the key's type.
        for (override, key) in [("model.migration_rate=[}", "model.migration_rate"), ("time.end=2030\n[$x]", "time.end")] {
            XCTAssertThrowsError(try ScenarioLoader.validate(path: Reliability.baseline.path, overrides: [override])) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("--set: key '\(key)': expected a number"), text)
            }
        }
    }

    func testPreflightPassesValidTOMLThatLooksLikeAHeader() throws {
        // Brackets inside values, strings and comments are not table headers; braces closing
        // an inline table inside an array are not an array's missing element.
        let valid = #"""
            a = [
              [1, 2],
              ["[$x]", '[#]'],
            ]
            b = """
            [$not a header]
            """
            c = { d = [3] } # [$ in a comment
            h = [ { i = [1, 2,], j = "}" }, {},
              # a comment, then the last element
              { k = 1 },
            ]
            ["quoted key"]
            [[e]]
            [ f . g ]
            """#
        XCTAssertNoThrow(try TOMLPreflight.check(valid))
        XCTAssertThrowsError(try TOMLPreflight.check("a = 1\n\n  [ %x]\n")) { error in
            let problem = error as? TOMLSyntaxProblem
            XCTAssertEqual(problem?.line, 3)
            XCTAssertEqual(problem?.column, 5)
            XCTAssertEqual(problem?.message, "expected a table name (a bare key or a quoted key) after '[', found '%'")
        }
        XCTAssertThrowsError(try TOMLPreflight.check("a = { b = [1,\n # c\n } }\n")) { error in
            let problem = error as? TOMLSyntaxProblem
            XCTAssertEqual(problem?.line, 3)
            XCTAssertEqual(problem?.column, 2)
        }
    }

    func testTheHarnessAcceptsTheShippedInputs() throws {
        // The corpus the fuzzer starts from: shipped files pass the same checks.
        let root = Reliability.packageRoot
        for name in ["baseline.toml", "decision-2020.toml"] {
            let bytes = Array(try Data(contentsOf: root.appendingPathComponent("scenarios/\(name)")))
            guard case .accepted = try Self.harness.run(.scenario, bytes: bytes) else { return XCTFail(name) }
        }
        let tables = try ["cities.csv", "roles.csv", "links.csv"].map { Array(try Data(contentsOf: root.appendingPathComponent("seeds/\($0)"))) }
        let roster = tables.joined(separator: [ParserHarness.tableSeparator])
        guard case .accepted = try Self.harness.run(.roster, bytes: Array(roster)) else { return XCTFail("seeds roster") }
        let sweeps = root.appendingPathComponent("scenarios/sweeps")
        for name in try FileManager.default.contentsOfDirectory(atPath: sweeps.path) where !name.hasPrefix("base-") {
            let bytes = Array(try Data(contentsOf: sweeps.appendingPathComponent(name)))
            guard case .accepted = try Self.harness.run(.sweep, bytes: bytes) else { return XCTFail(name) }
        }
        // `#set` lines of a scenario input become overrides: a bad one is refused by name.
        let overridden = Array("#set time.end=1999\n".utf8) + Array(try Data(contentsOf: root.appendingPathComponent("scenarios/baseline.toml")))
        guard case .refused(let message) = try Self.harness.run(.scenario, bytes: overridden) else { return XCTFail("--set time.end=1999") }
        XCTAssertTrue(message.contains("time.end"), message)
    }
}
