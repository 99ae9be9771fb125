// Shared helpers of the export tests: a small calibrated economy, scratch folders and an
// independent CSV reader.
import Foundation
import TwinCityExport
import TwinCityModel
import XCTest

/// Three cities in two zones, two of them the twin cores, calibrated with the default
/// parameters: small enough to run in well under a second, rich enough to have every flow.
func threeCityRoster() throws -> Roster {
    try Roster(cities: [
        City(id: "chengdu", nameZH: "成都", nameEN: "Chengdu", province: "sichuan", zone: "chengdu_plain", tier: .core,
             latitude: 30.66, longitude: 104.07, areaKm2: 14335, population2010: 15.1e6, population2020: 20.9e6,
             gdp2020: 17716.7, urbanShare2020: 0.79),
        City(id: "deyang", nameZH: "德阳", nameEN: "Deyang", province: "sichuan", zone: "chengdu_plain", tier: .regionalCentre,
             latitude: 31.13, longitude: 104.40, areaKm2: 5911, population2010: 3.6e6, population2020: 3.46e6,
             gdp2020: 2404.1, urbanShare2020: 0.55),
        City(id: "chongqing", nameZH: "重庆", nameEN: "Chongqing", province: "chongqing", zone: "chongqing", tier: .core,
             latitude: 29.56, longitude: 106.55, areaKm2: 82400, population2010: 28.8e6, population2020: 32.1e6,
             gdp2020: 25002.8, urbanShare2020: 0.69),
    ])
}

/// A calibrated simulation of `threeCityRoster()` from 2020 to `endYear`.
func threeCitySimulation(endYear: Double = 2023, seed: UInt64 = 11) throws -> (Simulation, [City], [String]) {
    let roster = try threeCityRoster()
    let parameters = ModelParameters()
    let calibrated = try Calibration.calibrate(roster: roster, parameters: parameters)
    let setup = SimulationSetup(calibrated: calibrated, cities: roster.cities)
    let settings = SimulationSettings(startYear: 2020, endYear: endYear, dt: 1, seed: seed)
    let simulation = try Simulation(setup: setup, parameters: parameters, settings: settings)
    return (simulation, roster.cities, parameters.sectors.map(\.id))
}

/// The scenario tree a test run records.
struct TestScenario: Encodable, Sendable {
    let name = "three-city test"
    let replications = 1
}

/// The manifest content of a test run.
func testManifest(settings: SimulationSettings) -> RunManifest {
    RunManifest(twinCityVersion: "9.9.9-test", gslVersion: "2.x-test", scenario: TestScenario(), settings: settings)
}

/// A fresh, empty scratch folder, removed when the test ends.
func scratchFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// Names in a folder, hidden ones included, sorted.
func contents(of folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

/// A CSV file read into its header and rows of cells (RFC 4180, written independently of the
/// code under test).
struct CSVTable {
    let header: [String]
    let rows: [[String]]

    init(contentsOf url: URL) throws {
        let records = parseCSV(try String(contentsOf: url, encoding: .utf8))
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// The cells of `column` in every row.
    func column(_ name: String) throws -> [String] {
        let index = try XCTUnwrap(header.firstIndex(of: name), "no column '\(name)' in \(header)")
        return rows.map { $0[index] }
    }

    /// The numbers of `column`, failing on a cell that is not one.
    func numbers(_ name: String) throws -> [Double] {
        try column(name).map { try XCTUnwrap(Double($0), "'\($0)' in column \(name) is not a number") }
    }
}

/// Splits RFC 4180 CSV text into records of fields.
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

/// |a − b| / max(|a|, |b|, tiny).
func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), .leastNormalMagnitude)
}

/// Fails unless `actual` and `expected` have the same length and agree to `tolerance` relative.
func assertClose(_ actual: [Double], _ expected: [Double], relative tolerance: Double,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "lengths differ " + message, file: file, line: line)
    for (a, e) in zip(actual, expected) where relativeError(a, e) > tolerance {
        XCTFail("\(actual) differs from \(expected) by more than \(tolerance) relative " + message, file: file, line: line)
        return
    }
}
