// Entry point of the `twincity` tool: the root command, its subcommands, and the one place
// where errors from any subcommand are turned into messages and exit statuses.
import ArgumentParser
import TwinCityExport

/// The `twincity` command: a multi-agent simulator of the Chengdu–Chongqing twin-city
/// economic circle. Each subcommand lives in its own file and is listed in `subcommands`.
@main
struct TwinCity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twincity",
        abstract: "Simulate the regional economy of the Chengdu–Chongqing twin-city economic circle.",
        discussion: """
            Input errors (a bad roster or scenario file) are reported as \
            'twincity: error: FILE:LINE: ...' with exit status 2, and so is a malformed command \
            line (an unknown option, a missing argument, a value out of range); other failures \
            exit with status 1.
            """,
        version: twinCityVersion,
        subcommands: [
            CitiesCommand.self,
            RunCommand.self,
            SweepCommand.self,
            PlotCommand.self,
            ValidateCommand.self,
            CompareCommand.self,
            ServeCommand.self,
            ReportCommand.self,
            EstimateCommand.self,
            HindcastCommand.self,
        ]
    )

    /// Parses the arguments and runs the chosen subcommand, sending any error it throws through
    /// `ErrorReporting`, so every subcommand reports input errors the same way.
    static func main() async {
        var command: ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            // --help and --version keep the parser's handling; usage errors its message.
            exitReportingUsage(error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Built-in commands (help, completion scripts) keep the parser's reporting.
            guard isOwnCommand(command) else { exitReportingUsage(error) }
            ErrorReporting.exit(reporting: error)
        }
    }

    /// Ends the process for an error of the argument parser: a malformed command line gets the
    /// parser's message and usage on standard error and exit status 2, the status of every
    /// other input error (docs/RELIABILITY.md §5), instead of the parser's 64; `--help`,
    /// `--version` and `ExitCode` keep the parser's handling.
    static func exitReportingUsage(_ error: Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        let message = fullMessage(for: error)
        if !message.isEmpty { TerminalText.write(message + "\n", to: .standardError) }
        exit(withError: ErrorReporting.inputErrorStatus)
    }

    /// True for `TwinCity` and the subcommands below it, false for the parser's built-in
    /// commands, whose errors are the parser's to report.
    static func isOwnCommand(_ command: ParsableCommand) -> Bool {
        var pending: [ParsableCommand.Type] = [TwinCity.self]
        while let type = pending.popLast() {
            if type == Swift.type(of: command) { return true }
            pending += type.configuration.subcommands
        }
        return false
    }
}
