// Typed reading of CSV cells: each reader returns the value or records an error naming the
// line and column, so one pass over a row reports every bad cell.

extension CSVTable {
    /// Orders errors by line, then by the position of their column in the header, so a user
    /// reads them top to bottom, left to right. Errors without a column come first on a line.
    func sorted(_ errors: [InputError]) -> [InputError] {
        func order(_ error: InputError) -> (Int, Int) {
            (error.line ?? 0, error.key.flatMap { header.firstIndex(of: $0) } ?? -1)
        }
        return errors.enumerated().sorted { a, b in
            let (oa, ob) = (order(a.element), order(b.element))
            return oa != ob ? oa < ob : a.offset < b.offset
        }.map(\.element)
    }
}

/// Reads the cells of one CSV row as typed values, collecting an error for each cell that is
/// empty, malformed or out of range.
///
/// A reader returns `nil` for a column the header lacks without recording anything, because
/// the missing column was already reported once for the whole file.
struct CellReader {
    /// The path as given, for errors.
    let file: String
    /// The row being read.
    let row: CSVTable.Row
    /// Errors found so far in this row.
    private(set) var errors: [InputError] = []

    init(file: String, row: CSVTable.Row) {
        self.file = file
        self.row = row
    }

    /// Records an error about `column` on this row.
    mutating func fail(_ column: String, _ message: String) {
        errors.append(InputError(
            file: file, line: row.line, key: column, keyKind: .column, message: message))
    }

    /// `'value'`, or `an empty cell`, for the "found …" half of a message.
    static func found(_ cell: String) -> String {
        cell.isEmpty ? "an empty cell" : "'\(cell)'"
    }

    /// A cell that may be empty; `nil` only when the column is absent.
    func optionalText(_ column: String) -> String? { row[column] }

    /// A cell that must not be empty.
    mutating func text(_ column: String, expected: String = "a value") -> String? {
        guard let cell = row[column] else { return nil }
        guard !cell.isEmpty else {
            fail(column, "expected \(expected), found an empty cell")
            return nil
        }
        return cell
    }

    /// An identifier `[a-z][a-z0-9_]*`: the form ids take in scenario files and outputs, safe
    /// as a file name, a JSON key and a CSV cell without quoting.
    mutating func identifier(_ column: String) -> String? {
        guard let cell = row[column] else { return nil }
        guard Self.isIdentifier(cell) else {
            fail(column, "expected an id of lower-case letters, digits and '_' starting with a letter, found \(Self.found(cell))")
            return nil
        }
        return cell
    }

    /// True for `[a-z][a-z0-9_]*`.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }

    /// A finite number for which `isValid` holds; `expected` completes "expected …" when it
    /// does not (e.g. `a number of persons > 0`). With `optional`, an empty cell is `nil`
    /// without error.
    mutating func number(
        _ column: String, expected: String, optional: Bool = false,
        isValid: (Double) -> Bool = { _ in true }
    ) -> Double? {
        guard let cell = row[column] else { return nil }
        if cell.isEmpty && optional { return nil }
        guard let value = Double(cell) else {
            fail(column, "expected a number, found \(Self.found(cell))")
            return nil
        }
        guard value.isFinite else {
            fail(column, "expected a finite number, found \(Self.found(cell))")
            return nil
        }
        guard isValid(value) else {
            fail(column, "expected \(expected), found \(Self.found(cell))")
            return nil
        }
        return value
    }
}
