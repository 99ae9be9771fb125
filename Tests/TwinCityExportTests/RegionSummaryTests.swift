// Inequality indices, zone totals and unit conversions against values worked out by hand.
import Foundation
import TwinCityExport
import XCTest

final class RegionSummaryTests: XCTestCase {
    /// Three cities: GDP (1, 2, 3), population (1, 1, 2); GDP per capita (1, 2, 1.5), mean 1.5.
    let gdp = [1.0, 2.0, 3.0]
    let population = [1.0, 1.0, 2.0]

    func testTheilMatchesHandComputation() {
        // T = (1/6) ln((1/6)/(1/4)) + (1/3) ln((1/3)/(1/4)) + (1/2) ln((1/2)/(1/2))
        //   = (1/6) ln(2/3) + (1/3) ln(4/3) = (5/6) ln 2 − (1/2) ln 3.
        let expected = 5.0 / 6.0 * log(2.0) - 0.5 * log(3.0)
        XCTAssertLessThan(relativeError(RegionSummary.theil(gdp: gdp, population: population), expected), 1e-14)
    }

    func testCoefficientOfVariationMatchesHandComputation() {
        // Σ p_i (y_i − ȳ)² = ¼·(−½)² + ¼·(½)² + ½·0 = 1/8; CV = sqrt(1/8) / 1.5 = √2 / 6.
        let expected = 2.0.squareRoot() / 6
        XCTAssertLessThan(relativeError(RegionSummary.coefficientOfVariation(gdp: gdp, population: population), expected), 1e-14)
    }

    func testEqualGDPPerCapitaHasNoInequality() {
        let equal = [2.0, 4.0, 6.0], people = [1.0, 2.0, 3.0]
        XCTAssertLessThan(abs(RegionSummary.theil(gdp: equal, population: people)), 1e-15)
        XCTAssertLessThan(abs(RegionSummary.coefficientOfVariation(gdp: equal, population: people)), 1e-15)
    }

    func testTheilIsInvariantToUnitsAndOrder() {
        let scaled = RegionSummary.theil(gdp: gdp.map { $0 * 1e4 }.reversed(), population: population.map { $0 * 7 }.reversed())
        XCTAssertLessThan(relativeError(scaled, RegionSummary.theil(gdp: gdp, population: population)), 1e-13)
    }

    func testSummaryTotalsSharesAndZones() {
        let summary = RegionSummary(
            gdp: gdp, gdpNominal: [1.5, 2.5, 3.5], population: population,
            urbanPopulation: [0.5, 0.5, 1.0], zones: ["east", "west", "east"])
        assertClose([summary.gdp, summary.gdpNominal, summary.population, summary.urbanPopulation], [6, 7.5, 4, 2], relative: 1e-15)
        XCTAssertEqual(summary.zones, ["east", "west"], "zones in order of first appearance")
        assertClose(summary.zoneGDP, [4, 2], relative: 1e-15)
        assertClose(summary.zonePopulation, [3, 1], relative: 1e-15)
        assertClose(summary.gdpShares, [1.0 / 6, 2.0 / 6, 3.0 / 6], relative: 1e-15)
        assertClose(summary.populationShares, [0.25, 0.25, 0.5], relative: 1e-15)
        // 6 亿元 over 4·10^4 persons = 6·10^8 / 4·10^4 yuan = 15 000 yuan per person.
        XCTAssertLessThan(relativeError(summary.gdpPerCapita, 15_000), 1e-15)
    }

    func testUnitConversions() {
        // 1 亿元 per 10^4 persons = 10^8 yuan / 10^4 persons = 10^4 yuan per person.
        assertClose([RegionSummary.gdpPerCapita(gdp: 1, population: 1)], [1e4], relative: 1e-15)
        // Chengdu 2020: 17 716.7 亿元 over 2 093.7757 万人 ≈ 84 616 yuan per person.
        XCTAssertLessThan(relativeError(RegionSummary.gdpPerCapita(gdp: 17716.7, population: 2093.7757), 1_771_670_000_000 / 20_937_757), 1e-14)
        assertClose([RegionSummary.wagePerWorker(6.5)], [65_000], relative: 1e-15)
    }

    func testGrowthRateIsCompoundedPerYear() {
        XCTAssertLessThan(relativeError(RegionSummary.growthRate(from: 100, to: 121, years: 2), 0.1), 1e-14)
        XCTAssertLessThan(relativeError(RegionSummary.growthRate(from: 100, to: 105, years: 1), 0.05), 1e-13)
    }
}
