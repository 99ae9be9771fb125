// What the numerics of a run rest on, for manifests: the layers above the model core do not
// reach into the GSL layer themselves.
import TwinCityGSL

/// The numerical library behind the model.
public enum Numerics {
    /// Version of the GNU Scientific Library linked in (`gsl_version`).
    public static var gslVersion: String { GSL.version }
}

extension Double {
    /// The larger of `self` and `other`, NaN when either is NaN. `Swift.max` returns its first
    /// argument when the comparison fails, so a NaN residual would vanish from a running
    /// maximum and a diverged iteration would look converged.
    @inline(__always)
    package func maxPropagatingNaN(_ other: Double) -> Double {
        isNaN || other.isNaN ? .nan : Swift.max(self, other)
    }
}
