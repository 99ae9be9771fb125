// GSL's status codes (gsl_errno.h) in the type GSL routines return them in.
import CGSL

/// GSL status codes from `gsl_errno.h`, as the `Int32` that GSL routines return and that
/// ``GSLError/status`` and ``MultirootFailure/status`` carry. (The C enum imports into Swift
/// as `Int`, which is why these exist.)
package enum GSLStatus {
    /// `GSL_SUCCESS`: the routine succeeded.
    package static let success = Int32(GSL_SUCCESS)
    /// `GSL_CONTINUE`: an iteration has not converged yet.
    package static let `continue` = Int32(GSL_CONTINUE)
    /// `GSL_EINVAL`: an invalid argument was supplied.
    package static let invalidArgument = Int32(GSL_EINVAL)
    /// `GSL_EBADFUNC`: the user's function failed or returned a non-finite value.
    package static let badFunction = Int32(GSL_EBADFUNC)
    /// `GSL_ENOMEM`: memory allocation failed.
    package static let outOfMemory = Int32(GSL_ENOMEM)
    /// `GSL_EMAXITER`: the maximum number of iterations or steps was reached.
    package static let maximumIterations = Int32(GSL_EMAXITER)
    /// `GSL_ENOPROG`: an iterative solver is not making progress towards a solution.
    package static let noProgress = Int32(GSL_ENOPROG)
    /// `GSL_ENOPROGJ`: Jacobian re-evaluations are not improving the solution.
    package static let noProgressJacobian = Int32(GSL_ENOPROGJ)
    /// `GSL_EBADTOL`: a tolerance was negative or otherwise unusable.
    package static let badTolerance = Int32(GSL_EBADTOL)
    /// `GSL_EFAILED`: a generic failure.
    package static let failed = Int32(GSL_EFAILED)

    /// GSL's text for a status code (`gsl_strerror`).
    package static func text(for status: Int32) -> String {
        String(cString: gsl_strerror(status))
    }
}
