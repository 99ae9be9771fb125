// Runs the points of a sweep (or of one shard) on N worker threads, each finished run
// streamed into the database in its own transaction, so memory does not grow with the
// number of runs and an interrupted sweep loses at most the runs in progress.
import Foundation
import TwinCityModel

/// Progress of a sweep, for a progress bar.
public struct SweepProgress: Sendable, Equatable {
    /// Runs of this process's share finished so far (ok or failed), including those found
    /// finished in the database when resuming.
    public var done: Int
    /// Runs of this process's share in all.
    public var total: Int
    /// Runs finished by this process since it started (not counting resumed ones).
    public var doneHere: Int
    /// Runs that failed so far in this process.
    public var failedHere: Int
    /// Seconds since this process started running.
    public var elapsed: Double

    /// Runs finished per second by this process.
    public var rate: Double { elapsed > 0 ? Double(doneHere) / elapsed : 0 }

    /// Seconds until the share is done at the current rate; `nil` before the first run ends.
    public var remaining: Double? {
        guard doneHere > 0, rate > 0 else { return nil }
        return Double(total - done) / rate
    }
}

/// How a sweep ended.
public struct SweepOutcome: Sendable, Equatable {
    /// Progress at the end.
    public var progress: SweepProgress
    /// True when it stopped early because `shouldStop` said so.
    public var stopped: Bool
}

/// Runs a sweep's points × replications in parallel and records each finished run.
public struct SweepRunner: Sendable {
    /// What runs each point.
    public let executor: SweepRunExecutor
    /// Where runs are recorded.
    public let database: SweepDatabase
    /// The shard to run, `nil` for the whole sweep.
    public let shard: ShardSelection?
    /// Worker threads (≥ 1).
    public let jobs: Int

    /// A runner of `executor`'s sweep into `database`.
    public init(executor: SweepRunExecutor, database: SweepDatabase, shard: ShardSelection?, jobs: Int) {
        precondition(jobs >= 1, "a sweep needs at least one worker, got \(jobs)")
        self.executor = executor
        self.database = database
        self.shard = shard
        self.jobs = jobs
    }

    /// Runs of this process's share: its points × replications.
    public var totalRuns: Int {
        let points = executor.design.pointCount
        return (shard?.pointCount(of: points) ?? points) * executor.definition.replications
    }

    /// Runs every run of the share that the database does not hold as finished, in order of
    /// point then replication, on `jobs` threads.
    ///
    /// - Parameters:
    ///   - shouldStop: Polled between runs and after every tick; once it returns true no run
    ///     is started and runs in progress are abandoned (not recorded).
    ///   - progress: Called on the calling thread about every `interval` seconds and once at
    ///     the end.
    /// - Throws: the error of the lowest run that could not be recorded (a full disk); no run
    ///   after it is started and those in progress after it are abandoned (`OrderedWorkers`).
    public func run(
        interval: Double = 0.2,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        progress: (SweepProgress) -> Void = { _ in }
    ) throws -> SweepOutcome {
        let counts = RunCounts(total: totalRuns, alreadyDone: try finishedRunsInShare())
        let start = Date()
        let (replications, first, stride) = (executor.definition.replications, shard?.index ?? 0, shard?.count ?? 1)
        let failure = OrderedWorkers.run(
            count: totalRuns, threads: jobs, shouldStop: shouldStop, interval: interval,
            poll: { progress(counts.progress(since: start)) }
        ) { [executor, database, shard] run, isCancelled in
            // Run k of the share is replication k mod R of its (k div R)-th point.
            let (point, replication) = (first + (run / replications) * stride, run % replications)
            // Finished runs are skipped by asking the database, so resuming holds no list of them.
            guard try !database.isFinished(point: point, replication: replication) else { return }
            guard let record = executor.run(point: point, replication: replication, shouldStop: {
                shouldStop() || isCancelled()
            }) else { throw OrderedWorkCancelled() }
            try database.record(record, shard: shard)
            counts.finished(failed: record.status == .failed)
        }
        let final = counts.progress(since: start)
        if let failure { throw failure.error }
        return SweepOutcome(progress: final, stopped: final.done < final.total && shouldStop())
    }

    /// Finished runs of the share that the database already holds.
    private func finishedRunsInShare() throws -> Int {
        try database.finishedRuns(shard: shard, points: executor.design.pointCount)
    }
}

/// Runs finished by this process so far, for progress. Thread-safe.
private final class RunCounts: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private let total: Int
    private let alreadyDone: Int
    private var doneHere = 0
    private var failedHere = 0

    init(total: Int, alreadyDone: Int) {
        self.total = total
        self.alreadyDone = alreadyDone
    }

    func finished(failed: Bool) {
        lock.withLock {
            doneHere += 1
            if failed { failedHere += 1 }
        }
    }

    func progress(since start: Date) -> SweepProgress {
        lock.withLock {
            SweepProgress(
                done: alreadyDone + doneHere, total: total, doneHere: doneHere, failedHere: failedHere,
                elapsed: Date().timeIntervalSince(start))
        }
    }
}
