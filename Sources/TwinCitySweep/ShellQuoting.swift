// Paths written into generated batch scripts: quoted for the shell that runs the script and
// for sbatch, which reads `#SBATCH` lines itself, and refused when no quoting can make them
// safe (a line break ends a comment or a directive and starts a command).
import Foundation
import TwinCityScenario

/// Quoting for `sweep.sbatch`, `merge.sbatch` and `submit.sh`.
public enum ShellQuoting {
    /// `text` quoted for a POSIX shell: in single quotes, inner single quotes as `'\''`. The
    /// shell interprets nothing inside single quotes, so `$`, backquotes and `;` stay text.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `text` as one argument of an `#SBATCH` line: every character other than an ASCII
    /// letter, digit, `/`, `.`, `_`, `-` or `+` preceded by a backslash, which sbatch's
    /// directive reader takes as "the next character is literal" (so a space, a quote or a
    /// `#`, which would otherwise start a comment, stay in the path).
    public static func sbatchArgument(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let plain = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || "/._-+".unicodeScalars.contains(scalar))
            if !plain { out += "\\" }
            out.unicodeScalars.append(scalar)
        }
        return out
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
    ///   - slurmPattern: True for a path Slurm expands `%` patterns in (`#SBATCH --output`):
    ///     a `%` is refused there too, since Slurm would read it as `%j`, `%A`, ….
    /// - Throws: `ScriptPathError` naming the argument and the character.
    public static func check(_ path: String, argument: String, slurmPattern: Bool = false) throws {
        if let scalar = unsafeCharacter(in: path) {
            throw ScriptPathError(argument: argument, path: path, reason: "contains the control character U+\(String(format: "%04X", scalar.value)); a line break in a batch script would start a command of its own")
        }
        if slurmPattern, path.contains("%") {
            throw ScriptPathError(argument: argument, path: path, reason: "contains '%', which Slurm reads as a file-name pattern (%j, %A, %a) in #SBATCH --output")
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
