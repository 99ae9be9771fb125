// The nesting test of MODEL.md §3.1: with one sector, β = 0, agg = 1/(σ−1), a_H = 0 and the
// replicator rule, twincity is Krugman's core–periphery model (FKV 1999, ch. 5).
import XCTest
import TwinCityModel

final class CorePeripheryTests: XCTestCase {
    func settings(phi: Double, lambda: Double = 0.5) -> CorePeripherySettings {
        var s = CorePeripherySettings(elasticity: 5, manufacturingShare: 0.4)
        s.tradeCost = pow(phi, 1 / (1 - s.elasticity))
        s.initialShare = lambda
        return s
    }

    func testBreakPointIsOneSeventhForSigma5Mu04() {
        XCTAssertEqual(settings(phi: 0.1).breakPoint, 1.0 / 7.0, accuracy: 1e-15)
    }

    func testSymmetricWageIsOneAsInFKV() throws {
        // At λ = 1/2 both wages equal 1 in the FKV normalisation (farmers earn 1, E = 1).
        let s = settings(phi: 0.12)
        var p = s
        p.initialShare = 0.5
        let (setup, parameters) = try CorePeriphery.setup(p)
        let eq = try TradeEquilibrium(structure: setup.structure).solve(setup.state, parameters: parameters)
        XCTAssertEqual(eq.wages[0], 1, accuracy: 1e-12)
        XCTAssertEqual(eq.wages[1], 1, accuracy: 1e-12)
        XCTAssertEqual(eq.expenditure.reduce(0, +), 1, accuracy: 1e-12)
    }

    func testWageEquationMatchesFKVClosedForm() throws {
        // FKV (5.1)–(5.3): Y_r = μ λ_r w_r + (1−μ)/2, G_r^(1−σ) = Σ_s λ_s (w_s T_rs)^(1−σ),
        // w_r^σ = Σ_s Y_s T_rs^(1−σ) G_s^(σ−1); ω_r = w_r G_r^(−μ) up to a common factor.
        let s = settings(phi: 0.18, lambda: 0.7)
        let (setup, parameters) = try CorePeriphery.setup(s)
        let eq = try TradeEquilibrium(structure: setup.structure).solve(setup.state, parameters: parameters)
        let sigma = s.elasticity, mu = s.manufacturingShare
        let lambda = [0.7, 0.3]
        let w = eq.wages
        let t = [[1.0, s.tradeCost], [s.tradeCost, 1.0]]
        let y = (0..<2).map { mu * lambda[$0] * w[$0] + (1 - mu) / 2 }
        let g = (0..<2).map { r in pow((0..<2).reduce(0.0) { $0 + lambda[$1] * pow(w[$1] * t[$1][r], 1 - sigma) }, 1 / (1 - sigma)) }
        for r in 0..<2 {
            let rhs = (0..<2).reduce(0.0) { $0 + y[$1] * pow(t[r][$1], 1 - sigma) * pow(g[$1], sigma - 1) }
            XCTAssertEqual(pow(w[r], sigma), rhs, accuracy: 1e-12 * rhs, "wage equation, city \(r + 1)")
        }
        let (o1, o2) = try CorePeriphery.realWages(s, share: 0.7)
        XCTAssertEqual(o1 / o2, (w[0] * pow(g[0], -mu)) / (w[1] * pow(g[1], -mu)), accuracy: 1e-12)
    }

    func testSymmetricEquilibriumStableBelowBreakPointUnstableAbove() throws {
        let phiB = 1.0 / 7.0
        for (phi, stable) in [(0.8 * phiB, true), (0.95 * phiB, true), (1.05 * phiB, false), (1.3 * phiB, false)] {
            // Slope of ω1 − ω2 in λ at 1/2, by a central difference.
            let h = 1e-4
            let (a1, a2) = try CorePeriphery.realWages(settings(phi: phi), share: 0.5 + h)
            let (b1, b2) = try CorePeriphery.realWages(settings(phi: phi), share: 0.5 - h)
            let slope = ((a1 - a2) - (b1 - b2)) / (2 * h)
            XCTAssertEqual(slope < 0, stable, "φ = \(phi): slope \(slope)")
        }
    }

    func testReplicatorFromJustAboveOneHalfEndsOnTheMatchingSide() throws {
        for (phi, expected) in [(0.10, 0.5), (0.20, 1.0)] {
            var s = settings(phi: phi, lambda: 0.501)
            s.speed = 10
            let (setup, parameters) = try CorePeriphery.setup(s)
            var last: TickRecord?
            try Simulation(setup: setup, parameters: parameters, settings: SimulationSettings(startYear: 0, endYear: 100, dt: 0.1, seed: 1)).run { last = $0 }
            let l = last!.state.urbanPopulation
            let lambda = l[0] / (l[0] + l[1])
            XCTAssertEqual(lambda, expected, accuracy: 1e-3, "φ = \(phi)")
        }
    }
}
