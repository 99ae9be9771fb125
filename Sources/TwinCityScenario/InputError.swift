// Errors in files a user wrote: each names the file, where in it, what was expected and what
// was found, so the user can fix the file without reading the source.
import TwinCityModel

/// An error the user can fix by changing an input (a file, an option), as opposed to a fault
/// of the program or the machine.
///
/// The command-line tool prints such an error as `twincity: error: <description>` and exits
/// with status 2. Any error type whose description is written for the user may adopt it.
public protocol UserInputError: Error, CustomStringConvertible {}

/// One mistake in an input file, located as precisely as the format allows.
///
/// Its `description` reads `file:line:column: key: message`, leaving out the parts that are
/// `nil`, e.g. `cities.csv:5: column 'pop_2020': expected a number, found 'abc'`.
public struct InputError: UserInputError, Equatable, Sendable {
    /// How the `key` of an error is introduced in its description.
    public enum KeyKind: String, Sendable, Equatable {
        /// A CSV column, shown as `column 'pop_2020'`.
        case column
        /// A key path in a structured file, shown as `key 'policy[2].start'`.
        case key
    }

    /// The path of the file, as the user gave it (not made absolute, so it reads as typed).
    public var file: String
    /// 1-based line in the file; for CSV the header is line 1.
    public var line: Int?
    /// 1-based column (character position) in the line, where the format gives one.
    public var column: Int?
    /// The column name or key path the error concerns, e.g. `pop_2020` or `policy[2].start`.
    public var key: String?
    /// Whether `key` is a CSV column or a key path.
    public var keyKind: KeyKind
    /// What was expected and what was found, as a sentence fragment without a final period.
    public var message: String

    /// Creates an error; `keyKind` says whether `key` names a CSV column or a key path.
    package init(
        file: String, line: Int? = nil, column: Int? = nil,
        key: String? = nil, keyKind: KeyKind = .key, message: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.keyKind = keyKind
        self.message = message
    }

    /// `file:line:column: key: message`, without the parts that are `nil`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        var text = location + ": "
        if let key { text += "\(keyKind.rawValue) '\(key)': " }
        return text + message
    }
}

/// Several input errors found in one pass, so the user can fix them all at once.
///
/// Its `description` has one error per line, in the order found (file by file, line by line).
public struct InputErrors: UserInputError, Equatable, Sendable {
    /// The errors, in the order they are reported.
    public var errors: [InputError]

    /// Wraps a list of errors.
    package init(_ errors: [InputError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }

    /// Throws nothing for an empty list, the single `InputError` for one, and `InputErrors`
    /// for more: the shape every loader in this module reports with.
    package static func throwIfAny(_ errors: [InputError]) throws {
        switch errors.count {
        case 0: return
        case 1: throw errors[0]
        default: throw InputErrors(errors)
        }
    }
}

/// A roster refused by the model (empty, duplicate id, unknown city) is a mistake in the
/// user's files, so the command-line tool reports it like any other input error.
extension RosterError: UserInputError {}
