// Solving a square nonlinear system f(x) = 0 with GSL's hybrid Powell method.
import CGSL

/// The state the C callback needs: the Swift function and the first error it threw.
private final class MultirootFunctionContext {
    let dimension: Int
    let function: (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void
    var error: (any Error)?

    init(dimension: Int,
         function: @escaping (UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void) {
        self.dimension = dimension
        self.function = function
    }
}

/// The `gsl_multiroot_function.f` callback. GSL cannot carry a Swift error, so it is parked in the
/// context and GSL is told `GSL_EBADFUNC`, which makes the current set/iterate call return.
private func multirootFunctionThunk(
    x: UnsafePointer<gsl_vector>?, params: UnsafeMutableRawPointer?, f: UnsafeMutablePointer<gsl_vector>?
) -> Int32 {
    Unmanaged<MultirootFunctionContext>.fromOpaque(params!)._withUnsafeGuaranteedRef { context in
        guard context.error == nil else { return GSLStatus.badFunction }
        let n = context.dimension
        let xv = x!.pointee
        let fv = f!.pointee
        do {
            if xv.stride == 1 && fv.stride == 1 {
                try context.function(UnsafeBufferPointer(start: xv.data, count: n),
                                     UnsafeMutableBufferPointer(start: fv.data, count: n))
            } else {
                // The solver only passes vectors it allocated (stride 1), but gsl_vector allows
                // strided views, and the closure is promised contiguous buffers.
                let xs = (0..<n).map { xv.data[$0 * xv.stride] }
                var fs = [Double](repeating: 0, count: n)
                try xs.withUnsafeBufferPointer { xb in
                    try fs.withUnsafeMutableBufferPointer { try context.function(xb, $0) }
                }
                for i in 0..<n { fv.data[i * fv.stride] = fs[i] }
            }
            return GSLStatus.success
        } catch {
            context.error = error
            return GSLStatus.badFunction
        }
    }
}

/// A solver for the square system f(x) = 0 of `dimension` equations in `dimension` unknowns:
/// GSL's modified Powell hybrid method with scaling (`gsl_multiroot_fsolver_hybrids`), its
/// Jacobian approximated by finite differences.
///
/// Not `Sendable`: one instance per task.
package final class MultirootSolver {
    /// The number of unknowns, which is also the number of equations.
    package let dimension: Int

    private let context: MultirootFunctionContext
    // The solver keeps the address of the function struct, so it lives on the heap with it.
    private let function: UnsafeMutablePointer<gsl_multiroot_function>
    private let solver: UnsafeMutablePointer<gsl_multiroot_fsolver>
    private let start: UnsafeMutablePointer<gsl_vector>

    /// A solver for f(x) = 0. The closure fills `f` (length `dimension`) from `x` (length
    /// `dimension`), in whatever units the caller uses; it may throw, and the error comes back out
    /// of ``solve(from:residualTolerance:maxIterations:)`` unchanged. Throws `GSLError`
    /// (routine `gsl_multiroot_fsolver_alloc`) for a dimension below 1 or when allocation fails.
    package init(dimension: Int,
                function: @escaping (_ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>) throws -> Void) throws {
        GSL.initialize()
        let routine = "gsl_multiroot_fsolver_alloc"
        guard dimension >= 1 else {
            throw GSLError(routine: routine, status: GSLStatus.invalidArgument,
                           reason: "a system of equations needs at least one unknown, got dimension \(dimension)")
        }
        let context = MultirootFunctionContext(dimension: dimension, function: function)
        guard let solver = gsl_multiroot_fsolver_alloc(cgsl_multiroot_fsolver_hybrids(), dimension) else {
            throw GSLError(routine: routine, status: GSLStatus.outOfMemory)
        }
        guard let start = gsl_vector_alloc(dimension) else {
            gsl_multiroot_fsolver_free(solver)
            throw GSLError(routine: "gsl_vector_alloc", status: GSLStatus.outOfMemory)
        }
        let function = UnsafeMutablePointer<gsl_multiroot_function>.allocate(capacity: 1)
        function.initialize(to: gsl_multiroot_function(
            f: multirootFunctionThunk, n: dimension, params: Unmanaged.passUnretained(context).toOpaque()))
        self.dimension = dimension
        self.context = context
        self.function = function
        self.solver = solver
        self.start = start
    }

    deinit {
        gsl_multiroot_fsolver_free(solver)
        gsl_vector_free(start)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    /// Iterates from `x0` until the residual test `gsl_multiroot_test_residual(f, residualTolerance)`
    /// passes, i.e. Σ|fᵢ| < `residualTolerance` (in the units of f).
    ///
    /// The starting point is tested before the first iteration. Throws ``MultirootFailure`` after
    /// `maxIterations` iterations (`GSL_EMAXITER`) or when GSL reports no progress (`GSL_ENOPROG`,
    /// `GSL_ENOPROGJ`); rethrows the closure's error unchanged; throws `GSLError` naming the
    /// routine for any other GSL status.
    package func solve(from x0: [Double], residualTolerance: Double, maxIterations: Int = 1000) throws -> MultirootResult {
        precondition(x0.count == dimension, "starting point has \(x0.count) components, the system has \(dimension)")
        precondition(maxIterations >= 0, "maxIterations must be non-negative, got \(maxIterations)")
        for (i, value) in x0.enumerated() {
            start.pointee.data[i * start.pointee.stride] = value
        }
        context.error = nil
        defer { context.error = nil }

        let setStatus = gsl_multiroot_fsolver_set(solver, function, start)
        if let error = context.error { throw error }
        try GSLError.check(setStatus, "gsl_multiroot_fsolver_set")

        var iterations = 0
        while true {
            let test = gsl_multiroot_test_residual(solver.pointee.f, residualTolerance)
            if test == GSLStatus.success {
                return MultirootResult(x: current(solver.pointee.x), residual: current(solver.pointee.f),
                                       iterations: iterations)
            }
            guard test == GSLStatus.continue else {
                throw GSLError(routine: "gsl_multiroot_test_residual", status: test)
            }
            guard iterations < maxIterations else {
                throw failure(GSLStatus.maximumIterations, iterations,
                              reason: "the residual was still above \(residualTolerance) after \(maxIterations) iterations")
            }
            iterations += 1
            let status = gsl_multiroot_fsolver_iterate(solver)
            if let error = context.error { throw error }
            if status == GSLStatus.noProgress || status == GSLStatus.noProgressJacobian {
                throw failure(status, iterations, reason: GSLStatus.text(for: status))
            }
            try GSLError.check(status, "gsl_multiroot_fsolver_iterate")
        }
    }

    private func current(_ vector: UnsafeMutablePointer<gsl_vector>) -> [Double] {
        let v = vector.pointee
        return (0..<Int(v.size)).map { v.data[$0 * v.stride] }
    }

    private func failure(_ status: Int32, _ iterations: Int, reason: String) -> MultirootFailure {
        MultirootFailure(status: status, reason: reason, iterations: iterations,
                         x: current(solver.pointee.x), residual: current(solver.pointee.f))
    }
}
