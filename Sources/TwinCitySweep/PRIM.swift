// Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999),
// as the EMA Workbench implements it for binary cases of interest (Kwakkel 2017;
// ema_workbench.analysis.prim, version 2.5): peeling, then pasting, the coverage–density
// trade-off along the way, and quasi-p-values of the box limits (Bryant and Lempert 2010).
import Foundation

/// PRIM over numeric uncertainties with a binary output (a case is of interest or not).
public enum PRIM {
    /// A box: a lower and an upper limit on each dimension, in the dimension's unit.
    public struct Box: Sendable, Equatable {
        public var lower: [Double]
        public var upper: [Double]

        /// True when `point` lies within every limit (limits included).
        func contains(_ point: [Double]) -> Bool {
            for j in lower.indices where point[j] < lower[j] || point[j] > upper[j] { return false }
            return true
        }
    }

    /// How a box of the trajectory came about.
    public enum Phase: String, Sendable {
        /// The box of all cases.
        case initial
        /// One peel of the previous box.
        case peel
        /// One paste onto the previous box.
        case paste
    }

    /// One box of the peeling and pasting trajectory with its statistics.
    public struct Step: Sendable, Equatable {
        /// How it came about.
        public var phase: Phase
        /// Its limits.
        public var box: Box
        /// Cases inside it, ascending.
        public var cases: [Int]
        /// Cases of interest inside it.
        public var interesting: Int
        /// Share of all cases of interest that lie inside: k / K.
        public var coverage: Double
        /// Share of the cases inside that are of interest: k / n_box.
        public var density: Double
        /// Share of all cases inside: n_box / n.
        public var mass: Double
        /// Dimensions whose limits differ from the initial box's, ascending.
        public var restricted: [Int]
        /// Quasi-p-value of each limit (lower, upper) of each dimension: the one-sided
        /// binomial probability of at least k cases of interest among the n_box cases of the
        /// box if that limit were removed; `nil` for a limit that is not restricted.
        public var quasiP: [(lower: Double?, upper: Double?)]

        public static func == (a: Step, b: Step) -> Bool {
            a.phase == b.phase && a.box == b.box && a.cases == b.cases && a.restricted == b.restricted
                && a.quasiP.map { [$0.lower, $0.upper] } == b.quasiP.map { [$0.lower, $0.upper] }
        }
    }

    /// Settings of the algorithm, with EMA Workbench's defaults.
    public struct Settings: Sendable, Equatable {
        /// Share of the cases in the box that one peel removes (α, 0.05).
        public var peelAlpha = 0.05
        /// Share of the cases next to a limit that one paste adds (0.05).
        public var pasteAlpha = 0.05
        /// Smallest mass a box may have (0.05).
        public var massMinimum = 0.05

        public init(peelAlpha: Double = 0.05, pasteAlpha: Double = 0.05, massMinimum: Double = 0.05) {
            self.peelAlpha = peelAlpha
            self.pasteAlpha = pasteAlpha
            self.massMinimum = massMinimum
        }
    }

    /// The trajectory of one PRIM box.
    public struct Result: Sendable, Equatable {
        /// The box of all cases: each dimension's minimum and maximum.
        public var initial: Box
        /// Cases of interest in all.
        public var interesting: Int
        /// Cases in all.
        public var cases: Int
        /// The initial box, every peel, then every paste, in order.
        public var trajectory: [Step]
    }

    /// The peeling and pasting trajectory of a box over `x` (`x[i][j]`: case i, dimension j)
    /// for the cases of interest `y`.
    ///
    /// Peeling: each candidate removes the cases below the α quantile or above the 1 − α
    /// quantile of one dimension within the box; the candidate with the largest gain in
    /// density per case removed, (ȳ_new − ȳ_old) / (n_old − n_new) (EMA's "lenient1"
    /// objective), is taken, ties going to the candidate restricting fewer dimensions, then
    /// to the first in order (dimension by dimension, upper before lower), while the mass
    /// stays at least the minimum, falls and the gain is positive. Pasting then widens one
    /// restricted limit at a time to the α quantile of the cases just outside it (lower
    /// before upper), while the mass grows, the gain is positive and the density rises.
    /// Quantiles are EMA's (`get_quantile`): the middle of the two order statistics around
    /// (n − 1)·q, moved past ties.
    public static func run(x: [[Double]], y: [Bool], settings: Settings = Settings()) -> Result {
        let n = x.count, d = x.first?.count ?? 0
        let initial = Box(
            lower: (0..<d).map { j in x.map { $0[j] }.min() ?? 0 },
            upper: (0..<d).map { j in x.map { $0[j] }.max() ?? 0 })
        let total = y.filter { $0 }.count
        var trajectory: [Step] = []
        func record(_ phase: Phase, _ box: Box, _ cases: [Int]) {
            trajectory.append(step(phase, box: box, cases: cases, x: x, y: y, initial: initial, total: total))
        }
        var box = initial
        var inside = Array(0..<n)
        record(.initial, box, inside)

        // Peeling.
        while true {
            let massOld = Double(inside.count) / Double(n)
            var best: (objective: Double, free: Int, box: Box, cases: [Int])?
            for j in 0..<d {
                let values = inside.map { x[$0][j] }
                for upper in [true, false] {
                    var candidate = box
                    let cases: [Int]
                    if upper {
                        let limit = quantile(values, 1 - settings.peelAlpha)
                        cases = inside.filter { x[$0][j] <= limit }
                        candidate.upper[j] = limit
                    } else {
                        let limit = quantile(values, settings.peelAlpha)
                        cases = inside.filter { x[$0][j] >= limit }
                        candidate.lower[j] = limit
                    }
                    let objective = lenient(old: inside, new: cases, y: y)
                    let free = d - restrictedDimensions(candidate, initial).count
                    if best == nil || objective > best!.objective || (objective == best!.objective && free > best!.free) {
                        best = (objective, free, candidate, cases)
                    }
                }
            }
            guard let chosen = best else { break }
            let massNew = Double(chosen.cases.count) / Double(n)
            guard massNew >= settings.massMinimum, massNew < massOld, chosen.objective > 0 else { break }
            box = chosen.box
            inside = chosen.cases
            record(.peel, box, inside)
        }

        // Pasting, over the cases of the whole data set.
        while true {
            let restricted = restrictedDimensions(box, initial)
            guard !restricted.isEmpty else { break }
            let massOld = Double(inside.count) / Double(n)
            var best: (objective: Double, free: Int, box: Box, cases: [Int])?
            for u in restricted {
                for lower in [true, false] {
                    var region = box
                    if lower {
                        region.lower[u] = initial.lower[u]
                        region.upper[u] = box.lower[u]
                    } else {
                        region.lower[u] = box.upper[u]
                        region.upper[u] = initial.upper[u]
                    }
                    let data = (0..<n).filter { region.contains(x[$0]) }.map { x[$0][u] }
                    var candidate = box
                    if lower {
                        candidate.lower[u] = data.isEmpty ? initial.lower[u] : quantile(data, 1 - settings.pasteAlpha)
                    } else {
                        candidate.upper[u] = data.isEmpty ? initial.upper[u] : quantile(data, settings.pasteAlpha)
                    }
                    let cases = (0..<n).filter { candidate.contains(x[$0]) }
                    let objective = lenient(old: inside, new: cases, y: y)
                    let free = d - restrictedDimensions(candidate, initial).count
                    if best == nil || objective > best!.objective || (objective == best!.objective && free > best!.free) {
                        best = (objective, free, candidate, cases)
                    }
                }
            }
            guard let chosen = best else { break }
            let massNew = Double(chosen.cases.count) / Double(n)
            let meanOld = mean(inside, y), meanNew = mean(chosen.cases, y)
            guard massNew >= settings.massMinimum, massNew > massOld, chosen.objective > 0, meanNew > meanOld else { break }
            box = chosen.box
            inside = chosen.cases
            record(.paste, box, inside)
        }
        return Result(initial: initial, interesting: total, cases: n, trajectory: trajectory)
    }

    /// `box` with the limits of every dimension outside `keep` set back to the initial box's,
    /// and its statistics: the box restricted to the dimensions that matter.
    public static func restrict(_ box: Box, to keep: [Int], x: [[Double]], y: [Bool], initial: Box) -> Step {
        var reduced = initial
        for j in keep {
            reduced.lower[j] = box.lower[j]
            reduced.upper[j] = box.upper[j]
        }
        let cases = (0..<x.count).filter { reduced.contains(x[$0]) }
        return step(.peel, box: reduced, cases: cases, x: x, y: y, initial: initial, total: y.filter { $0 }.count)
    }

    /// The statistics of `box` holding `cases`.
    static func step(_ phase: Phase, box: Box, cases: [Int], x: [[Double]], y: [Bool], initial: Box, total: Int) -> Step {
        let k = cases.filter { y[$0] }.count
        let restricted = restrictedDimensions(box, initial)
        var quasiP = [(lower: Double?, upper: Double?)](repeating: (nil, nil), count: box.lower.count)
        for u in restricted {
            for lower in [true, false] {
                guard lower ? box.lower[u] != initial.lower[u] : box.upper[u] != initial.upper[u] else { continue }
                var widened = box
                if lower { widened.lower[u] = initial.lower[u] } else { widened.upper[u] = initial.upper[u] }
                let around = (0..<x.count).filter { widened.contains(x[$0]) }
                let p = Double(around.filter { y[$0] }.count) / Double(around.count)
                let value = binomialUpperTail(atLeast: k, trials: cases.count, probability: p)
                if lower { quasiP[u].lower = value } else { quasiP[u].upper = value }
            }
        }
        return Step(
            phase: phase, box: box, cases: cases, interesting: k,
            coverage: total > 0 ? Double(k) / Double(total) : .nan,
            density: cases.isEmpty ? .nan : Double(k) / Double(cases.count),
            mass: Double(cases.count) / Double(max(1, x.count)), restricted: restricted, quasiP: quasiP)
    }

    /// Dimensions on which `box` differs from `initial`.
    static func restrictedDimensions(_ box: Box, _ initial: Box) -> [Int] {
        box.lower.indices.filter { box.lower[$0] != initial.lower[$0] || box.upper[$0] != initial.upper[$0] }
    }

    /// Share of `cases` that are of interest (0 for no case, as EMA takes it).
    static func mean(_ cases: [Int], _ y: [Bool]) -> Double {
        cases.isEmpty ? 0 : Double(cases.filter { y[$0] }.count) / Double(cases.count)
    }

    /// EMA's "lenient1" objective: (ȳ_new − ȳ_old) / |n_old − n_new|, 0 when the means are equal.
    static func lenient(old: [Int], new: [Int], y: [Bool]) -> Double {
        let meanOld = mean(old, y), meanNew = mean(new, y)
        guard meanOld != meanNew, old.count != new.count else { return 0 }
        return (meanNew - meanOld) / Double(abs(old.count - new.count))
    }

    /// EMA Workbench's `get_quantile` (modelled on sdtoolkit): with the data sorted and
    /// i = (n − 1)·q, the mean of the order statistics at ⌊i⌋ and ⌈i⌉, where for q > 1/2
    /// the lower index moves down past ties and for q ≤ 1/2 the upper one moves up, so the
    /// limit falls between two distinct values when there are any.
    static func quantile(_ data: [Double], _ q: Double) -> Double {
        let sorted = data.sorted()
        let i = Double(sorted.count - 1) * q
        var low = Int(i.rounded(.down)), high = Int(i.rounded(.up))
        if q > 0.5 {
            while sorted[low] == sorted[high], low > 0 { low -= 1 }
        } else {
            while sorted[low] == sorted[high], high < sorted.count - 1 { high += 1 }
        }
        return (sorted[low] + sorted[high]) / 2
    }

    /// P(X ≥ k) for X binomial with `trials` n and success probability p: the one-sided
    /// p-value of `scipy.stats.binomtest(k, n, p, alternative="greater")`, summed as
    /// Σ_{j=k}^{n} C(n, j) p^j (1 − p)^(n − j) with each term from log-gamma functions.
    public static func binomialUpperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        let logP = Foundation.log(p), logQ = Foundation.log1p(-p)
        func logGamma(_ v: Double) -> Double { Foundation.lgamma(v) as Double }
        let logFactorialN = logGamma(Double(n) + 1)
        var sum = 0.0
        for j in k...n {
            let logChoose = logFactorialN - logGamma(Double(j) + 1) - logGamma(Double(n - j) + 1)
            sum += Foundation.exp(logChoose + Double(j) * logP + Double(n - j) * logQ)
        }
        return min(1, sum)
    }
}
