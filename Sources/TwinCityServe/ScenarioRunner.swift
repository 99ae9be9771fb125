// Runs a loaded scenario into an ordinary run directory for the page: the same loader, the
// same `RunDirectoryWriter` / `EnsembleDirectoryWriter` and the same seeds as `twincity run`,
// so a run started from the page and one started from the command line give the same files.
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// One scenario run into one run directory, a replication at a time.
///
/// With one replication the directory is written by `RunDirectoryWriter`, with more by
/// `EnsembleDirectoryWriter`, exactly as `twincity run` does (replication k with seed
/// `replicationSeed(master:replication:)`). Replications run one after the other: the output
/// does not depend on the order, and the server bounds the number of runs at once instead.
/// The directory appears only when the run is complete; a failed or stopped run leaves
/// nothing behind.
public struct ScenarioRunner: Sendable {
    /// The loaded scenario.
    public let scenario: Scenario
    /// Number of replications, ≥ 1.
    public let replications: Int
    /// The run directory to create.
    public let directory: String
    /// Version recorded in manifest.json (the tool's version).
    public let version: String

    /// - Parameters:
    ///   - scenario: From `ScenarioLoader.load`.
    ///   - replications: `nil` takes the scenario's `[run].replications`.
    ///   - directory: The run directory to create; it must not exist.
    ///   - version: The tool's version, for manifest.json.
    public init(scenario: Scenario, replications: Int? = nil, directory: String, version: String) {
        self.scenario = scenario
        self.replications = max(1, replications ?? scenario.replications)
        self.directory = directory
        self.version = version
    }

    /// Total number of ticks over all replications, the denominator of `progress`.
    public var totalTicks: Int { replications * scenario.settings.tickCount }

    /// Calibrates, runs every replication and writes the directory.
    ///
    /// - Parameters:
    ///   - progress: Called after every tick with the number of ticks done so far (of
    ///     `totalTicks`).
    ///   - isStopped: Polled after every tick; `true` abandons the run (`RunStopped`) and
    ///     removes the temporary directory.
    /// - Throws: `InputError`s of the roster, `SimulationError` (naming tick and city),
    ///   `RunDirectoryError`, or `RunStopped`.
    public func run(progress: (Int) -> Void, isStopped: () -> Bool) throws {
        let (setup, parameters, _) = try ScenarioLoader.prepare(scenario)
        let manifest = RunManifest(
            twinCityVersion: version, gslVersion: Numerics.gslVersion,
            scenario: scenario.resolved, settings: scenario.settings)
        let sectors = parameters.sectors.map(\.id)
        let start = Date()
        var done = 0
        if replications == 1 {
            let writer = try RunDirectoryWriter(path: directory, cities: setup.cities, sectors: sectors, manifest: manifest)
            do {
                let simulation = try Simulation(
                    setup: setup, parameters: parameters, settings: scenario.settings, policies: scenario.policies)
                try simulation.run { record in
                    _ = try writer.consume(record)
                    if record.tick > 0 { done += 1; progress(done) }
                    if isStopped() { throw RunStopped() }
                }
                try writer.finish(wallTime: Date().timeIntervalSince(start))
            } catch {
                writer.abort()
                throw error
            }
            return
        }
        let writer = try EnsembleDirectoryWriter(
            path: directory, cities: setup.cities, sectors: sectors, manifest: manifest, replications: replications)
        do {
            for index in 0..<replications {
                let replica = try writer.replication(index)
                let simulation = try Simulation(
                    setup: setup, parameters: parameters, settings: replica.settings, policies: scenario.policies)
                try simulation.run { record in
                    _ = try replica.consume(record)
                    if record.tick > 0 { done += 1; progress(done) }
                    if isStopped() { throw RunStopped() }
                }
                try replica.finish()
            }
            try writer.finish(wallTime: Date().timeIntervalSince(start))
        } catch {
            writer.abort()
            throw error
        }
    }
}

/// A run abandoned because the server is stopping; nothing was written.
public struct RunStopped: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "stopped before it finished; nothing was written" }
}
