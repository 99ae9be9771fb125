// The seeds a sweep derives from its one master seed, so that every run can be reproduced on
// its own and results do not depend on which worker, shard or machine ran it.
import TwinCityModel

/// Seeds derived from a sweep's master seed (docs/SWEEPS.md, "Seeds").
///
/// With `stream(m, i)` = `SweepSupport.streamSeed(master: m, index: i)` (SplitMix64 on GSL
/// stream indices, as the model derives its own streams):
/// - the design (random, lhs, morris) draws from stream 0 of the sweep seed;
/// - run (point p, replication r) has seed `stream(stream(seed, p + 1), r) mod 2^63`, with
///   p = 0 for every point under common random numbers;
/// - the bootstrap of `sweep analyze` draws from stream 1 of its seed (the sweep seed by
///   default).
public enum SweepSeeds {
    /// The master seed of the run of point `point` (from 0), replication `replication`
    /// (from 0): `stream(stream(sweepSeed, point + 1), replication)` with its top bit cleared,
    /// so that it is a non-negative 64-bit integer that SQLite, TOML (`[run].seed`) and
    /// `twincity run --seed` all take as it is.
    public static func runSeed(sweepSeed: UInt64, point: Int, replication: Int) -> UInt64 {
        precondition(point >= 0 && replication >= 0, "point \(point) and replication \(replication) must not be negative")
        let pointSeed = SweepSupport.streamSeed(master: sweepSeed, index: UInt64(point) + 1)
        return SweepSupport.streamSeed(master: pointSeed, index: UInt64(replication)) & 0x7FFF_FFFF_FFFF_FFFF
    }

    /// The seed of run (`point`, `replication`) of a sweep. Common random numbers: the seed
    /// follows the future, not the point, so every lever combination of a future runs with
    /// the same seeds (the same point without levers); with `commonRandomNumbers` every point
    /// takes the seeds of point 0, so replication r meets the same productivity shocks at
    /// every point.
    public static func runSeed(_ definition: SweepDefinition, design: SamplingDesign, point: Int, replication: Int) -> UInt64 {
        let seedPoint = definition.commonRandomNumbers ? 0 : design.future(of: point)
        return runSeed(sweepSeed: definition.seed, point: seedPoint, replication: replication)
    }

    /// Stream index of the bootstrap's resampling draws under the analysis seed.
    public static let bootstrapStream: UInt64 = 1

    /// Stream index, under the sweep seed, of the draw of a subset of lever combinations
    /// (`[sampler] combinations`).
    public static let combinationStream: UInt64 = 2
}
