// How every command reports a failure: input errors with exit status 2, other failures with 1,
// always on standard error and never after partial output.
import ArgumentParser
import Foundation
import TwinCityScenario

/// Turns an error thrown by a command's `run()` into a message on standard error and an exit
/// status.
///
/// - An error in the user's input (`UserInputError`: `InputError`, `InputErrors`,
///   `RosterError`, or any type adopting the protocol) prints `twincity: error: <description>`,
///   one line per error, and exits with status 2.
/// - `ValidationError` (a malformed command line found by a command) prints the parser's
///   message and usage and exits with status 2, as the parser's own usage errors do.
/// - `ExitCode` and `CleanExit` keep the argument parser's handling.
/// - Anything else prints `twincity: error: <message>` and exits with status 1.
///
/// Commands should compute their whole output before writing any of it, so that a failure
/// leaves standard output empty.
enum ErrorReporting {
    /// Exit status for an error in the user's input files or options.
    static let inputErrorStatus = ExitCode(2)

    /// Reports `error` and ends the process.
    static func exit(reporting error: Error) -> Never {
        switch error {
        case let error as UserInputError:
            writeToStandardError(error.description)
            TwinCity.exit(withError: inputErrorStatus)
        case is ExitCode, is CleanExit, is ValidationError:
            TwinCity.exitReportingUsage(error)
        default:
            writeToStandardError(message(for: error))
            TwinCity.exit(withError: ExitCode.failure)
        }
    }

    /// Writes `text` to standard error with each line prefixed by `twincity: error: `.
    static func writeToStandardError(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let report = lines.map { "twincity: error: \($0)\n" }.joined()
        TerminalText.write(report, to: .standardError)
    }

    /// The most readable message an error offers: its localized description when it provides
    /// one, its own description otherwise.
    static func message(for error: Error) -> String {
        if let localized = error as? LocalizedError, let text = localized.errorDescription {
            return text
        }
        return String(describing: error)
    }
}
