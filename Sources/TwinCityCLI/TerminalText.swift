// What twincity prints comes partly from files (scenario, sweep and city names, paths, cells
// of a run directory): control characters in them are shown escaped, so a name cannot move
// the cursor, retitle the window or hide text in the user's terminal.
import Foundation

/// Text for standard output and standard error.
enum TerminalText {
    /// `text` with every control character other than a line break and a tab — escape, a
    /// carriage return, a NUL, DEL, the C1 controls, the Unicode line and paragraph
    /// separators, the bidirectional overrides — written as `\u{XX}`.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True for a character a terminal acts on rather than shows.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00..<0x20, 0x7F...0x9F: return true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Writes `text`, escaped, to `handle`.
    static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(escaped(text).utf8))
    }
}
