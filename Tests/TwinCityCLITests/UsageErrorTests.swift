// A malformed command line, whatever the command, exits with status 2 — the status of every
// input error (docs/RELIABILITY.md §5) — with the parser's message and usage on standard
// error and nothing on standard output.
import XCTest

final class UsageErrorTests: XCTestCase {
    /// Each command with an unknown option, a missing argument, a value of the wrong type or
    /// a value the command refuses, and the text its message must contain.
    static let cases: [(arguments: [String], message: String)] = [
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["run"], "Missing expected argument '<scenario>'"),
        (["run", "scenarios/baseline.toml", "--no-such-option"], "Unknown option '--no-such-option'"),
        (["run", "scenarios/baseline.toml", "--seed", "abc"], "The value 'abc' is invalid for '--seed <n>'"),
        (["run", "scenarios/baseline.toml", "--replications", "0"], "--replications must be at least 1"),
        (["validate"], "Missing expected argument '<file> ...'"),
        (["validate", "scenarios/baseline.toml", "--bogus"], "Unknown option '--bogus'"),
        (["compare", "runs/a"], "Missing expected argument '<run-b>'"),
        (["compare", "runs/a", "runs/b", "--format", "xml"], "The value 'xml' is invalid for '--format <format>'"),
        (["plot", "runs/a"], "give either --var NAME (a line chart) or --flows KIND --year YEAR (a flow map)"),
        (["plot", "runs/a", "--var", "gdp", "--year", "2023"], "--year applies to --flows only"),
        (["sweep"], "Missing expected argument '<file>'"),
        (["sweep", "scenarios/sweeps/tax-sharing-x-industry-transfer.toml", "--jobs", "0"], "--jobs must be at least 1"),
        (["sweep", "slurm", "scenarios/sweeps/tax-sharing-x-industry-transfer.toml"], "Missing expected argument '--out <dir>'"),
        (["sweep", "slurm", "any.toml", "--out", "x", "--time", "90"], "--time expects HH:MM:SS"),
        (["sweep", "analyze", "runs/sweeps/x", "--bootstrap", "0"], "--bootstrap must be at least 1"),
        (["sweep", "merge", "runs/sweeps/x"], "Missing expected argument '<shard-db-or-dir> ...'"),
        (["cities", "--bogus"], "Unknown option '--bogus'"),
        (["serve", "--port", "70000"], "--port must be in 0...65535"),
        (["serve", "--host", "0.0.0.0"], "add --allow-remote to mean it"),
        (["report"], "Missing expected argument"),
    ]

    func testEveryMalformedCommandLineExitsWith2AndPrintsOnlyTheMessage() throws {
        for (arguments, message) in Self.cases {
            let result = try TwinCityProcess.run(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertEqual(result.standardOutput, "", "\(arguments)")
            XCTAssertTrue(result.standardError.contains(message), "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("Usage: twincity"), "\(arguments): \(result.standardError)")
        }
    }

    /// Help and version are not errors: status 0, on standard output.
    func testHelpAndVersionStillExitWith0() throws {
        for arguments in [["--help"], ["--version"], ["sweep", "slurm", "--help"], ["help", "compare"]] {
            let result = try TwinCityProcess.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.standardError)")
            XCTAssertFalse(result.standardOutput.isEmpty, "\(arguments)")
        }
    }
}
