// A scenario: what to simulate, over which years, with which parameters and seed, as read
// from a scenario file (format in docs/SCENARIOS.md) and checked before anything runs.
import TwinCityModel

/// What a scenario simulates.
public enum ScenarioKind: Sendable, Equatable {
    /// The calibrated regional economy of a city roster; `rosterPath` is the absolute path of
    /// its cities table (roles and links are read from beside it).
    case region(rosterPath: String)
    /// Krugman's two-city core–periphery model, built by `CorePeriphery.setup`.
    case corePeriphery(CorePeripherySettings)
}

/// A validated scenario, ready for `ScenarioLoader.prepare`.
public struct Scenario: Sendable {
    /// The scenario file, as the user gave its path.
    public var path: String
    /// The scenario's name (`name` key), non-empty.
    public var name: String
    /// Free text describing the scenario (`description` key), empty when absent.
    public var description: String
    /// What is simulated.
    public var kind: ScenarioKind
    /// Start and end year, tick length in years, and the master seed (the file's `[run].seed`
    /// unless the loader was given another).
    public var settings: SimulationSettings
    /// Model parameters: for a region, the documented defaults with the file's `[model]`
    /// overrides; for a core–periphery scenario, the parameters `CorePeriphery.setup` derives.
    public var parameters: ModelParameters
    /// How many runs with successive seeds the scenario asks for (`[run].replications`, ≥ 1).
    public var replications: Int
    /// The scenario as resolved, as a JSON-compatible tree (every key with its final value,
    /// including all model parameters by catalogue name, the absolute roster path, every
    /// policy with its defaults, the `--set` overrides and the files extended), for
    /// manifest.json.
    public var resolved: [String: ScenarioValue]
    /// The scenario's `[[policy]]` tables as the model's policy types, in the order written
    /// (a parent file's first), their ids checked against the roster and the sectors; empty
    /// for a core–periphery scenario. Pass them to `Simulation(…, policies:)`.
    public var policies: [any Policy]
    /// The estimates file the scenario's `estimates` key names, read against the roster (its
    /// drifts are already in `parameters.productivityDrift`); `nil` without the key.
    public var estimates: Estimates?

    /// Creates a scenario from its parts; `ScenarioLoader.load` is the usual way to get one.
    public init(
        path: String, name: String, description: String, kind: ScenarioKind,
        settings: SimulationSettings, parameters: ModelParameters, replications: Int,
        resolved: [String: ScenarioValue], policies: [any Policy] = [], estimates: Estimates? = nil
    ) {
        self.estimates = estimates
        self.path = path
        self.name = name
        self.description = description
        self.kind = kind
        self.settings = settings
        self.parameters = parameters
        self.replications = replications
        self.resolved = resolved
        self.policies = policies
    }
}

/// A value of a resolved scenario: the JSON-compatible subset of TOML.
///
/// It encodes as the plain JSON value (`"text"`, `0.1`, `3`, `true`, `[…]`, `{…}`), with no
/// tag for the case, so a manifest reads like the scenario file it came from.
public indirect enum ScenarioValue: Sendable, Equatable, Encodable {
    /// Text.
    case string(String)
    /// A real number (always finite in a resolved scenario).
    case number(Double)
    /// A whole number.
    case integer(Int)
    /// A flag.
    case bool(Bool)
    /// An ordered list.
    case array([ScenarioValue])
    /// Named values.
    case table([String: ScenarioValue])

    /// Encodes the bare value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .table(let value): try container.encode(value)
        }
    }
}
