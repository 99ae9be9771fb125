// Ordinary and weighted linear least squares, for the estimators of the model's dynamics.
import CGSL

/// The result of a linear least-squares fit y ≈ X c.
package struct LeastSquaresFit: Sendable, Equatable {
    /// Coefficients c, one per column of X.
    package var coefficients: [Double]
    /// Covariance of the coefficients, p×p row-major: s² (XᵀX)⁻¹ with the residual variance
    /// s² = χ²/(n − p) (for weighted fits, (XᵀWX)⁻¹ scaled the same way, so that the weights
    /// are relative).
    package var covariance: [Double]
    /// Residual sum of squares χ² = Σ wᵢ (yᵢ − xᵢᵀc)².
    package var chiSquare: Double
    /// Residuals yᵢ − xᵢᵀc, one per observation.
    package var residuals: [Double]
    /// Degrees of freedom n − p.
    package var degreesOfFreedom: Int

    /// Standard error of coefficient k: √cov_kk.
    package func standardError(_ k: Int) -> Double {
        covariance[k * coefficients.count + k].squareRoot()
    }
}

/// Linear least squares with GSL's `gsl_multifit_linear` (SVD of X, so a rank-deficient
/// design gives the minimum-norm solution instead of dividing by zero) and
/// `gsl_multifit_wlinear`.
package enum LeastSquares {
    /// Fits y ≈ X c. `design` is n×p row-major, `observations` has n values, `weights` (when
    /// given) n non-negative relative weights. Needs n > p.
    ///
    /// GSL's unweighted fit returns s² (XᵀX)⁻¹ with s² = χ²/(n − p) already; its weighted fit
    /// returns (XᵀWX)⁻¹, which is scaled here by the same s² so that the weights are relative
    /// (the usual estimate when the error variance is not known in advance).
    package static func fit(
        design: [Double], columns p: Int, observations y: [Double], weights: [Double]? = nil
    ) throws(GSLError) -> LeastSquaresFit {
        GSL.initialize()
        let n = y.count
        precondition(p >= 1 && design.count == n * p, "design has \(design.count) cells for \(n) × \(p)")
        guard n > p else {
            throw GSLError(routine: "gsl_multifit_linear", status: GSLStatus.invalidArgument,
                           reason: "\(n) observations for \(p) coefficients: a fit with a residual variance needs more observations than coefficients")
        }
        if let weights { precondition(weights.count == n && weights.allSatisfy { $0 >= 0 }, "one non-negative weight per observation") }
        let x = gsl_matrix_alloc(n, p)!
        let yv = gsl_vector_alloc(n)!
        let c = gsl_vector_alloc(p)!
        let cov = gsl_matrix_alloc(p, p)!
        let work = gsl_multifit_linear_alloc(n, p)!
        let wv = gsl_vector_alloc(n)!
        defer {
            gsl_matrix_free(x); gsl_vector_free(yv); gsl_vector_free(c); gsl_matrix_free(cov)
            gsl_multifit_linear_free(work); gsl_vector_free(wv)
        }
        for i in 0..<n {
            for k in 0..<p { gsl_matrix_set(x, i, k, design[i * p + k]) }
            gsl_vector_set(yv, i, y[i])
            gsl_vector_set(wv, i, weights?[i] ?? 1)
        }
        var chi2 = 0.0
        let status: Int32
        let routine: String
        if weights != nil {
            routine = "gsl_multifit_wlinear"
            status = gsl_multifit_wlinear(x, wv, yv, c, cov, &chi2, work)
        } else {
            routine = "gsl_multifit_linear"
            status = gsl_multifit_linear(x, yv, c, cov, &chi2, work)
        }
        try GSLError.check(status, routine)
        let dof = n - p
        let scale = weights == nil ? 1 : chi2 / Double(dof)
        var coefficients = [Double](repeating: 0, count: p)
        var covariance = [Double](repeating: 0, count: p * p)
        for k in 0..<p {
            coefficients[k] = gsl_vector_get(c, k)
            for l in 0..<p { covariance[k * p + l] = scale * gsl_matrix_get(cov, k, l) }
        }
        var residuals = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var fitted = 0.0
            for k in 0..<p { fitted += design[i * p + k] * coefficients[k] }
            residuals[i] = y[i] - fitted
        }
        return LeastSquaresFit(
            coefficients: coefficients, covariance: covariance, chiSquare: chi2,
            residuals: residuals, degreesOfFreedom: dof)
    }
}
