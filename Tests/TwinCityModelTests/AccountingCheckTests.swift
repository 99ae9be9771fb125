// The per-tick accounting check runs in every build (release included) and names the tick,
// the year and the identity that broke; a NaN counts as broken.
import Foundation
@testable import TwinCityModel
import XCTest

final class AccountingCheckTests: XCTestCase {
    func report(money: Double = 1e-15, external: Double = 1e-12) -> ConservationReport {
        ConservationReport(population: 1e-16, migration: 0, capital: 2e-16, industry: 0, money: money, external: external)
    }

    func testIdentitiesWithinTolerancePass() throws {
        try report().check(tick: 3, year: 2023, externalTolerance: 1e-9)
    }

    func testABrokenIdentityNamesTickYearAndIdentity() {
        XCTAssertThrowsError(try report(money: 2e-9).check(tick: 3, year: 2023, externalTolerance: 1e-9)) { error in
            XCTAssertEqual("\(error)", "tick 3 (year 2023): accounting identity broken: money off by 2e-09 (relative; allowed below 1e-09)")
        }
        XCTAssertThrowsError(try report(external: 1e-6).check(tick: 7, year: 2027, externalTolerance: 1e-8)) { error in
            XCTAssertEqual("\(error)", "tick 7 (year 2027): accounting identity broken: external account off by 1e-06 (relative; allowed below 1e-08)")
        }
    }

    func testNotANumberIsBroken() {
        XCTAssertTrue(report(money: .nan).exact < 1e-9, "max() drops the NaN, so `exact` alone would pass it")
        XCTAssertThrowsError(try report(money: .nan).check(tick: 1, year: 2021, externalTolerance: 1e-9)) { error in
            XCTAssertTrue("\(error)".contains("money off by nan"), "\(error)")
        }
    }
}
