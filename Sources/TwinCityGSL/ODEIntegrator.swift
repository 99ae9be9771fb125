// Adaptive integration of dy/dt = f(t, y) with GSL's odeiv2 driver.
import CGSL

/// The state the C callback needs: the Swift derivative and the first error it threw.
private final class ODEDerivativeContext {
    let dimension: Int
    let derivative: (Double, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void
    var error: (any Error)?

    init(dimension: Int,
         derivative: @escaping (Double, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) throws -> Void) {
        self.dimension = dimension
        self.derivative = derivative
    }
}

/// The `gsl_odeiv2_system.function` callback. GSL cannot carry a Swift error, so it is parked
/// in the context and GSL is told `GSL_EBADFUNC`, which makes it stop at once.
private func odeDerivativeThunk(
    t: Double, y: UnsafePointer<Double>?, dydt: UnsafeMutablePointer<Double>?, params: UnsafeMutableRawPointer?
) -> Int32 {
    Unmanaged<ODEDerivativeContext>.fromOpaque(params!)._withUnsafeGuaranteedRef { context in
        guard context.error == nil else { return GSLStatus.badFunction }
        do {
            try context.derivative(t, UnsafeBufferPointer(start: y, count: context.dimension),
                                   UnsafeMutableBufferPointer(start: dydt, count: context.dimension))
            return GSLStatus.success
        } catch {
            context.error = error
            return GSLStatus.badFunction
        }
    }
}

/// An adaptive-step integrator for the system dy/dt = f(t, y) of `dimension` equations
/// (`gsl_odeiv2_driver` with a `y`-controlled step: `gsl_odeiv2_driver_alloc_y_new`).
///
/// Time and state carry whatever units the derivative closure uses. The local error per step is
/// kept below `absoluteTolerance + relativeTolerance·|y|` per component. Not `Sendable`: one
/// instance per task.
package final class ODEIntegrator {
    /// The number of equations, i.e. the length of `y`.
    package let dimension: Int
    /// The Runge–Kutta stepper in use.
    package let stepType: ODEStepType
    /// The magnitude of the first trial step of every ``integrate(_:from:to:)``, in units of t.
    package let initialStep: Double

    private let context: ODEDerivativeContext
    // The driver keeps the address of the system, so it lives on the heap as long as the driver.
    private let system: UnsafeMutablePointer<gsl_odeiv2_system>
    private let driver: UnsafeMutablePointer<gsl_odeiv2_driver>

    /// An integrator for dy/dt = f(t, y).
    ///
    /// The closure writes the derivative at time `t` and state `y` into `dydt` (both of length
    /// `dimension`); it may throw, and the error comes back out of ``integrate(_:from:to:)``
    /// unchanged. Throws `GSLError` (routine `gsl_odeiv2_driver_alloc_y_new`, `GSL_EINVAL`) for a
    /// dimension below 1, a non-positive initial step or a negative tolerance.
    package init(dimension: Int, stepType: ODEStepType = .rk8pd, initialStep: Double = 1e-3,
                absoluteTolerance: Double = 1e-10, relativeTolerance: Double = 1e-10,
                derivative: @escaping (_ t: Double, _ y: UnsafeBufferPointer<Double>,
                                       _ dydt: UnsafeMutableBufferPointer<Double>) throws -> Void) throws {
        GSL.initialize()
        let routine = "gsl_odeiv2_driver_alloc_y_new"
        guard dimension >= 1 else {
            throw GSLError(routine: routine, status: GSLStatus.invalidArgument,
                           reason: "an ODE system needs at least one equation, got dimension \(dimension)")
        }
        guard initialStep > 0, initialStep.isFinite else {
            throw GSLError(routine: routine, status: GSLStatus.invalidArgument,
                           reason: "the initial step must be positive and finite, got \(initialStep)")
        }
        guard absoluteTolerance >= 0, relativeTolerance >= 0,
              absoluteTolerance.isFinite, relativeTolerance.isFinite else {
            throw GSLError(routine: routine, status: GSLStatus.invalidArgument,
                           reason: "tolerances must be finite and non-negative, got absolute \(absoluteTolerance), relative \(relativeTolerance)")
        }
        let context = ODEDerivativeContext(dimension: dimension, derivative: derivative)
        let system = UnsafeMutablePointer<gsl_odeiv2_system>.allocate(capacity: 1)
        system.initialize(to: gsl_odeiv2_system(
            function: odeDerivativeThunk, jacobian: nil, dimension: dimension,
            params: Unmanaged.passUnretained(context).toOpaque()))
        guard let driver = gsl_odeiv2_driver_alloc_y_new(system, stepType.gslType, initialStep,
                                                         absoluteTolerance, relativeTolerance) else {
            system.deinitialize(count: 1)
            system.deallocate()
            throw GSLError(routine: routine, status: GSLStatus.outOfMemory)
        }
        // GSL's default of 0 means unlimited, which turns a stiff or blowing-up system into a hang.
        gsl_odeiv2_driver_set_nmax(driver, 1_000_000)
        self.dimension = dimension
        self.stepType = stepType
        self.initialStep = initialStep
        self.context = context
        self.system = system
        self.driver = driver
    }

    deinit {
        gsl_odeiv2_driver_free(driver)
        system.deinitialize(count: 1)
        system.deallocate()
    }

    /// The most steps one ``integrate(_:from:to:)`` may take before it throws `GSLError`
    /// (`GSL_EMAXITER`) (`gsl_odeiv2_driver_set_nmax`). Default 1 000 000; 0 means unlimited.
    package var maximumSteps: Int {
        get { Int(driver.pointee.nmax) }
        set {
            precondition(newValue >= 0, "maximumSteps must be non-negative (0 = unlimited), got \(newValue)")
            gsl_odeiv2_driver_set_nmax(driver, UInt(newValue))
        }
    }

    /// The number of steps the last ``integrate(_:from:to:)`` took (the driver's step counter `n`).
    package var lastStepCount: Int {
        Int(driver.pointee.n)
    }

    /// Integrates `y` from time `t0` to time `t1` in place (`gsl_odeiv2_driver_apply`).
    ///
    /// Every call starts afresh (`gsl_odeiv2_driver_reset_hstart`) with a first step of
    /// `initialStep` towards `t1`, so `t1 < t0` integrates backwards and the result does not
    /// depend on earlier calls. Throws the derivative closure's own error unchanged, or
    /// `GSLError` (routine `gsl_odeiv2_driver_apply`) when GSL fails, e.g. `GSL_EMAXITER` after
    /// ``maximumSteps`` steps; `y` then holds the state after the last successful step.
    package func integrate(_ y: inout [Double], from t0: Double, to t1: Double) throws {
        precondition(y.count == dimension, "state has \(y.count) components, the system has \(dimension)")
        precondition(t0.isFinite && t1.isFinite, "integration limits must be finite, got \(t0) to \(t1)")
        try GSLError.check(gsl_odeiv2_driver_reset_hstart(driver, t1 < t0 ? -initialStep : initialStep),
                           "gsl_odeiv2_driver_reset_hstart")
        context.error = nil
        defer { context.error = nil }
        var t = t0
        let status = y.withUnsafeMutableBufferPointer { gsl_odeiv2_driver_apply(driver, &t, t1, $0.baseAddress) }
        if let error = context.error {
            throw error
        }
        try GSLError.check(status, "gsl_odeiv2_driver_apply")
    }
}
