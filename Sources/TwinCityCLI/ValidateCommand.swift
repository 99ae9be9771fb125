// `twincity validate`: checks scenario files, their policies and their rosters without
// running or calibrating anything, and reports every error of every file.
import ArgumentParser
import Foundation
import TwinCityScenario

/// Checks each scenario file as `twincity run` would before it runs: the file and those it
/// extends, the `--set` overrides, the roster, and every policy against the roster and the
/// model's sectors.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them.",
        discussion: """
            Prints 'FILE: ok' on standard output for each file without an error, and every \
            error of every other file on standard error, one per line. Nothing is calibrated \
            or simulated. Exit status: 0 when every file is valid, 2 when any file has an error.
            """
    )

    /// The scenario files, checked in the order given.
    @Argument(help: ArgumentHelp("Scenario files (TOML).", valueName: "file"))
    var files: [String]

    /// Overrides applied to every file, as `twincity run --set` applies them.
    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp(
        "Override a scenario key in every file, as `twincity run --set` does (repeatable).",
        valueName: "key=value"))
    var overrides: [String] = []

    mutating func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one scenario file to check") }
    }

    func run() throws {
        var failed = false
        for file in files {
            do {
                try ScenarioLoader.validate(path: file, overrides: overrides)
                TerminalText.write("\(file): ok\n", to: .standardOutput)
            } catch let error as UserInputError {
                failed = true
                ErrorReporting.writeToStandardError(error.description)
            } catch {
                // A fault of the machine (an unreadable folder, say) still concerns this file only.
                failed = true
                ErrorReporting.writeToStandardError("\(file): \(ErrorReporting.message(for: error))")
            }
        }
        if failed { throw ErrorReporting.inputErrorStatus }
    }
}
