// Parameter uncertainty in ensembles: each replication draws the estimated drifts from their
// sampling distribution (docs/MODEL.md §10), from its own seed, so an ensemble is the same
// whatever the number of workers.
import TwinCityGSL

/// One estimated drift and the cities it applies to (a group's members share one draw).
public struct EstimatedDrift: Sendable, Equatable {
    /// Roster id of the city or group, as the estimates file names it.
    public var id: String
    /// Roster cities the value applies to.
    public var cities: [String]
    /// Point estimate d̂, log points a year.
    public var drift: Double
    /// Standard error, log points a year (0: no uncertainty drawn).
    public var standardError: Double

    public init(id: String, cities: [String], drift: Double, standardError: Double) {
        self.id = id
        self.cities = cities
        self.drift = drift
        self.standardError = standardError
    }
}

public enum ParameterUncertainty {
    /// Stream of a replication's seed the draws come from: `RandomGenerator.streamSeed(master:
    /// seed, index: streamIndex)`, far above the indices 0..<N of the cities' shock streams, so
    /// drawing parameters shifts no shock.
    public static let streamIndex: UInt64 = 1 << 40

    /// d_u = d̂_u + se_u · z_u for every unit in the order given, z_u standard normal
    /// (`gsl_ran_gaussian`) from the generator of `streamIndex` of `seed`; each member city of a
    /// unit gets the unit's draw. The units' draws are independent (the estimates file keeps
    /// standard errors, not the covariance). Draws are kept inside the admissible [−0.5, 0.5].
    public static func drawDrifts(_ units: [EstimatedDrift], seed: UInt64) -> [String: Double] {
        let generator = RandomGenerator(master: seed, stream: streamIndex)
        var drifts: [String: Double] = [:]
        for unit in units {
            let z = generator.gaussian()
            let value = min(0.5, max(-0.5, unit.drift + unit.standardError * z))
            for city in unit.cities { drifts[city] = value }
        }
        return drifts
    }
}
