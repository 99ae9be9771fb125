// Policy levers of an exploratory sweep: scenario keys a decision maker controls, each with a
// few options, crossed in every combination with one common sample of uncertainties
// (docs/SWEEPS.md, "Levers and uncertainties").
import Foundation
import TwinCityModel

/// A policy lever: a scenario key the decision maker sets (a policy switched on or off with
/// `policy[n].enabled`, or a policy parameter such as `policy[1].share`) and its options.
public struct SweepLever: Sendable, Equatable, Codable {
    /// Name shown in tables and legends; the path when the file gives none.
    public var name: String
    /// The scenario key path the lever sets, as accepted by `--set KEY=VALUE`.
    public var path: String
    /// The options, in file order (at least two; all numbers, all strings or all booleans).
    public var options: [ParameterValue]

    /// A lever setting `path` to one of `options`.
    public init(name: String, path: String, options: [ParameterValue]) {
        self.name = name
        self.path = path
        self.options = options
    }
}

/// The combinations of the options of a sweep's levers that the sweep runs: all of them in a
/// fixed order — the first lever outermost, the last varying fastest, as nested loops — or a
/// random subset of them in that order (`[sampler] combinations = K`).
public struct LeverCombinations: Sendable, Equatable {
    /// The levers, in sweep-file order.
    public let levers: [SweepLever]
    /// Number of combinations run: the product of the levers' option counts (1 without
    /// levers), or the size of the subset.
    public let count: Int
    /// The full-enumeration index of each combination run, ascending; `nil` when all run.
    public let subset: [Int]?

    /// Every combination of `levers`.
    public init(_ levers: [SweepLever]) {
        self.init(levers, sample: nil, seed: 0)
    }

    /// `sample` of the combinations of `levers` (all of them when `nil` or not fewer than
    /// all), drawn uniformly without replacement from stream `SweepSeeds.combinationStream`
    /// of `seed` by Floyd's algorithm (Bentley and Floyd 1987) and kept in enumeration order.
    public init(_ levers: [SweepLever], sample: Int?, seed: UInt64) {
        let total = Self.count(levers)
        self.levers = levers
        guard let sample, sample < total else {
            count = total
            subset = nil
            return
        }
        count = sample
        let stream = UniformStream(master: seed, stream: SweepSeeds.combinationStream)
        var chosen = Set<Int>()
        for j in (total - sample)..<total {
            let t = stream.index(below: j + 1)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        subset = chosen.sorted()
    }

    /// The product of the option counts, `Int.max` when it overflows.
    static func count(_ levers: [SweepLever]) -> Int {
        var count = 1
        for lever in levers {
            let (product, overflow) = count.multipliedReportingOverflow(by: max(1, lever.options.count))
            count = overflow ? Int.max : product
        }
        return count
    }

    /// The option index of each lever in combination `index` (mixed radix over the full
    /// enumeration, last lever fastest).
    public func optionIndices(_ index: Int) -> [Int] {
        precondition(index >= 0 && index < count, "lever combination \(index) is outside 0..<\(count)")
        var rest = subset?[index] ?? index
        var chosen = [Int](repeating: 0, count: levers.count)
        for k in levers.indices.reversed() {
            chosen[k] = rest % levers[k].options.count
            rest /= levers[k].options.count
        }
        return chosen
    }

    /// The value of each lever in combination `index`.
    public func values(_ index: Int) -> [ParameterValue] {
        zip(levers, optionIndices(index)).map { $0.options[$1] }
    }

    /// `name=value` of each lever, joined by ", ": how tables and legends name a combination.
    public func label(_ index: Int) -> String {
        zip(levers, values(index)).map { "\($0.name)=\($1.label)" }.joined(separator: ", ")
    }

    /// A short label for charts: each lever's value only, joined by "/", with booleans as
    /// `on`/`off` (`on/off/0.4`).
    public func shortLabel(_ index: Int) -> String {
        values(index).map { value -> String in
            if case .bool(let on) = value { return on ? "on" : "off" }
            return value.label
        }.joined(separator: "/")
    }
}

extension SamplingDesign {
    /// The future (the point of the uncertainties' design) that point `index` runs: with C
    /// lever combinations, point p runs future ⌊p / C⌋ under combination p mod C. A sweep
    /// without levers has one combination, so its points are its futures.
    public func future(of index: Int) -> Int { index / combinations.count }

    /// The lever combination point `index` runs (0 without levers).
    public func combination(of index: Int) -> Int { index % combinations.count }

    /// The point that runs `future` under lever combination `combination`.
    public func point(future: Int, combination: Int) -> Int { future * combinations.count + combination }

    /// The design of the uncertainties alone: one point per future, without levers. Sobol,
    /// Morris and grid analyses of one lever combination read their outputs through it.
    public var futureDesign: SamplingDesign {
        var copy = self
        copy.combinations = LeverCombinations([])
        copy.pointCount = futureCount
        return copy
    }

    /// Paths of the keys every run sets, levers first, then the uncertainties (parameters).
    public var allPaths: [String] { combinations.levers.map(\.path) + parameters.map(\.path) }

    /// Values of every key point `index` sets, in the order of `allPaths`.
    public func allValues(at index: Int) -> [ParameterValue] {
        combinations.values(combination(of: index)) + values(at: index)
    }
}
