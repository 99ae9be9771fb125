// A look at TOML text before TOMLKit parses it, for the malformed constructs on which the
// parser underneath (toml++ 3.4, built with its assertions on) stops the process with a failed
// assertion instead of reporting a syntax error. Each is reported as the syntax error it is.

/// A syntax error found by `TOMLPreflight.check`, with its 1-based line and column (in
/// Unicode scalars, as TOMLKit's own syntax errors count them).
package struct TOMLSyntaxProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Line of the offending character.
    package var line: Int
    /// Column of the offending character.
    package var column: Int
    /// What was expected and what was found.
    package var message: String

    /// `message`, without the position (callers put the file and position in front).
    package var description: String { message }
}

/// Refuses the TOML constructs that would abort the parser rather than be reported by it.
///
/// Known cases, where toml++ asserts what it should check:
/// - a table header whose name starts with a character that can start no key — `[$a]`,
///   `[[[a]]]`, `[` before a line break — where it asserts that a key begins;
/// - an array whose next element, after `[` or a comma, starts with `}` or a line separator
///   other than `\n` (U+0085, U+2028, U+2029) — `a = [1, }` — where it asserts that a value
///   begins.
///
/// The scan follows strings (single- and multi-line, with escapes), comments and the brackets
/// of array and inline-table values, so that a `[` inside a value or a string is never taken
/// for a header; valid TOML always passes.
package enum TOMLPreflight {
    /// Throws the first construct of `text` the TOML parser cannot report by itself.
    package static func check(_ text: String) throws(TOMLSyntaxProblem) {
        var scanner = Scanner(text)
        try scanner.scan()
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var column = 1

        init(_ text: String) {
            chars = Array(text.unicodeScalars)
        }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < chars.count ? chars[index + offset] : nil
        }

        mutating func advance() {
            guard index < chars.count else { return }
            if chars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        /// Line separators the parser neither skips as a line break nor accepts as a value.
        static func isOtherLineSeparator(_ c: Unicode.Scalar) -> Bool {
            c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
        }

        mutating func scan() throws(TOMLSyntaxProblem) {
            // Open `[` and `{` of values: a line break inside them does not start a statement.
            var open: [Unicode.Scalar] = []
            var atStatementStart = true
            // After the `[` of an array or a comma in it: an element (or `]`) comes next.
            var expectingElement = false
            while let c = peek() {
                if expectingElement, c == "}" || Self.isOtherLineSeparator(c) {
                    throw TOMLSyntaxProblem(
                        line: line, column: column,
                        message: "expected a value or ']' in the array, found \(Self.shown(c))")
                }
                switch c {
                case " ", "\t", "\r":
                    advance()
                case "\n":
                    if open.isEmpty { atStatementStart = true }
                    advance()
                case "#":
                    while let next = peek(), next != "\n" { advance() }
                case "\"", "'":
                    try skipString()
                    atStatementStart = false
                    expectingElement = false
                case "[" where atStatementStart && open.isEmpty:
                    try header()
                    atStatementStart = false
                case "[", "{":
                    open.append(c)
                    atStatementStart = false
                    expectingElement = c == "["
                    advance()
                case "]", "}":
                    if !open.isEmpty { open.removeLast() }
                    atStatementStart = false
                    expectingElement = false
                    advance()
                case ",":
                    atStatementStart = false
                    expectingElement = open.last == "["
                    advance()
                default:
                    atStatementStart = false
                    expectingElement = false
                    advance()
                }
            }
        }

        /// A character as an error shows it: quoted, or as U+ and its hexadecimal code point when it is invisible.
        static func shown(_ c: Unicode.Scalar) -> String {
            switch c.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format, .spaceSeparator:
                return "U+" + String(c.value, radix: 16, uppercase: true)
            default:
                return "'\(c)'"
            }
        }

        /// `[name]` or `[[name]]` at the start of a statement: the name must start with a key
        /// character or a quote, or be `]` (an empty name, which the parser reports itself) —
        /// a line break there too would reach the assertion; the rest of the line is skipped,
        /// strings included.
        mutating func header() throws(TOMLSyntaxProblem) {
            advance()
            var sawBlank = false
            while let c = peek(), c == " " || c == "\t" { advance(); sawBlank = true }
            if peek() == "[" && !sawBlank {
                advance()
                while let c = peek(), c == " " || c == "\t" { advance() }
            }
            if let c = peek(), c != "]", c != "\"", c != "'", !TOMLKeyPath.isBare(c) {
                throw TOMLSyntaxProblem(
                    line: line, column: column,
                    message: "expected a table name (a bare key or a quoted key) after '[', found \(Self.shown(c))")
            }
            while let c = peek(), c != "\n" {
                if c == "\"" || c == "'" { try skipString() } else if c == "#" { break } else { advance() }
            }
        }

        /// A basic or literal string, single- or multi-line; a single-line string ends at the
        /// line break if it is not closed (the parser reports that). A NUL escape
        /// (`\u0000`, `\U00000000`) is refused: the parser hands strings on as C strings, so
        /// the text would silently end there (`name = "a\u0000b"` read as `a`).
        mutating func skipString() throws(TOMLSyntaxProblem) {
            guard let quote = peek() else { return }
            let multiline = peek(1) == quote && peek(2) == quote
            let delimiter = multiline ? 3 : 1
            for _ in 0..<delimiter { advance() }
            while let c = peek() {
                if c == quote, !multiline || (peek(1) == quote && peek(2) == quote) {
                    for _ in 0..<delimiter { advance() }
                    return
                }
                if c == "\n", !multiline { return }
                if c == "\\", quote == "\"" {
                    let digits = peek(1) == "u" ? 4 : peek(1) == "U" ? 8 : 0
                    if digits > 0, (2..<(2 + digits)).allSatisfy({ peek($0) == "0" }) {
                        throw TOMLSyntaxProblem(
                            line: line, column: column,
                            message: "a string holds the escape of a NUL character (U+0000), which would end the text there; remove it")
                    }
                    advance()
                }
                advance()
            }
        }
    }
}
