// Robustness of policy packages: for each lever combination of an exploratory sweep, how an
// outcome is spread over the common futures, how far it falls short of the best package in
// each future (regret, Savage 1951), and in what share of futures it meets the analyst's
// satisficing conditions (Simon 1955) — docs/SWEEPS.md, "Robustness".
import Foundation
import TwinCityExport
import TwinCityScenario

/// Robustness statistics of the lever combinations of a sweep.
public enum Robustness {
    /// One lever combination's statistics for one outcome.
    public struct Row: Sendable, Equatable {
        /// The lever combination, from 0 (`LeverCombinations` order).
        public var combination: Int
        /// Mean over the futures in which the outcome is defined, in the outcome's unit.
        public var mean: Double
        /// 5th, 50th and 95th percentiles over those futures (linear interpolation between
        /// order statistics, as `gsl_stats_quantile_from_sorted_data`).
        public var p05: Double
        public var p50: Double
        public var p95: Double
        /// Futures the distribution rests on.
        public var futures: Int
        /// Regret in each future of `Outcome.regretFutures`: how far the outcome falls short
        /// of the best combination's in that future (≥ 0, in the outcome's unit).
        public var regrets: [Double]
        /// Largest regret over the futures.
        public var maxRegret: Double
        /// 90th percentile of the regret over the futures.
        public var p90Regret: Double
    }

    /// The statistics of every lever combination for one outcome, ranked.
    public struct Outcome: Sendable, Equatable {
        /// The output, as named in the sweep file.
        public var metric: String
        /// True when more is better (regret against the largest value in each future), false
        /// when less is better.
        public var maximize: Bool
        /// Futures in which every combination has the outcome defined: regret is measured in
        /// these only.
        public var regretFutures: [Int]
        /// Rows ranked by maximum regret, then 90th-percentile regret, then mean (better
        /// first), then combination.
        public var rows: [Row]
    }

    /// A combination's share of futures meeting every satisficing condition.
    public struct Satisficing: Sendable, Equatable {
        /// The lever combination.
        public var combination: Int
        /// Futures in which every condition holds.
        public var met: Int
        /// Futures in which every output a condition names is defined.
        public var futures: Int
        /// met / futures (NaN with no future).
        public var share: Double { futures > 0 ? Double(met) / Double(futures) : .nan }
    }

    /// Statistics of one outcome from its values `values[c][f]` (combination c, future f;
    /// NaN where not defined).
    ///
    /// Regret of combination c in future f: r(c, f) = max_c' y(c', f) − y(c, f) when more is
    /// better, y(c, f) − min_c' y(c', f) when less is better, over the futures in which every
    /// combination has y defined.
    public static func outcome(metric: String, values: [[Double]], maximize: Bool) -> Outcome {
        let combinations = values.count
        let futures = values.first?.count ?? 0
        let complete = (0..<futures).filter { f in values.allSatisfy { $0[f].isFinite } }
        var rows: [Row] = []
        for c in 0..<combinations {
            let defined = values[c].filter(\.isFinite).sorted()
            let regrets = complete.map { f -> Double in
                let column = values.map { $0[f] }
                return maximize ? column.max()! - values[c][f] : values[c][f] - column.min()!
            }
            let sortedRegrets = regrets.sorted()
            func q(_ data: [Double], _ p: Double) -> Double { data.isEmpty ? .nan : Quantile.sorted(data, p) }
            rows.append(Row(
                combination: c,
                mean: defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count),
                p05: q(defined, 0.05), p50: q(defined, 0.5), p95: q(defined, 0.95), futures: defined.count,
                regrets: regrets, maxRegret: sortedRegrets.last ?? .nan, p90Regret: q(sortedRegrets, 0.9)))
        }
        func key(_ x: Double) -> Double { x.isNaN ? .infinity : x }
        rows.sort { a, b in
            if key(a.maxRegret) != key(b.maxRegret) { return key(a.maxRegret) < key(b.maxRegret) }
            if key(a.p90Regret) != key(b.p90Regret) { return key(a.p90Regret) < key(b.p90Regret) }
            let ma = key(maximize ? -a.mean : a.mean), mb = key(maximize ? -b.mean : b.mean)
            if ma != mb { return ma < mb }
            return a.combination < b.combination
        }
        return Outcome(metric: metric, maximize: maximize, regretFutures: complete, rows: rows)
    }

    /// Each combination's share of futures meeting every one of `conditions`, ranked by
    /// share (highest first), then combination.
    ///
    /// - Parameter values: `values[metric][c][f]`.
    public static func satisficing(conditions: [OutputConditions], values: [String: [[Double]]], combinations: Int, futures: Int) -> [Satisficing] {
        var result: [Satisficing] = []
        for c in 0..<combinations {
            var met = 0, counted = 0
            for f in 0..<futures {
                var outputs: [String: Double] = [:]
                for (metric, table) in values { outputs[metric] = table[c][f] }
                var all: Bool? = true
                for condition in conditions {
                    guard let holds = condition.holds(outputs) else { all = nil; break }
                    if !holds { all = false }
                }
                guard let all else { continue }
                counted += 1
                if all { met += 1 }
            }
            result.append(Satisficing(combination: c, met: met, futures: counted))
        }
        return result.sorted { a, b in
            let sa = a.share.isNaN ? -1 : a.share, sb = b.share.isNaN ? -1 : b.share
            return sa != sb ? sa > sb : a.combination < b.combination
        }
    }

    /// The robustness analysis of a sweep database.
    public struct Analysis: Sendable {
        /// The sweep.
        public var definition: SweepDefinition
        /// Its lever combinations.
        public var combinations: LeverCombinations
        /// Futures of the design.
        public var futures: Int
        /// Runs recorded and of the whole sweep.
        public var counts: SweepRunCounts
        public var totalRuns: Int
        /// One entry per output, in the sweep's order.
        public var outcomes: [Outcome]
        /// The conditions given, and each combination's share meeting all of them (ranked);
        /// empty without conditions.
        public var conditions: [OutputConditions]
        public var satisficing: [Satisficing]
        /// `values[metric][c][f]`: each output of each combination in each future (mean
        /// over the run's finished replications, NaN where not defined).
        public var values: [String: [[Double]]]
    }

    /// Reads the sweep at `path` and computes the robustness of its lever combinations.
    ///
    /// - Parameters:
    ///   - satisfice: Conditions as given to `--satisfice`, each `OUTPUT OP NUMBER`.
    ///   - minimize: Outputs for which less is better; all others are maximised.
    /// - Throws: `SweepUsageError` for a sweep without levers, a malformed condition or an
    ///   output the sweep does not record; database errors as `SweepDatabase.open`.
    public static func analyze(path: String, satisfice: [String], minimize: [String]) throws -> Analysis {
        let (definition, design, means, counts, total) = try SweepAnalysis.load(path: path)
        guard !definition.levers.isEmpty else {
            throw SweepUsageError("--robustness: the sweep '\(definition.name)' has no [[lever]] tables; robustness compares lever combinations across futures (docs/SWEEPS.md, \"Levers and uncertainties\")")
        }
        let conditions = try satisfice.map { try OutputConditions(parsing: $0, option: "--satisfice", outputs: definition.outputs) }
        for metric in minimize where !definition.outputs.contains(metric) {
            throw SweepUsageError("--minimize '\(metric)': the sweep does not record it" + Spelling.suggestion(for: metric, among: definition.outputs))
        }
        let combinations = design.combinations
        var values: [String: [[Double]]] = [:]
        for (metric, pointValues) in zip(definition.outputs, means) {
            values[metric] = (0..<combinations.count).map { c in
                (0..<design.futureCount).map { pointValues[design.point(future: $0, combination: c)] }
            }
        }
        let outcomes = definition.outputs.map { outcome(metric: $0, values: values[$0]!, maximize: !minimize.contains($0)) }
        return Analysis(
            definition: definition, combinations: combinations, futures: design.futureCount, counts: counts, totalRuns: total,
            outcomes: outcomes, conditions: conditions,
            satisficing: conditions.isEmpty ? [] : satisficing(conditions: conditions, values: values, combinations: combinations.count, futures: design.futureCount),
            values: values)
    }
}

extension SweepAnalysis {
    /// The sweep recorded in the database at `path`, its design, each output's mean at each
    /// point over its finished replications (`means[m][p]`, NaN where not defined), the run
    /// counts and the number of runs of the whole sweep.
    static func load(path: String) throws -> (SweepDefinition, SamplingDesign, [[Double]], SweepRunCounts, Int) {
        let database = try SweepDatabase.open(path: path)
        defer { try? database.close() }
        let meta = try database.meta()
        let definition: SweepDefinition
        do {
            definition = try SweepDefinition(canonicalJSON: meta.sweepJSON)
        } catch {
            throw SweepDatabaseError.corrupt(path: path, reason: "the recorded sweep cannot be read: \(error)")
        }
        let design = try SamplingDesign(definition)
        let means = try database.pointMeans(metrics: definition.outputs, points: design.pointCount)
        return (definition, design, means, try database.counts(), meta.totalRuns)
    }
}
