// The points of a sweep: where in each parameter's domain every point lies, for each sampler
// (docs/SWEEPS.md, "Samplers"). A design depends only on the sweep file, so every shard and
// every resumed run computes the same points.
import TwinCityModel

/// The points of a sweep, in index order, each a value for every swept parameter.
///
/// Random, Latin hypercube and Morris designs draw from stream 0 of the sweep seed
/// (`UniformStream(master: seed, stream: 0)`); Sobol designs use GSL's Sobol sequence and
/// no seed; grids use no randomness. Points other than grid points are held as unit
/// coordinates in [0, 1]^d (8·d bytes a point) and mapped onto each parameter's domain by
/// `SweepParameter.value(atUnit:)`.
public struct SamplingDesign: Sendable {
    /// Where a point of a Saltelli design sits: row j of matrix A, B or A_B^(i) (A with
    /// column i taken from B).
    public enum SaltelliRole: Sendable, Equatable {
        /// Row `row` of A.
        case a(row: Int)
        /// Row `row` of B.
        case b(row: Int)
        /// Row `row` of A_B^(parameter): A's row with coordinate `parameter` from B's.
        case ab(row: Int, parameter: Int)
    }

    /// The sweep's parameters, in design order.
    public let parameters: [SweepParameter]
    /// The sampler the points come from.
    public let sampler: SamplerSpec
    /// Number of points: futures × lever combinations.
    public internal(set) var pointCount: Int
    /// Number of points of the uncertainties' own design (the futures); `pointCount` without
    /// levers.
    public let futureCount: Int
    /// The lever combinations each future runs under (one, empty, without levers).
    public internal(set) var combinations: LeverCombinations
    /// Unit coordinates, `pointCount × d` row-major; empty for a grid, whose points are
    /// decoded from their index.
    let units: [Double]
    /// Levels of each parameter, for a grid.
    let gridLevels: [[ParameterValue]]

    /// The design of `definition`'s sampler over its parameters.
    ///
    /// - Throws: `ParameterError` when a Sobol design needs more dimensions than GSL has
    ///   (the sweep file reader refuses such a sweep first).
    public init(_ definition: SweepDefinition) throws {
        parameters = definition.parameters
        sampler = definition.sampler
        let d = parameters.count
        combinations = LeverCombinations(definition.levers, sample: definition.sampler.combinations, seed: definition.seed)
        futureCount = Self.futureCount(definition)
        pointCount = Self.pointCount(definition)
        let futures = futureCount
        gridLevels = sampler.kind == .grid ? parameters.map(\.gridLevels) : []
        switch sampler.kind {
        case .grid:
            units = []
        case .random:
            let stream = UniformStream(master: definition.seed, stream: 0)
            units = (0..<(futures * d)).map { _ in stream.next() }
        case .lhs:
            units = Self.latinHypercube(points: futures, dimension: d, seed: definition.seed)
        case .sobol:
            units = try Self.saltelli(rows: sampler.samples ?? 0, dimension: d)
        case .morris:
            units = Self.morris(
                trajectories: sampler.samples ?? 0, levels: sampler.levels ?? SweepFileReader.defaultMorrisLevels,
                dimension: d, seed: definition.seed)
        }
    }

    /// Number of points of `definition`'s design: its futures times its lever combinations
    /// (`Int.max` when that overflows).
    public static func pointCount(_ definition: SweepDefinition) -> Int {
        let all = LeverCombinations.count(definition.levers)
        let combinations = definition.sampler.combinations.map { min($0, all) } ?? all
        let (count, overflow) = futureCount(definition).multipliedReportingOverflow(by: combinations)
        return overflow ? Int.max : count
    }

    /// Number of points of the design of `definition`'s parameters (uncertainties): the
    /// product of the grid's levels; N for random and Latin hypercube; N·(d + 2) for Sobol;
    /// r·(d + 1) for Morris.
    public static func futureCount(_ definition: SweepDefinition) -> Int {
        let d = definition.parameters.count
        let samples = definition.sampler.samples ?? 0
        switch definition.sampler.kind {
        case .grid:
            var count = 1
            for parameter in definition.parameters {
                let (product, overflow) = count.multipliedReportingOverflow(by: parameter.gridLevelCount)
                count = overflow ? Int.max : product
            }
            return count
        case .random, .lhs: return samples
        case .sobol: return samples.multipliedReportingOverflow(by: d + 2).overflow ? Int.max : samples * (d + 2)
        case .morris: return samples.multipliedReportingOverflow(by: d + 1).overflow ? Int.max : samples * (d + 1)
        }
    }

    /// The parameter (uncertainty) values of point `index`, in parameter order: those of its
    /// future, the same under every lever combination.
    public func values(at index: Int) -> [ParameterValue] {
        precondition(index >= 0 && index < pointCount, "point \(index) is outside 0..<\(pointCount)")
        let index = future(of: index)
        if sampler.kind == .grid {
            // Mixed radix, the last parameter varying fastest: the order of nested loops with
            // the first parameter outermost.
            var rest = index
            var chosen = [ParameterValue](repeating: .number(0), count: parameters.count)
            for k in parameters.indices.reversed() {
                let levels = gridLevels[k]
                chosen[k] = levels[rest % levels.count]
                rest /= levels.count
            }
            return chosen
        }
        return parameters.indices.map { parameters[$0].value(atUnit: units[index * parameters.count + $0]) }
    }

    /// Unit coordinates of point `index` in [0, 1]^d; `nil` for a grid.
    public func unitPoint(_ index: Int) -> [Double]? {
        guard sampler.kind != .grid else { return nil }
        let index = future(of: index)
        let d = parameters.count
        return Array(units[(index * d)..<((index + 1) * d)])
    }

    /// The `KEY=VALUE` overrides that set point `index`'s values: its lever combination's,
    /// then its future's.
    public func overrides(at index: Int) -> [String] {
        zip(allPaths, allValues(at: index)).map { "\($0)=\($1.overrideText)" }
    }

    /// A one-line description of the design, for the database's `meta` table and messages.
    public var summary: String {
        guard combinations.levers.isEmpty else {
            let sampled = combinations.subset == nil ? "" : " (sampled from \(LeverCombinations.count(combinations.levers)))"
            return "\(combinations.count) lever combinations\(sampled) × \(futureCount) futures = \(pointCount) points; futures: " + futureDesign.summary
        }
        let d = parameters.count
        switch sampler.kind {
        case .grid:
            return "grid: " + gridLevels.map { String($0.count) }.joined(separator: " × ") + " = \(pointCount) points"
        case .random:
            return "random: \(pointCount) points, uniform, from stream 0 of the sweep seed"
        case .lhs:
            return "lhs: Latin hypercube of \(pointCount) points, from stream 0 of the sweep seed"
        case .sobol:
            return "sobol: Saltelli design on GSL's Sobol sequence, N = \(sampler.samples ?? 0) base rows, d = \(d), N·(d + 2) = \(pointCount) points"
        case .morris:
            let p = sampler.levels ?? SweepFileReader.defaultMorrisLevels
            return "morris: r = \(sampler.samples ?? 0) trajectories on a \(p)-level grid, d = \(d), r·(d + 1) = \(pointCount) points"
        }
    }

    // MARK: - Saltelli

    /// Where point `index` of a Sobol design sits: points come in blocks of d + 2 per base
    /// row j — A_j, B_j, then A_B^(1)_j … A_B^(d)_j.
    public func saltelliRole(of index: Int) -> SaltelliRole {
        let block = parameters.count + 2
        let row = index / block, k = index % block
        switch k {
        case 0: return .a(row: row)
        case 1: return .b(row: row)
        default: return .ab(row: row, parameter: k - 2)
        }
    }

    /// Index of the point at `role` in a Sobol design (inverse of `saltelliRole(of:)`).
    public func saltelliIndex(_ role: SaltelliRole) -> Int {
        let block = parameters.count + 2
        switch role {
        case .a(let row): return row * block
        case .b(let row): return row * block + 1
        case .ab(let row, let parameter): return row * block + 2 + parameter
        }
    }

    /// Saltelli's design (Saltelli et al. 2010, §3): the first N points of GSL's Sobol
    /// sequence in 2d dimensions, A taking the first d coordinates and B the last d, then for
    /// each row j the block A_j, B_j, A_B^(1)_j, …, A_B^(d)_j.
    static func saltelli(rows: Int, dimension d: Int) throws -> [Double] {
        let points = try SweepSupport.sobolPoints(dimension: 2 * d, count: rows)
        var units: [Double] = []
        units.reserveCapacity(rows * (d + 2) * d)
        for point in points {
            let a = Array(point[0..<d]), b = Array(point[d..<(2 * d)])
            units += a
            units += b
            for i in 0..<d {
                var mixed = a
                mixed[i] = b[i]
                units += mixed
            }
        }
        return units
    }

    // MARK: - Latin hypercube

    /// A Latin hypercube of `points` points: for each parameter in turn, a random permutation
    /// π of the strata, then one uniform u per point, and coordinate (π(k) + u) / points.
    static func latinHypercube(points: Int, dimension d: Int, seed: UInt64) -> [Double] {
        let stream = UniformStream(master: seed, stream: 0)
        var units = [Double](repeating: 0, count: points * d)
        for j in 0..<d {
            let strata = stream.permutation(of: points)
            for k in 0..<points {
                units[k * d + j] = (Double(strata[k]) + stream.next()) / Double(points)
            }
        }
        return units
    }

    // MARK: - Morris

    /// Morris trajectories (Morris 1991; Saltelli et al. 2008, §3.3) on the grid
    /// {0, 1/(p − 1), …, 1} with step Δ = p / (2(p − 1)), i.e. p/2 grid steps.
    ///
    /// For each trajectory: for each parameter a base level k uniform in 0..<p/2 and a
    /// direction (up when a uniform draw is below 1/2), then a random order of the
    /// parameters. The trajectory starts at k/(p − 1) (up) or k/(p − 1) + Δ (down) in every
    /// coordinate and moves one parameter at a time, in that order, by ±Δ: d + 1 points, each
    /// differing from the previous one in exactly one coordinate.
    static func morris(trajectories: Int, levels p: Int, dimension d: Int, seed: UInt64) -> [Double] {
        let stream = UniformStream(master: seed, stream: 0)
        // Levels are counted in whole grid steps, so every coordinate is exactly k / (p − 1)
        // and the grid's ends map onto min and max exactly.
        let jump = p / 2
        var units: [Double] = []
        units.reserveCapacity(trajectories * (d + 1) * d)
        for _ in 0..<trajectories {
            var level = [Int](repeating: 0, count: d)
            var up = [Bool](repeating: true, count: d)
            for i in 0..<d {
                let base = stream.index(below: jump)
                up[i] = stream.next() < 0.5
                level[i] = up[i] ? base : base + jump
            }
            let order = stream.permutation(of: d)
            units += level.map { Double($0) / Double(p - 1) }
            for i in order {
                level[i] += up[i] ? jump : -jump
                units += level.map { Double($0) / Double(p - 1) }
            }
        }
        return units
    }
}
