// The table of a grid sweep: the mean of an output at each level of each parameter, averaged
// over the levels of the others.

/// Means of an output at each level of each parameter of a grid.
public enum GridMeans {
    /// One level of one parameter.
    public struct Level: Sendable, Equatable {
        /// The parameter's value at this level.
        public var value: ParameterValue
        /// Mean of the output over the points at this level with a defined output, in the
        /// output's unit; NaN when there is none.
        public var mean: Double
        /// Points the mean rests on.
        public var count: Int
    }

    /// For each parameter, the mean output at each of its levels (in `levels` order) over the
    /// points that have that level.
    ///
    /// - Parameters:
    ///   - levels: `levels[i]`, the grid levels of parameter i.
    ///   - points: Each point's values, one per parameter.
    ///   - outputs: The output at each point (NaN where not defined).
    public static func table(levels: [[ParameterValue]], points: [[ParameterValue]], outputs: [Double]) -> [[Level]] {
        levels.enumerated().map { i, values in
            values.map { value in
                var sum = 0.0, count = 0
                for (point, output) in zip(points, outputs) where point[i] == value && output.isFinite {
                    sum += output
                    count += 1
                }
                return Level(value: value, mean: count > 0 ? sum / Double(count) : .nan, count: count)
            }
        }
    }
}
