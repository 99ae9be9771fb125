// `twincity sweep export`: a sweep database as two CSV files for pandas, R or a spreadsheet,
// written a run at a time.
import Foundation

/// Writes `runs.csv` and `outputs.csv` from a sweep database (docs/SWEEPS.md, "Export").
public enum SweepExport {
    /// The files written, in the order listed to users.
    public static let files = ["runs.csv", "outputs.csv"]

    /// Writes `runs.csv` (one row per run: point, replication, seed, status, error,
    /// wall_seconds, shard, then one column per parameter with the point's value) and
    /// `outputs.csv` (one row per run: point, replication, then one column per output in the
    /// sweep's order; empty cells for outputs not defined or not recorded) into `directory`,
    /// in order of point and replication. Each file is written under a temporary name and
    /// renamed, so it is either complete or absent.
    ///
    /// - Returns: the number of runs written.
    public static func write(database path: String, to directory: String) throws -> Int {
        let database = try SweepDatabase.open(path: path)
        defer { try? database.close() }
        let (_, definition, design) = try database.checkedContents()
        let folder = URL(fileURLWithPath: directory)
        let runs = try StreamingFile(folder.appendingPathComponent("runs.csv"))
        let outputs = try StreamingFile(folder.appendingPathComponent("outputs.csv"))
        var count = 0
        do {
            try runs.write(["point", "replication", "seed", "status", "error", "wall_seconds", "shard"] + design.allPaths)
            try outputs.write(["point", "replication"] + definition.outputs)
            try database.forEachRun { point, replication, row, values in
                let seed: Int64 = row["seed"]
                let status: String = row["status"]
                let error: String? = row["error"]
                let wall: Double = row["wall_seconds"]
                let shard: String? = row["shard"]
                let parameters = point < design.pointCount ? design.allValues(at: point).map(\.label) : design.allPaths.map { _ in "" }
                try runs.write([String(point), String(replication), String(seed), status, error ?? "", number(wall), shard ?? ""] + parameters)
                try outputs.write([String(point), String(replication)] + definition.outputs.map { metric in
                    (values[metric] ?? nil).map(number) ?? ""
                })
                count += 1
            }
            try runs.finish()
            try outputs.finish()
        } catch {
            runs.discard()
            outputs.discard()
            throw error
        }
        return count
    }

    /// A number in the shortest text that reads back as the same `Double`, whole numbers
    /// without `.0`; empty when not finite.
    static func number(_ value: Double) -> String {
        value.isFinite ? ParameterValue.number(value).label : ""
    }

    /// `cell` quoted when it holds a comma, quote, line break or edge white space (RFC 4180).
    static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A CSV file written through a buffer under a temporary name, renamed when finished.
private final class StreamingFile {
    private let url: URL
    private let temporary: URL
    private let handle: FileHandle
    private var buffer = ""

    init(_ url: URL) throws {
        self.url = url
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot create \(temporary.path): \(String(cString: strerror(errno)))"])
        }
        self.handle = handle
    }

    func write(_ cells: [String]) throws {
        buffer += cells.map(SweepExport.quoted).joined(separator: ",") + "\n"
        // Rows are small; writing every 64 KiB keeps memory flat and system calls few.
        if buffer.utf8.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    func finish() throws {
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.moveItem(at: temporary, to: url)
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: temporary)
    }
}
