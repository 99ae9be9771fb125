// docs/PLOTTING.md's pandas/matplotlib and R/ggplot2 examples, run as printed on real baseline
// runs, so the page keeps working as the run directory evolves. Each is skipped where its
// language or packages are absent, and fails for that on CI (.ci/install-deps --with-examples
// installs them).
import Foundation
import XCTest

final class PlottingExampleTests: XCTestCase {
    /// The code between `<!-- NAME-example:begin -->` and `<!-- NAME-example:end -->` in
    /// docs/PLOTTING.md, without its ```fence (` ```python`, ` ```r`).
    func example(_ name: String, fence: String) throws -> String {
        let page = try String(contentsOf: packageRoot.appendingPathComponent("docs/PLOTTING.md"), encoding: .utf8)
        let begin = try XCTUnwrap(page.range(of: "<!-- \(name)-example:begin -->\n```\(fence)\n"), "no marked \(name) example in docs/PLOTTING.md")
        let end = try XCTUnwrap(page.range(of: "```\n<!-- \(name)-example:end -->", range: begin.upperBound..<page.endIndex))
        return String(page[begin.upperBound..<end.lowerBound])
    }

    /// Runs `program` with `arguments` in `directory`, matplotlib drawing without a display.
    func run(_ program: URL, _ arguments: [String], in directory: URL) throws -> ProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["MPLBACKEND"] = "Agg"
        return try runProgram(program, arguments, in: directory, environment: environment)
    }

    func testThePandasExampleRunsOnARealRun() throws {
        let code = try example("python", fence: "python")
        XCTAssertTrue(code.contains("summary.csv") && code.contains("flows_population.csv"), "the example covers the band and the flows")
        let python = try requirePythonModules(["pandas", "matplotlib"], installStep: "pip install pandas matplotlib (.ci/install-deps --with-examples)")

        let fixtures = try RunFixtures()
        defer { fixtures.remove() }
        let script = fixtures.folder.appendingPathComponent("example.py")
        try code.write(to: script, atomically: true, encoding: .utf8)
        let result = try run(python, [script.path], in: fixtures.folder)
        let (status, output, error) = (result.status, result.standardOutput, result.standardError)
        XCTAssertEqual(status, 0, "the example fails:\n\(error)")
        XCTAssertTrue(output.hasPrefix("Largest moves over the interval ending 2026, 10,000 persons:"), output)
        XCTAssertTrue(output.contains("chengdu"), output)
        for picture in ["gdp_by_city.png", "gdp_band.png"] {
            let data = try Data(contentsOf: fixtures.folder.appendingPathComponent(picture))
            // figsize 10 × 6 inches at 150 dpi, trimmed to the drawing by bbox_inches="tight".
            let size = try pngSize(data)
            XCTAssertTrue((1000...1600).contains(size.width) && (600...1000).contains(size.height), "\(picture): \(size)")
            XCTAssertGreaterThan(data.count, 5_000, picture)
        }
        let matrix = try String(contentsOf: fixtures.folder.appendingPathComponent("flows_matrix.csv"), encoding: .utf8)
        XCTAssertEqual(matrix.split(separator: "\n").count, fixtures.cityCount + 1, "a header and one row per origin city")
    }

    func testTheGgplotExampleRunsOnARealRun() throws {
        let code = try example("r", fence: "r")
        XCTAssertTrue(code.contains("summary.csv") && code.contains("flows_population.csv"), "the example covers the band and the flows")
        let rscript = try requireRPackages(
            ["readr", "dplyr", "tidyr", "ggplot2", "jsonlite"],
            installStep: "apt-get install r-base-core r-cran-readr r-cran-dplyr r-cran-tidyr r-cran-ggplot2 r-cran-jsonlite (.ci/install-deps --with-examples)")

        let fixtures = try RunFixtures()
        defer { fixtures.remove() }
        let script = fixtures.folder.appendingPathComponent("example.R")
        try code.write(to: script, atomically: true, encoding: .utf8)
        let result = try run(rscript, [script.path], in: fixtures.folder)
        let (status, output, error) = (result.status, result.standardOutput, result.standardError)
        XCTAssertEqual(status, 0, "the example fails:\n\(error)")
        XCTAssertTrue(output.contains("origin") && output.contains("chengdu"), output)
        for picture in ["gdp_by_city_r.png", "gdp_band_r.png"] {
            let data = try Data(contentsOf: fixtures.folder.appendingPathComponent(picture))
            // width 10 × height 6 inches at 150 dpi.
            let size = try pngSize(data)
            XCTAssertEqual([size.width, size.height], [1500, 900], picture)
            XCTAssertGreaterThan(data.count, 5_000, picture)
        }
        let matrix = try String(contentsOf: fixtures.folder.appendingPathComponent("flows_matrix_r.csv"), encoding: .utf8)
        XCTAssertEqual(matrix.split(separator: "\n").count, fixtures.cityCount + 1, "a header and one row per origin city")
    }
}
