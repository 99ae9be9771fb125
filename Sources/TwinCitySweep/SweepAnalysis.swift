// `twincity sweep analyze`: the sensitivity analysis a sweep's design supports, computed from
// its database — Sobol indices, Morris statistics, or a grid's table of means.
import Foundation
import TwinCityScenario

/// The analysis of one sweep database, by output.
public struct SweepAnalysis: Sendable {
    /// What was computed for each output.
    public enum Section: Sendable {
        /// Sobol indices (Saltelli design).
        case sobol(SobolIndices.Result)
        /// Morris statistics (trajectories).
        case morris([MorrisEffects.Statistics])
        /// Means at each level of each parameter (grid).
        case grid([[GridMeans.Level]])
        /// Summary statistics of the output over the points (random and Latin hypercube
        /// designs, which support no index of their own here).
        case summary(mean: Double, standardDeviation: Double, minimum: Double, maximum: Double, count: Int)
    }

    /// The sweep analysed.
    public var definition: SweepDefinition
    /// The design's one-line description.
    public var design: String
    /// Runs recorded (finished and failed) and runs of the whole sweep.
    public var counts: SweepRunCounts
    /// Runs of the whole sweep.
    public var totalRuns: Int
    /// One section per output, in the sweep's order.
    public var outputs: [(metric: String, section: Section)]
    /// Bootstrap resamples and confidence level of Sobol intervals.
    public var resamples: Int
    /// Confidence level of the Sobol intervals, in (0, 1).
    public var confidence: Double
    /// For each Sobol output, by its name in `outputs`: the indices from N/4, N/2 and N base
    /// rows and the indices whose intervals are too wide to read.
    public var sobolChecks: [String: SobolCheck] = [:]

    /// Analyses the database at `path`.
    ///
    /// Each point's output is the mean over its finished replications. A Sobol row (or a
    /// Morris step) with an output missing is left out, and the number of rows used is
    /// reported.
    ///
    /// - Parameters:
    ///   - resamples: Bootstrap resamples B for Sobol intervals (≥ 1).
    ///   - confidence: Level of the intervals, in (0, 1).
    ///   - seed: Seed of the bootstrap; the sweep's seed when `nil`.
    public static func analyze(path: String, resamples: Int, confidence: Double, seed: UInt64?) throws -> SweepAnalysis {
        let database = try SweepDatabase.open(path: path)
        defer { try? database.close() }
        let (meta, definition, design) = try database.checkedContents()
        if let problem = InputLimits.bootstrapProblem(
            resamples: resamples, rows: definition.sampler.samples ?? 0, parameters: definition.parameters.count) {
            throw SweepUsageError(problem)
        }
        let means = try database.pointMeans(metrics: definition.outputs, points: design.pointCount)
        let counts = try database.counts()
        var outputs: [(String, Section)] = []
        var checks: [String: SobolCheck] = [:]
        let combinations = design.combinations
        func add(_ name: String, _ values: [Double], _ design: SamplingDesign) {
            let analysed = section(values, design: design, resamples: resamples, confidence: confidence, seed: seed ?? definition.seed)
            outputs.append((name, analysed))
            if case .sobol(let result) = analysed, result.rows >= 2 {
                let (a, b, ab) = saltelliRows(values, design: design)
                checks[name] = SobolCheck(a: a, b: b, ab: ab, result: result)
            }
        }
        for (metric, values) in zip(definition.outputs, means) {
            guard !combinations.levers.isEmpty else {
                add(metric, values, design)
                continue
            }
            // With levers, the uncertainties' analysis of each lever combination on its own.
            let futures = design.futureDesign
            for c in 0..<combinations.count {
                let own = (0..<design.futureCount).map { values[design.point(future: $0, combination: c)] }
                add("\(metric) [\(combinations.label(c))]", own, futures)
            }
        }
        return SweepAnalysis(
            definition: definition, design: design.summary, counts: counts, totalRuns: meta.totalRuns,
            outputs: outputs, resamples: resamples, confidence: confidence, sobolChecks: checks)
    }

    /// f_A, f_B and f_ABi (one array per parameter) of the Saltelli design's base rows whose
    /// outputs are all defined, in row order.
    static func saltelliRows(_ values: [Double], design: SamplingDesign) -> (a: [Double], b: [Double], ab: [[Double]]) {
        let d = design.parameters.count
        var a: [Double] = [], b: [Double] = []
        var ab = [[Double]](repeating: [], count: d)
        for j in 0..<(design.sampler.samples ?? 0) {
            let fa = values[design.saltelliIndex(.a(row: j))], fb = values[design.saltelliIndex(.b(row: j))]
            let fab = (0..<d).map { values[design.saltelliIndex(.ab(row: j, parameter: $0))] }
            guard fa.isFinite, fb.isFinite, fab.allSatisfy(\.isFinite) else { continue }
            a.append(fa)
            b.append(fb)
            for i in 0..<d { ab[i].append(fab[i]) }
        }
        return (a, b, ab)
    }

    /// The analysis of one output's point means.
    static func section(_ values: [Double], design: SamplingDesign, resamples: Int, confidence: Double, seed: UInt64) -> Section {
        let d = design.parameters.count
        switch design.sampler.kind {
        case .sobol:
            let (a, b, ab) = saltelliRows(values, design: design)
            guard a.count >= 2 else {
                let empty = SobolIndices.Interval(estimate: .nan, lower: .nan, upper: .nan)
                return .sobol(SobolIndices.Result(
                    firstOrder: Array(repeating: empty, count: d), total: Array(repeating: empty, count: d), rows: a.count, variance: .nan))
            }
            return .sobol(SobolIndices.analyze(a: a, b: b, ab: ab, resamples: resamples, confidence: confidence, seed: seed))
        case .morris:
            let trajectories = design.sampler.samples ?? 0
            let effects = (0..<trajectories).map { t -> [Double?] in
                let indices = (t * (d + 1))..<((t + 1) * (d + 1))
                return MorrisEffects.elementaryEffects(
                    units: indices.map { design.unitPoint($0) ?? [] }, outputs: indices.map { values[$0] })
            }
            return .morris(MorrisEffects.statistics(effects))
        case .grid:
            let points = (0..<design.pointCount).map { design.values(at: $0) }
            return .grid(GridMeans.table(levels: design.gridLevels, points: points, outputs: values))
        case .random, .lhs:
            let defined = values.filter(\.isFinite)
            guard !defined.isEmpty else { return .summary(mean: .nan, standardDeviation: .nan, minimum: .nan, maximum: .nan, count: 0) }
            let n = Double(defined.count)
            let mean = defined.reduce(0, +) / n
            let sd = defined.count > 1 ? (defined.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : .nan
            return .summary(mean: mean, standardDeviation: sd, minimum: defined.min()!, maximum: defined.max()!, count: defined.count)
        }
    }
}
