// Why a plot could not be made: either the user asked for something the run does not have
// (exit status 2 in the command-line tool) or the plotting program failed (status 1).

/// A failure of `twincity plot`.
public enum PlotError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No `gnuplot` executable on the search path.
    case gnuplotMissing
    /// A name the run does not have: what kind of name (`variable`, `city`, `zone`, `year`),
    /// the name given, where it was looked for, and the nearest valid name, if any.
    case unknownName(kind: String, name: String, place: String, nearest: String?)
    /// A request the run's data cannot answer, in one sentence saying what to do instead.
    case unsupported(String)
    /// The run directory is missing or one of its files cannot be read.
    case runDirectory(path: String, message: String)
    /// gnuplot ran but failed or wrote nothing: its exit status and standard error.
    case gnuplotFailed(status: Int32, message: String)
    /// The plot file could not be written: its path and the reason.
    case output(path: String, reason: String)

    /// True when the user's request is at fault (a name, a year, a missing run), so the
    /// command exits with status 2; false when the plotting machinery failed (status 1).
    public var isUserInput: Bool {
        switch self {
        case .unknownName, .unsupported, .runDirectory: return true
        case .gnuplotMissing, .gnuplotFailed, .output: return false
        }
    }

    /// One sentence naming what went wrong and, where there is one, the nearest valid name.
    public var description: String {
        switch self {
        case .gnuplotMissing:
            return "plotting needs gnuplot; install it with: sudo apt-get install gnuplot-nox"
        case .unknownName(let kind, let name, let place, let nearest):
            return "unknown \(kind) '\(name)' in \(place)" + (nearest.map { "; did you mean '\($0)'?" } ?? "")
        case .unsupported(let message):
            return message
        case .runDirectory(let path, let message):
            return "run directory '\(path)': \(message)"
        case .gnuplotFailed(let status, let message):
            return "gnuplot failed (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
        case .output(let path, let reason):
            return "cannot write '\(path)': \(reason)"
        }
    }
}
