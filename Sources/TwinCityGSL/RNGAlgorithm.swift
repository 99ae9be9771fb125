// The GSL pseudo-random algorithms a RandomGenerator may use.
import CGSL

/// A GSL pseudo-random number algorithm. The raw value is GSL's own name for it.
///
/// All three return 32-bit values (`gsl_rng_min` 0, `gsl_rng_max` 2³² − 1), which
/// ``RandomGenerator/next()`` relies on.
package enum RNGAlgorithm: String, Sendable, CaseIterable {
    /// Mersenne Twister MT19937 (`gsl_rng_mt19937`), period 2¹⁹⁹³⁷ − 1. The default.
    case mt19937
    /// RANLUX double precision at luxury level 2 (`gsl_rng_ranlxd2`): slower, with decorrelation
    /// proved at that level.
    case ranlxd2
    /// L'Ecuyer's maximally equidistributed Tausworthe generator (`gsl_rng_taus2`): fast, small state.
    case taus2

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .mt19937: cgsl_rng_mt19937()
        case .ranlxd2: cgsl_rng_ranlxd2()
        case .taus2: cgsl_rng_taus2()
        }
    }
}
