// Descriptive statistics of samples, for summarizing simulation runs.
import CGSL

/// Descriptive statistics of a sample, via GSL's `gsl_stats_*` routines. Results are in the
/// units of the data (variance in those units squared).
package enum Statistics {
    /// The arithmetic mean (`gsl_stats_mean`). `data` must not be empty.
    package static func mean(_ data: [Double]) -> Double {
        precondition(!data.isEmpty, "the mean of an empty sample is undefined")
        return data.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
    }

    /// The unbiased sample variance, Σ(xᵢ − x̄)²/(n − 1) (`gsl_stats_variance`). Needs at least 2 values.
    package static func variance(_ data: [Double]) -> Double {
        precondition(data.count >= 2, "the sample variance needs at least 2 values, got \(data.count)")
        return data.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, $0.count) }
    }

    /// The sample standard deviation, √variance with the n − 1 denominator (`gsl_stats_sd`).
    /// Needs at least 2 values.
    package static func standardDeviation(_ data: [Double]) -> Double {
        precondition(data.count >= 2, "the sample standard deviation needs at least 2 values, got \(data.count)")
        return data.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) }
    }

    /// The quantile at `fraction` (in 0...1) of unsorted `data`: a sorted copy (`gsl_sort`), then
    /// `gsl_stats_quantile_from_sorted_data`, which interpolates linearly,
    /// q = (1 − δ)·x₍ᵢ₎ + δ·x₍ᵢ₊₁₎ with i = ⌊(n − 1)·f⌋, δ = (n − 1)·f − i.
    ///
    /// `data` must be non-empty and free of NaN (NaN has no place in a sort order).
    package static func quantile(_ data: [Double], fraction: Double) -> Double {
        precondition(!data.isEmpty, "the quantile of an empty sample is undefined")
        precondition((0...1).contains(fraction), "quantile fraction must be in 0...1, got \(fraction)")
        precondition(!data.contains(where: \.isNaN), "quantile data contains NaN")
        var sorted = data
        return sorted.withUnsafeMutableBufferPointer { buffer in
            gsl_sort(buffer.baseAddress, 1, buffer.count)
            return gsl_stats_quantile_from_sorted_data(buffer.baseAddress, 1, buffer.count, fraction)
        }
    }

    /// The quantile at probability `p` (in (0, 1)) of Student's t distribution with `degreesOfFreedom`
    /// (> 0) degrees of freedom (`gsl_cdf_tdist_Pinv`): the t with P(T ≤ t) = p, e.g. 4.302653 for
    /// p = 0.975 and 2 degrees of freedom, the half-width factor of a 95 % interval of a mean of 3.
    package static func studentTQuantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must be in (0, 1), got \(p)")
        precondition(degreesOfFreedom > 0, "degrees of freedom must be positive, got \(degreesOfFreedom)")
        return gsl_cdf_tdist_Pinv(p, degreesOfFreedom)
    }

    /// The weighted mean Σwᵢxᵢ / Σwᵢ (`gsl_stats_wmean`). Weights are non-negative, one per value,
    /// not all zero.
    package static func weightedMean(_ data: [Double], weights: [Double]) -> Double {
        precondition(!data.isEmpty, "the weighted mean of an empty sample is undefined")
        precondition(weights.count == data.count, "\(weights.count) weights for \(data.count) values")
        precondition(weights.allSatisfy { $0 >= 0 }, "weights must be non-negative")
        precondition(weights.contains { $0 > 0 }, "weights must not all be zero")
        return data.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                gsl_stats_wmean(w.baseAddress, 1, x.baseAddress, 1, x.count)
            }
        }
    }
}
