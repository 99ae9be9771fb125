// The one pool that runs the replications of an ensemble (`twincity run --replications`) and
// the runs of a sweep: jobs handed out in index order to a fixed number of threads, with a
// failure reported as the lowest job that fails, whatever the number of threads.
import Foundation

/// Thrown by a job that stopped because `isCancelled` became true (an earlier job failed):
/// it is not reported as the failure.
package struct OrderedWorkCancelled: Error {
    package init() {}
}

/// Runs jobs 0, 1, …, `count − 1` on `threads` threads.
///
/// Jobs are handed out in index order; once a job throws, no further job is started, and the
/// jobs after it see `isCancelled` return true so they can stop at their next check. Jobs
/// before it run to their end, so the failure returned is that of the lowest job that fails,
/// not of the first to fail in time: the outcome does not depend on the number of threads.
/// Each job's own numbers depend only on its index (a replication's seed is derived from it),
/// which keeps results bitwise identical for any `threads`.
package enum OrderedWorkers {
    /// Stack of each worker thread: the 8 MiB a run has on the main thread (secondary threads
    /// get 512 KiB by default on macOS).
    package static let stackSize = 8 << 20

    /// Runs the jobs and returns the failure of the lowest job that failed (a job that threw
    /// `OrderedWorkCancelled` is not a failure), or `nil` when none failed.
    ///
    /// - Parameters:
    ///   - count: Number of jobs, ≥ 0.
    ///   - threads: Worker threads, ≥ 1 (no more are started than there are jobs).
    ///   - shouldStop: Polled before each job is handed out; once true, no job is started
    ///     (jobs running are not told: they poll it themselves if they should stop too).
    ///   - interval: Seconds between calls of `poll`.
    ///   - poll: Called on the calling thread about every `interval` seconds while jobs run
    ///     (progress), and once at the end.
    ///   - job: Runs job `index`; its second argument tells whether an earlier job has failed.
    package static func run(
        count: Int, threads: Int,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        interval: Double = 0.2, poll: () -> Void = {},
        job: @escaping @Sendable (_ index: Int, _ isCancelled: @escaping @Sendable () -> Bool) throws -> Void
    ) -> (index: Int, error: Error)? {
        precondition(count >= 0 && threads >= 1, "\(count) jobs on \(threads) threads")
        let state = OrderedWorkState(count: count)
        let group = DispatchGroup()
        for _ in 0..<min(threads, count) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while !shouldStop(), let index = state.next() {
                    do {
                        try job(index) { state.isCancelled(index) }
                    } catch {
                        state.fail(index, error)
                    }
                }
            }
            thread.stackSize = stackSize
            thread.start()
        }
        while group.wait(timeout: .now() + interval) == .timedOut { poll() }
        poll()
        return state.firstFailure
    }
}

/// The next job to hand out and the failures so far. Thread-safe.
private final class OrderedWorkState: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private let count: Int
    private var nextIndex = 0
    private var failures: [(index: Int, error: Error)] = []

    init(count: Int) { self.count = count }

    /// The next job, or `nil` when all are handed out or one has failed.
    func next() -> Int? {
        lock.withLock {
            guard failures.isEmpty, nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    /// True once a job before `index` has failed by itself.
    func isCancelled(_ index: Int) -> Bool {
        lock.withLock { failures.contains { $0.index < index && !($0.error is OrderedWorkCancelled) } }
    }

    func fail(_ index: Int, _ error: Error) {
        lock.withLock { failures.append((index, error)) }
    }

    /// The lowest job that failed by itself. Jobs are handed out in order and only later ones
    /// are cancelled, so every job before it ran to its end.
    var firstFailure: (index: Int, error: Error)? {
        lock.withLock {
            failures.filter { !($0.error is OrderedWorkCancelled) }.min { $0.index < $1.index }
        }
    }
}
