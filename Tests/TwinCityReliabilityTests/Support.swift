// Shared helpers of the reliability tests: this target's fixtures and an independent scan of
// a run directory's CSV cells for values that are not finite. The checkout, scratch folders
// and the twincity executable run as a user runs it come from TwinCityTestSupport.
@_exported import TwinCityTestSupport
import Foundation
import XCTest

enum Reliability {
    /// The package root.
    static var packageRoot: URL { Checkout.root }

    /// This target's fixtures: inputs the fuzzer found, one folder per parser.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The shipped 22-city baseline.
    static var baseline: URL { Checkout.baseline }

    /// The folder of the products built with the tests.
    static var productsDirectory: URL { Checkout.productsDirectory }

    /// The twincity executable.
    static var executable: URL { Checkout.twincity }
}

// MARK: - Scanning a run directory

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
