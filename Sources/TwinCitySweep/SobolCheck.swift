// Whether a Sobol sweep has enough base rows: the indices from the first N/4, N/2 and N rows
// side by side, and the indices whose bootstrap interval is too wide to read.
import Foundation

/// How settled the Sobol indices of one output are (docs/SWEEPS.md, "Is N large enough?").
public struct SobolCheck: Sendable, Equatable {
    /// An index whose interval is wide relative to it.
    public struct Wide: Sendable, Equatable {
        /// Index of the parameter, in the sweep's order.
        public var parameter: Int
        /// `S1` (first order) or `ST` (total).
        public var index: String
        /// The estimate and its bootstrap interval.
        public var interval: SobolIndices.Interval
    }

    /// Base rows of each estimate: N/4, N/2 and N (those of at least 2 rows, without repeats).
    public var rows: [Int]
    /// `first[p][k]`, `total[p][k]`: parameter p's index from the first `rows[k]` rows.
    public var first: [[Double]]
    public var total: [[Double]]
    /// The indices of `result` whose intervals are wide, parameter by parameter, S1 before ST.
    public var wide: [Wide]

    /// An interval is wide when it is wider than the larger of its estimate's magnitude and
    /// this floor (indices lie in [0, 1], so 0.1 is a tenth of the scale): the data cannot
    /// tell the index from values twice as large, or from zero. An undefined interval is wide.
    public static let floor = 0.1

    /// True for an interval that is wide in the sense of `floor`.
    public static func isWide(_ interval: SobolIndices.Interval) -> Bool {
        !(interval.upper - interval.lower <= max(abs(interval.estimate), floor))
    }

    /// The check of `result`, estimated from f_A, f_B and f_ABi of its complete base rows in
    /// design order (the rows `result` was computed from).
    public init(a: [Double], b: [Double], ab: [[Double]], result: SobolIndices.Result) {
        let n = a.count
        var counts: [Int] = []
        for count in [n / 4, n / 2, n] where count >= 2 && !counts.contains(count) { counts.append(count) }
        rows = counts
        let d = ab.count
        var first = [[Double]](repeating: [], count: d), total = [[Double]](repeating: [], count: d)
        for count in counts {
            let estimate = SobolIndices.estimate(a: a, b: b, ab: ab, rows: Array(0..<count))
            for i in 0..<d {
                first[i].append(estimate.firstOrder[i])
                total[i].append(estimate.total[i])
            }
        }
        self.first = first
        self.total = total
        var wide: [Wide] = []
        for i in 0..<min(d, result.firstOrder.count) {
            for (name, interval) in [("S1", result.firstOrder[i]), ("ST", result.total[i])] where Self.isWide(interval) {
                wide.append(Wide(parameter: i, index: name, interval: interval))
            }
        }
        self.wide = wide
    }
}
