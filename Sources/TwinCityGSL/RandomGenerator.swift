// A seeded GSL pseudo-random generator and the distributions the model draws from.
import CGSL

/// A GSL pseudo-random number generator (`gsl_rng`) with an explicit seed.
///
/// It never reads `GSL_RNG_TYPE` or `GSL_RNG_SEED` from the environment, so the same seed gives
/// the same sequence on every machine. Not `Sendable`: give each task its own generator, derived
/// with ``streamSeed(master:index:)``.
package final class RandomGenerator: RandomNumberGenerator {
    private let rng: UnsafeMutablePointer<gsl_rng>

    /// The algorithm this generator runs.
    package let algorithm: RNGAlgorithm

    /// A generator of `algorithm` seeded with `seed` (`gsl_rng_alloc`, then `gsl_rng_set` with the
    /// seed passed as `unsigned long`).
    ///
    /// GSL's three algorithms here use only the low 32 bits of the seed, and mt19937 replaces
    /// a seed of 0 by its default 4357.
    package init(seed: UInt64, algorithm: RNGAlgorithm = .mt19937) {
        GSL.initialize()
        // gsl_rng_alloc fails only when malloc does, where Swift's own allocations trap too.
        guard let rng = gsl_rng_alloc(algorithm.gslType) else {
            preconditionFailure("gsl_rng_alloc: out of memory for a \(algorithm.rawValue) generator")
        }
        gsl_rng_set(rng, CUnsignedLong(truncatingIfNeeded: seed))
        self.rng = rng
        self.algorithm = algorithm
        assert(gsl_rng_min(rng) == 0 && gsl_rng_max(rng) == 0xFFFF_FFFF,
               "next() assembles 64 bits from two 32-bit draws")
    }

    private init(owning rng: UnsafeMutablePointer<gsl_rng>, algorithm: RNGAlgorithm) {
        self.rng = rng
        self.algorithm = algorithm
    }

    deinit {
        gsl_rng_free(rng)
    }

    /// The seed of stream `index` under the master seed `master`.
    ///
    /// With SplitMix64's constants γ = 0x9E3779B97F4A7C15 and finalizer
    /// `mix(z) = z₃` where `z₁ = (z ^ z>>30)·0xBF58476D1CE4E5B9`, `z₂ = (z₁ ^ z₁>>27)·0x94D049BB133111EB`,
    /// `z₃ = z₂ ^ z₂>>31` (all arithmetic mod 2⁶⁴):
    ///
    ///     streamSeed = mix(mix(master) + (index + 1)·γ)
    ///
    /// For a fixed master this is SplitMix64's (index+1)-th output from state `mix(master)`, so
    /// different indices give different seeds (`mix` is a bijection), with well-mixed low 32 bits,
    /// which are the bits GSL's generators use. Mixing the master first keeps nearby masters
    /// (m and m + γ) from sharing streams. Pure integer arithmetic: identical on every machine.
    package static func streamSeed(master: UInt64, index: UInt64) -> UInt64 {
        let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15
        return splitMix64Finalizer(splitMix64Finalizer(master) &+ (index &+ 1) &* gamma)
    }

    private static func splitMix64Finalizer(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator for stream `index` of master seed `master`: `init(seed:algorithm:)` with
    /// ``streamSeed(master:index:)``.
    package convenience init(master: UInt64, stream index: UInt64, algorithm: RNGAlgorithm = .mt19937) {
        self.init(seed: Self.streamSeed(master: master, index: index), algorithm: algorithm)
    }

    /// The next raw output of the algorithm (`gsl_rng_get`): an integer in 0...2³² − 1.
    package func nextRaw() -> UInt {
        gsl_rng_get(rng)
    }

    /// 64 random bits for Swift's `RandomNumberGenerator`: the first `gsl_rng_get` draw supplies
    /// the high 32 bits, the second the low 32 bits.
    package func next() -> UInt64 {
        let high = UInt64(gsl_rng_get(rng))
        let low = UInt64(gsl_rng_get(rng))
        return high << 32 | low
    }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`), with the algorithm's 2⁻³² resolution.
    package func uniform() -> Double {
        gsl_rng_uniform(rng)
    }

    /// A uniform double in (0, 1), never 0 (`gsl_rng_uniform_pos`); safe to take the log of.
    package func uniformPositive() -> Double {
        gsl_rng_uniform_pos(rng)
    }

    /// A normal variate with mean 0 and the given standard deviation, in the caller's units
    /// (`gsl_ran_gaussian`: Marsaglia's polar Box–Muller method, one variate per accepted pair).
    package func gaussian(standardDeviation: Double = 1) -> Double {
        precondition(standardDeviation >= 0, "standard deviation must be non-negative, got \(standardDeviation)")
        return gsl_ran_gaussian(rng, standardDeviation)
    }

    /// A Poisson count with the given mean, in events (`gsl_ran_poisson`).
    package func poisson(mean: Double) -> UInt32 {
        precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and non-negative, got \(mean)")
        return gsl_ran_poisson(rng, mean)
    }

    /// Counts of `trials` draws over `probabilities.count` categories (`gsl_ran_multinomial`).
    ///
    /// The probabilities are weights: GSL normalizes them by their sum, which must be positive.
    /// The counts always sum to `trials`.
    package func multinomial(trials: UInt32, probabilities: [Double]) -> [UInt32] {
        precondition(!probabilities.isEmpty, "multinomial needs at least one category")
        precondition(probabilities.allSatisfy { $0 >= 0 && $0.isFinite },
                     "multinomial probabilities must be finite and non-negative")
        precondition(probabilities.reduce(0, +) > 0, "multinomial probabilities must not all be zero")
        var counts = [UInt32](repeating: 0, count: probabilities.count)
        probabilities.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { n in
                gsl_ran_multinomial(rng, p.count, trials, p.baseAddress, n.baseAddress)
            }
        }
        return counts
    }

    /// An independent copy in the same state (`gsl_rng_clone`): both then produce the same sequence.
    package func clone() -> RandomGenerator {
        guard let copy = gsl_rng_clone(rng) else {
            preconditionFailure("gsl_rng_clone: out of memory")
        }
        return RandomGenerator(owning: copy, algorithm: algorithm)
    }
}
