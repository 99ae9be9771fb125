// Paths written into generated batch scripts: quoted for the shell that runs the script, and
// refused when no quoting can make them safe (a line break ends a comment and starts a command).
import Foundation
import TwinCityScenario

/// Quoting for `sweep.sbatch`, `merge.sbatch` and `submit.sh`.
public enum ShellQuoting {
    /// `text` quoted for a POSIX shell: in single quotes, inner single quotes as `'\''`. The
    /// shell interprets nothing inside single quotes, so `$`, backquotes and `;` stay text.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The first character of `text` that no quoting makes safe in a script line: a control
    /// character (line break, carriage return, NUL, escape, DEL, C1) or a Unicode line or
    /// paragraph separator; `nil` when there is none.
    public static func unsafeCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 }
    }

    /// Refuses a path that cannot go into a script.
    ///
    /// - Parameters:
    ///   - path: The path as it will be written.
    ///   - argument: The option or argument it came from (`--out`, `the sweep file`).
    /// - Throws: `ScriptPathError` naming the argument and the character.
    public static func check(_ path: String, argument: String) throws {
        if let scalar = unsafeCharacter(in: path) {
            throw ScriptPathError(argument: argument, path: path, reason: "contains the control character U+\(String(format: "%04X", scalar.value)); a line break in a batch script would start a command of its own")
        }
    }
}

/// A path that cannot be written into a batch script: exit status 2.
public struct ScriptPathError: UserInputError, Sendable, Equatable {
    /// The option or argument the path came from.
    public var argument: String
    /// The path.
    public var path: String
    /// Why it is refused.
    public var reason: String

    public var description: String {
        "\(argument): the path \(path.debugDescription) \(reason); choose a path without it"
    }
}
