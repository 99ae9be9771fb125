// The typed error every GSL status other than success becomes.
import CGSL

/// An error reported by a GSL routine: the routine's name, GSL's status code and GSL's text
/// for it (`gsl_strerror`), or a more specific sentence when the wrapper knows one.
package struct GSLError: Error, Equatable, CustomStringConvertible {
    /// The GSL routine that reported the failure, e.g. `"gsl_odeiv2_driver_apply"`.
    package let routine: String
    /// GSL's status code, one of ``GSLStatus`` (`GSL_EINVAL`, `GSL_EMAXITER`, …).
    package let status: Int32
    /// Why the routine failed, in words.
    package let reason: String

    /// An error with an explicit reason.
    package init(routine: String, status: Int32, reason: String) {
        self.routine = routine
        self.status = status
        self.reason = reason
    }

    /// An error whose reason is GSL's own text for `status` (`gsl_strerror`).
    package init(routine: String, status: Int32) {
        self.init(routine: routine, status: status, reason: GSLStatus.text(for: status))
    }

    /// "routine failed: reason (GSL status N)".
    package var description: String {
        "\(routine) failed: \(reason) (GSL status \(status))"
    }

    /// Throws a `GSLError` naming `routine` unless `status` is `GSL_SUCCESS`.
    static func check(_ status: Int32, _ routine: String) throws(GSLError) {
        guard status == GSLStatus.success else {
            throw GSLError(routine: routine, status: status)
        }
    }
}
