// Process-wide GSL set-up, done once, and facts about the linked library.
import CGSL

/// Process-wide set-up of the GNU Scientific Library and facts about the linked copy.
package enum GSL {
    // GSL's default handler calls abort(); with it off every routine returns its status, which
    // the wrappers turn into thrown errors. A static let's initializer runs exactly once,
    // atomically, whichever thread reaches it first.
    private static let errorHandlerSwitchedOff: Void = {
        _ = gsl_set_error_handler_off()
    }()

    /// Switches GSL's abort-on-error handler off (`gsl_set_error_handler_off`), once per process.
    ///
    /// Idempotent and thread-safe. Every wrapper's initializer calls it, so callers only need it
    /// before calling GSL some other way.
    package static func initialize() {
        _ = errorHandlerSwitchedOff
    }

    /// The version of the GSL library linked at run time (`gsl_version`), e.g. "2.7.1".
    package static var version: String {
        String(cString: cgsl_version())
    }
}
