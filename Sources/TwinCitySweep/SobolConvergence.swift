// How Sobol estimates settle as base rows are added: the indices from the first n rows of a
// Saltelli design for n = 4, 8, 16, … up to N, for the convergence chart of `twincity plot`.
import Foundation

/// Sobol indices of one output from growing numbers of base rows.
public enum SweepConvergence {
    /// Rows used and, by parameter, the first-order and total estimates from that many rows.
    public struct Sobol: Sendable {
        public var rows: [Int]
        /// `first[p][k]`, `total[p][k]`: parameter p's estimate from `rows[k]` rows.
        public var first: [[Double]]
        public var total: [[Double]]
    }

    /// The estimates of `metric` in the Sobol sweep at `database` from its first 4, 8, 16, …
    /// complete base rows, and from all of them.
    ///
    /// - Throws: `SweepUsageError` when the sweep is not a Sobol design or does not record
    ///   `metric`; database errors as `SweepDatabase.open`.
    public static func sobol(database: String, metric: String) throws -> Sobol {
        let (definition, design, means, _, _) = try SweepAnalysis.load(path: database)
        guard design.sampler.kind == .sobol, definition.levers.isEmpty else {
            throw SweepUsageError("'\(definition.name)' is not a Sobol sweep")
        }
        guard let m = definition.outputs.firstIndex(of: metric) else {
            throw SweepUsageError("the sweep does not record '\(metric)'")
        }
        let d = design.parameters.count
        var a: [Double] = [], b: [Double] = []
        var ab = [[Double]](repeating: [], count: d)
        for j in 0..<(design.sampler.samples ?? 0) {
            let values = means[m]
            let fa = values[design.saltelliIndex(.a(row: j))], fb = values[design.saltelliIndex(.b(row: j))]
            let fab = (0..<d).map { values[design.saltelliIndex(.ab(row: j, parameter: $0))] }
            guard fa.isFinite, fb.isFinite, fab.allSatisfy(\.isFinite) else { continue }
            a.append(fa)
            b.append(fb)
            for i in 0..<d { ab[i].append(fab[i]) }
        }
        var counts: [Int] = []
        var n = 4
        while n < a.count { counts.append(n); n *= 2 }
        if a.count >= 2 { counts.append(a.count) }
        var first = [[Double]](repeating: [], count: d), total = [[Double]](repeating: [], count: d)
        for count in counts {
            let estimate = SobolIndices.estimate(a: a, b: b, ab: ab, rows: Array(0..<count))
            for i in 0..<d {
                first[i].append(estimate.firstOrder[i])
                total[i].append(estimate.total[i])
            }
        }
        return Sobol(rows: counts, first: first, total: total)
    }
}
