// `twincity sweep FILE`: checks a sweep completely, then runs its points on N workers and
// streams every finished run into DIR/sweep.sqlite (or the shard's database).
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCityScenario
import TwinCitySweep

/// Runs a sweep, or the missing runs of one with `--resume`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep (the default subcommand: 'twincity sweep FILE').",
        discussion: """
            Checks the sweep file, its base scenario, every parameter path and every output \
            before anything runs, then runs each point × replication on --jobs workers and \
            records each finished run in DIR/sweep.sqlite (DIR/shard-k-of-n.sqlite for a \
            shard) in its own transaction. After an interruption, --resume runs only the runs \
            missing. With --shard k/n (or SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT in \
            the environment) only the points whose index is k modulo n are run.
            """
    )

    /// The sweep file.
    @Argument(help: ArgumentHelp("Sweep file (TOML, docs/SWEEPS.md).", valueName: "file"))
    var file: String

    /// Output folder; `nil` means `runs/sweeps/<sweep name>`.
    @Option(help: ArgumentHelp("Output folder for the database. Default: runs/sweeps/<sweep name>.", valueName: "dir"))
    var out: String?

    /// Worker threads; `nil` means one per core.
    @Option(help: ArgumentHelp(
        "Runs at the same time. Default: the number of cores (\(ProcessInfo.processInfo.activeProcessorCount)).",
        valueName: "n"))
    var jobs: Int?

    /// Continue a sweep whose database exists.
    @Flag(help: "Continue the sweep in the existing database: run only the runs not recorded as finished.")
    var resume = false

    /// `k/n`: run shard k of n.
    @Option(help: ArgumentHelp(
        "Run only the points whose index is k modulo n (0 ≤ k < n), into DIR/shard-k-of-n.sqlite. Default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set.",
        valueName: "k/n"))
    var shard: String?

    /// No progress bar.
    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    func run() throws {
        let plan = try SweepPlan.load(path: file)
        let definition = plan.definition
        let shard = try self.shard.map { text throws(SweepUsageError) in try ShardSelection(parsing: text) }
            ?? ShardSelection.fromSlurm(ProcessInfo.processInfo.environment)
        let directory = out ?? SweepCommand.defaultDirectory(for: definition)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(shard?.databaseName ?? SweepDatabase.fileName).path
        let (database, recordedVersion) = try SweepDatabase.prepare(
            path: path, plan: plan, shard: shard, resume: resume, twinCityVersion: twinCityVersion)
        defer { try? database.close() }
        if let recordedVersion, recordedVersion != twinCityVersion {
            TerminalText.write(
                "twincity: note: \(path) was started by twincity \(recordedVersion); this is \(twinCityVersion), whose runs may differ\n", to: .standardError)
        }

        let runner = SweepRunner(
            executor: plan.executor, database: database, shard: shard,
            jobs: jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount))
        let interrupts = InterruptMonitor()
        defer { interrupts.uninstall() }
        var reporter = SweepProgressReporter(enabled: !quiet)
        let outcome = try runner.run(shouldStop: { interrupts.received != nil }) { reporter.update($0) }
        reporter.end()

        let progress = outcome.progress
        if let signal = interrupts.received {
            TerminalText.write(
                "twincity: interrupted by \(InterruptMonitor.name(of: signal)); \(progress.done) of \(progress.total) runs are recorded in \(path); continue with the same command and --resume\n", to: .standardError)
            throw ExitCode(128 + signal)
        }
        let counts = try database.counts()
        var summary = "Sweep '\(definition.name)'" + (shard.map { ", shard \($0)" } ?? "") + ": "
        summary += "\(progress.done) of \(progress.total) runs done"
        summary += progress.doneHere < progress.done ? " (\(progress.doneHere) in this session)\n" : "\n"
        summary += "Throughput: \(progress.doneHere) runs in " + String(format: "%.1f s, %.3g runs/s", progress.elapsed, progress.rate)
        summary += " with \(runner.jobs) job\(runner.jobs == 1 ? "" : "s")\n"
        if counts.failed > 0 {
            summary += "\(counts.failed) runs failed; their reasons are in the error column of runs (twincity sweep export \(directory))\n"
        }
        summary += "Database: \(path)\n"
        TerminalText.write(summary, to: .standardOutput)
    }
}

/// The progress bar of a sweep on standard error: runs done of total, rate and time left,
/// redrawn in place on a terminal, a line every 10 % otherwise.
struct SweepProgressReporter {
    /// False for `--quiet`.
    let enabled: Bool
    /// True when standard error is a terminal.
    let terminal = isatty(2) != 0
    private var lastDecile: Int?
    private var drewLine = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    mutating func update(_ progress: SweepProgress) {
        guard enabled, progress.total > 0 else { return }
        let percent = progress.done * 100 / progress.total
        let eta = progress.remaining.map { SweepCommand.clock($0) } ?? "–"
        let failed = progress.failedHere > 0 ? ", \(progress.failedHere) failed" : ""
        let text = "runs \(progress.done)/\(progress.total) (\(percent)%), " + String(format: "%.3g", progress.rate) + " runs/s, ETA \(eta)" + failed
        if terminal {
            let width = 20
            let filled = progress.done * width / progress.total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r[\(bar)] \(text)\u{1B}[K")
            drewLine = true
        } else {
            let decile = progress.done * 10 / progress.total
            guard decile != lastDecile else { return }
            lastDecile = decile
            write("twincity: \(text)\n")
        }
    }

    mutating func end() {
        guard drewLine else { return }
        write("\n")
        drewLine = false
    }

    private func write(_ text: String) {
        TerminalText.write(text, to: .standardError)
    }
}
