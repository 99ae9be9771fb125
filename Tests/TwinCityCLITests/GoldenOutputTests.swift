// Golden outputs: the files that shipped scenarios, an ensemble and a sweep write, compared
// byte for byte (by SHA-256) with the files recorded in Fixtures/golden-outputs.sha256.
// Any change to a model, a solver or a writer that moves a single bit of output shows here;
// a deliberate change re-records the digests:
//
//     TWINCITY_RECORD_GOLDEN=1 swift test -c release -Xswiftc -enable-testing --filter GoldenOutputTests
import Foundation
import XCTest

final class GoldenOutputTests: XCTestCase {
    static let fixture = TwinCityProcess.packageRoot
        .appendingPathComponent("Tests/TwinCityCLITests/Fixtures/golden-outputs.sha256")

    /// The commands whose outputs are recorded, each writing into a folder named by its case.
    static let cases: [(name: String, arguments: [String])] = [
        ("baseline", ["run", "scenarios/baseline.toml"]),
        ("decision-2020", ["run", "scenarios/decision-2020.toml"]),
        ("ens", ["run", "scenarios/baseline.toml", "--replications", "3", "--jobs", "2"]),
        ("cp", ["run", "scenarios/theory/core-periphery.toml"]),
        ("pol-tax-sharing", ["run", "scenarios/policies/tax-sharing.toml"]),
        ("pol-investment-fund", ["run", "scenarios/policies/investment-fund.toml"]),
        ("pol-transport", ["run", "scenarios/policies/transport.toml"]),
    ]

    func testOutputsAreBitwiseTheRecordedOnes() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let root = TwinCityProcess.packageRoot.path
        for (name, arguments) in Self.cases {
            var args = arguments
            args[1] = root + "/" + args[1]
            let result = try TwinCityProcess.run(args + ["--out", work.appendingPathComponent(name).path, "--quiet"])
            XCTAssertEqual(result.status, 0, "twincity \(arguments.joined(separator: " ")): \(result.standardError)")
        }
        let sweep = try TwinCityProcess.run([
            "sweep", root + "/scenarios/sweeps/tax-sharing-x-industry-transfer.toml",
            "--out", work.appendingPathComponent("sweep-db").path, "--jobs", "2",
        ])
        XCTAssertEqual(sweep.status, 0, sweep.standardError)
        let export = try TwinCityProcess.run([
            "sweep", "export", work.appendingPathComponent("sweep-db").path, "--out", work.appendingPathComponent("sweep").path,
        ])
        XCTAssertEqual(export.status, 0, export.standardError)

        let recorded = try Self.readDigests()
        if ProcessInfo.processInfo.environment["TWINCITY_RECORD_GOLDEN"] == "1" {
            var text = "# SHA-256 of the outputs of GoldenOutputTests.swift's commands (sha256sum format).\n"
            for file in recorded.map(\.file) { text += "\(try Self.digest(work.appendingPathComponent(file)))  \(file)\n" }
            try text.write(to: Self.fixture, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertGreaterThanOrEqual(recorded.count, 30, "the fixture lists every table of every case")
        var changed: [String] = []
        for (digest, file) in recorded where try Self.digest(work.appendingPathComponent(file)) != digest {
            changed.append(file)
        }
        XCTAssertEqual(changed, [], "outputs differ from the recorded ones (re-record only for a deliberate change: see the file's header)")
    }

    /// (digest, file) pairs of the fixture, comment lines skipped.
    static func readDigests() throws -> [(digest: String, file: String)] {
        try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces))
        }
    }

    /// SHA-256 of a file by coreutils' `sha256sum` (independent of the code under test).
    static func digest(_ file: URL) throws -> String {
        guard FileManager.default.fileExists(atPath: file.path) else { return "missing" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
