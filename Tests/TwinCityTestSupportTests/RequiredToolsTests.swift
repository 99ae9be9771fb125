// The rule for tests that need an external tool: a skip that says what to install on a
// developer's machine, a failure naming the tool and the install step on CI.
import Foundation
import TwinCityTestSupport
import XCTest

final class RequiredToolsTests: XCTestCase {
    func testAMissingToolSkipsSayingWhatToInstall() throws {
        let error = toolUnavailable("Rscript", reason: "'Rscript' is not on the search path", installStep: "apt-get install r-base-core", onCI: false)
        let skip = try XCTUnwrap(error as? XCTSkip, "\(error)")
        XCTAssertEqual(skip.message, "Rscript: 'Rscript' is not on the search path (install: apt-get install r-base-core); test skipped")
    }

    func testAMissingToolOnCIIsAFailureNamingToolAndInstallStep() throws {
        let error = toolUnavailable("Rscript", reason: "'Rscript' is not on the search path", installStep: "apt-get install r-base-core", onCI: true)
        XCTAssertFalse(error is XCTSkip, "on CI the test must fail, not skip")
        XCTAssertEqual(
            "\(error)",
            "Rscript is required on CI (CI=true) but 'Rscript' is not on the search path; install step: apt-get install r-base-core")
    }

    func testCIIsReadFromTheEnvironment() {
        XCTAssertEqual(runningOnCI, ProcessInfo.processInfo.environment["CI"] == "true")
    }

    func testAToolOnTheSearchPathIsFound() throws {
        // sh is on every POSIX search path; the URL found must be that executable file.
        let sh = try requireTool("sh", installStep: "none: POSIX requires sh")
        XCTAssertEqual(sh.lastPathComponent, "sh")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: sh.path))
        XCTAssertNil(findExecutable("twincity-no-such-program-\(UUID().uuidString)"))
    }

    func testProgramsRunWithTheirOutputAndStatus() throws {
        let sh = try XCTUnwrap(findExecutable("sh"))
        let result = try runProgram(sh, ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.standardOutput, "out\n")
        XCTAssertEqual(result.standardError, "err\n")
    }

    func testCSVReaderFollowsRFC4180() {
        XCTAssertEqual(parseCSV("a,\"b,c\",\"d \"\"e\"\"\"\r\n1,\"x\ny\",\n"), [["a", "b,c", "d \"e\""], ["1", "x\ny", ""]])
    }
}
