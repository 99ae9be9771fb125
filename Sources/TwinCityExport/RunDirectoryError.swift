// Why a run directory could not be written. The command-line tool decides which of these
// are the user's to fix (an existing directory) and how to say so.
import Foundation

/// A failure of `RunDirectoryWriter`. When one is thrown the writer has already removed its
/// temporary directory, so nothing half-written is left behind.
public enum RunDirectoryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output directory (or a file of that name) already exists and the writer was not
    /// asked to overwrite it.
    case exists(path: String)
    /// A file-system operation failed: the path, the operation (`create`, `write`, `rename`…)
    /// and the system's reason.
    case fileSystem(path: String, operation: String, reason: String)
    /// A tick's arrays do not have the length the writer's cities and sectors imply.
    case shapeMismatch(String)
    /// Two columns of one file would have the same name, e.g. a sector called `in` next to
    /// the fixed column `capital_in`.
    case duplicateColumn(file: String, column: String)
    /// A tick was written, or the run finished, after the writer had finished or aborted.
    case closed(path: String)
    /// An ensemble was finished before every replication was, or a replication was started
    /// twice or out of range: the path and which replication.
    case replication(path: String, message: String)

    /// One sentence naming the path and what went wrong.
    public var description: String {
        switch self {
        case .exists(let path):
            return "output directory '\(path)' already exists"
        case .fileSystem(let path, let operation, let reason):
            return "cannot \(operation) '\(path)': \(reason)"
        case .shapeMismatch(let message):
            return "tick does not match the run's cities and sectors: \(message)"
        case .duplicateColumn(let file, let column):
            return "\(file) would have two columns named '\(column)'; rename the sector"
        case .closed(let path):
            return "the run directory '\(path)' was already finished or aborted"
        case .replication(let path, let message):
            return "ensemble '\(path)': \(message)"
        }
    }
}
