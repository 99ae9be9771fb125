// Sampling primitives for parameter sweeps: quasi-random points and seeded uniform streams,
// straight from the GSL layer (the model core holds only the model).
import TwinCityGSL
import TwinCityModel

/// Quasi-random points and seed derivation for parameter sweeps, backed by GSL.
public enum SweepSupport {
    /// The largest number of coordinates a Sobol point may have: GSL's `max_dimension` of
    /// `gsl_qrng_sobol` (40 in GSL 2.7).
    public static var sobolMaximumDimension: Int { SobolSequence.maximumDimension }

    /// The first `count` points of GSL's Sobol sequence in `dimension` dimensions, each with
    /// `dimension` coordinates in [0, 1) (dimensionless), after skipping `skip` points.
    ///
    /// Deterministic: the sequence has no seed, so the same arguments give the same points on
    /// every machine. Cost O((skip + count) · dimension).
    ///
    /// - Throws: `ParameterError` (parameter `sobol.dimension`) unless `dimension` is in
    ///   `1...sobolMaximumDimension`.
    public static func sobolPoints(dimension: Int, count: Int, skip: Int = 0) throws(ParameterError) -> [[Double]] {
        precondition(count >= 0 && skip >= 0, "Sobol point count \(count) and skip \(skip) must not be negative")
        let sequence: SobolSequence
        do {
            sequence = try SobolSequence(dimension: dimension)
        } catch {
            throw ParameterError(parameter: "sobol.dimension", message: error.reason)
        }
        sequence.skip(skip)
        return (0..<count).map { _ in sequence.next() }
    }

    /// The seed of stream `index` under the master seed `master`: SplitMix64's
    /// `mix(mix(master) + (index + 1)·0x9E3779B97F4A7C15)` (`RandomGenerator.streamSeed`),
    /// the same derivation the model uses for its own random streams. Distinct indices give
    /// distinct seeds; pure integer arithmetic, identical on every machine.
    public static func streamSeed(master: UInt64, index: UInt64) -> UInt64 {
        RandomGenerator.streamSeed(master: master, index: index)
    }
}

/// A seeded stream of uniform random numbers: GSL's mt19937 seeded with
/// `SweepSupport.streamSeed(master:index:)`.
///
/// Not `Sendable`: one stream per task. The same master and index give the same numbers on
/// every machine.
public final class UniformStream {
    private let generator: RandomGenerator

    /// Stream `index` of the master seed `master`.
    public init(master: UInt64, stream index: UInt64) {
        generator = RandomGenerator(master: master, stream: index)
    }

    /// The next number, uniform in [0, 1) with a resolution of 2⁻³² (`gsl_rng_uniform`).
    public func next() -> Double {
        generator.uniform()
    }

    /// A whole number uniform in `0..<bound` (`bound` ≥ 1): ⌊u · bound⌋ of the next uniform
    /// u, whose bias is below bound · 2⁻³², negligible for the sizes sweeps use.
    public func index(below bound: Int) -> Int {
        precondition(bound >= 1, "bound \(bound) must be at least 1")
        return min(Int(next() * Double(bound)), bound - 1)
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates, drawing from this stream).
    public func permutation(of count: Int) -> [Int] {
        var items = Array(0..<count)
        var i = count - 1
        while i > 0 {
            items.swapAt(i, index(below: i + 1))
            i -= 1
        }
        return items
    }
}
