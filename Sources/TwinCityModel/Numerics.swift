// What the numerics of a run rest on, for manifests: the layers above the model core do not
// reach into the GSL layer themselves.
import TwinCityGSL

/// The numerical library behind the model.
public enum Numerics {
    /// Version of the GNU Scientific Library linked in (`gsl_version`).
    public static var gslVersion: String { GSL.version }
}
