// One-dimensional root bracketing with Brent's method.
import CGSL

/// Root finding for scalar functions of one variable.
package enum RootFinding {
    /// A root of `f` in [`lower`, `upper`] by Brent's method (`gsl_root_fsolver_brent`), in the
    /// units of x.
    ///
    /// f(`lower`) and f(`upper`) must have opposite signs (or one be zero), else this throws
    /// `GSLError` (routine `gsl_root_fsolver_set`, `GSL_EINVAL`). Iterates until the bracket
    /// passes `gsl_root_test_interval(absoluteTolerance, relativeTolerance)`, i.e.
    /// |upper − lower| < absoluteTolerance + relativeTolerance·min(|lower|, |upper|), and returns
    /// GSL's current best estimate. Throws `GSLError` (routine `gsl_root_fsolver_iterate`,
    /// `GSL_EMAXITER`) after `maxIterations` iterations, `GSL_EBADFUNC` if `f` returns a
    /// non-finite value; rethrows an error thrown by `f` unchanged.
    package static func brent(lower: Double, upper: Double, absoluteTolerance: Double = 0,
                             relativeTolerance: Double = 1e-12, maxIterations: Int = 200,
                             _ f: (Double) throws -> Double) throws -> Double {
        GSL.initialize()
        precondition(maxIterations >= 0, "maxIterations must be non-negative, got \(maxIterations)")
        return try withoutActuallyEscaping(f) { f in
            let solver = try BrentSolver(function: f)
            return try solver.solve(lower: lower, upper: upper, absoluteTolerance: absoluteTolerance,
                                    relativeTolerance: relativeTolerance, maxIterations: maxIterations)
        }
    }
}

/// Owns one `gsl_root_fsolver` and the `gsl_function` whose address it keeps, for one solve.
private final class BrentSolver {
    private let function: ScalarFunction
    private let solver: UnsafeMutablePointer<gsl_root_fsolver>

    init(function f: @escaping (Double) throws -> Double) throws(GSLError) {
        guard let solver = gsl_root_fsolver_alloc(cgsl_root_fsolver_brent()) else {
            throw GSLError(routine: "gsl_root_fsolver_alloc", status: GSLStatus.outOfMemory)
        }
        self.function = ScalarFunction(f)
        self.solver = solver
    }

    deinit {
        gsl_root_fsolver_free(solver)
    }

    func solve(lower: Double, upper: Double, absoluteTolerance: Double, relativeTolerance: Double,
               maxIterations: Int) throws -> Double {
        let setStatus = gsl_root_fsolver_set(solver, function.pointer, lower, upper)
        try function.rethrow()
        if setStatus == GSLStatus.invalidArgument {
            throw GSLError(routine: "gsl_root_fsolver_set", status: setStatus,
                           reason: "f(\(lower)) and f(\(upper)) do not bracket a root (same sign), or lower > upper")
        }
        try GSLError.check(setStatus, "gsl_root_fsolver_set")
        for _ in 0..<maxIterations {
            let status = gsl_root_fsolver_iterate(solver)
            try function.rethrow()
            try GSLError.check(status, "gsl_root_fsolver_iterate")
            let test = gsl_root_test_interval(gsl_root_fsolver_x_lower(solver), gsl_root_fsolver_x_upper(solver),
                                              absoluteTolerance, relativeTolerance)
            if test == GSLStatus.success {
                return gsl_root_fsolver_root(solver)
            }
            guard test == GSLStatus.continue else {
                throw GSLError(routine: "gsl_root_test_interval", status: test)
            }
        }
        throw GSLError(routine: "gsl_root_fsolver_iterate", status: GSLStatus.maximumIterations,
                       reason: "the bracket was still wider than the tolerance after \(maxIterations) iterations")
    }
}
