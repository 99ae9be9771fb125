// Typed reading of TOML values: each reader returns the value or records an error naming the
// line, column and key path, so one pass over a file reports every bad value. Scenario,
// estimates and sweep files are all checked through it.
import Foundation
import TwinCityExport

/// Where a value of a scenario was written: a line of one of the scenario's files (the file
/// given, or one it extends), or a `--set` option of the command line.
package struct SourceLocation: Equatable, Sendable {
    /// The file as shown in errors (the path as given, or reached through `extends`), or
    /// `--set` for a value from the command line.
    var file: String
    /// Order of the source, for sorting errors: 0 for the file given, 1 for the file it
    /// extends and so on, `Int.max` for `--set`.
    var rank: Int
    /// 1-based line and column, `nil` for `--set`.
    var line: Int?
    var column: Int?
    /// The folder a relative path written there is taken from: the file's folder, or the
    /// current directory for `--set`.
    var folder: URL

    /// The name errors give to the command line as a source.
    static let commandLine = "--set"

    /// Sort key: source, then line, then column.
    var order: (Int, Int, Int) { (rank, line ?? 0, column ?? 0) }
}

/// Reads values out of a parsed TOML document, collecting an `InputError` for each key that
/// is unknown, of the wrong type or out of range.
package struct TableReader {
    /// The file as the user gave it, for errors about keys written nowhere.
    let file: String
    /// Where each key path is written.
    package let positions: [[String]: SourceLocation]
    /// Errors found so far.
    package private(set) var errors: [InputError] = []

    package init(file: String, positions: [[String]: SourceLocation]) {
        self.file = file
        self.positions = positions
    }

    // MARK: - Errors

    /// Records an error about `path`, located at the key itself or, for a key that is not
    /// written anywhere (a missing one), at the nearest enclosing table that is. With
    /// `atLineStart`, at column 1 of that line: for the elements of a list shown by their line
    /// (a sweep's outputs).
    package mutating func fail(_ path: [String], _ message: String, key: String? = nil, atLineStart: Bool = false) {
        let at = position(of: path)
        errors.append(InputError(
            file: at?.file ?? file, line: at?.line, column: atLineStart && at?.line != nil ? 1 : at?.column,
            key: key ?? TOMLKeyPath.format(path), message: message))
    }

    /// Position of `path` or of its nearest written ancestor.
    func position(of path: [String]) -> SourceLocation? {
        var path = path
        while !path.isEmpty {
            if let at = positions[path] { return at }
            path.removeLast()
        }
        return nil
    }

    /// The keys of `table` in the order they are written in the file, so errors come out top
    /// to bottom (the parser keeps them sorted by name).
    package func orderedKeys(_ table: [String: TOMLNode], at path: [String]) -> [String] {
        table.keys.sorted { a, b in
            let pa = positions[path + [a]]?.order ?? (Int.max, Int.max, 0)
            let pb = positions[path + [b]]?.order ?? (Int.max, Int.max, 0)
            return pa != pb ? pa < pb : a < b
        }
    }

    /// Records an error for every key of `table` not in `allowed`, suggesting the nearest
    /// allowed key; `context` completes "unknown key in …" (e.g. `[time]`).
    mutating func rejectUnknownKeys(
        _ table: [String: TOMLNode], at path: [String], allowed: [String], context: String, hint: String? = nil
    ) {
        for key in orderedKeys(table, at: path) where !allowed.contains(key) {
            var message = "unknown key in \(context)"
            let suggestion = Spelling.suggestion(for: key, among: allowed)
            if !suggestion.isEmpty {
                message += suggestion
            } else if let hint {
                message += "; \(hint)"
            } else {
                message += "; expected " + Self.list(allowed.map { "'\($0)'" })
            }
            fail(path + [key], message)
        }
    }

    /// `a`, `a or b`, `a, b or c`.
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    // MARK: - Typed values

    /// A table, or `nil` with an error for another type.
    mutating func table(_ node: TOMLNode, at path: [String]) -> [String: TOMLNode]? {
        guard case .table(let table) = node else {
            fail(path, "expected a table, found \(node.found)")
            return nil
        }
        return table
    }

    /// A number (TOML integer or float) for which `admits` holds; `expected` completes
    /// "expected a number …" (e.g. `in [0, 1] (per year)`).
    mutating func number(_ node: TOMLNode, at path: [String], expected: String, admits: (Double) -> Bool) -> Double? {
        let value: Double
        switch node {
        case .integer(let n): value = Double(n)
        case .float(let x): value = x
        default:
            fail(path, "expected a number \(expected), found \(node.found)")
            return nil
        }
        guard value.isFinite else {
            fail(path, "expected a finite number \(expected), found \(node.found)")
            return nil
        }
        guard admits(value) else {
            fail(path, "expected a number \(expected), found \(node.found)")
            return nil
        }
        return value
    }

    /// A TOML integer in `range`.
    mutating func integer(_ node: TOMLNode, at path: [String], in range: ClosedRange<Int>) -> Int? {
        let expected = range.upperBound == Int.max
            ? "a whole number ≥ \(range.lowerBound)"
            : "a whole number in [\(range.lowerBound), \(range.upperBound)]"
        guard case .integer(let value) = node else {
            fail(path, "expected \(expected), found \(node.found)")
            return nil
        }
        guard range.contains(value) else {
            fail(path, "expected \(expected), found \(value)")
            return nil
        }
        return value
    }

    /// A string; with `nonEmpty`, an empty one is an error too.
    mutating func string(_ node: TOMLNode, at path: [String], nonEmpty: Bool = false) -> String? {
        let expected = nonEmpty ? "a non-empty string" : "a string"
        guard case .string(let text) = node, !(nonEmpty && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty) else {
            fail(path, "expected \(expected), found \(node.found)")
            return nil
        }
        return text
    }

    /// One of `choices`, suggesting the nearest for a misspelling.
    mutating func choice(_ node: TOMLNode, at path: [String], among choices: [String]) -> String? {
        let expected = "expected " + Self.list(choices.map { "\"\($0)\"" })
        guard case .string(let text) = node else {
            fail(path, "\(expected), found \(node.found)")
            return nil
        }
        guard choices.contains(text) else {
            fail(path, "\(expected), found \(node.found)" + Spelling.suggestion(for: text, among: choices))
            return nil
        }
        return text
    }

    // MARK: - Keys of a table

    /// The number under `key`: `fallback` when the key is absent, `nil` (with an error) when
    /// it is present but not an admissible number.
    mutating func number(
        in table: [String: TOMLNode], _ key: String, at path: [String], default fallback: Double,
        expected: String, admits: (Double) -> Bool = { _ in true }
    ) -> Double? {
        guard let node = table[key] else { return fallback }
        return number(node, at: path + [key], expected: expected, admits: admits)
    }

    /// The integer under `key`: `fallback` when the key is absent, `nil` (with an error) when
    /// it is present but not a whole number in `range`.
    mutating func integer(
        in table: [String: TOMLNode], _ key: String, at path: [String], default fallback: Int, range: ClosedRange<Int>
    ) -> Int? {
        guard let node = table[key] else { return fallback }
        return integer(node, at: path + [key], in: range)
    }
}
