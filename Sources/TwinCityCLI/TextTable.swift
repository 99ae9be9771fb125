// Aligned plain-text tables for terminal output, aware that CJK characters take two columns.

/// A plain-text table: a heading row, a rule, and rows padded so columns line up in a
/// monospaced terminal.
struct TextTable {
    /// Which side a column's cells are padded on.
    enum Alignment {
        /// Text columns.
        case left
        /// Numeric columns, so digits of equal weight line up.
        case right
    }

    /// Column headings and their alignment.
    let columns: [(heading: String, alignment: Alignment)]
    /// Cells, one array per row, as many as there are columns.
    var rows: [[String]] = []

    /// The table as text, one line per row, each ending in a newline; the last column is not
    /// padded, so lines carry no trailing spaces.
    func render() -> String {
        let headings = columns.map(\.heading)
        var widths = headings.map(Self.displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], Self.displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell -> String in
                let fill = String(repeating: " ", count: widths[i] - Self.displayWidth(cell))
                if columns[i].alignment == .right { return fill + cell }
                return i == cells.count - 1 ? cell : cell + fill
            }
            return padded.joined(separator: "  ") + "\n"
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        return ([headings, rule] + rows).map(line).joined()
    }

    /// Columns a string occupies in a terminal: two for East Asian wide and full-width
    /// characters (Unicode UAX #11, main blocks), one otherwise.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
                 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
                 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            default:
                return width + (scalar.properties.generalCategory == .nonspacingMark ? 0 : 1)
            }
        }
    }
}
