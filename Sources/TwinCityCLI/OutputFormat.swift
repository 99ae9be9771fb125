// The output formats a listing command can write.
import ArgumentParser

/// How a command writes tabular results: `table` for reading in a terminal, `csv` and `json`
/// for other programs.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// Aligned text columns with units in the headings.
    case table
    /// RFC 4180 CSV with a header row, numbers in base units.
    case csv
    /// A pretty-printed JSON array of objects, keys sorted.
    case json
}
