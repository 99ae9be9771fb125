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

        /// The trimmed cell of a column, or `nil` when the file has no such column.
        subscript(column: String) -> String? { cells[column] }
    }

    /// Reads `file`, expecting every column of `required` and allowing those of `optional`,
    /// in any order; with `allowsOtherColumns`, columns in neither list are kept too (a run's
    /// output files have a column per sector and zone).
    static func read(file: String, required: [String], optional: [String] = [], allowsOtherColumns: Bool = false) -> CSVTable {
        func failed(_ message: String, line: Int? = nil) -> CSVTable {
            CSVTable(
                file: file, header: [], rows: [],
                errors: [InputError(file: file, line: line, message: message)])
        }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            return failed("no such file")
        }
        if isDirectory.boolValue { return failed("is a directory, expected a CSV file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            return failed("cannot read the file (\(error.localizedDescription))")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            return failed("the file is not UTF-8 text")
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
            return failed("the file is empty; expected a header row '\(expected)'", line: 1)
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
                errors.append(InputError(
                    file: file, line: line,
                    message: "expected \(header.count) fields as in the header, found \(fields.count)"))
                continue
            }
            var cells: [String: String] = [:]
            for (name, value) in zip(header, fields) where cells[name] == nil {
                cells[name] = value.trimmingCharacters(in: .whitespaces)
            }
            rows.append(Row(line: line, cells: cells))
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
            let message: String
            switch error.problem {
            case .missing, .noDirectory, .notADirectory: message = "no such file"
            case .isDirectory: message = "is a directory, expected a CSV file"
            case .unreadable(let why): message = "cannot read the file (\(why))"
            case .notUTF8: message = "the file is not UTF-8 text"
            case .empty: message = "the file is empty; expected a header row '\(required.joined(separator: ","))'"
            case .ragged(let cells, let columns): message = "expected \(columns) fields as in the header, found \(cells)"
            case .notJSONObject: message = error.reason
            }
            return CSVTable(
                file: file, header: [], rows: [],
                errors: [InputError(file: file, line: error.problem == .empty ? 1 : error.line, message: message)])
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces) }
        let errors = checkHeader(header, file: file, required: required, optional: header.filter { !required.contains($0) })
        let rows = zip(table.rows, table.lines).map { fields, line in
            var cells: [String: String] = [:]
            for (name, value) in zip(header, fields) where cells[name] == nil {
                cells[name] = value.trimmingCharacters(in: .whitespaces)
            }
            return Row(line: line, cells: cells)
        }
        return CSVTable(file: file, header: header, rows: rows, errors: errors)
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
