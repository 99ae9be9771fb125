// One-dimensional minimisation with Brent's method.
import CGSL

/// Minimisation of scalar functions of one variable.
package enum Minimization {
    /// A minimiser of `f` in [`lower`, `upper`] by Brent's method (`gsl_min_fminimizer_brent`),
    /// in the units of x.
    ///
    /// `guess` must lie strictly inside the interval with f(`guess`) below both f(`lower`)
    /// and f(`upper`) (GSL's bracketing condition), else this throws `GSLError` (routine
    /// `gsl_min_fminimizer_set`, `GSL_EINVAL`). Iterates until the bracket passes
    /// `gsl_min_test_interval(absoluteTolerance, relativeTolerance)`, i.e.
    /// |upper − lower| < absoluteTolerance + relativeTolerance·min(|lower|, |upper|) (for an
    /// interval not containing 0), and returns GSL's current minimiser. Throws `GSLError`
    /// (`gsl_min_fminimizer_iterate`, `GSL_EMAXITER`) after `maxIterations` iterations,
    /// `GSL_EBADFUNC` if `f` returns a non-finite value; rethrows an error thrown by `f`.
    package static func brent(lower: Double, upper: Double, guess: Double, absoluteTolerance: Double = 1e-10,
                             relativeTolerance: Double = 0, maxIterations: Int = 200,
                             _ f: (Double) throws -> Double) throws -> Double {
        GSL.initialize()
        precondition(maxIterations >= 0, "maxIterations must be non-negative, got \(maxIterations)")
        return try withoutActuallyEscaping(f) { f in
            let solver = try BrentMinimizer(function: f)
            return try solver.minimize(lower: lower, upper: upper, guess: guess, absoluteTolerance: absoluteTolerance,
                                       relativeTolerance: relativeTolerance, maxIterations: maxIterations)
        }
    }

    /// The maximiser of `f` on [`lower`, `upper`] for a function with one peak there
    /// (corners included): `f` is sampled at `samples` + 1 evenly spaced points; when the best
    /// sample is interior, Brent's method refines it between its neighbours; at a corner, the
    /// half cell next to the corner is tried as a bracket, and the corner is kept when it
    /// does not bracket a higher value.
    ///
    /// Brent's bracket cannot shrink much below 2√ε·|x| (ε the double precision, √ε ≈ 1.5e-8,
    /// GSL's own step tolerance), nor below √(2ε |f/f''|) where f is flat to second order near
    /// its peak (about 7e-9 for |f''/f| ≈ 10). The bracket test is therefore 1e-8 absolute plus
    /// 5e-8 relative; the estimate returned (the best point of Brent's parabolic fits) is
    /// usually closer.
    package static func maximize(lower: Double, upper: Double, samples: Int = 16, absoluteTolerance: Double = 1e-8,
                                relativeTolerance: Double = 5e-8, _ f: (Double) throws -> Double) throws -> Double {
        precondition(upper >= lower && samples >= 2, "maximize needs lower ≤ upper and at least 2 samples")
        guard upper > lower else { return lower }
        let h = (upper - lower) / Double(samples)
        let xs = (0...samples).map { $0 == samples ? upper : lower + Double($0) * h }
        let values = try xs.map(f)
        var best = 0
        for k in 1...samples where values[k] > values[best] { best = k }
        if best > 0 && best < samples {
            guard values[best] > values[best - 1], values[best] > values[best + 1] else { return xs[best] }
            return try brent(lower: xs[best - 1], upper: xs[best + 1], guess: xs[best],
                             absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance) { x in -(try f(x)) }
        }
        // A peak between the corner and its neighbour sample: bracket it with the cell's midpoint.
        let (a, b) = best == 0 ? (xs[0], xs[1]) : (xs[samples - 1], xs[samples])
        let mid = 0.5 * (a + b)
        let fm = try f(mid)
        guard fm > values[best], fm > (best == 0 ? values[1] : values[samples - 1]) else { return xs[best] }
        return try brent(lower: a, upper: b, guess: mid, absoluteTolerance: absoluteTolerance, relativeTolerance: relativeTolerance) { x in -(try f(x)) }
    }
}

/// Owns one `gsl_min_fminimizer` and the `gsl_function` whose address it keeps, for one search.
private final class BrentMinimizer {
    private let function: ScalarFunction
    private let minimizer: UnsafeMutablePointer<gsl_min_fminimizer>

    init(function f: @escaping (Double) throws -> Double) throws(GSLError) {
        guard let minimizer = gsl_min_fminimizer_alloc(cgsl_min_fminimizer_brent()) else {
            throw GSLError(routine: "gsl_min_fminimizer_alloc", status: GSLStatus.outOfMemory)
        }
        self.function = ScalarFunction(f)
        self.minimizer = minimizer
    }

    deinit {
        gsl_min_fminimizer_free(minimizer)
    }

    func minimize(lower: Double, upper: Double, guess: Double, absoluteTolerance: Double, relativeTolerance: Double,
                  maxIterations: Int) throws -> Double {
        let s = minimizer
        let setStatus = gsl_min_fminimizer_set(s, function.pointer, guess, lower, upper)
        try function.rethrow()
        if setStatus == GSLStatus.invalidArgument {
            throw GSLError(routine: "gsl_min_fminimizer_set", status: setStatus,
                           reason: "f(\(guess)) is not below f(\(lower)) and f(\(upper)), or the guess is outside the interval")
        }
        try GSLError.check(setStatus, "gsl_min_fminimizer_set")
        for _ in 0..<maxIterations {
            let status = gsl_min_fminimizer_iterate(s)
            try function.rethrow()
            try GSLError.check(status, "gsl_min_fminimizer_iterate")
            let test = gsl_min_test_interval(gsl_min_fminimizer_x_lower(s), gsl_min_fminimizer_x_upper(s),
                                             absoluteTolerance, relativeTolerance)
            if test == GSLStatus.success {
                return gsl_min_fminimizer_x_minimum(s)
            }
            guard test == GSLStatus.continue else {
                throw GSLError(routine: "gsl_min_test_interval", status: test)
            }
        }
        throw GSLError(routine: "gsl_min_fminimizer_iterate", status: GSLStatus.maximumIterations,
                       reason: "the bracket was still wider than the tolerance after \(maxIterations) iterations")
    }
}
