// The ordered worker pool behind ensembles and sweeps: the failure reported is the lowest job's
// whatever the number of threads, and the NaN-keeping maximum the solvers' gaps use.
import Foundation
import XCTest
import TwinCityModel

final class OrderedWorkersTests: XCTestCase {
    private struct Failure: Error, Equatable { let index: Int }

    /// Records which jobs ran to their end. Thread-safe.
    private final class Finished: @unchecked Sendable {
        private let lock = NSLock()
        private var indices: Set<Int> = []
        func insert(_ index: Int) { lock.withLock { _ = indices.insert(index) } }
        var all: Set<Int> { lock.withLock { indices } }
    }

    func testTheLowestFailingJobIsReportedWhateverTheThreadCount() {
        // Job 12 fails at once, job 7 only after a while: with several threads 12 fails first
        // in time, yet 7 is the failure, and every job before it has run to its end.
        for threads in [1, 2, 4, 8] {
            let finished = Finished()
            let failure = OrderedWorkers.run(count: 20, threads: threads) { index, isCancelled in
                if index == 12 { throw Failure(index: 12) }
                for _ in 0..<(index == 7 ? 40 : 2) {
                    if isCancelled() { throw OrderedWorkCancelled() }
                    Thread.sleep(forTimeInterval: 0.002)
                }
                if index == 7 { throw Failure(index: 7) }
                finished.insert(index)
            }
            XCTAssertEqual(failure?.index, 7, "\(threads) threads")
            XCTAssertEqual(failure?.error as? Failure, Failure(index: 7), "\(threads) threads")
            XCTAssertTrue(Set(0..<7).isSubset(of: finished.all), "\(threads) threads: every job before the failure ran")
        }
    }

    func testEveryJobRunsOnceWhenNoneFails() {
        let finished = Finished()
        let failure = OrderedWorkers.run(count: 50, threads: 3) { index, _ in finished.insert(index) }
        XCTAssertNil(failure)
        XCTAssertEqual(finished.all, Set(0..<50))
    }

    func testNoJobStartsOnceStopIsRequested() {
        let finished = Finished()
        let failure = OrderedWorkers.run(count: 10, threads: 2, shouldStop: { true }) { index, _ in finished.insert(index) }
        XCTAssertNil(failure)
        XCTAssertEqual(finished.all, [])
    }

    func testARunningMaximumKeepsANaN() {
        let steps = [0.5, .nan, 0.25]
        // What Swift.max does: the NaN vanishes and a diverged iteration would look converged.
        XCTAssertEqual(steps.reduce(0, Swift.max), 0.5)
        XCTAssertTrue(steps.reduce(0) { $0.maxPropagatingNaN($1) }.isNaN)
        XCTAssertTrue(steps.reversed().reduce(0) { $0.maxPropagatingNaN($1) }.isNaN)
        XCTAssertEqual([0.5, 2, 0.25].reduce(0) { $0.maxPropagatingNaN($1) }, 2)
    }
}
