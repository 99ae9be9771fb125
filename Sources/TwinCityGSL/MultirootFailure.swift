// Why a MultirootSolver gave up, with where it got to.

/// A ``MultirootSolver`` run that stopped without meeting its tolerance: it reached its iteration
/// limit (`GSL_EMAXITER`) or GSL reported no progress (`GSL_ENOPROG`, `GSL_ENOPROGJ`).
///
/// Carries the last iterate so callers can report it or restart from it.
package struct MultirootFailure: Error, CustomStringConvertible {
    /// GSL's status code: ``GSLStatus/maximumIterations``, ``GSLStatus/noProgress`` or
    /// ``GSLStatus/noProgressJacobian``.
    package let status: Int32
    /// Why the solver stopped, in words.
    package let reason: String
    /// The iterations taken before stopping.
    package let iterations: Int
    /// The last iterate.
    package let x: [Double]
    /// f at the last iterate.
    package let residual: [Double]

    /// A failure with the given status, reason and last iterate.
    package init(status: Int32, reason: String, iterations: Int, x: [Double], residual: [Double]) {
        self.status = status
        self.reason = reason
        self.iterations = iterations
        self.x = x
        self.residual = residual
    }

    /// "no root found after N iterations: reason (GSL status S); last x = […], f(x) = […]".
    package var description: String {
        "no root found after \(iterations) iterations: \(reason) (GSL status \(status)); last x = \(x), f(x) = \(residual)"
    }
}
