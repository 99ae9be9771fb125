// A sweep as read from its file (docs/SWEEPS.md): the base scenario, the sampler, the swept
// parameters and the outputs recorded, with the canonical form that identifies it.
import Foundation

/// How the points of a sweep are chosen.
public enum SamplerKind: String, Sendable, Codable, CaseIterable {
    /// Every combination of the parameters' grid levels.
    case grid
    /// `samples` points drawn uniformly and independently from the sweep seed.
    case random
    /// A Latin hypercube of `samples` points: each parameter's range cut into `samples`
    /// equal strata, each stratum used once.
    case lhs
    /// Saltelli's design on GSL's Sobol sequence for Sobol sensitivity indices:
    /// `samples` base rows, `samples · (d + 2)` points.
    case sobol
    /// Morris's elementary-effects design: `samples` trajectories of `d + 1` points on a
    /// `levels`-level grid.
    case morris
}

/// The `[sampler]` table of a sweep file.
public struct SamplerSpec: Sendable, Equatable, Codable {
    /// How points are chosen.
    public var kind: SamplerKind
    /// Points (random, lhs), base rows N (sobol) or trajectories r (morris); `nil` for grid.
    public var samples: Int?
    /// Levels p of the Morris grid (even, ≥ 2); `nil` for the other samplers.
    public var levels: Int?
    /// With levers: how many lever combinations to run, a random subset of them (fewer than
    /// all); `nil` runs every combination.
    public var combinations: Int?

    /// A sampler of `kind` with its size settings.
    public init(kind: SamplerKind, samples: Int? = nil, levels: Int? = nil, combinations: Int? = nil) {
        self.kind = kind
        self.samples = samples
        self.levels = levels
        self.combinations = combinations
    }
}

/// A validated sweep: everything needed to run it, and the canonical form that a sweep
/// database records so that a resumed or merged sweep can be checked against it.
public struct SweepDefinition: Sendable, Equatable {
    /// Version of the sweep file format (`schema = 1`).
    public static let schemaVersion = 1

    /// The sweep's name (`name` key), non-empty.
    public var name: String
    /// Free text (`description` key); not part of the canonical form.
    public var description: String
    /// The base scenario as written in the file, relative to the sweep file's folder
    /// unless absolute.
    public var scenario: String
    /// Master seed of the sweep: design, run seeds and bootstrap derive from it.
    public var seed: UInt64
    /// How points are chosen.
    public var sampler: SamplerSpec
    /// Runs per point, each with its own seed (≥ 1).
    public var replications: Int
    /// Common random numbers: replication r has the same seed at every point, so points
    /// differ by their parameters and not by their draws of the productivity shocks
    /// (`common_random_numbers`; default true for grid sweeps, false for the others).
    public var commonRandomNumbers: Bool
    /// `KEY=VALUE` overrides applied to the base scenario in every run, before the point's.
    public var fixed: [String]
    /// The swept parameters, in file order (the order of coordinates in the design): the
    /// `[[parameter]]` tables, or the `[[uncertainty]]` tables of a sweep with levers.
    public var parameters: [SweepParameter]
    /// The policy levers (`[[lever]]` tables), in file order; every combination of their
    /// options runs every point of the parameters' design. Empty for a plain sweep.
    public var levers: [SweepLever]
    /// The recorded outputs, `scope.column@year`, in file order.
    public var outputs: [String]

    /// A sweep from its parts; `SweepFileReader.read` is the usual way to get one.
    public init(
        name: String, description: String = "", scenario: String, seed: UInt64, sampler: SamplerSpec,
        replications: Int = 1, commonRandomNumbers: Bool? = nil, fixed: [String] = [], parameters: [SweepParameter],
        levers: [SweepLever] = [], outputs: [String]
    ) {
        self.name = name
        self.description = description
        self.scenario = scenario
        self.seed = seed
        self.sampler = sampler
        self.replications = replications
        self.commonRandomNumbers = commonRandomNumbers ?? Self.commonRandomNumbersByDefault(sampler.kind)
        self.fixed = fixed
        self.parameters = parameters
        self.levers = levers
        self.outputs = outputs
    }

    /// Whether a sampler uses common random numbers when the sweep file does not say: a grid
    /// compares levels of its parameters, which their own draws would blur; the other
    /// samplers keep one seed per point, as they always have.
    public static func commonRandomNumbersByDefault(_ kind: SamplerKind) -> Bool {
        kind == .grid
    }

    // MARK: - Canonical form

    private struct Canonical: Codable {
        var schema: Int
        var name: String
        var scenario: String
        var seed: UInt64
        var sampler: SamplerSpec
        var replications: Int
        /// Present (true) only with common random numbers, so a sweep without them keeps the
        /// identity it had before the key existed.
        var common_random_numbers: Bool?
        var set: [String]
        var parameters: [SweepParameter]
        /// Left out when there are no levers, so a plain sweep keeps its identity.
        var levers: [SweepLever]?
        var outputs: [String]
    }

    /// The sweep as compact JSON with sorted keys: every setting that determines its runs
    /// and results (`schema`, `name`, `scenario` as written, `seed`, `sampler`,
    /// `replications`, `common_random_numbers` when true, `set`, `parameters`, `levers` when there are any, `outputs`), and nothing else — comments, layout,
    /// key order and `description` do not change it.
    public var canonicalJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let canonical = Canonical(
            schema: Self.schemaVersion, name: name, scenario: scenario, seed: seed, sampler: sampler,
            replications: replications, common_random_numbers: commonRandomNumbers ? true : nil, set: fixed,
            parameters: parameters, levers: levers.isEmpty ? nil : levers, outputs: outputs)
        // Encoding plain strings, integers and finite doubles cannot fail.
        let data = try! encoder.encode(canonical)
        return String(decoding: data, as: UTF8.self)
    }

    /// SHA-256 of `canonicalJSON` (UTF-8), 64 hexadecimal digits: the identity of the sweep
    /// that its databases record.
    public var contentHash: String {
        SHA256.hex(Array(canonicalJSON.utf8))
    }

    /// The sweep recorded in a database as `canonicalJSON`.
    ///
    /// - Throws: `DecodingError` when the text is not a sweep's canonical form.
    public init(canonicalJSON text: String) throws {
        let canonical = try JSONDecoder().decode(Canonical.self, from: Data(text.utf8))
        self.init(
            name: canonical.name, scenario: canonical.scenario, seed: canonical.seed, sampler: canonical.sampler,
            replications: canonical.replications, commonRandomNumbers: canonical.common_random_numbers ?? false,
            fixed: canonical.set, parameters: canonical.parameters, levers: canonical.levers ?? [], outputs: canonical.outputs)
    }
}
