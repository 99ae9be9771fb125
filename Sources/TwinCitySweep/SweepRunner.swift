// Runs the points of a sweep (or of one shard) on N worker threads, each finished run
// streamed into the database in its own transaction, so memory does not grow with the
// number of runs and an interrupted sweep loses at most the runs in progress.
import Foundation

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
    /// - Throws: the first error recording a run (a full disk); workers stop at it.
    public func run(
        interval: Double = 0.2,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        progress: (SweepProgress) -> Void = { _ in }
    ) throws -> SweepOutcome {
        let state = WorkState(
            design: executor.design, replications: executor.definition.replications, shard: shard,
            total: totalRuns, alreadyDone: try finishedRunsInShare())
        let start = Date()
        let group = DispatchGroup()
        for _ in 0..<jobs {
            group.enter()
            let thread = Thread { [executor, database, shard] in
                defer { group.leave() }
                while let (point, replication) = state.next(database: database, shouldStop: shouldStop) {
                    guard let record = executor.run(point: point, replication: replication, shouldStop: {
                        shouldStop() || state.hasFailed
                    }) else { break }
                    do {
                        try database.record(record, shard: shard)
                        state.finished(failed: record.status == .failed)
                    } catch {
                        state.fail(error)
                        break
                    }
                }
            }
            // The stack `twincity run` has on the main thread (8 MiB); secondary threads get
            // only 512 KiB by default on macOS.
            thread.stackSize = 8 << 20
            thread.start()
        }
        while group.wait(timeout: .now() + interval) == .timedOut {
            progress(state.progress(since: start))
        }
        let final = state.progress(since: start)
        progress(final)
        if let error = state.firstError { throw error }
        return SweepOutcome(progress: final, stopped: final.done < final.total && shouldStop())
    }

    /// Finished runs of the share that the database already holds.
    private func finishedRunsInShare() throws -> Int {
        try database.finishedRuns(shard: shard, points: executor.design.pointCount)
    }
}

/// The shared state of the workers: the next run to hand out and the counts so far.
private final class WorkState: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private let pointCount: Int
    private let replications: Int
    private let shard: ShardSelection?
    private let total: Int
    private let alreadyDone: Int
    private var nextPoint: Int
    private var nextReplication = 0
    private var doneHere = 0
    private var failedHere = 0
    private var error: Error?

    init(design: SamplingDesign, replications: Int, shard: ShardSelection?, total: Int, alreadyDone: Int) {
        pointCount = design.pointCount
        self.replications = replications
        self.shard = shard
        self.total = total
        self.alreadyDone = alreadyDone
        nextPoint = shard?.index ?? 0
    }

    /// The next run not yet finished, or `nil` when there is none or the sweep stops.
    /// Finished runs are skipped by asking the database, so resuming holds no list of them.
    func next(database: SweepDatabase, shouldStop: () -> Bool) -> (Int, Int)? {
        while true {
            if shouldStop() { return nil }
            let candidate: (Int, Int)? = lock.withLock {
                guard error == nil, nextPoint < pointCount else { return nil }
                let run = (nextPoint, nextReplication)
                nextReplication += 1
                if nextReplication == replications {
                    nextReplication = 0
                    nextPoint += shard?.count ?? 1
                }
                return run
            }
            guard let candidate else { return nil }
            do {
                if try !database.isFinished(point: candidate.0, replication: candidate.1) { return candidate }
            } catch {
                fail(error)
                return nil
            }
        }
    }

    func finished(failed: Bool) {
        lock.withLock {
            doneHere += 1
            if failed { failedHere += 1 }
        }
    }

    func fail(_ error: Error) {
        lock.withLock { if self.error == nil { self.error = error } }
    }

    var hasFailed: Bool { lock.withLock { error != nil } }
    var firstError: Error? { lock.withLock { error } }

    func progress(since start: Date) -> SweepProgress {
        lock.withLock {
            SweepProgress(
                done: alreadyDone + doneHere, total: total, doneHere: doneHere, failedHere: failedHere,
                elapsed: Date().timeIntervalSince(start))
        }
    }
}
