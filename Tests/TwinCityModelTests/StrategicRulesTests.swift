// The strategic decision rules (MODEL.md §3.2): the Nash subsidy of two symmetric cities
// against its closed form, the planner never below Nash, retention against its first-order
// condition, and both rules on the 22-city region.
import Foundation
import TwinCityModel
import XCTest

final class StrategicRulesTests: XCTestCase {
    /// N symmetric cities sharing a pool P: π = 1/N at equal subsidies.
    func symmetric(_ n: Int, value: Double, theta: Double = 4, limit: Double = 0.2) -> GovernmentGame {
        GovernmentGame(
            pool: 100, baseWeight: Array(repeating: 1, count: n), elasticity: theta, value: value,
            capital: Array(repeating: 300, count: n), lossShare: Array(repeating: 0.02, count: n),
            retentionScale: 0.1, retentionCost: 0.25, subsidyLimit: Array(repeating: limit, count: n), retentionLimit: 0.5)
    }

    /// The first-order condition of W_i = P π_i (v − s_i) with dπ_i/ds_i = π_i(1 − π_i) θ/(1 − s_i):
    /// (1 − π) θ (v − s) = 1 − s; at the symmetric point π = 1/N, with c = θ(N − 1)/N,
    /// s* = (c v − 1)/(c − 1) (interior when c v > 1 and s* below the limit).
    func closedForm(cities n: Int, value v: Double, theta: Double = 4) -> Double {
        let c = theta * Double(n - 1) / Double(n)
        return (c * v - 1) / (c - 1)
    }

    func testTwoSymmetricCitiesReachTheClosedFormNashSubsidy() throws {
        for v in [0.52, 0.55, 0.58] {
            let game = symmetric(2, value: v)
            let expected = closedForm(cities: 2, value: v)   // 2v − 1 for θ = 4
            XCTAssertEqual(expected, 2 * v - 1, accuracy: 1e-15)
            for start in [[0.0, 0.0], [0.2, 0.0], [0.05, 0.17]] {
                let nash = try game.nash(start: start)
                XCTAssertEqual(nash.subsidy[0], expected, accuracy: 1e-6, "v = \(v), start \(start)")
                XCTAssertEqual(nash.subsidy[1], expected, accuracy: 1e-6, "v = \(v), start \(start)")
                XCTAssertLessThanOrEqual(nash.lastChange, GovernmentGame.tolerance)
                XCTAssertGreaterThan(nash.rounds, 0)
            }
        }
        // Three cities: c = 8/3.
        let nash3 = try symmetric(3, value: 0.45).nash(start: [0, 0, 0])
        for s in nash3.subsidy { XCTAssertEqual(s, closedForm(cities: 3, value: 0.45), accuracy: 1e-6) }
        // A tax base worth too little to compete for (c v < 1): no subsidy at all.
        XCTAssertEqual(try symmetric(2, value: 0.4).nash(start: [0.1, 0.1]).subsidy, [0, 0])
        // The limit binds when s* lies above it.
        XCTAssertEqual(try symmetric(2, value: 0.7, limit: 0.2).nash(start: [0, 0]).subsidy, [0.2, 0.2])
    }

    func testRetentionMeetsItsFirstOrderConditionAndFallsWithTheBaseAtStake() throws {
        let game = symmetric(2, value: 0.4)
        let e = try game.bestRetention(0)
        // v λ⁰/ḡ e^{−e/ḡ} = c_e e.
        XCTAssertEqual(game.value * 0.02 / 0.1 * Foundation.exp(-e / 0.1), 0.25 * e, accuracy: 1e-7)
        XCTAssertGreaterThan(e, 0)
        var shared = game
        shared.lossShare = [0.02 * 0.6, 0.02 * 0.6]   // the origin keeps 40 % of the tax
        XCTAssertLessThan(try shared.bestRetention(0), e)
    }

    func testPlannerJointObjectiveIsNeverBelowNash() throws {
        var games = [symmetric(2, value: 0.55), symmetric(3, value: 0.45), symmetric(5, value: 0.35)]
        var asymmetric = symmetric(4, value: 0.45)
        asymmetric.baseWeight = [5, 1, 0.5, 2]
        asymmetric.lossShare = [0.05, 0, 0.01, 0.03]
        asymmetric.subsidyLimit = [0.2, 0.1, 0.2, 0.05]
        games.append(asymmetric)
        for game in games {
            let nash = try game.nash(start: Array(repeating: 0, count: game.cityCount))
            let plan = try game.cooperative(start: nash.subsidy, retentionStart: nash.retention)
            let jn = game.joint(subsidy: nash.subsidy, retention: nash.retention)
            let jc = game.joint(subsidy: plan.subsidy, retention: plan.retention)
            XCTAssertGreaterThanOrEqual(jc, jn - 1e-12)
            // Subsidies only move the pool between cities, and relocation only moves the tax
            // base between them: the planner pays neither (J = P v at zero instruments).
            XCTAssertEqual(plan.subsidy, Array(repeating: 0, count: game.cityCount))
            XCTAssertEqual(plan.retention, Array(repeating: 0, count: game.cityCount))
            XCTAssertEqual(jc, game.pool * game.value, accuracy: 1e-9 * game.pool)
        }
    }

    func testNonConvergenceNamesTheCityAndTheLastChange() throws {
        let game = symmetric(2, value: 0.55)
        XCTAssertThrowsError(try game.nash(start: [0.2, 0.0], maxRounds: 1)) { error in
            let failure = error as? DecisionFailure
            XCTAssertEqual(failure?.rounds, 1)
            XCTAssertEqual(failure?.city, 0)   // from 0.2 it moves most
            XCTAssertEqual(failure?.description.hasPrefix("the governments' best responses did not converge to a Nash equilibrium of attraction subsidies after 1 rounds (last change "), true, failure?.description ?? "")
        }
    }

    func testBargainedShareMaximisesTheNashProduct() {
        XCTAssertEqual(TaxSharingPolicy.bargainedShare(weight: 0.5, originBase: 0.9, destinationBase: 1), 0.95, accuracy: 1e-15)
        XCTAssertEqual(TaxSharingPolicy.bargainedShare(weight: 0, originBase: 0.9, destinationBase: 1), 0.9, accuracy: 1e-15)
        XCTAssertEqual(TaxSharingPolicy.bargainedShare(weight: 1, originBase: 0.9, destinationBase: 1), 1)
        XCTAssertEqual(TaxSharingPolicy.bargainedShare(weight: 0.3, originBase: 1.2, destinationBase: 1), 1, "no gain to share")
        // Against a direct search of (φ T_d − T_o)^β ((1 − φ) T_d)^{1−β} over φ.
        for (beta, to, td) in [(0.3, 0.8, 1.0), (0.7, 0.5, 2.0), (0.5, 0.95, 1.0)] {
            let phi = TaxSharingPolicy.bargainedShare(weight: beta, originBase: to, destinationBase: td)
            func product(_ f: Double) -> Double {
                let gain = f * td - to, rest = (1 - f) * td
                return gain <= 0 || rest <= 0 ? 0 : Foundation.pow(gain, beta) * Foundation.pow(rest, 1 - beta)
            }
            let grid = (1..<100_000).map { Double($0) / 100_000 }
            let best = grid.max { product($0) < product($1) }!
            XCTAssertEqual(phi, best, accuracy: 2e-5, "β = \(beta)")
        }
    }

    // MARK: - On the region

    static let roster = try! realRoster()
    static let base: CalibratedEconomy = try! Calibration.calibrate(roster: roster, parameters: ModelParameters())

    /// Runs on the region with a tax rate of 0.15: at the published 8.7 % of GDP a yuan of
    /// capital is worth v ≈ 0.22 in tax, c v < 1 and the Nash subsidy is the corner 0; at 0.15
    /// the interior solution of the game is exercised.
    func run(_ rule: DecisionRuleKind, policies: [any Policy] = [], years: Double = 5) throws -> [TickRecord] {
        var p = ModelParameters()
        p.decisionRule = rule
        p.taxRate = 0.15
        let setup = SimulationSetup(calibrated: Self.base, cities: Self.roster.cities, links: Self.roster.links)
        let sim = try Simulation(setup: setup, parameters: p, settings: SimulationSettings(startYear: 2020, endYear: 2020 + years, dt: 1, seed: 3), policies: policies)
        var records: [TickRecord] = []
        try sim.run { records.append($0) }
        for r in records.dropFirst() { XCTAssertLessThan(r.conservation!.worst, 1e-10, "accounting identities under \(rule)") }
        return records
    }

    func testNashAndCooperativeRulesRunOnTheRegion() throws {
        let nash = try run(.nash)
        for r in nash.dropFirst() {
            for a in r.agents {
                XCTAssertGreaterThan(a.decisionRounds, 0, a.cityID)
                XCTAssertLessThanOrEqual(a.decisionChange, GovernmentGame.tolerance, a.cityID)
                XCTAssertTrue((0...ModelParameters().maxSubsidy).contains(a.subsidy), a.cityID)
            }
        }
        // Competing for a shared pool of capital, the smaller cities subsidise.
        XCTAssertTrue(nash.last!.agents.contains { $0.subsidy > 0.01 }, "\(nash.last!.agents.map(\.subsidy))")
        let plan = try run(.cooperative)
        for a in plan.last!.agents {
            XCTAssertEqual(a.subsidy, 0, a.cityID)
            XCTAssertEqual(a.retention, 0, a.cityID)
        }
    }

    func testTaxSharingLowersTheCoresRetentionUnderNash() throws {
        let cores = ["chengdu", "chongqing_core"]
        let without = try run(.nash)
        let policy = TaxSharingPolicy(window: PolicyWindow(start: 2021), origins: cores, bargainingWeight: 0.5)
        let with = try run(.nash, policies: [policy])
        for id in cores {
            let i = Self.roster.index(of: id)!
            XCTAssertGreaterThan(without.last!.agents[i].retention, 0, id)
            XCTAssertLessThan(with.last!.agents[i].retention, without.last!.agents[i].retention, id)
        }
    }
}
