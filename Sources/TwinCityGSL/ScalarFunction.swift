// A Swift function of one variable as a `gsl_function`, shared by the one-dimensional
// solvers (root bracketing and minimisation).
import CGSL

/// Owns a heap-allocated `gsl_function` whose callback calls a Swift closure. GSL's solvers
/// keep the struct's address, so it lives as long as this object; a thrown error is parked
/// in `error` (the callback has no status to return) and NaN returned, which Brent's methods
/// report as `GSL_EBADFUNC`.
final class ScalarFunction {
    let function: (Double) throws -> Double
    /// The first error the closure threw, if any.
    var error: (any Error)?
    /// The `gsl_function` to hand to a solver.
    private(set) var pointer: UnsafeMutablePointer<gsl_function>

    init(_ function: @escaping (Double) throws -> Double) {
        self.function = function
        pointer = UnsafeMutablePointer<gsl_function>.allocate(capacity: 1)
        pointer.initialize(to: gsl_function(function: scalarFunctionThunk,
                                            params: Unmanaged.passUnretained(self).toOpaque()))
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Rethrows the closure's error, if it threw one.
    func rethrow() throws {
        if let error { throw error }
    }
}

/// The `gsl_function.function` callback of `ScalarFunction`.
private func scalarFunctionThunk(x: Double, params: UnsafeMutableRawPointer?) -> Double {
    Unmanaged<ScalarFunction>.fromOpaque(params!)._withUnsafeGuaranteedRef { context in
        guard context.error == nil else { return .nan }
        do {
            return try context.function(x)
        } catch {
            context.error = error
            return .nan
        }
    }
}
