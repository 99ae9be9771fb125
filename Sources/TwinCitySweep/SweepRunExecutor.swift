// One run of a sweep: the base scenario with the point's overrides and the run's seed,
// simulated to its end, its outputs collected from the ticks as they pass.
import Foundation
import TwinCityModel
import TwinCityScenario

/// A finished run of a sweep, as recorded in the `runs` and `outputs` tables.
public struct SweepRunRecord: Sendable {
    /// How a run ended.
    public enum Status: String, Sendable {
        /// The simulation reached the end year; its outputs are recorded.
        case ok
        /// The scenario was refused at this point, or the simulation stopped on a numerical
        /// failure; `error` says why and no outputs are recorded.
        case failed
    }

    /// Index of the point in the design, from 0.
    public var point: Int
    /// Replication of the point, from 0.
    public var replication: Int
    /// The run's master seed (`SweepSeeds.runSeed`).
    public var seed: UInt64
    /// The point's parameter values as a JSON object, key paths in sweep-file order.
    public var parametersJSON: String
    /// How the run ended.
    public var status: Status
    /// Why a failed run failed; `nil` for a run that finished.
    public var error: String?
    /// Seconds the run took on its worker: loading, calibration and simulation.
    public var wallSeconds: Double
    /// Each output's value in its column's unit, in the sweep's order; `nil` for a value
    /// that is not defined (growth in the first year, a year after the run's end).
    public var outputs: [(metric: String, value: Double?)]
}

/// Runs the points of one sweep. Holds the sweep's definition and design and the files its
/// runs read (under a lock), so any number of workers may share one.
public struct SweepRunExecutor: Sendable {
    /// The sweep.
    public let definition: SweepDefinition
    /// Its points.
    public let design: SamplingDesign
    /// Absolute path of the base scenario.
    public let scenarioPath: String
    /// The outputs, parsed.
    let metrics: [OutputMetric]
    /// The base scenario's files (the scenario, its roster and estimates), read by the first
    /// run that needs them and shared by every run after it.
    let files = ScenarioFiles()

    /// An executor for `definition` with its design and base scenario.
    public init(definition: SweepDefinition, design: SamplingDesign, scenarioPath: String) {
        self.definition = definition
        self.design = design
        self.scenarioPath = scenarioPath
        // Checked when the sweep file was read.
        metrics = definition.outputs.map { try! OutputMetric(parsing: $0) }
    }

    /// Thrown from the tick observer to abandon a run when the sweep is stopped.
    struct Cancelled: Error {}

    /// Runs point `point`, replication `replication`.
    ///
    /// - Parameter shouldStop: Polled after every tick; when it returns true the run is
    ///   abandoned and `nil` returned (nothing is recorded for it).
    /// - Returns: the record of the run, `failed` with the reason when the scenario refuses
    ///   the point's values or the simulation fails.
    public func run(point: Int, replication: Int, shouldStop: () -> Bool = { false }) -> SweepRunRecord? {
        let start = Date()
        let seed = SweepSeeds.runSeed(definition, design: design, point: point, replication: replication)
        var record = SweepRunRecord(
            point: point, replication: replication, seed: seed,
            parametersJSON: Self.json(paths: design.allPaths, values: design.allValues(at: point)),
            status: .ok, error: nil, wallSeconds: 0, outputs: [])
        do {
            let overrides = definition.fixed + design.overrides(at: point)
            let scenario = try ScenarioLoader.load(path: scenarioPath, seed: seed, overrides: overrides, files: files)
            let (setup, parameters, _) = try ScenarioLoader.prepare(scenario, files: files)
            let simulation = try Simulation(
                setup: setup, parameters: parameters, settings: scenario.settings, policies: scenario.policies)
            let context = OutputContext(cities: setup.cities, sectors: parameters.sectors.map(\.id), dt: scenario.settings.dt)
            var extractors: [OutputExtractor] = []
            for metric in metrics {
                switch OutputExtractor.resolve(metric, in: context) {
                case .success(let extractor): extractors.append(extractor)
                case .failure(let error): throw SweepUsageError(error.message)
                }
            }
            let collector = OutputCollector(extractors: extractors, context: context)
            try simulation.run { tick in
                collector.observe(tick)
                if shouldStop() { throw Cancelled() }
            }
            record.outputs = zip(definition.outputs, collector.values).map { ($0, $1) }
        } catch is Cancelled {
            return nil
        } catch {
            record.status = .failed
            record.error = Self.message(error)
        }
        record.wallSeconds = Date().timeIntervalSince(start)
        return record
    }

    /// The text of an error for the `error` column: one line per problem.
    static func message(_ error: Error) -> String {
        String(describing: error)
    }

    /// `{"path": value, …}` in the given order: numbers as JSON numbers (shortest form that
    /// reads back as the same double), text as JSON strings.
    static func json(paths: [String], values: [ParameterValue]) -> String {
        let members = zip(paths, values).map { path, value -> String in
            let text: String
            switch value {
            case .number(let number): text = ParameterValue.number(number).overrideText
            case .text(let string): text = jsonString(string)
            case .bool(let value): text = value ? "true" : "false"
            }
            return jsonString(path) + ":" + text
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JSON string literal (RFC 8259 escapes).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
