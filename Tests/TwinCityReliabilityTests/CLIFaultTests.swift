// `twincity run` under faults, as a user meets them: an output location that cannot be
// written, a full disk, two runs aimed at one directory, and extreme parameters given with
// --set. Each ends with a clear error and nothing half-written, or with a valid run whose
// every CSV cell is a finite number.
//
// Covered elsewhere and not repeated here (docs/RELIABILITY.md lists them):
// - an existing run directory refused without --force:
//   Tests/TwinCityCLITests/RunCommandTests.swift, testAnExistingRunIsReplacedOnlyWithForce;
// - SIGINT/SIGTERM during a run: RunCommandTests.testAnInterruptedRunLeavesNothing;
// - a corrupt sweep database on --resume: Tests/TwinCitySweepTests/SweepCommandTests.swift,
//   testSweepExportAnalyzeAndTheRefusalsThatProtectADatabase, and SweepRunnerTests.swift,
//   testCorruptDatabasesAreRefusedUnchanged.
import Foundation
import XCTest

final class CLIFaultTests: XCTestCase {
    let baseline = Reliability.baseline.path
    /// A short horizon where the length of the run does not matter.
    let short = ["--set", "time.end=2024"]

    /// Asserts a failed run: `status`, nothing on standard output, an error line on standard
    /// error containing every piece of `expected`, and `folder` holding only `remaining`.
    func assertRefused(
        _ result: ProcessOutput, status: Int32, mentioning expected: [String], folder: URL, remaining: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(result.status, status, result.standardError, file: file, line: line)
        XCTAssertEqual(result.standardOutput, "", file: file, line: line)
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: "), result.standardError, file: file, line: line)
        for text in expected {
            XCTAssertTrue(result.standardError.contains(text), "'\(text)' in: \(result.standardError)", file: file, line: line)
        }
        XCTAssertEqual(try contents(folder), remaining, "nothing left behind", file: file, line: line)
    }

    // MARK: - Where the run is written

    func testAnOutputPathUnderARegularFileFailsWithTheReasonAndLeavesNothing() throws {
        // A path through a regular file cannot be created by anyone, root included (which a
        // read-only directory does not stop).
        let folder = try scratchFolder()
        let blocker = folder.appendingPathComponent("file.txt")
        try Data("not a folder\n".utf8).write(to: blocker)
        let out = blocker.appendingPathComponent("out")
        let result = try twincity(["run", baseline, "--out", out.path, "--quiet"] + short)
        try assertRefused(result, status: 1, mentioning: ["cannot create directory", "file.txt"], folder: folder, remaining: ["file.txt"])
        XCTAssertEqual(try String(contentsOf: blocker, encoding: .utf8), "not a folder\n", "the file is untouched")
    }

    func testAnOutputPathInProcFailsCleanly() throws {
        // procfs refuses new directories to root as well.
        try requireTool("procfs", installStep: "mount -t proc proc /proc", available: FileManager.default.fileExists(atPath: "/proc/self"),
                        reason: "/proc is not mounted")
        let out = "/proc/twincity-run-\(UUID().uuidString)"
        let result = try twincity(["run", baseline, "--out", out, "--quiet"] + short)
        XCTAssertEqual(result.status, 1, result.standardError)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: cannot create directory"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testAReadOnlyDirectoryFailsCleanlyForAnOrdinaryUser() throws {
        let folder = try scratchFolder()
        let locked = folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        XCTAssertEqual(chmod(locked.path, 0o555), 0)
        let arguments = ["run", baseline, "--out", locked.appendingPathComponent("out").path, "--quiet"] + short
        let result: ProcessOutput
        if getuid() == 0 {
            // File permissions do not stop root: run as the unprivileged user nobody (65534).
            let setpriv = try requireTool("setpriv", installStep: "apt-get install util-linux")
            result = try runProgram(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", Checkout.twincity.path] + arguments)
        } else {
            result = try twincity(arguments)
        }
        try assertRefused(result, status: 1, mentioning: ["cannot create directory", "locked"], folder: locked, remaining: [])
    }

    func testAFullDiskFailsCleanlyWithNoHalfWrittenRun() throws {
        // A 64 KiB tmpfs: the baseline's run directory (about 850 KB) cannot fit.
        let folder = try scratchFolder()
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: false)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.path]
        mount.standardOutput = FileHandle.nullDevice
        mount.standardError = FileHandle.nullDevice
        do {
            try mount.run()
            mount.waitUntilExit()
        } catch {
            throw toolUnavailable("mount", reason: "it cannot be run: \(error)", installStep: "apt-get install mount")
        }
        guard mount.terminationStatus == 0 else {
            throw toolUnavailable(
                "a tmpfs mount", reason: "mount exited with \(mount.terminationStatus)",
                installStep: "run the tests as root with CAP_SYS_ADMIN (docker run --cap-add SYS_ADMIN)")
        }
        addTeardownBlock {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [disk.path]
            try? umount.run()
            umount.waitUntilExit()
        }
        let out = disk.appendingPathComponent("run")
        let result = try twincity(["run", baseline, "--out", out.path, "--quiet"])
        try assertRefused(result, status: 1, mentioning: ["cannot", "No space left on device"], folder: disk, remaining: [])
        // The disk is usable again: nothing of the failed run takes up space.
        try Data(count: 32 * 1024).write(to: disk.appendingPathComponent("probe"))
    }

    // MARK: - Two runs, one directory

    /// The CSV files of a run directory (manifest.json records wall and creation times, which
    /// differ between otherwise identical runs).
    func tables(_ run: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try contents(run) where name.hasSuffix(".csv") {
            result[name] = try Data(contentsOf: run.appendingPathComponent(name))
        }
        return result
    }

    func testTwoRunsIntoOneDirectoryNeverMix() throws {
        let folder = try scratchFolder()
        // References: seeds 1 and 2 run alone.
        var reference: [String: [String: Data]] = [:]
        for seed in ["1", "2"] {
            let out = folder.appendingPathComponent("reference-\(seed)")
            XCTAssertEqual(try twincity(["run", baseline, "--out", out.path, "--quiet", "--seed", seed]).status, 0)
            reference[seed] = try tables(out)
        }
        XCTAssertNotEqual(reference["1"], reference["2"], "the seeds give distinguishable runs")

        for force in [false, true] {
            let shared = folder.appendingPathComponent(force ? "forced" : "plain")
            let flags = force ? ["--force"] : []
            let runs = try ["1", "2"].map { seed in
                try startTwinCity(["run", baseline, "--out", shared.appendingPathComponent("out").path, "--quiet", "--seed", seed] + flags)
            }
            let results = try runs.map { try $0.wait() }
            let statuses = results.map(\.status)
            XCTAssertTrue(statuses.contains(0), "force \(force): \(results.map(\.standardError))")
            if !force {
                // Without --force exactly one run is kept; the other is told the directory exists.
                XCTAssertEqual(statuses.sorted(), [0, 2], results.map(\.standardError).joined())
                XCTAssertTrue(results.contains { $0.standardError.contains("already exists") }, results.map(\.standardError).joined())
            }
            for result in results where result.status != 0 {
                XCTAssertTrue(result.standardError.hasPrefix("twincity: error: "), result.standardError)
            }
            XCTAssertEqual(try contents(shared), ["out"], "force \(force): no staging or replaced directory is left")
            let kept = try tables(shared.appendingPathComponent("out"))
            XCTAssertTrue(kept == reference["1"] || kept == reference["2"], "force \(force): the directory holds exactly one of the two runs")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: shared.appendingPathComponent("out/manifest.json"))) as? [String: Any]
            let seed = try XCTUnwrap(manifest?["seed"] as? Int)
            XCTAssertEqual(kept, reference["\(seed)"], "force \(force): manifest and tables come from the same run")
        }
    }

    // MARK: - Extreme parameters

    /// Runs `arguments` into a fresh folder and checks the outcome: status 0 with a run whose
    /// cells are all finite and whose identities hold, or `expectedStatus` with an error
    /// naming `expected` and no directory.
    @discardableResult
    func runExtreme(
        _ scenario: String, _ arguments: [String], succeeds: Bool, mentioning expected: [String] = [],
        status expectedStatus: Int32 = 2, file: StaticString = #filePath, line: UInt = #line
    ) throws -> URL {
        let folder = try scratchFolder()
        let out = folder.appendingPathComponent("out")
        let result = try twincity(["run", scenario, "--out", out.path, "--quiet"] + arguments)
        let label = arguments.joined(separator: " ")
        if succeeds {
            XCTAssertEqual(result.status, 0, "\(label): \(result.standardError)", file: file, line: line)
            XCTAssertEqual(try nonFiniteCells(in: out), [], label, file: file, line: line)
            XCTAssertLessThan(try worstConservation(in: out), 1e-9, "\(label): accounting identities", file: file, line: line)
        } else {
            try assertRefused(result, status: expectedStatus, mentioning: expected, folder: folder, remaining: [], file: file, line: line)
        }
        return out
    }

    func testElasticityCloseToOneIsRefusedNamingTheSector() throws {
        // p = x^(1/(1−σ)) overflows for σ = 1.0001: a calibration error naming the sector.
        try runExtreme(baseline, ["--set", "model.sectors.manufacturing.elasticity=1.0001"], succeeds: false,
                       mentioning: ["baseline.toml", "sector 'manufacturing'", "too close to 1"])
        // A very large elasticity makes every trade weight exp((1 − σ)κt) vanish.
        try runExtreme(baseline, ["--set", "model.sectors.services.elasticity=1e6"], succeeds: false,
                       mentioning: ["baseline.toml", "sector 'services'", "trade weights"])
    }

    func testZeroTradeCostsGiveAValidRun() throws {
        try runExtreme(baseline, [
            "--set", "model.sectors.manufacturing.trade_cost_per_hour=0",
            "--set", "model.sectors.consumer_goods.trade_cost_per_hour=0",
            "--set", "model.sectors.services.trade_cost_per_hour=0",
        ], succeeds: true)
    }

    func testACityOfABillionPeopleRunsOrIsRefusedCleanly() throws {
        let folder = try scratchFolder()
        func roster(pop2020: String, pop2010: String?) throws -> String {
            let seeds = folder.appendingPathComponent("seeds-\(pop2010 ?? "census")")
            try FileManager.default.createDirectory(at: seeds, withIntermediateDirectories: true)
            for name in ["roles.csv", "links.csv"] {
                try FileManager.default.copyItem(at: Reliability.packageRoot.appendingPathComponent("seeds/\(name)"), to: seeds.appendingPathComponent(name))
            }
            var rows = parseCSV(try String(contentsOf: Reliability.packageRoot.appendingPathComponent("seeds/cities.csv"), encoding: .utf8))
            let header = rows[0]
            let (p2020, p2010) = (header.firstIndex(of: "pop_2020")!, header.firstIndex(of: "pop_2010")!)
            for r in rows.indices.dropFirst() where rows[r][0] == "chengdu" {
                rows[r][p2020] = pop2020
                if let pop2010 { rows[r][p2010] = pop2010 }
            }
            // The published urban shares fit the census populations, not a billion people in
            // one city (Sichuan's census share could not be met): leave them to the estimate.
            let urban = header.firstIndex(of: "urban_share_2020")!
            for r in rows.indices.dropFirst() { rows[r][urban] = "" }
            let text = rows.map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: "\n") + "\n"
            try text.write(to: seeds.appendingPathComponent("cities.csv"), atomically: true, encoding: .utf8)
            return seeds.appendingPathComponent("cities.csv").path
        }
        // 1e9 residents in Chengdu, 9e8 ten years before: a valid run.
        let grown = try roster(pop2020: "1000000000", pop2010: "900000000")
        try runExtreme(baseline, ["--set", "roster=\"\(grown)\""], succeeds: true)
        // 1e9 residents against 15 million in 2010: the census migration it implies drains the
        // other cities faster than anyone moves, which the calibration says, naming the city.
        let jumped = try roster(pop2020: "1e9", pop2010: nil)
        try runExtreme(baseline, ["--set", "roster=\"\(jumped)\""], succeeds: false,
                       mentioning: ["calibration", "net out-migration", "raise migration_rate"])
    }

    func testASectorWithoutIndustryIsRefusedOrRunsCleanly() throws {
        // No city produces consumer goods: nothing to calibrate its prices from.
        try runExtreme(baseline, [
            "--set", "model.sectors.consumer_goods.base_mix=0", "--set", "model.sectors.services.base_mix=0.62",
        ], succeeds: false, mentioning: ["sector 'consumer_goods'", "no city produces it"])
        // Every sector of Aba and Ganzi capped at zero: their savers invest elsewhere, and
        // investment still equals savings.
        let eco = Reliability.packageRoot.appendingPathComponent("scenarios/policies/eco-protection.toml").path
        try runExtreme(eco, ["--set", "policy[0].cap=0", "--set", "policy[0].sectors=[]"], succeeds: true)
        // A sector without capital (β = 0) runs on labour alone.
        try runExtreme(baseline, ["--set", "model.sectors.manufacturing.capital_share=0"] + short, succeeds: true)
    }

    func testExtremeValuesInsideTheirRangesRunOrFailNamingWhere() throws {
        // A capital–output ratio near zero leaves the base year without a confirmable
        // equilibrium: refused with the scenario named.
        try runExtreme(baseline, ["--set", "model.capital_output_ratio=1e-300"], succeeds: false,
                       mentioning: ["baseline.toml", "calibration"])
        // Everyone reconsiders every year with strong preferences: the run either completes
        // or stops naming the tick and the city.
        let folder = try scratchFolder()
        let out = folder.appendingPathComponent("out")
        let result = try twincity(["run", baseline, "--out", out.path, "--quiet", "--set", "model.migration_rate=1",
                                   "--set", "model.migration_elasticity=50"] + short)
        if result.status == 0 {
            XCTAssertEqual(try nonFiniteCells(in: out), [])
        } else {
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertNotNil(result.standardError.firstMatch(of: try Regex(#"^twincity: error: tick \d+ \(year \d+\), city '[a-z]+': "#)), result.standardError)
            XCTAssertEqual(try contents(folder), [])
        }
    }
}
