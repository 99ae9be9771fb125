// Reads a CSV file with a header row into rows keyed by column name, checking the header
// against a schema and recording every problem instead of stopping at the first.
import CSV
import Foundation
import TwinCityExport

/// A CSV file read against a schema: its data rows with their line numbers, and every error
/// found in the file itself (unreadable, bad header, wrong field count).
///
/// Rows with the wrong number of fields are reported and left out, because their values
/// cannot be matched to columns; cell-level checks are the caller's, through `Row`.
struct CSVTable {
    /// The path as given, used in every error.
    let file: String
    /// Column names as they appear in the header, trimmed.
    let header: [String]
    /// The data rows with the right number of fields.
    let rows: [Row]
    /// Problems with the file, its header and its row shapes.
    let errors: [InputError]

    /// False when the file or its header could not be read at all, so no row can be trusted.
    var isReadable: Bool { !header.isEmpty }

    /// True when the header has this column.
    func has(_ column: String) -> Bool { header.contains(column) }

    /// One data row: its first line in the file and its cells by column name.
    struct Row {
        /// 1-based line on which the row starts (the header is line 1).
        let line: Int
        /// Cells by column name, with surrounding white space removed.
        let cells: [String: String]

        /// A row of `fields` under `header`, each cell trimmed; the first of two same-named
        /// columns wins (the header check reports the second).
        init(line: Int, header: [String], fields: [String]) {
            var cells: [String: String] = [:]
            for (name, value) in zip(header, fields) where cells[name] == nil {
                cells[name] = value.trimmingCharacters(in: .whitespaces)
            }
            self.init(line: line, cells: cells)
        }

        init(line: Int, cells: [String: String]) {
            self.line = line
            self.cells = cells
        }

        /// The trimmed cell of a column, or `nil` when the file has no such column.
        subscript(column: String) -> String? { cells[column] }
    }

    /// Reads `file`, expecting every column of `required` and allowing those of `optional`,
    /// in any order; with `allowsOtherColumns`, columns in neither list are kept too (a run's
    /// output files have a column per sector and zone).
    static func read(file: String, required: [String], optional: [String] = [], allowsOtherColumns: Bool = false) -> CSVTable {
        func failed(_ message: String, line: Int? = nil) -> CSVTable { unreadable(file, message, line: line) }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            return failed(Message.missing)
        }
        if isDirectory.boolValue { return failed(Message.isDirectory) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return failed(Message.unreadable(error.localizedDescription))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            return failed(Message.notUTF8)
        }
        // Spreadsheet programs often save UTF-8 with a byte-order mark, which is no part of
        // the first column name.
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // One line end for every file: CRLF (Windows) and a lone CR (old Macintosh) read as
        // LF, so a roster saved on any system gives bitwise the same run, quoted fields that
        // span lines included.
        if text.utf8.contains(UInt8(ascii: "\r")) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        let expected = (required + optional).joined(separator: ",")
        guard !text.allSatisfy(\.isWhitespace) else {
            return failed(Message.empty(expected: expected), line: 1)
        }

        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            return failed("cannot read a header row; expected '\(expected)'", line: 1)
        }
        let rawHeader = reader.headerRow ?? []
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
        var errors = checkHeader(
            header, file: file, required: required, optional: allowsOtherColumns ? header.filter { !required.contains($0) } : optional)

        var rows: [Row] = []
        var line = 1 + newlineCount(rawHeader)
        while let fields = reader.next() {
            line += 1
            defer { line += newlineCount(fields) }
            // A blank line carries no row; the reader returns it as one empty field.
            if fields == [""] { continue }
            guard fields.count == header.count else {
                errors.append(InputError(file: file, line: line, message: Message.ragged(fields: fields.count, columns: header.count)))
                continue
            }
            rows.append(Row(line: line, header: header, fields: fields))
        }
        return CSVTable(file: file, header: header, rows: rows, errors: errors)
    }

    /// A table of run directory `directory` (`cities.csv`, `region.csv`), read by the export
    /// module's `RunDirectoryReader`, the one reader of run directories, and checked against
    /// `required` as `read(file:required:)` checks an input file; other columns are kept. The
    /// reader stops at a row of the wrong length, so only the first is reported.
    static func read(runFile name: String, in directory: String, required: [String]) -> CSVTable {
        let file = PathText.join(directory, name)
        let table: RunFileTable
        do {
            table = try RunDirectoryReader.table(name, in: directory)
        } catch {
            switch error.problem {
            case .missing, .noDirectory, .notADirectory: return unreadable(file, Message.missing)
            case .isDirectory: return unreadable(file, Message.isDirectory)
            case .unreadable(let why): return unreadable(file, Message.unreadable(why))
            case .notUTF8: return unreadable(file, Message.notUTF8)
            case .empty: return unreadable(file, Message.empty(expected: required.joined(separator: ",")), line: 1)
            case .ragged(let cells, let columns): return unreadable(file, Message.ragged(fields: cells, columns: columns), line: error.line)
            case .notJSONObject: return unreadable(file, error.reason)
            }
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        let errors = checkHeader(header, file: file, required: required, optional: header.filter { !required.contains($0) })
        let rows = zip(table.rows, table.lines).map { Row(line: $1, header: header, fields: $0) }
        return CSVTable(file: file, header: header, rows: rows, errors: errors)
    }

    /// The file-level problems, worded once for input files and run tables alike.
    private enum Message {
        static let missing = "no such file"
        static let isDirectory = "is a directory, expected a CSV file"
        static let notUTF8 = "the file is not UTF-8 text"
        static func unreadable(_ why: String) -> String { "cannot read the file (\(why))" }
        static func empty(expected: String) -> String { "the file is empty; expected a header row '\(expected)'" }
        static func ragged(fields: Int, columns: Int) -> String { "expected \(columns) fields as in the header, found \(fields)" }
    }

    /// A table with no rows and one error about the file.
    private static func unreadable(_ file: String, _ message: String, line: Int? = nil) -> CSVTable {
        CSVTable(file: file, header: [], rows: [], errors: [InputError(file: file, line: line, message: message)])
    }

    /// Unknown, duplicate, empty and missing column names. A missing column is not reported
    /// separately when an unknown column was already reported as its likely misspelling.
    private static func checkHeader(
        _ header: [String], file: String, required: [String], optional: [String]
    ) -> [InputError] {
        let valid = required + optional
        var errors: [InputError] = []
        var suggested: Set<String> = []
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            if name.isEmpty {
                errors.append(InputError(
                    file: file, line: 1,
                    message: "column \(index + 1) has no name; expected one of \(valid.joined(separator: ", "))"))
                continue
            }
            if let first = seen[name] {
                errors.append(InputError(
                    file: file, line: 1, key: name, keyKind: .column,
                    message: "appears twice in the header (columns \(first + 1) and \(index + 1))"))
                continue
            }
            seen[name] = index
            guard !valid.contains(name) else { continue }
            if let near = Spelling.nearest(to: name, among: valid) {
                suggested.insert(near)
                errors.append(InputError(
                    file: file, line: 1, key: name, keyKind: .column,
                    message: "unknown column; did you mean '\(near)'?"))
            } else {
                errors.append(InputError(
                    file: file, line: 1, key: name, keyKind: .column,
                    message: "unknown column; expected one of \(valid.joined(separator: ", "))"))
            }
        }
        for name in required where seen[name] == nil && !suggested.contains(name) {
            errors.append(InputError(
                file: file, line: 1, key: name, keyKind: .column,
                message: "missing required column"))
        }
        return errors
    }

    /// Line breaks inside the fields of one record: quoted fields may span lines, and the
    /// next record starts that many lines further down. `\r\n` is one character in Swift.
    private static func newlineCount(_ fields: [String]) -> Int {
        fields.reduce(0) { total, field in
            total + field.reduce(0) { $0 + ($1 == "\n" || $1 == "\r\n" || $1 == "\r" ? 1 : 0) }
        }
    }
}
