// `twincity sweep analyze --discover CONDITION`: scenario discovery over a sweep database —
// which ranges of the uncertainties lead to the cases where CONDITION holds (docs/SWEEPS.md,
// "Scenario discovery").
import Foundation

/// PRIM over the futures of a sweep.
public enum Discovery {
    /// The dimensions, the cases, the trajectory and the chosen box.
    public struct Analysis: Sendable {
        /// The sweep.
        public var definition: SweepDefinition
        /// The condition defining the cases of interest.
        public var condition: OutputConditions
        /// The lever combination whose futures are the cases (`nil` without levers).
        public var combination: Int?
        /// The label of that combination.
        public var combinationLabel: String?
        /// Key paths of the dimensions: the numeric uncertainties (parameters), in order.
        public var dimensions: [String]
        /// Uncertainties left out because their values are not numbers.
        public var skipped: [String]
        /// `x[i][j]`: case i's value of dimension j, in the key's unit.
        public var x: [[Double]]
        /// Whether case i is of interest.
        public var y: [Bool]
        /// Cases left out because an output the condition names is not defined.
        public var undefined: Int
        /// The PRIM trajectory.
        public var result: PRIM.Result
        /// Index of the chosen box on the trajectory.
        public var chosen: Int
        /// Level below which a limit's quasi-p-value counts as significant.
        public var significance: Double
        /// Dimensions of the chosen box with a significant limit.
        public var kept: [Int]
        /// The chosen box restricted to `kept`, with its statistics.
        public var restricted: PRIM.Step
    }

    /// Runs PRIM on the futures of the sweep at `path`.
    ///
    /// - Parameters:
    ///   - condition: `OUTPUT OP NUMBER` (terms joined by `and`): the cases of interest.
    ///   - combination: The lever combination whose futures are analysed; required when the
    ///     sweep has more than one.
    ///   - box: Index of the box on the trajectory to report; the last one when `nil`.
    ///   - significance: Quasi-p-value below which a limit is kept in the restricted box.
    /// - Throws: `SweepUsageError` naming the argument: a malformed condition, an unknown
    ///   output, a missing or unknown combination, a box index off the trajectory, fewer
    ///   cases than PRIM needs (1/α, at least one of interest and one not), no numeric
    ///   uncertainty.
    public static func analyze(
        path: String, condition text: String, combination: Int?, box: Int?, significance: Double = 0.05,
        settings: PRIM.Settings = PRIM.Settings()
    ) throws -> Analysis {
        let (definition, design, means, _, _) = try SweepAnalysis.load(path: path)
        let condition = try OutputConditions(parsing: text, option: "--discover", outputs: definition.outputs)
        let combinations = design.combinations
        var chosenCombination: Int?
        if !combinations.levers.isEmpty {
            if let combination {
                guard combination >= 0, combination < combinations.count else {
                    throw SweepUsageError("--combination \(combination): the sweep has lever combinations 0 to \(combinations.count - 1) (see --robustness)")
                }
                chosenCombination = combination
            } else if combinations.count == 1 {
                chosenCombination = 0
            } else {
                throw SweepUsageError("--discover: the sweep has \(combinations.count) lever combinations; choose one with --combination K (0 to \(combinations.count - 1), as --robustness numbers them)")
            }
        } else if combination != nil {
            throw SweepUsageError("--combination applies to a sweep with [[lever]] tables; '\(definition.name)' has none")
        }
        let numeric = design.parameters.indices.filter { j in
            if case .values(let values) = design.parameters[j].domain { return values.allSatisfy { $0.number != nil } }
            return true
        }
        guard !numeric.isEmpty else {
            throw SweepUsageError("--discover: the sweep has no numeric uncertainty to find ranges of")
        }
        let index = Dictionary(uniqueKeysWithValues: definition.outputs.enumerated().map { ($1, $0) })
        var x: [[Double]] = [], y: [Bool] = []
        var undefined = 0
        for f in 0..<design.futureCount {
            let point = design.point(future: f, combination: chosenCombination ?? 0)
            var outputs: [String: Double] = [:]
            for term in condition.terms { outputs[term.metric] = means[index[term.metric]!][point] }
            guard let holds = condition.holds(outputs) else {
                undefined += 1
                continue
            }
            let values = design.values(at: point)
            x.append(numeric.map { values[$0].number! })
            y.append(holds)
        }
        let needed = Int((1 / settings.peelAlpha).rounded(.up))
        guard x.count >= needed else {
            throw SweepUsageError("--discover '\(text)': PRIM needs at least \(needed) cases (1/α with peeling α = \(settings.peelAlpha)) with the output defined, found \(x.count)")
        }
        let interesting = y.filter { $0 }.count
        guard interesting > 0, interesting < y.count else {
            throw SweepUsageError("--discover '\(text)': the condition holds in \(interesting) of \(y.count) cases; PRIM needs cases of interest and cases that are not")
        }
        let result = PRIM.run(x: x, y: y, settings: settings)
        let chosen = box ?? result.trajectory.count - 1
        guard chosen >= 0, chosen < result.trajectory.count else {
            throw SweepUsageError("--box \(chosen): the trajectory has boxes 0 to \(result.trajectory.count - 1)")
        }
        let step = result.trajectory[chosen]
        let kept = step.restricted.filter { j in
            [step.quasiP[j].lower, step.quasiP[j].upper].contains { $0.map { $0 < significance } ?? false }
        }
        return Analysis(
            definition: definition, condition: condition, combination: chosenCombination,
            combinationLabel: chosenCombination.map { combinations.label($0) },
            dimensions: numeric.map { design.parameters[$0].path },
            skipped: design.parameters.indices.filter { !numeric.contains($0) }.map { design.parameters[$0].path },
            x: x, y: y, undefined: undefined, result: result, chosen: chosen, significance: significance, kept: kept,
            restricted: PRIM.restrict(step.box, to: kept, x: x, y: y, initial: result.initial))
    }
}
