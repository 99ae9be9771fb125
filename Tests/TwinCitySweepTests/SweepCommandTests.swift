// `twincity sweep` as a user runs it: refusals with exit status 2 that leave the database
// untouched, a sweep killed with SIGKILL and resumed, SIGINT, Slurm shard variables, export,
// analyze, merge and the Slurm scripts.
import Foundation
import GRDB
@testable import TwinCitySweep
import XCTest

final class SweepCommandTests: XCTestCase {
    func testInvalidSweepExitsWithStatus2AndCreatesNothing() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep().replacingOccurrences(of: "model.saving_rate", with: "model.savings_rate"), to: "bad.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        let result = try twincity(["sweep", sweep, "--out", out.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertTrue(result.standardError.hasPrefix("twincity: error: \(sweep):"), result.standardError)
        XCTAssertTrue(result.standardError.contains("did you mean 'model.saving_rate'?"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testSweepExportAnalyzeAndTheRefusalsThatProtectADatabase() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        let run = try twincity(["sweep", sweep, "--out", out.path, "--jobs", "2"])
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertTrue(run.standardOutput.contains("Sweep 'test-grid': 8 of 8 runs done\n"), run.standardOutput)
        XCTAssertTrue(run.standardOutput.contains("runs/s with 2 jobs\n"), run.standardOutput)
        XCTAssertTrue(run.standardError.contains("twincity: runs 8/8 (100%)"), "progress on standard error: \(run.standardError)")
        let database = out.appendingPathComponent("sweep.sqlite").path
        let before = try Data(contentsOf: URL(fileURLWithPath: database))

        let again = try twincity(["sweep", sweep, "--out", out.path])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.standardError.contains("already exists; use --resume to continue that sweep, or --out DIR"), again.standardError)
        let other = try write(SweepTestSupport.gridSweep(seed: 99), to: "other.toml", in: folder)
        let mismatch = try twincity(["sweep", other, "--out", out.path, "--resume"])
        XCTAssertEqual(mismatch.status, 2)
        XCTAssertTrue(mismatch.standardError.contains("belongs to another sweep ('test-grid'"), mismatch.standardError)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: database)), before, "the database is untouched")
        let complete = try twincity(["sweep", sweep, "--out", out.path, "--resume", "--quiet"])
        XCTAssertEqual(complete.status, 0)
        XCTAssertTrue(complete.standardOutput.contains("8 of 8 runs done (0 in this session)"), complete.standardOutput)
        XCTAssertEqual(complete.standardError, "")

        let export = try twincity(["sweep", "export", out.path])
        XCTAssertEqual(export.status, 0, export.standardError)
        let runs = try String(contentsOf: out.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(runs.first, "point,replication,seed,status,error,wall_seconds,shard,model.migration_elasticity,model.saving_rate")
        XCTAssertEqual(runs.count, 9)
        // Point 1 is (migration_elasticity 1.5, saving_rate 0.35): the last parameter varies fastest.
        let row = runs[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(row.count, 9)
        XCTAssertEqual([row[0], row[1], row[3], row[4], row[6], row[7], row[8]], ["1", "0", "ok", "", "", "1.5", "0.35"])
        XCTAssertEqual(UInt64(row[2]), SweepSeeds.runSeed(sweepSeed: 7, point: 0, replication: 0), "a grid: common random numbers, the seeds of point 0")
        XCTAssertGreaterThan(Double(row[5]) ?? 0, 0, "wall seconds")
        let outputs = try String(contentsOf: out.appendingPathComponent("outputs.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(outputs.first, "point,replication,region.gdp@2022,region.theil@2022,city.chengdu.population@2022,region.gdp_growth@2020")
        XCTAssertEqual(outputs.count, 10, "header, 8 runs, final newline")
        let cells = outputs[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(cells.count, 6)
        XCTAssertEqual(cells[5], "", "growth is not defined in the first year")
        // Values read back exactly from the CSV (shortest round-trip text).
        let queue = try DatabaseQueue(path: database)
        let gdp = try queue.read { try Double.fetchOne($0, sql: "SELECT value FROM outputs WHERE point = 0 AND replication = 0 AND metric = 'region.gdp@2022'") }
        try queue.close()
        XCTAssertEqual(Double(cells[2]), gdp)

        let analysis = try twincity(["sweep", "analyze", out.path])
        XCTAssertEqual(analysis.status, 0, analysis.standardError)
        XCTAssertTrue(analysis.standardOutput.contains("grid: 2 × 2 = 4 points"), analysis.standardOutput)
        XCTAssertTrue(analysis.standardOutput.contains("region.gdp@2022: mean at each level of each parameter"), analysis.standardOutput)
        let csv = try twincity(["sweep", "analyze", out.path, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.standardError)
        let lines = csv.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.first, "output,method,parameter,level,statistic,value,lower,upper,count")
        XCTAssertEqual(lines.count, 1 + 4 * 4, "4 outputs × 2 parameters × 2 levels")

        // A corrupt database is reported, not opened as a new one.
        let corrupt = folder.appendingPathComponent("corrupt")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: corrupt.appendingPathComponent("sweep.sqlite"))
        for arguments in [["sweep", sweep, "--out", corrupt.path, "--resume"], ["sweep", "analyze", corrupt.path], ["sweep", "export", corrupt.path]] {
            let refused = try twincity(arguments)
            XCTAssertEqual(refused.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(refused.standardError.contains("is not a usable sweep database (not an SQLite database)"), refused.standardError)
        }
        XCTAssertEqual(try String(contentsOf: corrupt.appendingPathComponent("sweep.sqlite"), encoding: .utf8), "garbage")
    }

    func testKilledSweepResumesToTheUninterruptedResult() throws {
        // 120 runs of the baseline to 2024 on one worker, killed once the first is recorded.
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.randomSweep(samples: 120, end: 2024), to: "random.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        let running = try startTwinCity(["sweep", sweep, "--out", out.path, "--jobs", "1", "--quiet"])
        let process = running.process
        let database = out.appendingPathComponent("sweep.sqlite").path
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, SweepTestSupport.recordedRuns(database) < 1 {
            Thread.sleep(forTimeInterval: 0.005)
        }
        XCTAssertTrue(process.isRunning, "the sweep ended before it could be killed; make it longer")
        kill(process.processIdentifier, SIGKILL)
        _ = try running.wait()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let partial = try DatabaseContent(database)
        XCTAssertGreaterThanOrEqual(partial.runs.count, 1)
        XCTAssertLessThan(partial.runs.count, 120)
        XCTAssertEqual(partial.outputs.count, partial.runs.count * 2, "no run is half recorded")
        let resumed = try twincity(["sweep", sweep, "--out", out.path, "--resume", "--jobs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertTrue(resumed.standardOutput.contains("120 of 120 runs done (\(120 - partial.runs.count) in this session)"), resumed.standardOutput)

        let reference = folder.appendingPathComponent("reference")
        try runSweep(sweep, into: reference, jobs: 2)
        XCTAssertTrue(try DatabaseContent(database).sameResults(as: DatabaseContent(reference.appendingPathComponent("sweep.sqlite").path)))
    }

    func testInterruptedSweepSaysHowToContinue() throws {
        // Far more runs than the test waits for: SIGINT arrives once the first is recorded.
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.randomSweep(samples: 5000, end: 2030), to: "random.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        let running = try startTwinCity(["sweep", sweep, "--out", out.path, "--jobs", "1"])
        let process = running.process
        let database = out.appendingPathComponent("sweep.sqlite").path
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, SweepTestSupport.recordedRuns(database) < 1 {
            Thread.sleep(forTimeInterval: 0.005)
        }
        kill(process.processIdentifier, SIGINT)
        let text = try running.wait().standardError
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(text.contains("twincity: interrupted by SIGINT;"), text)
        XCTAssertTrue(text.contains("continue with the same command and --resume"), text)
        let recorded = try DatabaseContent(database)
        XCTAssertGreaterThanOrEqual(recorded.runs.count, 1)
        XCTAssertLessThan(recorded.runs.count, 5000)
        XCTAssertEqual(recorded.outputs.count, recorded.runs.count * 2, "runs in progress are not recorded")
    }

    func testSlurmArrayVariablesChooseTheShardAndMergeRefusesOverlap() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let out = folder.appendingPathComponent("out")
        var environment = ProcessInfo.processInfo.environment
        for task in 0..<2 {
            environment["SLURM_ARRAY_TASK_ID"] = String(task)
            environment["SLURM_ARRAY_TASK_COUNT"] = "2"
            let shard = try twincity(["sweep", sweep, "--out", out.path, "--quiet"], environment: environment)
            XCTAssertEqual(shard.status, 0, shard.standardError)
            XCTAssertTrue(shard.standardOutput.contains("Sweep 'test-grid', shard \(task)/2: 4 of 4 runs done"), shard.standardOutput)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["shard-0-of-2.sqlite", "shard-1-of-2.sqlite"])
        let explicit = try twincity(["sweep", sweep, "--out", out.path, "--shard", "1/2", "--quiet"])
        XCTAssertEqual(explicit.status, 2, "the shard's database exists")

        let copy = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: out.appendingPathComponent("shard-0-of-2.sqlite"), to: copy.appendingPathComponent("shard-0-of-2.sqlite"))
        let overlap = try twincity(["sweep", "merge", folder.appendingPathComponent("merged").path, out.path, copy.path])
        XCTAssertEqual(overlap.status, 2)
        XCTAssertTrue(overlap.standardError.contains("both hold point 0, replication 0; the shards overlap, so nothing was merged"), overlap.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("merged/sweep.sqlite").path))

        let unmerged = try twincity(["sweep", "analyze", out.path])
        XCTAssertEqual(unmerged.status, 2)
        XCTAssertTrue(unmerged.standardError.contains("merge them first"), unmerged.standardError)
        let merge = try twincity(["sweep", "merge", out.path, out.path])
        XCTAssertEqual(merge.status, 0, merge.standardError)
        XCTAssertTrue(merge.standardOutput.contains("8 of 8 runs (8 ok, 0 failed)"), merge.standardOutput)
        let reference = folder.appendingPathComponent("reference")
        try runSweep(sweep, into: reference, jobs: 2)
        XCTAssertTrue(try DatabaseContent(out.appendingPathComponent("sweep.sqlite").path)
            .sameResults(as: DatabaseContent(reference.appendingPathComponent("sweep.sqlite").path)))
    }

    func testSlurmScriptsRunThisExecutableOnEveryShardAndMergeAfterTheArray() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let out = folder.appendingPathComponent("cluster")
        let result = try twincity(["sweep", "slurm", sweep, "--out", out.path, "--shards", "4", "--partition", "short", "--time", "01:30:00"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let array = try String(contentsOf: out.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        let executable = SweepTestSupport.executable.resolvingSymlinksInPath().path
        XCTAssertTrue(array.contains("#SBATCH --array=0-3\n"), array)
        XCTAssertTrue(array.contains("#SBATCH --partition=short\n#SBATCH --time=01:30:00\n"), array)
        XCTAssertTrue(array.contains("exec '\(executable)' sweep '\(sweep)' --out '\(out.path)' --resume"), array)
        let merge = try String(contentsOf: out.appendingPathComponent("merge.sbatch"), encoding: .utf8)
        XCTAssertTrue(merge.contains("sweep merge '\(out.path)' '\(out.path)/shard-0-of-4.sqlite'"), merge)
        XCTAssertTrue(merge.contains("'\(out.path)/shard-3-of-4.sqlite'\n"), merge)
        let submit = try String(contentsOf: out.appendingPathComponent("submit.sh"), encoding: .utf8)
        XCTAssertTrue(submit.contains("sbatch --parsable --dependency=afterok:\"$array\" merge.sbatch"), submit)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: out.appendingPathComponent("submit.sh").path))
        let badTime = try twincity(["sweep", "slurm", sweep, "--out", out.path, "--time", "90"])
        XCTAssertEqual(badTime.status, 2, "a usage error")
        XCTAssertTrue(badTime.standardError.contains("--time expects HH:MM:SS"), badTime.standardError)
    }

    func testSlurmScriptsRunTheGivenBinaryWithTheClustersSettingsAndSetUpLines() throws {
        let folder = try scratchFolder()
        let sweep = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        // A copy of twincity elsewhere, as a binary built for the compute nodes would be.
        let bin = folder.appendingPathComponent("node bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("twincity")
        try FileManager.default.copyItem(at: SweepTestSupport.executable.resolvingSymlinksInPath(), to: binary)
        let out = folder.appendingPathComponent("cluster")
        let result = try twincity([
            "sweep", "slurm", sweep, "--out", out.path, "--shards", "2", "--binary", binary.path, "--partition", "short",
            "--account", "proj-42", "--mem", "4G", "--time", "00:30:00",
            "--setup", "module load gsl 2>/dev/null || true", "--setup", "echo \"set up for ${SLURM_ARRAY_TASK_ID:-merge}\" >> setup.log",
        ])
        XCTAssertEqual(result.status, 0, result.standardError)
        let array = try String(contentsOf: out.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        let merge = try String(contentsOf: out.appendingPathComponent("merge.sbatch"), encoding: .utf8)
        let directives = "#SBATCH --partition=short\n#SBATCH --time=00:30:00\n#SBATCH --account=proj-42\n#SBATCH --mem=4G\n"
        let setup = "set -euo pipefail\nmodule load gsl 2>/dev/null || true\necho \"set up for ${SLURM_ARRAY_TASK_ID:-merge}\" >> setup.log\n"
        for script in [array, merge] {
            XCTAssertTrue(script.contains(directives + setup + "exec '\(binary.path)' sweep "), script)
        }
        XCTAssertFalse(array.contains(SweepTestSupport.executable.resolvingSymlinksInPath().path), "the given binary, not this one")

        // The scripts run as Slurm would run them: each task, then the merge, in DIR.
        let bash = try XCTUnwrap(findExecutable("bash"))
        for task in 0..<2 {
            var environment = ProcessInfo.processInfo.environment
            environment["SLURM_ARRAY_TASK_ID"] = String(task)
            environment["SLURM_ARRAY_TASK_COUNT"] = "2"
            environment["SLURM_CPUS_PER_TASK"] = "1"
            let ran = try runProgram(bash, [out.appendingPathComponent("sweep.sbatch").path], in: out, environment: environment)
            XCTAssertEqual(ran.status, 0, ran.standardError)
        }
        let merged = try runProgram(bash, [out.appendingPathComponent("merge.sbatch").path], in: out)
        XCTAssertEqual(merged.status, 0, merged.standardError)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("setup.log"), encoding: .utf8),
                       "set up for 0\nset up for 1\nset up for merge\n")
        XCTAssertEqual(SweepTestSupport.recordedRuns(out.appendingPathComponent("sweep.sqlite").path), 8)

        // Refusals: a binary that is not there, a memory sbatch does not read, an account
        // with a space.
        for (arguments, message) in [
            (["--binary", folder.appendingPathComponent("nowhere").path], "twincity: error: --binary \(folder.appendingPathComponent("nowhere").path): no executable file there"),
            (["--mem", "4 GB"], "--mem expects megabytes or a number with K, M, G or T, e.g. --mem 4G, got '4 GB'"),
            (["--account", "my project"], "--account expects an account name"),
            (["--setup", "module load gsl\nrm -rf /"], "twincity: error: --setup"),
        ] {
            let refused = try twincity(["sweep", "slurm", sweep, "--out", folder.appendingPathComponent("other").path] + arguments)
            XCTAssertEqual(refused.status, 2, "\(arguments): \(refused.standardError)")
            XCTAssertTrue(refused.standardError.contains(message), refused.standardError)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("other").path), "\(arguments)")
        }
    }
}
