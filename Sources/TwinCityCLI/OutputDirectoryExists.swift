// The one run-directory failure that is the user's to fix: the output folder is taken.
import TwinCityExport
import TwinCityScenario

/// `twincity run` was pointed at a directory that already exists, without `--force`.
struct OutputDirectoryExists: UserInputError {
    /// The output directory, as given or defaulted.
    let path: String

    var description: String {
        "output directory '\(path)' already exists; use --force to replace it, or --out DIR to write elsewhere"
    }
}

/// `--force` aimed at something twincity did not write (a folder without the run marker, a
/// symbolic link, a file): the user's to fix, exit status 2.
extension RunDirectoryRefusal: UserInputError {}
