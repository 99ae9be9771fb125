// `twincity run --replications R` with R > 1: the replications of one prepared scenario on a
// pool of at most J workers, streamed into one ensemble run directory (docs/OUTPUTS.md).
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// Runs the replications of an ensemble in parallel and writes its run directory.
///
/// Every replication builds its own `Simulation` from the same calibrated setup, with seed
/// `replicationSeed(master:replication:)`; the writer joins their rows in replication order,
/// so the directory is the same whatever the number of workers. A failure stops the
/// replications after the failed one and nothing is written; the one reported is the lowest
/// replication that fails, whatever the number of workers. SIGINT or SIGTERM stops them all.
struct EnsembleRun {
    /// The loaded scenario: its settings (master seed), policies and resolved tree.
    let scenario: Scenario
    /// The calibrated setup every replication starts from.
    let setup: SimulationSetup
    /// The model parameters of every replication.
    let parameters: ModelParameters
    /// Number of replications, > 1.
    let replications: Int
    /// Largest number of replications running at once, ≥ 1.
    let jobs: Int
    /// The run directory to create.
    let directory: String
    /// Replace an existing run directory at the end.
    let force: Bool
    /// No progress on standard error.
    let quiet: Bool
    /// With `--parameter-uncertainty`: the drifts each replication draws from its own seed.
    var uncertainDrifts: DriftDistribution? = nil

    /// Runs the ensemble and prints its summary on standard output.
    ///
    /// - Throws: `OutputDirectoryExists`; `ReplicationFailed` naming the replication and
    ///   seed; `ExitCode(128 + signal)` after an interrupt (with the message already written).
    func run() throws {
        let settings = scenario.settings
        let interrupts = InterruptMonitor()
        defer { interrupts.uninstall() }
        let writer: EnsembleDirectoryWriter
        do {
            writer = try EnsembleDirectoryWriter(
                path: directory, cities: setup.cities, sectors: parameters.sectors.map(\.id),
                manifest: RunManifest(
                    twinCityVersion: twinCityVersion, gslVersion: Numerics.gslVersion,
                    scenario: scenario.resolved, settings: settings),
                replications: replications, overwrite: force)
        } catch RunDirectoryError.exists(let path) {
            throw OutputDirectoryExists(path: path)
        }
        let temporary = writer.temporaryPath
        interrupts.onForcedExit { try? FileManager.default.removeItem(atPath: temporary) }

        let start = Date()
        let pool = ReplicationPool(
            replications: replications,
            progress: ProgressReporter(total: replications * settings.tickCount, enabled: !quiet, start: start))
        let failure = OrderedWorkers.run(count: replications, threads: jobs) { index, isCancelled in
            try runReplication(index, writer: writer, pool: pool, interrupts: interrupts, isCancelled: isCancelled)
        }
        pool.endProgress()

        if let signal = interrupts.received {
            writer.abort()
            TerminalText.write(
                "twincity: interrupted by \(InterruptMonitor.name(of: signal)); nothing written to \(directory)\n", to: .standardError)
            throw ExitCode(128 + signal)
        }
        if let (index, error) = failure {
            writer.abort()
            if error is UserInputError { throw error }
            throw ReplicationFailed(replication: index, seed: writer.seeds[index], underlying: error)
        }
        do {
            try writer.finish(wallTime: Date().timeIntervalSince(start))
        } catch RunDirectoryError.exists(let path) {
            // Someone else created the directory while the ensemble was running.
            throw OutputDirectoryExists(path: path)
        }
        let summary = EnsembleSummary(
            scenario: scenario.name, cityIDs: setup.cities.map(\.id),
            cores: RunDirectoryWriter.coreMembers(in: setup.cities), replications: pool.results(),
            seed: settings.seed, jobs: min(jobs, replications), wallTime: Date().timeIntervalSince(start),
            directory: directory)
        TerminalText.write(summary.render(), to: .standardOutput)
    }

    /// Runs replication `index` to its end, writing every tick.
    private func runReplication(
        _ index: Int, writer: EnsembleDirectoryWriter, pool: ReplicationPool, interrupts: InterruptMonitor,
        isCancelled: () -> Bool
    ) throws {
        let replica = try writer.replication(index)
        var replicaParameters = parameters
        if let uncertainDrifts {
            replicaParameters.productivityDrift = uncertainDrifts.draw(seed: replica.settings.seed)
        }
        let simulation = try Simulation(
            setup: setup, parameters: replicaParameters, settings: replica.settings, policies: scenario.policies)
        var first: RunSummary.Year?
        var last: RunSummary.Year?
        try simulation.run { record in
            let region = try replica.consume(record)
            let year = RunSummary.Year(year: record.year, region: region, cityGDP: record.realGDP)
            if first == nil { first = year }
            last = year
            if record.tick > 0 { pool.tickDone(finishing: record.tick == replica.settings.tickCount) }
            if let signal = interrupts.received { throw ReplicationInterrupted(signal: signal) }
            if isCancelled() { throw OrderedWorkCancelled() }
        }
        try replica.finish()
        if let first, let last { pool.finished(index, first: first, last: last) }
    }
}

/// Progress and results of the replications of an ensemble (`OrderedWorkers` hands them out
/// and keeps their failures). Thread-safe.
private final class ReplicationPool: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private let replications: Int
    private var firstAndLast: [(first: RunSummary.Year, last: RunSummary.Year)?]
    private var progress: ProgressReporter
    private var ticks = 0
    private var finishedCount = 0

    init(replications: Int, progress: ProgressReporter) {
        self.replications = replications
        self.progress = progress
        firstAndLast = Array(repeating: nil, count: replications)
    }

    /// Counts one more tick done (the replication's last when `finishing`) and reports progress.
    func tickDone(finishing: Bool) {
        lock.withLock {
            ticks += 1
            if finishing { finishedCount += 1 }
            progress.update(ticks: ticks, finished: finishedCount, replications: replications)
        }
    }

    /// Records the first and last years of a finished replication.
    func finished(_ index: Int, first: RunSummary.Year, last: RunSummary.Year) {
        lock.withLock {
            firstAndLast[index] = (first, last)
        }
    }

    /// Ends the progress line.
    func endProgress() {
        lock.withLock { progress.end() }
    }

    /// The first and last years of every replication, in replication order.
    func results() -> [(first: RunSummary.Year, last: RunSummary.Year)] {
        lock.withLock { firstAndLast.compactMap { $0 } }
    }
}

/// Thrown from a replication's tick observer to stop it after a signal.
private struct ReplicationInterrupted: Error {
    let signal: Int32
}

/// A replication of an ensemble failed; names it and its seed, so it can be rerun alone with
/// `twincity run --seed SEED`.
struct ReplicationFailed: Error, CustomStringConvertible {
    /// Index of the replication, 0, 1, …
    let replication: Int
    /// Its seed.
    let seed: UInt64
    /// What went wrong.
    let underlying: Error

    var description: String {
        "replication \(replication) (seed \(seed)): \(ErrorReporting.message(for: underlying))"
    }
}
