// Every number of cities.csv and region.csv reads back as the very binary64 value the model
// computed: compared bit for bit with the TickRecord (and the figures derived from it).
import Foundation
@testable import TwinCityExport
import TwinCityModel
import XCTest

final class CSVRoundTripTests: XCTestCase {
    /// Fails unless the cell parses to a Double with exactly the bits of `expected` (an empty
    /// cell stands for a value that is not finite).
    func assertBitwise(_ cell: String, _ expected: Double, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        guard expected.isFinite else {
            XCTAssertEqual(cell, "", "\(label): a non-finite value is an empty cell", file: file, line: line)
            return
        }
        guard let parsed = Double(cell) else {
            XCTFail("\(label): '\(cell)' is not a number", file: file, line: line)
            return
        }
        XCTAssertEqual(parsed.bitPattern, expected.bitPattern, "\(label): '\(cell)' reads back as \(parsed), written from \(expected)", file: file, line: line)
    }

    func testCitiesAndRegionCellsRoundTripBitwise() throws {
        let folder = try scratchFolder(self)
        let (simulation, cities, sectors) = try threeCitySimulation(endYear: 2024, seed: 5)
        let out = folder.appendingPathComponent("run")
        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        var records: [TickRecord] = []
        var summaries: [RegionSummary] = []
        try simulation.run { record in
            summaries.append(try writer.consume(record))
            records.append(record)
        }
        try writer.finish(wallTime: 0)

        let table = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        XCTAssertEqual(table.rows.count, records.count * cities.count)
        let column = { (name: String) in try XCTUnwrap(table.header.firstIndex(of: name), name) }
        let n = cities.count, s = sectors.count
        var checked = 0
        for (t, record) in records.enumerated() {
            let figures = CityFigures.all(record, sectorCount: s, dt: simulation.settings.dt)
            for i in 0..<n {
                let row = table.rows[t * n + i]
                let label = "\(cities[i].id) \(record.year)"
                // Straight from the TickRecord.
                var expected: [(String, Double)] = [
                    ("year", record.year),
                    ("population", record.state.population[i]),
                    ("urban_population", record.state.urbanPopulation[i]),
                    ("rural_population", record.state.ruralPopulation[i]),
                    ("gdp", record.realGDP[i]),
                    ("gdp_nominal", record.equilibrium.gdp[i]),
                    ("real_utility", record.utility[i]),
                    ("stay_probability", record.stayProbability[i]),
                    ("rent", record.equilibrium.rent[i]),
                    ("tax_revenue", record.fiscal.revenue[i]),
                    ("public_spending", record.fiscal.publicSpending[i]),
                    ("public_services", record.state.publicServices[i]),
                    ("subsidy_rate", record.agents[i].subsidy),
                    ("subsidies_paid", record.subsidiesPaid[i]),
                    ("retention_effort", record.agents[i].retention),
                    ("transfers", record.fiscal.transfers[i]),
                ]
                for (k, sector) in sectors.enumerated() {
                    expected.append(("capital_\(sector)", record.state.capital[i * s + k]))
                    expected.append(("output_\(sector)", record.equilibrium.revenue[i * s + k]))
                    expected.append(("employment_\(sector)", record.equilibrium.sectorLabour[i * s + k]))
                }
                // Derived in output units by CityFigures.
                let f = figures[i]
                expected += [
                    ("gdp_per_capita", f.gdpPerCapita), ("wage", f.wage), ("capital", f.capital),
                    ("fiscal_balance", f.fiscalBalance), ("population_in", f.populationIn),
                    ("population_out", f.populationOut), ("capital_in", f.capitalIn), ("capital_out", f.capitalOut),
                    ("industry_in", f.industryIn), ("industry_out", f.industryOut),
                    ("industry_external_in", f.industryExternalIn), ("natural_growth", f.naturalGrowth),
                    ("urbanisation", f.urbanisation), ("cpi", record.consumerPrices[i]), ("wage_real", f.realWage),
                    ("rent_real", f.realRent), ("tax_revenue_real", f.realTaxRevenue), ("public_spending_real", f.realPublicSpending),
                    ("subsidies_paid_real", f.realSubsidiesPaid), ("transfers_real", f.realTransfers),
                    ("fiscal_balance_real", f.realFiscalBalance),
                ]
                for (name, value) in expected {
                    assertBitwise(row[try column(name)], value, "\(label) \(name)")
                    checked += 1
                }
            }
        }
        let numericColumns = table.header.count - 4
        XCTAssertEqual(checked, records.count * n * (numericColumns + 1), "every numeric cell and the year was compared")

        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        for (t, summary) in summaries.enumerated() {
            let row = region.rows[t]
            let value = { (name: String) -> String in row[region.header.firstIndex(of: name)!] }
            assertBitwise(value("population"), summary.population, "region population \(t)")
            assertBitwise(value("gdp"), summary.gdp, "region gdp \(t)")
            assertBitwise(value("gdp_nominal"), summary.gdpNominal, "region gdp_nominal \(t)")
            assertBitwise(value("theil_gdp_per_capita"), summary.theil, "region theil \(t)")
            assertBitwise(value("cv_gdp_per_capita"), summary.coefficientOfVariation, "region cv \(t)")
            assertBitwise(value("chengdu_gdp_share"), summary.gdpShares[0], "chengdu share \(t)")
            assertBitwise(value("population_chongqing"), summary.zonePopulation[1], "chongqing zone \(t)")
            assertBitwise(value("conservation_worst"), records[t].conservation?.worst ?? .nan, "conservation \(t)")
        }
    }

    func testAwkwardValuesRoundTripThroughTheWriter() throws {
        // Values at the edges of the number formatting: negative zero, whole numbers at and
        // above 10^15, subnormals, the largest finite value, and a tenth's binary noise.
        let folder = try scratchFolder(self)
        let (simulation, cities, sectors) = try threeCitySimulation(endYear: 2020)
        let out = folder.appendingPathComponent("run")
        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        let awkward: [Double] = [
            -0.0, 1e15 - 1, 1e15, 4e15 + 2, -123456789012345, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            0.1 + 0.2, -2.5e-8,
        ]
        let n = cities.count
        try simulation.run { record in
            var edited = record
            for i in 0..<n {
                edited.utility[i] = awkward[i]
                edited.equilibrium.rent[i] = awkward[n + i]
                edited.state.publicServices[i] = awkward[2 * n + i]
            }
            try writer.consume(edited)
        }
        try writer.finish(wallTime: 0)
        let table = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        let utility = try table.column("real_utility")
        for (k, name) in ["real_utility", "rent", "public_services"].enumerated() {
            for (i, cell) in try table.column(name).enumerated() { assertBitwise(cell, awkward[k * n + i], "\(name) \(awkward[k * n + i])") }
        }
        XCTAssertEqual(utility[0], "-0", "negative zero keeps its sign")
        XCTAssertEqual(utility[1], "999999999999999", "whole numbers below 10^15 are written as integers")
    }
}

final class CSVQuotingTests: XCTestCase {
    /// The byte writer's ASCII fast path spells every cell as `CSVFormat.quoted` does: checked
    /// on every single byte from 0 to 127 at the start, middle and end of a cell, and on cells
    /// outside ASCII that must take the general path.
    func testTheByteWriterQuotesExactlyAsTheCharacterRule() {
        var cells = ["", "chengdu", "成都", "a,b", "say \"hi\"", " lead", "trail ", "\u{85}x", "x\u{2028}y", "\u{A0}nbsp", "e\u{301}", "\r\n"]
        for b in 0..<128 {
            let c = String(UnicodeScalar(UInt8(b)))
            cells += [c, "a" + c + "b", c + "ab", "ab" + c]
        }
        for cell in cells {
            var bytes: [UInt8] = []
            CSVFormat.appendQuoted(cell, to: &bytes)
            XCTAssertEqual(bytes, Array(CSVFormat.quoted(cell).utf8), "cell \(cell.unicodeScalars.map { $0.value })")
        }
    }
}
