// What a converged MultirootSolver returns.

/// A converged solution of f(x) = 0 from ``MultirootSolver``.
package struct MultirootResult: Sendable {
    /// The root found, in the units of the unknowns.
    package let x: [Double]
    /// f at `x`, in the units of f; the sum of its absolute values is below the tolerance asked for.
    package let residual: [Double]
    /// The number of solver iterations taken (0 when the starting point already satisfied the tolerance).
    package let iterations: Int

    /// A result with the given root, residual and iteration count.
    package init(x: [Double], residual: [Double], iterations: Int) {
        self.x = x
        self.residual = residual
        self.iterations = iterations
    }
}
