// The files a scenario reads — the scenario with its `extends` chain, the roster, the
// estimates — read once and shared by every run of a sweep, which loads the same base scenario
// hundreds of times with different overrides.
import Foundation
import TwinCityModel

/// A store of read and checked scenario inputs, by path. The runs that share one see the
/// files as they were when first read, so a file edited while a sweep runs cannot make its
/// runs disagree. A failed read is not stored: each run that needs the file reports the error.
///
/// Thread-safe: workers of a sweep share one store.
package final class ScenarioFiles: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private var sources: [String: ScenarioSource] = [:]
    private var rosters: [String: Roster] = [:]
    private var estimates: [String: Estimates] = [:]
    /// The latest calibrations, newest last: the replications of a sweep's point have the
    /// same parameters and differ only in their seeds, which calibration does not read.
    private var setups: [(rosterPath: String, parameters: ModelParameters, setup: SimulationSetup)] = []
    /// How many calibrations are kept: more than the workers a machine runs, so that the
    /// replications of a point, handed out one after another, find theirs.
    static let keptSetups = 16
    /// How many calibrations this store has run (not counting those it reused).
    package var calibrations: Int { lock.withLock { calibrationCount } }
    private var calibrationCount = 0

    /// An empty store.
    package init() {}

    /// The value stored under `key` in `table`, or `read()` stored there. The read runs
    /// outside the lock, so two workers may both read a file the first time; both get the
    /// same value, because reading is a pure function of the file.
    private func value<T>(_ key: String, _ table: ReferenceWritableKeyPath<ScenarioFiles, [String: T]>, read: () throws -> T) rethrows -> T {
        if let stored = lock.withLock({ self[keyPath: table][key] }) { return stored }
        let fresh = try read()
        lock.withLock { self[keyPath: table][key] = fresh }
        return fresh
    }

    /// `ScenarioSource.read(path)`, once per path.
    func source(_ path: String) throws -> ScenarioSource {
        try value(path, \.sources) { try ScenarioSource.read(path) }
    }

    /// `RosterLoader.load(cities: path)`, once per path.
    func roster(_ path: String) throws -> Roster {
        try value(path, \.rosters) { try RosterLoader.load(cities: path) }
    }

    /// `EstimatesFile.read(path, roster:)`, once per estimates file and roster file.
    func estimates(_ path: String, roster: Roster, rosterPath: String) throws -> Estimates {
        try value(path + "\n" + rosterPath, \.estimates) { try EstimatesFile.read(path, roster: roster) }
    }

    /// The setup of `parameters` on roster `rosterPath`: a kept one when an earlier run had
    /// the same roster file and equal parameters, else `calibrate()`, kept. Equal inputs give
    /// the same calibration bit for bit, so a kept setup is the one the run would compute.
    func setup(rosterPath: String, parameters: ModelParameters, calibrate: () throws -> SimulationSetup) rethrows -> SimulationSetup {
        let kept = lock.withLock { setups.last { $0.rosterPath == rosterPath && $0.parameters == parameters }?.setup }
        if let kept { return kept }
        let fresh = try calibrate()
        lock.withLock {
            calibrationCount += 1
            setups.append((rosterPath, parameters, fresh))
            if setups.count > Self.keptSetups { setups.removeFirst(setups.count - Self.keptSetups) }
        }
        return fresh
    }
}
