// Shared helpers of the reliability tests: the checkout and fixtures, scratch folders, the
// twincity executable run as a user runs it, and an independent scan of a run directory's
// CSV cells for values that are not finite.
import Foundation
import XCTest

enum Reliability {
    /// The package root, two folders above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// This target's fixtures: inputs the fuzzer found, one folder per parser.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The shipped 22-city baseline.
    static var baseline: URL { packageRoot.appendingPathComponent("scenarios/baseline.toml") }

    /// The folder of the products built with the tests: the test bundle's folder on macOS,
    /// the test executable's elsewhere.
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        fatalError("no .xctest bundle loaded")
        #else
        return Bundle.main.bundleURL
        #endif
    }

    /// The twincity executable.
    static var executable: URL { productsDirectory.appendingPathComponent("twincity") }
}

/// What one run of the executable produced.
struct ProcessOutput {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

extension XCTestCase {
    /// A fresh scratch folder, removed when the test ends (made writable first, in case a
    /// test took that away).
    func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock {
            if let items = FileManager.default.enumerator(atPath: url.path) {
                for case let item as String in items { chmod(url.appendingPathComponent(item).path, 0o755) }
            }
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }

    /// Names in `folder`, sorted; hidden ones (a staging directory) included.
    func contents(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// Starts `twincity arguments`, its output going to files so that neither stream can
    /// fill a pipe; `wait()` on the result gives what it printed.
    func startTwinCity(_ arguments: [String], in directory: URL = Reliability.packageRoot) throws -> RunningTwinCity {
        let folder = try scratchFolder()
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = Reliability.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return RunningTwinCity(process: process, out: out, err: err)
    }

    /// Runs `twincity arguments` and waits for it.
    func twincity(_ arguments: [String], in directory: URL = Reliability.packageRoot) throws -> ProcessOutput {
        try startTwinCity(arguments, in: directory).wait()
    }
}

/// A `twincity` process started by `startTwinCity`.
struct RunningTwinCity {
    let process: Process
    let out: URL
    let err: URL

    /// Waits for the process and reads what it printed.
    func wait() throws -> ProcessOutput {
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: out, encoding: .utf8),
            standardError: try String(contentsOf: err, encoding: .utf8))
    }
}

// MARK: - Scanning a run directory

/// Splits RFC 4180 CSV text into records of fields, independently of the code under test.
func parseCSV(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let c = characters.popFirst() {
        if quoted {
            if c == "\"" {
                if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            record.append(field); field = ""
        } else if c == "\n" || c == "\r\n" {
            record.append(field); field = ""
            records.append(record); record = []
        } else {
            field.append(c)
        }
    }
    if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
    return records
}

/// Problems with the cells of every CSV file in a run directory, one sentence each: a cell
/// that spells a NaN or an infinity, a numeric cell that does not read as a finite number,
/// an empty cell other than the few that docs/OUTPUTS.md defines as empty (growth and the
/// conservation error in the first row of region.csv), or a row of another width than its
/// header. manifest.json must parse as JSON.
func nonFiniteCells(in run: URL) throws -> [String] {
    /// Columns that hold text, not numbers.
    let textColumns: Set<String> = ["city", "zone", "tier", "origin", "destination", "variable", "statistic"]
    /// Columns that are empty in the first row of region.csv (not defined there).
    let firstRowEmpty: Set<String> = ["gdp_growth", "conservation_worst"]
    var problems: [String] = []
    let files = try FileManager.default.contentsOfDirectory(atPath: run.path).sorted()
    for name in files where name.hasSuffix(".csv") {
        let records = parseCSV(try String(contentsOf: run.appendingPathComponent(name), encoding: .utf8))
        guard let header = records.first else {
            problems.append("\(name): empty file")
            continue
        }
        for (r, row) in records.dropFirst().enumerated() {
            guard row.count == header.count else {
                problems.append("\(name): row \(r + 2) has \(row.count) cells for \(header.count) columns")
                continue
            }
            for (column, cell) in zip(header, row) {
                let lowered = cell.lowercased().trimmingCharacters(in: .whitespaces)
                if ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"].contains(lowered) {
                    problems.append("\(name): row \(r + 2), column \(column): '\(cell)'")
                    continue
                }
                if textColumns.contains(column) { continue }
                if cell.isEmpty {
                    let allowed = name == "region.csv" && r == 0 && firstRowEmpty.contains(column)
                        || name == "summary.csv"  // a statistic of a variable not defined in some replication
                    if !allowed { problems.append("\(name): row \(r + 2), column \(column): empty") }
                    continue
                }
                guard let value = Double(cell), value.isFinite else {
                    problems.append("\(name): row \(r + 2), column \(column): '\(cell)' is not a finite number")
                    continue
                }
            }
        }
    }
    let manifest = run.appendingPathComponent("manifest.json")
    if FileManager.default.fileExists(atPath: manifest.path) {
        if (try? JSONSerialization.jsonObject(with: Data(contentsOf: manifest))) == nil {
            problems.append("manifest.json: not valid JSON")
        }
    }
    return problems
}

/// The largest `conservation_worst` of a run directory's region.csv.
func worstConservation(in run: URL) throws -> Double {
    let records = parseCSV(try String(contentsOf: run.appendingPathComponent("region.csv"), encoding: .utf8))
    guard let header = records.first, let column = header.firstIndex(of: "conservation_worst") else { return .nan }
    return records.dropFirst().compactMap { Double($0[column]) }.max() ?? 0
}
