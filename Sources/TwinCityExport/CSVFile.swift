// One CSV file of a run directory, written a tick at a time so a run never holds its whole
// history in memory.
import Foundation

/// An open CSV file with a fixed header: rows are buffered for one tick and written by
/// `flush()`. Cells are RFC 4180-quoted where needed.
final class CSVFile {
    /// File name inside the run directory, e.g. `cities.csv`.
    let name: String
    /// Column names, in order.
    let header: [String]
    private let path: String
    private let handle: FileHandle
    /// The rows of the tick being written, as UTF-8 bytes.
    private var buffer: [UInt8] = []

    /// Creates the file (which must not exist) and writes the header row, unless
    /// `writeHeader` is false (a replication's rows, later appended to a file that has one).
    init(directory: URL, name: String, header: [String], writeHeader: Bool = true) throws {
        var seen = Set<String>()
        for column in header where !seen.insert(column).inserted {
            throw RunDirectoryError.duplicateColumn(file: name, column: column)
        }
        self.name = name
        self.header = header
        path = directory.appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RunDirectoryError.fileSystem(path: path, operation: "create", reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        guard writeHeader else { return }
        append(header)
        try flush()
    }

    /// Buffers one row; it must have one cell per column.
    func append(_ cells: [String]) {
        precondition(cells.count == header.count, "\(name): \(cells.count) cells for \(header.count) columns")
        for (k, cell) in cells.enumerated() {
            if k > 0 { buffer.append(UInt8(ascii: ",")) }
            CSVFormat.appendQuoted(cell, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Buffers one row of text cells followed by numeric cells (`CSVFormat.number`, which
    /// never needs quotes); `text.count + numbers.count` must be the column count. The same
    /// bytes as `append(text + numbers.map(CSVFormat.number))`, without building the strings'
    /// array.
    func append(text: [String], numbers: [Double]) {
        precondition(text.count + numbers.count == header.count, "\(name): \(text.count + numbers.count) cells for \(header.count) columns")
        for (k, cell) in text.enumerated() {
            if k > 0 { buffer.append(UInt8(ascii: ",")) }
            CSVFormat.appendQuoted(cell, to: &buffer)
        }
        for (k, value) in numbers.enumerated() {
            if k > 0 || !text.isEmpty { buffer.append(UInt8(ascii: ",")) }
            buffer.append(contentsOf: CSVFormat.number(value).utf8)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The bytes `append(text:numbers:)` writes for the cells `text` when numbers follow:
    /// each cell quoted as needed, each followed by a comma. Leading cells shared by many rows
    /// (a flow row's year, its origin and destination) are spelt once with it.
    static func spelled(_ text: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for cell in text {
            CSVFormat.appendQuoted(cell, to: &bytes)
            bytes.append(UInt8(ascii: ","))
        }
        return bytes
    }

    /// Buffers a row of three spelt parts (`spelled`) and one number: the same bytes as
    /// `append(text: a + b + c, numbers: [value])` for the cells the parts spell, with no
    /// array built per row.
    func append(spelled a: [UInt8], _ b: [UInt8], _ c: [UInt8], number value: Double) {
        buffer.append(contentsOf: a)
        buffer.append(contentsOf: b)
        buffer.append(contentsOf: c)
        buffer.append(contentsOf: CSVFormat.number(value).utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes the buffered rows to the file.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try buffer.withUnsafeBytes { try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress!), count: $0.count, deallocator: .none)) }
        } catch {
            throw RunDirectoryError.fileSystem(path: path, operation: "write", reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends the bytes of the file at `url` — rows already spelt by another `CSVFile`, such
    /// as one replication's — after what is buffered, copying 1 MiB at a time so that memory
    /// does not grow with the file.
    func appendContents(of url: URL) throws {
        try flush()
        guard let source = FileHandle(forReadingAtPath: url.path) else {
            throw RunDirectoryError.fileSystem(path: url.path, operation: "open", reason: String(cString: strerror(errno)))
        }
        defer { try? source.close() }
        do {
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
                try handle.write(contentsOf: chunk)
            }
        } catch {
            throw RunDirectoryError.fileSystem(path: path, operation: "append '\(url.path)' to", reason: "\(error)")
        }
    }

    /// Writes what is buffered, forces it to disk and closes the file.
    func close() throws {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw RunDirectoryError.fileSystem(path: path, operation: "close", reason: "\(error)")
        }
    }

    /// Closes the file without reporting errors, for a run being abandoned.
    func discard() {
        try? handle.close()
    }
}
