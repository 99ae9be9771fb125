// Shared helpers of the export tests: a small calibrated economy and a CSV file read as a
// table. Scratch folders, the CSV reader and tolerances come from TwinCityTestSupport.
@_exported import TwinCityTestSupport
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
