// Errors of sweeps that the user can fix: a bad option, an existing or foreign database, a
// corrupt file. Each is a `UserInputError`, so the command-line tool exits with status 2.
import TwinCityScenario

/// An option or combination of options that cannot be used, with what to do instead.
public struct SweepUsageError: UserInputError, Sendable, Equatable {
    /// The sentence shown to the user.
    public var message: String

    /// An error with the given sentence.
    public init(_ message: String) {
        self.message = message
    }

    /// The sentence itself.
    public var description: String { message }
}

/// A problem with a sweep database: it exists where a new sweep would write, it belongs to
/// another sweep, it is not a sweep database, or two databases cannot be merged.
public enum SweepDatabaseError: UserInputError, Sendable, Equatable {
    /// A new sweep would overwrite an existing database.
    case exists(path: String)
    /// The database was made from another sweep file (its recorded content hash differs).
    case otherSweep(path: String, recorded: String, expected: String, recordedName: String)
    /// The file is not a readable SQLite database, fails SQLite's integrity check, or lacks
    /// the tables of a sweep database.
    case corrupt(path: String, reason: String)
    /// Two databases to merge hold the same run.
    case overlap(path: String, other: String, point: Int, replication: Int)
    /// No database was found where one was expected.
    case missing(path: String, hint: String)

    /// What is wrong and what to do, naming the file.
    public var description: String {
        switch self {
        case .exists(let path):
            return "\(path) already exists; use --resume to continue that sweep, or --out DIR to start a new one elsewhere"
        case .otherSweep(let path, let recorded, let expected, let name):
            return "\(path) belongs to another sweep ('\(name)', content hash \(recorded.prefix(12))…), not to this sweep file (content hash \(expected.prefix(12))…); nothing was changed. Use the sweep file it was made from, or another --out DIR"
        case .corrupt(let path, let reason):
            return "\(path) is not a usable sweep database (\(reason)); nothing was changed. Move it aside and run the sweep again, or use another --out DIR"
        case .overlap(let path, let other, let point, let replication):
            return "\(path) and \(other) both hold point \(point), replication \(replication); the shards overlap, so nothing was merged"
        case .missing(let path, let hint):
            return "no sweep database at \(path); \(hint)"
        }
    }
}
