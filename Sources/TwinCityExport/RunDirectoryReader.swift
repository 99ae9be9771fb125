// A run directory read back: its CSV tables and manifest.json, for `compare`, `plot`, the report
// and the page. One reader, so that every consumer understands the files the same way (quoting,
// line numbers, a ragged row) and reports the same problem in the same words.
import Foundation

/// A CSV table of a run directory: header, rows of text cells and the line each row starts on.
package struct RunFileTable: Sendable {
    /// The file's path as read (the run directory joined with the file name).
    package let file: String
    /// Column names, as written.
    package let header: [String]
    /// Rows of cells, each exactly as long as the header.
    package let rows: [[String]]
    /// The 1-based line on which each row starts (the header is line 1); a quoted cell holding
    /// a line break makes a row span two lines.
    package let lines: [Int]

    /// Index of column `name`, or `nil`.
    package func index(of name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// True when the table leads with an ensemble's `replication` column.
    package var isEnsemble: Bool { header.first == OutputColumns.replication }

    /// The rows of replication 0 only (the whole table for a single run).
    package func firstReplication() -> RunFileTable {
        guard isEnsemble else { return self }
        let kept = rows.indices.filter { rows[$0][0] == "0" }
        return RunFileTable(file: file, header: header, rows: kept.map { rows[$0] }, lines: kept.map { lines[$0] })
    }
}

/// Why a run directory, or one of its files, could not be read.
package struct RunFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    package enum Problem: Sendable, Equatable {
        /// Nothing exists at the directory's path.
        case noDirectory
        /// The directory's path is a file.
        case notADirectory
        /// The file is not in the directory.
        case missing
        /// The path names a directory where a file was expected.
        case isDirectory
        /// The file exists but could not be read: the system's reason.
        case unreadable(String)
        /// The bytes are not UTF-8 text.
        case notUTF8
        /// The file has no header row.
        case empty
        /// A row has `cells` cells for the header's `columns` (at `line`).
        case ragged(cells: Int, columns: Int)
        /// manifest.json is not a JSON object.
        case notJSONObject
    }

    /// The run directory as given.
    package let directory: String
    /// The file's name inside the directory (`cities.csv`), or `nil` for the directory itself.
    package let name: String?
    /// The 1-based line of a ragged row.
    package let line: Int?
    /// What is wrong.
    package let problem: Problem

    /// The file's path, or the directory's when the problem is the directory.
    package var path: String {
        name.map { PathText.join(directory, $0) } ?? directory
    }

    /// `cities.csv:12` for a problem on a line, else the file's name (or the directory).
    package var place: String {
        guard let name else { return directory }
        return line.map { "\(name):\($0)" } ?? name
    }

    /// The problem as a sentence fragment, without the place.
    package var reason: String {
        switch problem {
        case .noDirectory: return "run directory not found; expected a directory written by `twincity run`"
        case .notADirectory: return "is a file; expected a run directory written by `twincity run`"
        case .missing: return "not found; expected a run directory written by `twincity run`"
        case .isDirectory: return "is a directory, expected a CSV file"
        case .unreadable(let why): return "cannot be read (\(why))"
        case .notUTF8: return "is not UTF-8 text"
        case .empty: return "is empty"
        case .ragged(let cells, let columns): return "\(cells) cells for \(columns) columns"
        case .notJSONObject: return "is not a JSON object"
        }
    }

    /// `<path>: <reason>`, the path with its line where there is one.
    package var description: String {
        "\(line.map { "\(path):\($0)" } ?? path): \(reason)"
    }
}

/// Reads the files of a run directory (docs/OUTPUTS.md).
package enum RunDirectoryReader {
    /// Checks that `directory` exists and is a directory.
    package static func checkDirectory(_ directory: String) throws(RunFileError) {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder)
        guard exists, isFolder.boolValue else {
            throw RunFileError(directory: directory, name: nil, line: nil, problem: exists ? .notADirectory : .noDirectory)
        }
    }

    /// True when the directory holds a file called `name`.
    package static func has(_ name: String, in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: PathText.join(directory, name))
    }

    /// The bytes of `directory/name`.
    package static func contents(_ name: String, in directory: String) throws(RunFileError) -> Data {
        let path = PathText.join(directory, name)
        func fail(_ problem: RunFileError.Problem) -> RunFileError {
            RunFileError(directory: directory, name: name, line: nil, problem: problem)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw fail(.missing) }
        guard !isFolder.boolValue else { throw fail(.isDirectory) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw fail(.unreadable(error.localizedDescription))
        }
    }

    /// The CSV table `directory/name`: a header row and rows as long as it.
    package static func table(_ name: String, in directory: String) throws(RunFileError) -> RunFileTable {
        let data = try contents(name, in: directory)
        func fail(_ problem: RunFileError.Problem, line: Int? = nil) -> RunFileError {
            RunFileError(directory: directory, name: name, line: line, problem: problem)
        }
        guard var text = String(data: data, encoding: .utf8) else { throw fail(.notUTF8) }
        // A spreadsheet program may save UTF-8 with a byte-order mark, no part of the first name.
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // A blank line carries no row (a single empty field).
        let records = parse(text).filter { $0.fields != [""] }
        guard let header = records.first?.fields else { throw fail(.empty) }
        for record in records.dropFirst() where record.fields.count != header.count {
            throw fail(.ragged(cells: record.fields.count, columns: header.count), line: record.line)
        }
        let body = records.dropFirst()
        return RunFileTable(file: PathText.join(directory, name), header: header, rows: body.map(\.fields), lines: body.map(\.line))
    }

    /// The CSV table at `path`, a file outside a run directory (the roster a run names), with
    /// the same reading and problems as `table(_:in:)`.
    package static func table(atPath path: String) throws(RunFileError) -> RunFileTable {
        try table(PathText.lastComponent(path), in: PathText.folder(of: path))
    }

    /// manifest.json of `directory` as a JSON object.
    package static func manifest(in directory: String) throws(RunFileError) -> [String: Any] {
        let data = try contents("manifest.json", in: directory)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RunFileError(directory: directory, name: "manifest.json", line: nil, problem: .notJSONObject)
        }
        return object
    }

    /// Splits RFC 4180 text into records of fields, each with the 1-based line it starts on.
    /// A CR outside quotes is dropped, so CRLF files read as LF ones. Works on UTF-8 bytes, not
    /// characters: an ensemble's flow file runs to millions of cells, and the delimiters are
    /// all ASCII, so no multi-byte character can be split.
    package static func parse(_ text: String) -> [(line: Int, fields: [String])] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var records: [(line: Int, fields: [String])] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var line = 1, recordLine = 1
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if byte == newline { line += 1 }
            if quoted {
                if byte != quote {
                    field.append(byte)
                } else if i < bytes.count, bytes[i] == quote {
                    field.append(quote)
                    i += 1
                } else {
                    quoted = false
                }
            } else if byte == quote {
                quoted = true
            } else if byte == comma {
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == newline {
                record.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                records.append((recordLine, record))
                record = []
                recordLine = line
            } else if byte != carriageReturn {
                field.append(byte)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(String(decoding: field, as: UTF8.self))
            records.append((recordLine, record))
        }
        return records
    }
}
