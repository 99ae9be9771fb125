// datapackage.json of a run directory and of an ensemble's: the tables as a Frictionless
// Tabular Data Package, validated with the frictionless package from PyPI (every file, every
// header against its fields, every cell against its type) and checked against the columns the
// writer uses.
import Foundation
import TwinCityExport
import XCTest

final class DataPackageTests: XCTestCase {
    static let installStep = ".ci/install-deps --with-python (a virtual environment .venv-ci with pip install frictionless)"

    /// The virtual environment's python3 with frictionless, where .ci/install-deps puts it.
    func frictionless() throws -> URL {
        let python = TwinCityProcess.packageRoot.appendingPathComponent(".venv-ci/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw toolUnavailable("frictionless", reason: "\(python.path) does not exist", installStep: Self.installStep)
        }
        let probe = try runProgram(python, ["-c", "import frictionless"], in: FileManager.default.temporaryDirectory)
        try requireTool("frictionless", installStep: Self.installStep, available: probe.status == 0,
                        reason: "\(python.path) cannot import it: \(probe.standardError.split(separator: "\n").last ?? "")")
        return python
    }

    /// Validates `directory/datapackage.json` with frictionless; the report's errors, if any.
    func validate(_ directory: URL, with python: URL) throws -> ProcessResult {
        let script = """
            import sys, frictionless
            report = frictionless.validate(sys.argv[1])
            for task in report.tasks:
                for error in task.errors:
                    print(task.name, error.type, error.message)
            for error in report.errors:
                print("package", error.type, error.message)
            print("valid" if report.valid else "invalid")
            """
        return try runProgram(python, ["-c", script, directory.appendingPathComponent("datapackage.json").path], in: directory)
    }

    func testRunAndEnsembleDirectoriesCarryAValidDataPackage() throws {
        let python = try frictionless()
        let folder = try scratchFolder()
        for (name, extra) in [("baseline-run", [String]()), ("ensemble", ["--replications", "2"])] {
            let out = folder.appendingPathComponent(name)
            let run = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet", "--set", "time.end=2022"] + extra)
            XCTAssertEqual(run.status, 0, run.standardError)
            let report = try validate(out, with: python)
            XCTAssertEqual(report.status, 0, report.standardError)
            XCTAssertEqual(report.standardOutput, "valid\n", "\(name): \(report.standardOutput)")

            // Each resource is a CSV file of the directory whose header is its fields, in order.
            let package = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("datapackage.json"))) as? [String: Any])
            XCTAssertEqual(package["profile"] as? String, "tabular-data-package")
            let resources = try XCTUnwrap(package["resources"] as? [[String: Any]])
            let expected = (extra.isEmpty ? RunDirectoryWriter.files : RunDirectoryWriter.ensembleFiles).map(\.name).filter { $0.hasSuffix(".csv") }
            XCTAssertEqual(resources.compactMap { $0["path"] as? String }, expected)
            var units: [String: String] = [:]
            for resource in resources {
                let path = try XCTUnwrap(resource["path"] as? String)
                let fields = try XCTUnwrap((resource["schema"] as? [String: Any])?["fields"] as? [[String: Any]])
                let header = parseCSV(try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8))[0]
                XCTAssertEqual(fields.compactMap { $0["name"] as? String }, header, path)
                XCTAssertTrue(fields.allSatisfy { !(($0["description"] as? String) ?? "").isEmpty }, "\(path): every field described")
                if path == "cities.csv" {
                    for field in fields { if let unit = field["unit"] as? String { units[field["name"] as! String] = unit } }
                }
            }
            // The units are those of the column catalogue (docs/OUTPUTS.md).
            XCTAssertEqual(units["gdp"], "亿元 per year, 2020 prices")
            XCTAssertEqual(units["population"], "10⁴ persons")
            XCTAssertEqual(units["wage"], "yuan per urban worker per year, current prices")
            XCTAssertEqual(units["wage_real"], "yuan per urban worker per year, 2020 prices")
            XCTAssertEqual(units["cpi"], "index, 2020 = 1")
            XCTAssertEqual(units["year"], "year")
        }
    }

    func testATableThatDisagreesWithItsDescriptionFailsValidation() throws {
        // The validation can fail: a text in a number column is reported.
        let python = try frictionless()
        let folder = try scratchFolder()
        let out = folder.appendingPathComponent("run")
        XCTAssertEqual(try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--out", out.path, "--quiet", "--set", "time.end=2021"]).status, 0)
        let region = out.appendingPathComponent("region.csv")
        var lines = try String(contentsOf: region, encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[1].components(separatedBy: ",")
        cells[1] = "many"
        lines[1] = cells.joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(to: region, atomically: true, encoding: .utf8)
        let report = try validate(out, with: python)
        XCTAssertTrue(report.standardOutput.hasSuffix("invalid\n"), report.standardOutput)
        XCTAssertTrue(report.standardOutput.contains("region type-error"), report.standardOutput)
    }
}
