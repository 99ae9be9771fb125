// The explicit Runge–Kutta steppers an ODEIntegrator may use.
import CGSL

/// An explicit GSL ODE stepper (`gsl_odeiv2_step_*`). The raw value is GSL's name for it.
///
/// All are explicit, so none needs a Jacobian.
package enum ODEStepType: String, Sendable, CaseIterable {
    /// Explicit embedded Runge–Kutta (2, 3) (`gsl_odeiv2_step_rk2`).
    case rk2
    /// Explicit 4th-order classical Runge–Kutta, error by step doubling (`gsl_odeiv2_step_rk4`).
    case rk4
    /// Explicit embedded Runge–Kutta–Fehlberg (4, 5) (`gsl_odeiv2_step_rkf45`): a good general-purpose choice.
    case rkf45
    /// Explicit embedded Runge–Kutta Cash–Karp (4, 5) (`gsl_odeiv2_step_rkck`).
    case rkck
    /// Explicit embedded Runge–Kutta Prince–Dormand (8, 9) (`gsl_odeiv2_step_rk8pd`): for tight tolerances.
    case rk8pd

    var gslType: UnsafePointer<gsl_odeiv2_step_type> {
        switch self {
        case .rk2: cgsl_odeiv2_step_rk2()
        case .rk4: cgsl_odeiv2_step_rk4()
        case .rkf45: cgsl_odeiv2_step_rkf45()
        case .rkck: cgsl_odeiv2_step_rkck()
        case .rk8pd: cgsl_odeiv2_step_rk8pd()
        }
    }
}
