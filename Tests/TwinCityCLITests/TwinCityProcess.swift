// Runs the built `twincity` executable as a user would, from the package root.
import Foundation
import XCTest

/// What one run of the executable produced.
struct ProcessResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

enum TwinCityProcess {
    /// The package root, two folders above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Folder holding the built products: the test bundle's folder on macOS, the folder of
    /// the test executable elsewhere (as swift-argument-parser's own tests find it).
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

    /// Runs `twincity` with `arguments` in `directory` (the package root by default) and
    /// waits for it.
    static func run(_ arguments: [String], in directory: URL = packageRoot) throws -> ProcessResult {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("twincity")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read before waiting: a listing larger than the pipe buffer would otherwise block.
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: out, as: UTF8.self),
            standardError: String(decoding: err, as: UTF8.self))
    }
}

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
