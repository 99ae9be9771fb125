// A CSV file of a run directory read whole into cells: the files are small (a row per year
// and city), and plotting needs random access by column name.
import Foundation

/// A CSV table: its header and rows of text cells (RFC 4180 quoting understood).
struct CSVTable {
    /// Column names.
    let header: [String]
    /// Rows of cells, each as long as the header.
    let rows: [[String]]

    /// Reads `url`; `name` is the file's name in messages.
    init(contentsOf url: URL, directory: String) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PlotError.runDirectory(path: directory, message: "cannot read \(url.lastPathComponent)")
        }
        let records = Self.parse(text)
        guard let header = records.first else {
            throw PlotError.runDirectory(path: directory, message: "\(url.lastPathComponent) is empty")
        }
        for (line, record) in records.enumerated() where record.count != header.count {
            throw PlotError.runDirectory(
                path: directory,
                message: "\(url.lastPathComponent):\(line + 1): \(record.count) cells for \(header.count) columns")
        }
        self.header = header
        rows = Array(records.dropFirst())
    }

    /// Index of column `name`, or `nil`.
    func index(of name: String) -> Int? {
        header.firstIndex(of: name)
    }

    /// Splits RFC 4180 text into records of fields. Works on UTF-8 bytes, not characters:
    /// an ensemble's flow file runs to millions of cells, and the delimiters are all ASCII.
    static func parse(_ text: String) -> [[String]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
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
                records.append(record)
                record = []
            } else if byte != carriageReturn {
                field.append(byte)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(String(decoding: field, as: UTF8.self))
            records.append(record)
        }
        return records
    }
}
