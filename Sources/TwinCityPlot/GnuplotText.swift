// The one way text reaches a gnuplot script. gnuplot runs the command between backquotes
// anywhere on a command line except inside a single-quoted string, and expands `@macro` and
// `$name` outside strings, so every name, title, label and path goes into the script as
// single-quoted strings built here — whatever a roster, a manifest or a folder name holds.
import Foundation

/// Spelling text and numbers for gnuplot scripts and data files.
public enum GnuplotText {
    /// `text` as a parenthesised gnuplot string expression that gnuplot takes literally
    /// (the parentheses let it stand wherever gnuplot expects a string: `set title`,
    /// `set output`, a plot's `title`).
    ///
    /// Each line is a single-quoted string, in which gnuplot interprets nothing but `''` (one
    /// quote): backquotes, `@`, `$`, `\` and `"` stay as they are. Line breaks become the
    /// double-quoted `"\n"` between them (`('first' . "\n" . 'second')`, a two-line title);
    /// every other control character — a carriage return, a tab, a NUL, an escape, the
    /// Unicode line and paragraph separators — becomes a space, since gnuplot reads its
    /// script line by line and a terminal escape has no place in a picture.
    public static func quoted(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var out = "'"
            for scalar in line.unicodeScalars {
                if scalar == "'" {
                    out += "''"
                } else if isControl(scalar) {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return out + "'"
        }
        return "(" + lines.joined(separator: " . \"\\n\" . ") + ")"
    }

    /// True for a C0 or C1 control character, DEL, or a Unicode line or paragraph separator.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// A number for a data file: Swift's shortest round-trip text, `NaN` (a gap) when not finite.
    static func number(_ value: Double) -> String {
        value.isFinite ? String(value) : "NaN"
    }

    /// A cell of a tab-separated data file (read as data, never as commands): control
    /// characters, tabs and line breaks replaced by spaces, so a name stays one cell of one row.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) || scalar.properties.isWhitespace && scalar != " " { out += " " } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// `text` with each line broken at spaces into lines of at most `columns` characters (a
    /// word longer than that stays whole on its own line), so a long title is never cut at
    /// the picture's edge: gnuplot centres a title and clips what overflows.
    public static func wrapped(_ text: String, columns: Int) -> String {
        let limit = max(columns, 1)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var lines: [String] = []
            var current = ""
            for word in line.split(separator: " ", omittingEmptySubsequences: false) {
                if current.isEmpty {
                    current = String(word)
                } else if current.count + 1 + word.count <= limit {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
