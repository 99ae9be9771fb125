// A parsed TOML file as plain Swift values, with the line and column of every key: TOMLKit
// parses, but exposes no source positions for values, so a scanner over the (already valid)
// text finds where each key path is written. Scenario, estimates and sweep files are all read
// through it.
import Foundation
import TOMLKit

/// A TOML value, copied out of TOMLKit's tree so that checking it needs no C calls.
package indirect enum TOMLNode {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// A date, time or date-time, kept as text: no scenario key takes one.
    case temporal(TOMLType, String)

    /// The value for the "found …" half of an error message, e.g. `the string "fast"`.
    var found: String {
        switch self {
        case .string(let text): return "the string \"\(text)\""
        case .integer(let value): return "\(value)"
        case .float(let value): return Self.format(value)
        case .bool(let value): return "\(value)"
        case .array: return "an array"
        case .table: return "a table"
        case .temporal(let type, let text): return "the \(type) \(text)"
        }
    }

    /// As `found`, but a finite float keeps its fraction (`2.0`, not `2`): for messages that
    /// refuse a float where a whole number or a string belongs, where `2` would read as the
    /// very value that was asked for.
    package var foundAsTyped: String {
        if case .float(let value) = self, value.isFinite { return "\(value)" }
        return found
    }

    /// A number as TOML writes it: `nan`, `inf`, `-inf`, `0.1`, `2020`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}

/// Line and column (1-based, in Unicode scalars) where a key is first written.
struct SourcePosition: Equatable {
    var line: Int
    var column: Int
}

/// A TOML file's root table and the position of each key path.
package struct TOMLDocument {
    /// The root table.
    package var root: [String: TOMLNode]
    /// Where each key path (e.g. `["model", "sectors", "services"]`) is first written: its
    /// key in a `key = value` line or its segment in a `[table]` header. An element of an
    /// array is the segment `[n]` (from 0): `["policy", "[1]", "cities", "[0]"]`, located at
    /// its `[[policy]]` header or at the element's first character.
    var positions: [[String]: SourcePosition]
    /// Where the header opening each table is written: the `[` of its `[a.b]` line, and for
    /// an array of tables of its first `[[a.b]]` line. A table written only as dotted keys or
    /// inline has none.
    var headers: [[String]: SourcePosition]

    /// Reads and parses the TOML file at `path`; `what` names the kind of file in errors
    /// ("scenario file", "sweep file").
    ///
    /// - Throws: `InputError` for a missing, folder or non-UTF-8 file, and for a TOML syntax
    ///   error, with its line and column.
    package static func read(_ path: String, what: String) throws -> TOMLDocument {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(file: path, message: "\(what) not found")
        }
        guard !isFolder.boolValue else {
            throw InputError(file: path, message: "is a folder; expected a \(what) (.toml)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "cannot be read as UTF-8 text")
        }
        do {
            return try TOMLDocument(text: text)
        } catch let error as TOMLParseError {
            throw InputError(
                file: path, line: error.source.begin.line, column: error.source.begin.column,
                message: "TOML syntax error: \(error.description)")
        } catch let problem as TOMLSyntaxProblem {
            throw InputError(file: path, line: problem.line, column: problem.column, message: "TOML syntax error: \(problem.message)")
        }
    }

    /// Parses TOML text.
    /// - Throws: `TOMLSyntaxProblem` for a construct the parser would abort on
    ///   (`TOMLPreflight`), else `TOMLParseError`, whose `source.begin` gives the line and column.
    init(text: String) throws {
        try TOMLPreflight.check(text)
        let table = try TOMLTable(string: text)
        root = Self.node(table)
        var locator = TOMLKeyLocator(text: text)
        locator.scan()
        positions = locator.positions
        headers = locator.headers
    }

    /// `positions` as locations in `file` (named so in errors), the `rank`-th file of a
    /// chain of files, whose relative paths are taken from `folder`: what `TableReader`
    /// locates errors by. With `tablesAtHeaders`, a table opened by a header is located at
    /// the header's `[` rather than at its name.
    package func locations(file: String, rank: Int = 0, folder: URL, tablesAtHeaders: Bool = false) -> [[String]: SourceLocation] {
        let located = tablesAtHeaders ? positions.merging(headers) { _, header in header } : positions
        return located.mapValues { SourceLocation(file: file, rank: rank, line: $0.line, column: $0.column, folder: folder) }
    }

    private static func node(_ table: TOMLTable) -> [String: TOMLNode] {
        var result: [String: TOMLNode] = [:]
        for key in table.keys {
            if let value = table[key] { result[key] = node(value) }
        }
        return result
    }

    private static func node(_ value: TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? .nan)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array(value.array.map { $0.map { node($0) } } ?? [])
        case .table: return .table(value.table.map { node($0) } ?? [:])
        case .date, .time, .dateTime: return .temporal(value.type, value.debugDescription)
        }
    }
}

/// Finds where each key path is written in TOML text that a parser has already accepted.
///
/// It follows table headers (`[a.b]`, `[[a]]`), dotted and quoted keys, inline tables and
/// arrays, and skips strings (multi-line ones too) and comments, so a key-like word inside a
/// string or comment is never taken for a key. Every loop advances, so text it does not
/// expect cannot make it hang.
struct TOMLKeyLocator {
    private let chars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    /// The first position of each key path found so far.
    private(set) var positions: [[String]: SourcePosition] = [:]
    /// The `[` of the first header opening each table (and each array of tables).
    private(set) var headers: [[String]: SourcePosition] = [:]
    /// How many `[[path]]` headers have been seen, to name each element `path[n]`.
    private var arrayTableCounts: [[String]: Int] = [:]

    init(text: String) {
        chars = Array(text.unicodeScalars)
    }

    /// Scans the whole text.
    mutating func scan() {
        var table: [String] = []
        while index < chars.count {
            skipBlank(newlines: true)
            guard let c = peek() else { break }
            let start = index
            if c == "[" {
                table = header()
            } else {
                keyValue(prefix: table)
            }
            if index == start { advance() }
        }
    }

    // MARK: - Grammar

    /// `[a.b]` or `[[a.b]]`: records the path and returns the table that follows. A segment
    /// naming an array of tables stands for its latest element, as in TOML itself, so
    /// `[[policy.links]]` after the second `[[policy]]` is `policy[1].links[n]`.
    private mutating func header() -> [String] {
        let isArray = peek(1) == "["
        let at = SourcePosition(line: line, column: column)
        advance()
        if isArray { advance() }
        let segments = key()
        var path: [String] = []
        for (k, segment) in segments.enumerated() {
            path.append(segment.name)
            if positions[path] == nil { positions[path] = segment.at }
            if isArray && k == segments.count - 1 {
                let n = arrayTableCounts[path, default: 0]
                arrayTableCounts[path] = n + 1
                path.append("[\(n)]")
                positions[path] = at
            } else if let n = arrayTableCounts[path] {
                path.append("[\(n - 1)]")
            }
        }
        for table in isArray ? [Array(path.dropLast()), path] : [path] where headers[table] == nil {
            headers[table] = at
        }
        skipToLineEnd()
        return path
    }

    /// `key = value`, recording the key under `prefix` and any keys inside the value.
    private mutating func keyValue(prefix: [String]) {
        let path = record(key(), prefix: prefix)
        skipBlank(newlines: false)
        if peek() == "=" { advance() }
        skipBlank(newlines: false)
        value(path: path)
    }

    private mutating func value(path: [String]) {
        guard let c = peek() else { return }
        switch c {
        case "\"", "'":
            _ = string()
        case "[":
            advance()
            var element = 0
            while let next = skipBlankAndPeek(), next != "]" {
                let start = index
                if next == "," {
                    advance()
                    element += 1
                } else {
                    // Each element is located, so an error can point at `cities[1]`.
                    let elementPath = path + ["[\(element)]"]
                    if positions[elementPath] == nil { positions[elementPath] = SourcePosition(line: line, column: column) }
                    value(path: elementPath)
                }
                if index == start { advance() }
            }
            if peek() == "]" { advance() }
        case "{":
            advance()
            while true {
                skipBlank(newlines: false)
                guard let next = peek(), next != "}", next != "\n" else { break }
                let start = index
                if next == "," { advance() } else { keyValue(prefix: path) }
                if index == start { advance() }
            }
            if peek() == "}" { advance() }
        default:
            scalar()
        }
    }

    /// A number, boolean, date or time: up to the next separator. A date followed by a space
    /// and a time is one value (`1979-05-27 07:32:00`).
    private mutating func scalar() {
        let start = index
        while let c = peek(), !Self.separators.contains(c) { advance() }
        let token = String(String.UnicodeScalarView(chars[start..<index]))
        if token.count == 10, token.dropFirst(4).first == "-", peek() == " ",
           let next = peek(1), ("0"..."9").contains(next)
        {
            advance()
            while let c = peek(), !Self.separators.contains(c) { advance() }
        }
    }

    private static let separators: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n", ",", "]", "}", "#"]

    /// A dotted key: each segment with the position it starts at.
    private mutating func key() -> [(name: String, at: SourcePosition)] {
        var segments: [(String, SourcePosition)] = []
        while true {
            skipBlank(newlines: false)
            let at = SourcePosition(line: line, column: column)
            guard let c = peek() else { break }
            if c == "\"" || c == "'" {
                segments.append((string(), at))
            } else {
                let start = index
                while let c = peek(), TOMLKeyPath.isBare(c) { advance() }
                guard index > start else { break }
                segments.append((String(String.UnicodeScalarView(chars[start..<index])), at))
            }
            skipBlank(newlines: false)
            guard peek() == "." else { break }
            advance()
        }
        return segments
    }

    /// Records each prefix of the dotted key under `prefix` at its segment's position (the
    /// first time it is seen) and returns the full path.
    private mutating func record(_ segments: [(name: String, at: SourcePosition)], prefix: [String]) -> [String] {
        var path = prefix
        for segment in segments {
            path.append(segment.name)
            if positions[path] == nil { positions[path] = segment.at }
        }
        return path
    }

    /// A basic or literal string, single- or multi-line, returning its text (escapes of basic
    /// strings decoded, as a quoted key needs them to match the parsed key).
    private mutating func string() -> String {
        guard let quote = peek() else { return "" }
        let multiline = peek(1) == quote && peek(2) == quote
        let delimiter = multiline ? 3 : 1
        for _ in 0..<delimiter { advance() }
        var text = String.UnicodeScalarView()
        while let c = peek() {
            if c == quote, !multiline || (peek(1) == quote && peek(2) == quote) {
                for _ in 0..<delimiter { advance() }
                break
            }
            if c == "\n", !multiline { break }
            if c == "\\", quote == "\"" {
                advance()
                guard let escaped = peek() else { break }
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "b": text.append("\u{8}")
                case "f": text.append("\u{c}")
                case "u", "U":
                    let digits = escaped == "u" ? 4 : 8
                    let hex = (1...digits).compactMap { peek($0) }
                    if let code = UInt32(String(String.UnicodeScalarView(hex)), radix: 16),
                       let scalar = Unicode.Scalar(code)
                    {
                        text.append(scalar)
                        for _ in 0..<digits { advance() }
                    }
                default: text.append(escaped)
                }
                advance()
                continue
            }
            text.append(c)
            advance()
        }
        return String(text)
    }

    // MARK: - Characters

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private mutating func advance() {
        guard index < chars.count else { return }
        if chars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// Skips spaces, tabs and comments, and line breaks too when `newlines` is set.
    private mutating func skipBlank(newlines: Bool) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || (newlines && c == "\n") {
                advance()
            } else if c == "#" {
                while let c = peek(), c != "\n" { advance() }
            } else {
                break
            }
        }
    }

    private mutating func skipBlankAndPeek() -> Unicode.Scalar? {
        skipBlank(newlines: true)
        return peek()
    }

    private mutating func skipToLineEnd() {
        while let c = peek(), c != "\n" { advance() }
    }
}
