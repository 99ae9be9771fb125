// The corpus of malformed scenario files: each file in Fixtures/malformed-scenarios/ is loaded
// (with the `--set` overrides of its sibling `.set` file, one per line) and must fail with
// exactly the messages of its sibling `.expected` file, one error per line, paths written
// relative to the corpus folder. Files in parents/ are only extended by the corpus.
//
// To re-record the expected messages after a deliberate change of wording, run the tests
// with TWINCITY_RECORD_MALFORMED=1 and review the diff of the `.expected` files.
import Foundation
import TwinCityScenario
import XCTest

final class MalformedScenarioTests: XCTestCase {
    /// The corpus folder inside the test bundle.
    private func corpus() throws -> URL {
        let fixtures = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("malformed-scenarios")
    }

    /// The errors of loading `file`, each as its description with the corpus folder (and the
    /// fixtures folder above it) removed from paths; empty when the file loads.
    private func errors(loading file: URL, overrides: [String], corpus: URL) -> [String] {
        let lines: [String]
        do {
            _ = try ScenarioLoader.validate(path: file.path, overrides: overrides)
            return []
        } catch let error as InputErrors {
            lines = error.errors.map(\.description)
        } catch let error as UserInputError {
            lines = error.description.split(separator: "\n").map(String.init)
        } catch {
            return ["unexpected error type \(type(of: error)): \(error)"]
        }
        let folder = corpus.path + "/"
        let fixtures = corpus.deletingLastPathComponent().path + "/"
        return lines.map {
            $0.replacingOccurrences(of: folder, with: "").replacingOccurrences(of: fixtures, with: "<fixtures>/")
        }
    }

    func testEveryMalformedScenarioFailsWithItsExpectedMessages() throws {
        let folder = try corpus()
        let record = ProcessInfo.processInfo.environment["TWINCITY_RECORD_MALFORMED"] == "1"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".toml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 30, "the corpus holds at least 30 malformed scenarios")
        for name in files {
            let file = folder.appendingPathComponent(name)
            let stem = file.deletingPathExtension()
            let setFile = stem.appendingPathExtension("set")
            let overrides = (try? String(contentsOf: setFile, encoding: .utf8))
                .map { $0.split(separator: "\n").map(String.init).filter { !$0.isEmpty } } ?? []
            let actual = errors(loading: file, overrides: overrides, corpus: folder)
            XCTAssertFalse(actual.isEmpty, "\(name) loads, but it is in the corpus of malformed scenarios")
            let expectedFile = stem.appendingPathExtension("expected")
            if record {
                // Recorded into the package's source tree, not the bundle's copy.
                let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("Fixtures/malformed-scenarios").appendingPathComponent(expectedFile.lastPathComponent)
                try (actual.joined(separator: "\n") + "\n").write(to: source, atomically: true, encoding: .utf8)
                continue
            }
            guard let text = try? String(contentsOf: expectedFile, encoding: .utf8) else {
                XCTFail("\(name) has no \(expectedFile.lastPathComponent) with its expected messages")
                continue
            }
            let expected = text.split(separator: "\n").map(String.init)
            XCTAssertEqual(actual, expected, "messages of \(name)")
        }
    }

    /// Every error is reported, not only the first: the file with errors in `[time]` and in
    /// two policies gives all of them, in the order they are written.
    func testEveryErrorOfAFileIsReportedInOrder() throws {
        let folder = try corpus()
        let lines = errors(loading: folder.appendingPathComponent("many_policy_errors.toml"), overrides: [], corpus: folder)
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        let located = lines.map { line -> Int in
            Int(line.split(separator: ":")[1]) ?? 0
        }
        XCTAssertEqual(located, located.sorted(), "top to bottom")
    }
}
