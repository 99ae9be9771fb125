// The equivalent variation of MODEL.md §4.1 against a two-city case worked by hand.
import Foundation
import TwinCityModel
import XCTest

final class WelfareTests: XCTestCase {
    /// Two cities, two years (2020, 2021), η = 0.1, r = 5 %.
    ///
    /// City 1 (8 urban residents in A): in 2021 the policy raises the wage from 52 000 to
    /// 53 040 (+2 %), public services from 100 to 110 for 10 residents, and utility from 1.04
    /// to 1.092 (+5 %). EV_2021 = 52 000 · 0.05 = 2 600 yuan; income part 2 600 · ln 1.02 /
    /// ln 1.05, public services 2 600 · 0.1 ln 1.1 / ln 1.05, prices and rents the rest.
    /// City 2 (2 urban residents): the wage falls to 39 200 (−2 %), residents rise from 5 to
    /// 5.1 with the same services, utility falls by 1 %: EV_2021 = 40 000 · (−0.01) = −400.
    /// 2020 is the same in both runs. Discounted mean: (EV_2020 + EV_2021/1.05) / (1 + 1/1.05).
    func testTwoCityCaseWorkedByHand() {
        let years = [2020.0, 2021]
        let a1 = WelfareSeries(years: years, wage: [50_000, 52_000], utility: [1, 1.04], publicServices: [100, 100], population: [10, 10], urbanPopulation: [8, 8])
        let b1 = WelfareSeries(years: years, wage: [50_000, 53_040], utility: [1, 1.092], publicServices: [100, 110], population: [10, 10], urbanPopulation: [8, 8.2])
        let a2 = WelfareSeries(years: years, wage: [40_000, 40_000], utility: [0.8, 0.8], publicServices: [50, 50], population: [5, 5], urbanPopulation: [2, 2])
        let b2 = WelfareSeries(years: years, wage: [40_000, 39_200], utility: [0.8, 0.792], publicServices: [50, 50], population: [5, 5.1], urbanPopulation: [2, 1.9])
        let (cities, region) = Welfare.equivalentVariation(reference: [a1, a2], policy: [b1, b2], elasticity: (0.1, 0.1), discountRate: 0.05)
        let weight = 1 / 1.05 / (1 + 1 / 1.05)   // share of 2021 in the discounted mean

        let ln105 = Foundation.log(1.05)
        XCTAssertEqual(cities[0].total, 2_600 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[0].income, 2_600 * Foundation.log(1.02) / ln105 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[0].publicServices, 2_600 * 0.1 * Foundation.log(1.1) / ln105 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[0].prices, 2_600 * (ln105 - Foundation.log(1.02) - 0.1 * Foundation.log(1.1)) / ln105 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[0].amenities, 0)
        XCTAssertEqual(cities[0].referenceIncome, (50_000 + 52_000 / 1.05) / (1 + 1 / 1.05), accuracy: 1e-9)
        XCTAssertEqual(cities[0].total, 1268.2926829268292, accuracy: 1e-9)

        let ln099 = Foundation.log(0.99)
        XCTAssertEqual(cities[1].total, -400 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[1].income, -400 * Foundation.log(0.98) / ln099 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[1].publicServices, -400 * 0.1 * Foundation.log(5 / 5.1) / ln099 * weight, accuracy: 1e-9)
        XCTAssertEqual(cities[1].share, -400 * weight / 40_000, accuracy: 1e-12)

        // The region: each year's EV weighted by A's urban population (8 and 2).
        XCTAssertEqual(region.total, (8 * 2_600 + 2 * -400) / 10 * weight, accuracy: 1e-9)
        XCTAssertEqual(region.total, 975.6097560975610, accuracy: 1e-9)
        XCTAssertEqual(region.referenceIncome, (48_000 + 49_600 / 1.05) / (1 + 1 / 1.05), accuracy: 1e-9)
        for ev in cities + [region] {
            XCTAssertEqual(ev.income + ev.prices + ev.publicServices + ev.amenities, ev.total, accuracy: 1e-9)
        }
    }

    /// The movers' part by hand: one city whose utility, wage, services and size are the same
    /// in both runs, but whose residents stay with probability 0.8 instead of 0.9 in 2021 (a
    /// lower barrier elsewhere). With ν = 0.1, θ = 2, λ = 1 the mover value rises by
    /// ΔM = 0.1 (ln 0.9 − ln 0.8) / 2 = 0.05 ln 1.125, so EV_2021 = 50 000 (1.125^0.05 − 1),
    /// all of it the movers' part.
    func testMoversPartWorkedByHand() {
        let years = [2020.0, 2021]
        func mover(_ stay: [Double]) -> [Double] {
            Welfare.moverValue(stayProbability: stay, urbanPopulation: [8, 8], rate: 0.1, elasticity: 2, sizeElasticity: 1)
        }
        XCTAssertEqual(mover([0.9, 0.9])[0], 0.1 * (Foundation.log(8.0) - Foundation.log(0.9)) / 2, accuracy: 1e-15)
        let a = WelfareSeries(years: years, wage: [50_000, 50_000], utility: [1, 1], publicServices: [10, 10], population: [10, 10], urbanPopulation: [8, 8], moverValue: mover([0.9, 0.9]))
        let b = WelfareSeries(years: years, wage: [50_000, 50_000], utility: [1, 1], publicServices: [10, 10], population: [10, 10], urbanPopulation: [8, 8], moverValue: mover([0.9, 0.8]))
        let weight = 1 / 1.05 / (1 + 1 / 1.05)
        let ev = Welfare.equivalentVariation(reference: [a], policy: [b], elasticity: (0.1, 0.1)).cities[0]
        let expected = 50_000 * (Foundation.pow(1.125, 0.05) - 1) * weight
        XCTAssertEqual(ev.total, expected, accuracy: 1e-9)
        XCTAssertEqual(ev.mobility, expected, accuracy: 1e-9)
        XCTAssertEqual(ev.income + ev.prices + ev.publicServices + ev.amenities, 0, accuracy: 1e-9)
        XCTAssertGreaterThan(ev.total, 0, "a wider choice is a gain")
        // Without the column in one run the movers are left out rather than compared with 0.
        var old = a
        old.moverValue = nil
        XCTAssertEqual(Welfare.equivalentVariation(reference: [old], policy: [b], elasticity: (0.1, 0.1)).cities[0].total, 0)
    }

    /// The identity behind the mover value: the logit inclusive value of a mover, divided by
    /// θ, is ln V_i + (λ ln L_i − ln π_ii) / θ, for a two-city choice with moving costs.
    func testInclusiveValueIsUtilityPlusTheChoiceBeyondStaying() {
        var parameters = ModelParameters()
        parameters.migrationElasticity = 2
        parameters.destinationSizeElasticity = 1
        let migration = Migration(travelTimes: [0, 1.5, 1.5, 0], provinces: ["sichuan", "chongqing"], parameters: parameters, barrierScale: [1, 1, 1, 1])
        let utility = [1.2, 0.9], urban = [500.0, 120]
        let delta = migration.delta(utility: utility, urbanPopulation: urban)
        let inclusive = migration.inclusiveValue(delta: delta), stay = migration.stayProbability(delta: delta)
        for i in 0..<2 {
            XCTAssertEqual(inclusive[i] / 2, Foundation.log(utility[i]) + (Foundation.log(urban[i]) - Foundation.log(stay[i])) / 2, accuracy: 1e-12)
            XCTAssertGreaterThan(stay[i], 0)
            XCTAssertLessThan(stay[i], 1)
        }
        // Hand check of π_11: e^{δ_1} / (e^{δ_1} + W_12 e^{δ_2}), W_12 = e^{−(m_L t + b + b_P)}, b the full barrier (no entry barriers given).
        let w12 = Foundation.exp(-(parameters.migrationCostPerHour * 1.5 + parameters.hukouBarrier + parameters.provincialBarrier))
        let e1 = Foundation.exp(delta[0]), e2 = Foundation.exp(delta[1])
        XCTAssertEqual(stay[0], e1 / (e1 + w12 * e2), accuracy: 1e-12)
    }

    /// Identical runs: no variation at all; a uniform 3 % utility gain every year: EV is 3 %
    /// of the discounted income whatever the discount rate.
    func testIdenticalRunsAndAUniformGain() {
        let years = [2020.0, 2021, 2022]
        let a = WelfareSeries(years: years, wage: [1, 2, 3], utility: [1, 1.1, 1.2], publicServices: [1, 1, 1], population: [1, 1, 1], urbanPopulation: [1, 1, 1])
        var b = a
        XCTAssertEqual(Welfare.equivalentVariation(reference: [a], policy: [b], elasticity: (0.1, 0.1)).region.total, 0)
        b.utility = a.utility.map { $0 * 1.03 }
        for r in [0.0, 0.05, 0.2] {
            let ev = Welfare.equivalentVariation(reference: [a], policy: [b], elasticity: (0.1, 0.1), discountRate: r).region
            XCTAssertEqual(ev.share, 0.03, accuracy: 1e-12, "r = \(r)")
            XCTAssertEqual(ev.prices, ev.total, accuracy: 1e-12)   // neither wage nor services changed
        }
    }
}
