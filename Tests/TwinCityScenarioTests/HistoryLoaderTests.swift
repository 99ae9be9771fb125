// Loading the 2010–2022 city panel: the shipped file loads on the shipped roster, the real
// GDP index chains the published rates and breaks where a rate is missing, and each kind of
// malformed file is refused with its line and column.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class HistoryLoaderTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func seed(_ name: String) -> String {
        Self.packageRoot.appendingPathComponent("seeds/\(name)").path
    }

    private func roster() throws -> Roster {
        try RosterLoader.load(cities: seed("cities.csv"))
    }

    /// Writes `text` to a fresh temporary file named history.csv and returns its path.
    private func write(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("history.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func assertErrors(_ text: String, _ expected: (String) -> [String],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(text)
        do {
            _ = try HistoryLoader.load(path, roster: try roster())
            XCTFail("loaded, expected errors", file: file, line: line)
        } catch let error as InputError {
            XCTAssertEqual([error.description], expected(path), file: file, line: line)
        } catch let errors as InputErrors {
            XCTAssertEqual(errors.errors.map(\.description), expected(path), file: file, line: line)
        }
    }

    private let header = "id,year,gdp_current,gdp_real_growth_pct,pop_resident_10k\n"

    // MARK: - The shipped panel

    /// Chongqing's two parts (history_chongqing_parts.csv) load against the roster and add up
    /// to the municipal total of history.csv where both give a value: population 2020 (census)
    /// and 2022 exactly, GDP 2021 to the yearbook's rounding of the total to whole 亿元.
    func testChongqingPartsAddUpToTheMunicipalTotal() throws {
        let roster = try roster()
        let parts = try HistoryLoader.load(seed("history_chongqing_parts.csv"), roster: roster)
        let whole = try HistoryLoader.load(seed("history.csv"), roster: roster)
        let members = try XCTUnwrap(roster.cityIDs(for: "chongqing"))
        XCTAssertEqual(members, ["chongqing_core", "chongqing_rest"])
        func sum(_ year: Int, _ value: (HistoryObservation) -> Double?) throws -> Double {
            try members.reduce(0.0) { $0 + (try XCTUnwrap(parts.observation(city: $1, year: year).flatMap(value), "\($1) \(year)")) }
        }
        for year in [2020, 2022] {
            let total = try XCTUnwrap(whole.observation(city: "chongqing", year: year)?.population)
            XCTAssertEqual(try sum(year, \.population), total, accuracy: 1e-9, "population \(year)")
        }
        let gdp2021 = try XCTUnwrap(whole.observation(city: "chongqing", year: 2021)?.gdpCurrent)
        XCTAssertEqual(try sum(2021, \.gdpCurrent), gdp2021, accuracy: 0.5)
    }

    func testShippedPanelLoadsWithItsDocumentedCoverage() throws {
        let panel = try HistoryLoader.load(seed("history.csv"), roster: try roster())
        // The panel's units are the roster's 23 cities and its group `chongqing`; history.csv
        // holds the 21 Sichuan units and Chongqing as a whole.
        XCTAssertEqual(panel.cityIDs.count, 24)
        XCTAssertEqual(panel.cityIDs.last, "chongqing")
        let units = panel.cityIDs.filter { !["chongqing_core", "chongqing_rest"].contains($0) }
        XCTAssertEqual(units.count, 22)
        XCTAssertEqual(panel.years, Array(2010...2022))
        var gdp = 0, growth = 0, population = 0
        for city in units { for year in 2010...2022 {
            let row = try XCTUnwrap(panel.observation(city: city, year: year))
            if row.gdpCurrent != nil { gdp += 1 }
            if row.realGrowthPercent != nil { growth += 1 }
            if row.population != nil { population += 1 }
        } }
        // Coverage table of seeds/README.md: 265, 240 and 107 of 286 unit-years.
        XCTAssertEqual([gdp, growth, population], [265, 240, 107])
        let chengdu2020 = try XCTUnwrap(panel.observation(city: "chengdu", year: 2020))
        XCTAssertEqual(chengdu2020.gdpCurrent, 17716.7)
        XCTAssertEqual(chengdu2020.population, 2093.78)
        XCTAssertEqual(chengdu2020.populationVintage, "census_2020")
        // Complete over the 22 units of the file; Chongqing's parts are in their own file.
        let complete = panel.years.filter { year in units.allSatisfy { panel.observation(city: $0, year: year)?.gdpCurrent != nil } }
        XCTAssertEqual(complete, [2017, 2018, 2019, 2020, 2021])
    }

    /// Chengdu's published rates (seeds/history.csv): 2011 15.2, 2012 13.0, 2013 missing,
    /// 2014 8.9, 2015 7.9, 2016 7.7, 2017 7.85, 2018 8.0, 2019 7.8, 2020 4.0, 2021 8.59,
    /// 2022 2.75. The index is their product, restarted at 100 in 2013.
    func testRealIndexChainsRatesAndBreaksAtTheMissing2013Rate() throws {
        let panel = try HistoryLoader.load(seed("history.csv"), roster: try roster())
        let index = panel.realGDPIndex(city: "chengdu")
        XCTAssertEqual(index.map(\.year), Array(2010...2022))
        XCTAssertEqual(index.map(\.segment), [0, 0, 0] + Array(repeating: 1, count: 10))
        XCTAssertEqual(index[0].index, 100)
        XCTAssertEqual(index[2].index, 100 * 1.152 * 1.13, accuracy: 1e-10)
        XCTAssertEqual(index[3].index, 100)
        XCTAssertEqual(index[3].baseYear, 2013)
        let rates = [8.9, 7.9, 7.7, 7.85, 8.0, 7.8, 4.0, 8.59, 2.75]
        let expected = rates.reduce(100.0) { $0 * (1 + $1 / 100) }
        XCTAssertEqual(index[12].index, expected, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(index[12].gdpAtBasePrices), 9108.89 * expected / 100, accuracy: 1e-7)
    }

    /// Panzhihua's 2018 rate is left empty (it contradicts its source's levels), so its index
    /// has a third segment from 2018.
    func testRealIndexBreaksAtACitysOwnMissingRate() throws {
        let panel = try HistoryLoader.load(seed("history.csv"), roster: try roster())
        let index = panel.realGDPIndex(city: "panzhihua")
        let start2018 = try XCTUnwrap(index.first { $0.year == 2018 })
        XCTAssertEqual(start2018.index, 100)
        XCTAssertEqual(start2018.baseYear, 2018)
        XCTAssertEqual(start2018.segment, 2)
    }

    func testAbsentRowEndsTheSegment() throws {
        let path = try write(header + "chengdu,2010,100,10,\nchengdu,2011,110,10,\nchengdu,2013,130,10,\nchengdu,2014,140,5,\n")
        let index = try HistoryLoader.load(path, roster: try roster()).realGDPIndex(city: "chengdu")
        XCTAssertEqual(index.map(\.year), [2010, 2011, 2013, 2014])
        XCTAssertEqual(index.map(\.index), [100, 110.00000000000001, 100, 105])
        XCTAssertEqual(index.map(\.segment), [0, 0, 1, 1])
    }

    // MARK: - Malformed files

    func testMissingColumn() throws {
        try assertErrors("id,year,gdp_current,gdp_real_growth_pct\nchengdu,2010,1,1\n") { path in
            ["\(path):1: column 'pop_resident_10k': missing required column"]
        }
    }

    func testUnknownCityDuplicateYearAndBadValues() throws {
        try assertErrors(header + """
            chengdu,2010,1,2,3
            chengdou,2011,1,2,3
            chengdu,2010,1,2,3
            chengdu,2012,-1,2,3
            chengdu,2014,abc,2,3
            chengdu,2015,1,-100,3
            chengdu,2016,1,2,-3
            chengdu,2009,1,2,3
            chengdu,2023,1,2,3
            chengdu,20x1,1,2,3

            """) { path in [
                "\(path):3: column 'id': unknown city 'chengdou', not in the roster; did you mean 'chengdu'?",
                "\(path):4: column 'year': duplicate city-year chengdu 2010 (first on line 2)",
                "\(path):5: column 'gdp_current': expected a GDP in 亿元 ≥ 0, or an empty cell if not published, found '-1'",
                "\(path):6: column 'gdp_current': expected a number, found 'abc'",
                "\(path):7: column 'gdp_real_growth_pct': expected a growth rate in per cent above −100, or an empty cell if not published, found '-100'",
                "\(path):8: column 'pop_resident_10k': expected a population in 10^4 persons ≥ 0, or an empty cell if not published, found '-3'",
                "\(path):9: column 'year': expected a year in 2010–2022, found '2009'",
                "\(path):10: column 'year': year 2023 is after 2022: statistics after 2022 are held back for out-of-sample validation and are not read",
                "\(path):11: column 'year': expected a year in 2010–2022, found '20x1'",
            ] }
    }
}
