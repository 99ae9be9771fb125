// Rows of a listing (a header, then records of cells) written as CSV or as JSON, so that a
// command's csv and json outputs carry the same fields.
import Foundation

/// Writes records — the header first, then one array of cells per row — as CSV or JSON.
enum RecordText {
    /// RFC 4180 CSV, the header as the first line.
    static func csv(_ records: [[String]]) -> String {
        records.map(CSVText.record).joined()
    }

    /// A pretty-printed JSON array with one object per row, keyed by the header, keys sorted;
    /// a cell of a column in `numeric` is a JSON number, any other a string; an empty cell
    /// (a value that is not defined) is left out of its object.
    static func json(_ records: [[String]], numeric: Set<String>) throws -> String {
        guard let header = records.first else { return "[]\n" }
        let objects = records.dropFirst().map { row in
            Object(fields: zip(header, row).compactMap { key, cell in
                if cell.isEmpty { return nil }
                if numeric.contains(key), let value = Double(cell) { return (key, .number(value)) }
                return (key, .text(cell))
            })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(objects), as: UTF8.self) + "\n"
    }

    /// One row as a JSON object.
    private struct Object: Encodable {
        enum Cell { case text(String), number(Double) }
        let fields: [(String, Cell)]

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (key, cell) in fields {
                switch cell {
                case .text(let text): try container.encode(text, forKey: Key(stringValue: key))
                case .number(let value): try container.encode(value, forKey: Key(stringValue: key))
                }
            }
        }
    }
}
