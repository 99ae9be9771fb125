// Morris's elementary effects screening: from r trajectories that move one parameter at a
// time, the mean μ, mean absolute value μ* and standard deviation σ of each parameter's
// effects (Morris 1991; μ* from Campolongo, Cariboni and Saltelli 2007).

/// Elementary-effects statistics of one output.
public enum MorrisEffects {
    /// The statistics of one parameter, in the output's unit per unit of the parameter's
    /// normalised range (the range mapped onto [0, 1]).
    public struct Statistics: Sendable, Equatable {
        /// Mean effect μ: its sign says in which direction the output mostly moves.
        public var mean: Double
        /// Mean absolute effect μ*: the parameter's importance, immune to effects of opposite
        /// sign cancelling.
        public var meanAbsolute: Double
        /// Standard deviation σ of the effects (n − 1 denominator): large when the effect
        /// depends on the other parameters (interactions) or is non-linear; NaN for fewer
        /// than two effects.
        public var standardDeviation: Double
        /// Effects the statistics rest on (trajectories with both outputs defined).
        public var count: Int
    }

    /// The elementary effects of one trajectory.
    ///
    /// Consecutive points differ in one coordinate i; the effect of parameter i is
    /// EE_i = (y_{k+1} − y_k) / (x_{k+1,i} − x_{k,i}), x in unit coordinates.
    ///
    /// - Parameters:
    ///   - units: The d + 1 points of the trajectory, each with d unit coordinates.
    ///   - outputs: The output at each point (NaN where not defined).
    /// - Returns: the effect of each parameter, `nil` where an output is not defined or no
    ///   step moves that parameter.
    public static func elementaryEffects(units: [[Double]], outputs: [Double]) -> [Double?] {
        let d = units.first?.count ?? 0
        var effects = [Double?](repeating: nil, count: d)
        for k in 0..<(units.count - 1) {
            guard let i = (0..<d).first(where: { units[k + 1][$0] != units[k][$0] }) else { continue }
            let y0 = outputs[k], y1 = outputs[k + 1]
            guard y0.isFinite, y1.isFinite else { continue }
            effects[i] = (y1 - y0) / (units[k + 1][i] - units[k][i])
        }
        return effects
    }

    /// μ, μ* and σ of each parameter over the effects of all trajectories.
    ///
    /// - Parameter effects: `effects[t][i]`, the effect of parameter i in trajectory t
    ///   (`elementaryEffects`), `nil` where undefined.
    public static func statistics(_ effects: [[Double?]]) -> [Statistics] {
        let d = effects.first?.count ?? 0
        return (0..<d).map { i in
            let values = effects.compactMap { $0[i] }
            let n = Double(values.count)
            guard !values.isEmpty else { return Statistics(mean: .nan, meanAbsolute: .nan, standardDeviation: .nan, count: 0) }
            let mean = values.reduce(0, +) / n
            let meanAbsolute = values.reduce(0) { $0 + abs($1) } / n
            let sd = values.count >= 2
                ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
                : .nan
            return Statistics(mean: mean, meanAbsolute: meanAbsolute, standardDeviation: sd, count: values.count)
        }
    }
}
