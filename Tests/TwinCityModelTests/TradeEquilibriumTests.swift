// The short-run equilibrium (MODEL.md §3.1): the two solvers agree, and failure is reported.
import XCTest
import TwinCityModel
import TwinCityGSL

final class TradeEquilibriumTests: XCTestCase {
    /// Perturbs a calibrated state so the solvers meet an equilibrium they were not built from.
    func perturbed(_ state: EconomyState, seed: UInt64) -> EconomyState {
        let rng = RandomGenerator(seed: seed)
        var s = state
        for v in s.productivity.indices { s.productivity[v] *= exp(0.3 * rng.gaussian()) }
        for v in s.capital.indices { s.capital[v] *= exp(0.3 * rng.gaussian()) }
        for i in s.urbanPopulation.indices { s.urbanPopulation[i] *= exp(0.2 * rng.gaussian()) }
        return s
    }

    func assertSolversAgree(_ structure: EconomyStructure, _ state: EconomyState, _ label: String) throws {
        var powell = ModelParameters(); powell.solver = .powell
        var fixed = ModelParameters(); fixed.solver = .fixedPoint
        let a = try TradeEquilibrium(structure: structure).solve(state, parameters: powell)
        let b = try TradeEquilibrium(structure: structure).solve(state, parameters: fixed)
        XCTAssertEqual(a.solver, .powell)
        XCTAssertEqual(b.solver, .fixedPoint)
        // Agreement to 1e-9 relative in every price, wage and GDP.
        XCTAssertLessThan(maxRelativeError(a.prices, b.prices), 1e-9, "\(label) prices")
        XCTAssertLessThan(maxRelativeError(a.wages, b.wages), 1e-9, "\(label) wages")
        XCTAssertLessThan(maxRelativeError(a.gdp, b.gdp), 1e-9, "\(label) gdp")
        XCTAssertLessThan(a.residual, 1e-11, label)
        XCTAssertLessThan(b.residual, 1e-11, label)
    }

    func testSolversAgreeOnThe22CityBase() throws {
        let roster = try realRoster()
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        try assertSolversAgree(c.structure, c.state, "22-city base")
        try assertSolversAgree(c.structure, perturbed(c.state, seed: 3), "22-city perturbed")
    }

    func testSolversAgreeOnRandom50CityProblems() throws {
        for seed in UInt64(1)...4 {
            let roster = try syntheticRoster(cities: 50, seed: seed)
            let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
            try assertSolversAgree(c.structure, perturbed(c.state, seed: seed + 100), "50 cities, seed \(seed)")
        }
    }

    /// `auto` falls back to Powell from the same start when the fixed point stops: the result
    /// is Powell's own, bit for bit, and the iterations count both solvers' steps.
    func testAutoFallsBackToPowellWhenTheFixedPointStops() throws {
        let roster = try realRoster()
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        let state = perturbed(c.state, seed: 9)
        var powell = ModelParameters(); powell.solver = .powell
        let alone = try TradeEquilibrium(structure: c.structure).solve(state, parameters: powell)
        let solver = TradeEquilibrium(structure: c.structure)
        solver.autoFixedPointLimit = 2
        let fallback = try solver.solve(state, parameters: ModelParameters())
        XCTAssertEqual(fallback.solver, .powell)
        XCTAssertEqual(fallback.iterations, alone.iterations + 2)
        XCTAssertEqual(fallback.prices, alone.prices)
        XCTAssertEqual(fallback.wages, alone.wages)
        // With the full allowance the fixed point itself solves it, to Powell's answer.
        let auto = try TradeEquilibrium(structure: c.structure).solve(state, parameters: ModelParameters())
        XCTAssertEqual(auto.solver, .fixedPoint)
        XCTAssertLessThan(maxRelativeError(auto.prices, alone.prices), 1e-11)
        XCTAssertLessThan(maxRelativeError(auto.gdp, alone.gdp), 1e-11)
    }

    /// When Powell fails too, the error is Powell's and says where the fixed point stopped.
    func testAFailedFallbackNamesBothSolvers() throws {
        let roster = try realRoster()
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        var p = ModelParameters()
        p.equilibriumMaxIterations = 3
        // Started from the base year's prices (a warm start, as in a run), so that Powell takes
        // no fixed-point steps of its own first and has one iteration left for the perturbed state.
        XCTAssertThrowsError(try TradeEquilibrium(structure: c.structure).solve(
            perturbed(c.state, seed: 9), parameters: p, start: EquilibriumGuess(c.equilibrium))) { error in
            guard let failure = error as? EquilibriumFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.solver, .powell)
            XCTAssertTrue(failure.description.hasPrefix("powell solver did not converge after "), failure.description)
            XCTAssertTrue(failure.description.contains("tried after the fixed point stopped at 3 iterations with residual "), failure.description)
        }
    }

    func testMarketClearingIdentitiesHoldAtTheSolution() throws {
        let roster = try syntheticRoster(cities: 30, seed: 11)
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        let state = perturbed(c.state, seed: 12)
        let eq = try TradeEquilibrium(structure: c.structure).solve(state, parameters: ModelParameters())
        let sCount = c.structure.sectorCount
        let aH = c.structure.housingShare, aA = c.structure.agricultureShare
        // Sales of the region = its spending on modern goods − imports + sales outside.
        let sales = eq.revenue.reduce(0, +)
        let modernSpending = (0..<30).reduce(0.0) { $0 + (1 - aH - aA) * eq.consumption[$1] + eq.investmentSpending[$1] }
        XCTAssertEqual(sales, modernSpending - eq.imports.reduce(0, +) + eq.externalSales.reduce(0, +), accuracy: 1e-10 * sales)
        // Labour markets clear; GDP = factor income + rent.
        for i in 0..<30 {
            let employed = (0..<sCount).reduce(0.0) { $0 + eq.sectorLabour[i * sCount + $1] }
            XCTAssertEqual(employed, state.urbanPopulation[i], accuracy: 1e-10 * employed)
            let valueAdded = (0..<sCount).reduce(eq.wages[i] * state.urbanPopulation[i] + state.ruralProductivity[i] * state.ruralPopulation[i]) {
                $0 + c.structure.sectors[$1].capitalShare * eq.revenue[i * sCount + $1]
            }
            XCTAssertEqual(eq.gdp[i], valueAdded + aH * eq.consumption[i], accuracy: 1e-10 * eq.gdp[i])
        }
        // Absorption = GDP + central transfers; the trade deficit is what those transfers pay for.
        let central = state.centralTransfers.reduce(0, +)
        XCTAssertEqual(eq.expenditure.reduce(0, +), eq.gdp.reduce(0, +) + central, accuracy: 1e-10 * sales)
        XCTAssertEqual(eq.tradeBalance, -central, accuracy: 1e-10 * sales)
    }

    func testAnEmptyVarietyIsDroppedNotFedToLog() throws {
        let roster = try syntheticRoster(cities: 6, seed: 5)
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        var state = c.state
        state.capital[2 * 3 + 1] = 0  // city 2 loses its consumer-goods industry entirely
        for solver in [EquilibriumSolverKind.powell, .fixedPoint] {
            var p = ModelParameters(); p.solver = solver
            let eq = try TradeEquilibrium(structure: c.structure).solve(state, parameters: p)
            XCTAssertEqual(eq.revenue[2 * 3 + 1], 0)
            XCTAssertTrue(eq.gdp.allSatisfy { $0.isFinite && $0 > 0 })
            XCTAssertLessThan(eq.residual, 1e-11)
        }
    }

    func testFailureNamesSolverResidualAndCity() throws {
        let roster = try realRoster()
        let c = try Calibration.calibrate(roster: roster, parameters: ModelParameters())
        var p = ModelParameters()
        p.solver = .fixedPoint
        p.equilibriumMaxIterations = 3
        XCTAssertThrowsError(try TradeEquilibrium(structure: c.structure).solve(perturbed(c.state, seed: 9), parameters: p)) { error in
            guard let failure = error as? EquilibriumFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(failure.iterations, 3)
            XCTAssertTrue(roster.cities.map(\.id).contains(failure.worstCity))
            XCTAssertTrue(failure.description.hasPrefix("fixed_point solver did not converge after 3 iterations: residual "), failure.description)
        }
        // Inside a run, the failure stops it and names the tick, year and city.
        let sim = try Simulation(setup: SimulationSetup(calibrated: c, cities: roster.cities), parameters: p, settings: SimulationSettings(startYear: 2020, endYear: 2022))
        var ticks = 0
        XCTAssertThrowsError(try sim.run { _ in ticks += 1 }) { error in
            guard let e = error as? SimulationError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.tick, 0)
            XCTAssertTrue(e.description.hasPrefix("tick 0 (year 2020), city '"), e.description)
        }
        XCTAssertEqual(ticks, 0, "no tick is recorded from an unconverged state")
    }

    func testFixedPointRefusesSectorsWithoutCapital() throws {
        var s = CorePeripherySettings()
        s.tradeCost = 1.5
        let (setup, parameters) = try CorePeriphery.setup(s)
        var p = parameters
        p.solver = .fixedPoint
        XCTAssertThrowsError(try TradeEquilibrium(structure: setup.structure).solve(setup.state, parameters: p)) { error in
            XCTAssertTrue("\(error)".contains("sector 'manufacturing' has 0; use solver = \"powell\""), "\(error)")
        }
    }
}
