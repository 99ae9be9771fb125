// An ensemble runs one scenario several times with independent random streams: the seed of
// each replication, and the statistics that summarise one variable across replications.
import TwinCityGSL

/// The master seed of replication `replication` (0, 1, …) of an ensemble whose scenario seed is
/// `master`: GSL-layer stream `replication` of `master` (`RandomGenerator.streamSeed`, a
/// SplitMix64 step), so replications draw independent streams, and replication k has the same
/// seed whatever the number of replications or the order in which they run.
///
/// A single run (one replication) uses `master` itself, not this seed.
///
/// - Parameters:
///   - master: The scenario's `[run].seed` (or `--seed`), dimensionless.
///   - replication: Index of the replication, ≥ 0.
/// - Returns: The seed to put in `SimulationSettings.seed` for that replication.
package func replicationSeed(master: UInt64, replication: Int) -> UInt64 {
    precondition(replication >= 0, "replication index must be non-negative, got \(replication)")
    return RandomGenerator.streamSeed(master: master, index: UInt64(replication))
}

/// One variable across the replications of an ensemble: mean, sample standard deviation and
/// the 5th, 50th and 95th percentiles, all in the variable's own unit.
///
/// The standard deviation has the n − 1 denominator (`gsl_stats_sd`); quantiles interpolate
/// linearly between order statistics as `gsl_stats_quantile_from_sorted_data` does,
/// q(f) = (1 − δ)·x₍ᵢ₎ + δ·x₍ᵢ₊₁₎ with i = ⌊(n − 1)·f⌋, δ = (n − 1)·f − i (0-based order
/// statistics), so the 5–95 % band of 20 replications runs from between the 1st and 2nd
/// smallest to between the 19th and 20th.
package struct ReplicationSummary: Sendable, Equatable {
    /// Arithmetic mean, in the variable's unit.
    package var mean: Double
    /// Sample standard deviation (n − 1 denominator), in the variable's unit; NaN for one value,
    /// where it is not defined.
    package var standardDeviation: Double
    /// 5th percentile, in the variable's unit.
    package var p05: Double
    /// Median, in the variable's unit.
    package var p50: Double
    /// 95th percentile, in the variable's unit.
    package var p95: Double

    /// Summarises `values` (one per replication, in any order; finite, at least one).
    package init(_ values: [Double]) {
        precondition(!values.isEmpty, "a summary needs at least one replication")
        precondition(values.allSatisfy(\.isFinite), "replication values must be finite")
        mean = Statistics.mean(values)
        standardDeviation = values.count >= 2 ? Statistics.standardDeviation(values) : .nan
        p05 = Statistics.quantile(values, fraction: 0.05)
        p50 = Statistics.quantile(values, fraction: 0.5)
        p95 = Statistics.quantile(values, fraction: 0.95)
    }
}
