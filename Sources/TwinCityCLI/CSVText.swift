// Writing CSV text: quoting cells and formatting numbers the same way in every export.
import Foundation

/// Helpers for writing RFC 4180 CSV.
enum CSVText {
    /// One record: cells quoted where needed, joined by commas, ending in a newline.
    static func record(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    /// `cell` as is, or in double quotes with inner quotes doubled when it holds a comma, a
    /// quote, a line break or leading/trailing white space (which readers may trim).
    static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The shortest text that reads back as the same `Double`, without a trailing `.0` on
    /// whole numbers (populations are counts of persons).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
