// How numbers and text are spelt in the run's CSV files: the same in every file.
import Foundation

/// Cell formatting for the run's CSV files.
enum CSVFormat {
    /// The shortest text that reads back as the same `Double` (Swift's description), without
    /// a trailing `.0` on whole numbers (`-0` for negative zero); empty for a value that is not
    /// finite, so that numeric columns stay numeric. Whole numbers below 10^15 are exact in
    /// both `Double` and `Int64`, so the integer spelling loses nothing either.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 {
            // Int64 has no negative zero: keep the sign so the cell reads back as the same value.
            if value == 0, value.sign == .minus { return "-0" }
            return String(Int64(value))
        }
        return String(value)
    }

    /// `number(value)`, or an empty cell for `nil`.
    static func number(_ value: Double?) -> String {
        value.map(number) ?? ""
    }

    /// A year: an integer when whole (`2025`), otherwise a decimal (`2025.5`). Years are
    /// rounded to 10^-9 first, because `start + tick · dt` with a fractional `dt` carries
    /// binary rounding (`0.30000000000000004` for the third tick of 0.1) that no reader wants.
    static func year(_ value: Double) -> String {
        number((value * 1e9).rounded() / 1e9)
    }

    /// `cell` as is, or in double quotes with inner quotes doubled when it holds a comma, a
    /// quote, a line break or leading/trailing white space (RFC 4180; readers may trim).
    static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Appends the UTF-8 bytes of `quoted(cell)` to `buffer`. ASCII cells, nearly all of a
    /// run's, are checked byte by byte: a comma, a quote, a line break (LF, VT, FF, CR) or white
    /// space (those and tab, space) at either end need quotes, exactly the ASCII characters for
    /// which `quoted` tests `isNewline` and `isWhitespace`; any other cell goes through `quoted`.
    static func appendQuoted(_ cell: String, to buffer: inout [UInt8]) {
        if let fast = cell.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            var needsQuotes = false
            for b in bytes {
                if b >= 0x80 { return false }
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || (b >= 0x0A && b <= 0x0D) { needsQuotes = true }
            }
            if let first = bytes.first, let last = bytes.last, isASCIIWhitespace(first) || isASCIIWhitespace(last) {
                needsQuotes = true
            }
            guard !needsQuotes else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }), fast {
            return
        }
        buffer.append(contentsOf: quoted(cell).utf8)
    }

    /// Tab, line feed, vertical tab, form feed, carriage return, space: the ASCII characters
    /// with Unicode's White_Space property (`Character.isWhitespace`).
    static func isASCIIWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }
}
