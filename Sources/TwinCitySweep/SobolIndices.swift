// Variance-based sensitivity indices from a Saltelli design: first-order indices by Saltelli
// et al. (2010) and total indices by Jansen (1999), with percentile bootstrap intervals.
// Pure functions of the model outputs, tested on functions whose indices are known exactly.
import TwinCityModel

/// Sobol sensitivity indices of one output.
public enum SobolIndices {
    /// Point estimates of the indices of each parameter (dimensionless shares of variance).
    public struct Estimate: Sendable, Equatable {
        /// First-order index S_i: share of the output's variance due to parameter i alone.
        public var firstOrder: [Double]
        /// Total index S_Ti: share of the variance due to parameter i with all its
        /// interactions.
        public var total: [Double]
        /// Variance of the output over the 2N points of A and B, in the output's unit squared.
        public var variance: Double
    }

    /// An estimate with a confidence interval (dimensionless).
    public struct Interval: Sendable, Equatable {
        /// The estimate from all rows.
        public var estimate: Double
        /// Lower end of the percentile bootstrap interval.
        public var lower: Double
        /// Upper end of the percentile bootstrap interval.
        public var upper: Double

        /// True when `value` lies within [lower, upper].
        public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
    }

    /// Indices of each parameter with bootstrap intervals.
    public struct Result: Sendable, Equatable {
        /// First-order indices, by parameter.
        public var firstOrder: [Interval]
        /// Total indices, by parameter.
        public var total: [Interval]
        /// Base rows used (rows whose d + 2 outputs are all defined).
        public var rows: Int
        /// Output variance over A and B, in the output's unit squared.
        public var variance: Double
    }

    /// The estimators over the base rows `rows` (all rows when `nil`; a row may repeat, as
    /// in a bootstrap resample).
    ///
    /// With f_A(j), f_B(j) and f_ABi(j) the outputs at row j of A, B and A_B^(i), m and V
    /// the mean and variance (denominator 2N) of the 2N values f_A, f_B:
    /// - first order (Saltelli et al. 2010, eq. b of Table 2):
    ///   S_i = (1/N) Σ_j (f_B(j) − m) (f_ABi(j) − f_A(j)) / V
    /// - total (Jansen 1999; Saltelli et al. 2010, eq. f of Table 2):
    ///   S_Ti = (1/(2N)) Σ_j (f_A(j) − f_ABi(j))² / V
    ///
    /// Centring f_B on m leaves the first-order estimator's expectation unchanged
    /// (E[f_ABi − f_A] = 0) but removes the noise m · (f_ABi − f_A) that an output with a
    /// large mean and a small spread — region GDP — would add (SALib centres its outputs for
    /// the same reason). Both indices are then unchanged by adding a constant to the output.
    ///
    /// - Parameters:
    ///   - a: f_A(j) for j in 0..<N.
    ///   - b: f_B(j).
    ///   - ab: `ab[i][j]` = f_ABi(j), one array per parameter.
    public static func estimate(a: [Double], b: [Double], ab: [[Double]], rows: [Int]? = nil) -> Estimate {
        let rows = rows ?? Array(a.indices)
        let n = Double(rows.count)
        var mean = 0.0
        for j in rows { mean += a[j] + b[j] }
        mean /= 2 * n
        var variance = 0.0
        for j in rows {
            variance += (a[j] - mean) * (a[j] - mean) + (b[j] - mean) * (b[j] - mean)
        }
        variance /= 2 * n
        var first: [Double] = []
        var total: [Double] = []
        for column in ab {
            var s = 0.0, t = 0.0
            for j in rows {
                s += (b[j] - mean) * (column[j] - a[j])
                t += (a[j] - column[j]) * (a[j] - column[j])
            }
            first.append(s / n / variance)
            total.append(t / (2 * n) / variance)
        }
        return Estimate(firstOrder: first, total: total, variance: variance)
    }

    /// The indices with percentile bootstrap intervals: `resamples` times, N rows are drawn
    /// with replacement (from stream `SweepSeeds.bootstrapStream` of `seed`) and the
    /// estimators recomputed; the interval runs between the (1 − confidence)/2 and
    /// (1 + confidence)/2 quantiles of the resampled estimates (linear interpolation between
    /// order statistics).
    ///
    /// - Parameters:
    ///   - confidence: Level of the intervals, in (0, 1), e.g. 0.95.
    ///   - resamples: Bootstrap resamples B (≥ 1). Cost O(B · N · d).
    public static func analyze(
        a: [Double], b: [Double], ab: [[Double]], resamples: Int, confidence: Double, seed: UInt64
    ) -> Result {
        precondition(resamples >= 1 && confidence > 0 && confidence < 1, "need resamples ≥ 1 and confidence in (0, 1)")
        let point = estimate(a: a, b: b, ab: ab)
        let d = ab.count, n = a.count
        let stream = UniformStream(master: seed, stream: SweepSeeds.bootstrapStream)
        var firstDraws = [[Double]](repeating: [], count: d)
        var totalDraws = [[Double]](repeating: [], count: d)
        var rows = [Int](repeating: 0, count: n)
        for _ in 0..<resamples {
            for k in 0..<n { rows[k] = stream.index(below: n) }
            let draw = estimate(a: a, b: b, ab: ab, rows: rows)
            for i in 0..<d {
                firstDraws[i].append(draw.firstOrder[i])
                totalDraws[i].append(draw.total[i])
            }
        }
        let lowerFraction = (1 - confidence) / 2, upperFraction = (1 + confidence) / 2
        func interval(_ estimate: Double, _ draws: [Double]) -> Interval {
            let sorted = draws.filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { return Interval(estimate: estimate, lower: .nan, upper: .nan) }
            return Interval(
                estimate: estimate, lower: Quantile.sorted(sorted, lowerFraction), upper: Quantile.sorted(sorted, upperFraction))
        }
        return Result(
            firstOrder: (0..<d).map { interval(point.firstOrder[$0], firstDraws[$0]) },
            total: (0..<d).map { interval(point.total[$0], totalDraws[$0]) },
            rows: n, variance: point.variance)
    }
}

/// Quantiles of sorted data.
enum Quantile {
    /// The `fraction` quantile of ascending `sorted` (non-empty), interpolating linearly
    /// between order statistics as `gsl_stats_quantile_from_sorted_data` does:
    /// (1 − δ) x₍ᵢ₎ + δ x₍ᵢ₊₁₎ with i = ⌊(n − 1) f⌋, δ = (n − 1) f − i.
    static func sorted(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = Double(sorted.count - 1) * fraction
        let i = Int(position.rounded(.down))
        let delta = position - Double(i)
        guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return (1 - delta) * sorted[i] + delta * sorted[i + 1]
    }
}
