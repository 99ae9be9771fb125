// The steppable simulation: step() repeated is run(), a kept state continues a run bitwise, and
// a simulation started from a kept state gives the same records as the original.
import XCTest
import TwinCityModel
import TwinCityScenario

final class SteppingTests: XCTestCase {
    /// The decision's package (transport links, tax sharing, transfers…), so that the network
    /// rebuild, relocation records and transfers carried between ticks are all exercised.
    func packageSetup() throws -> (SimulationSetup, ModelParameters, SimulationSettings, [any Policy]) {
        let scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("scenarios/decision-2020.toml").path)
        let (setup, parameters, _) = try ScenarioLoader.prepare(scenario)
        var settings = scenario.settings
        settings.endYear = settings.startYear + 12
        return (setup, parameters, settings, scenario.policies)
    }

    func records(_ simulation: Simulation) throws -> [TickRecord] {
        var out: [TickRecord] = []
        try simulation.run { out.append($0) }
        return out
    }

    /// Every recorded quantity of two records, compared exactly.
    func assertIdentical(_ a: TickRecord, _ b: TickRecord, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.tick, b.tick, file: file, line: line)
        XCTAssertEqual(a.year, b.year, file: file, line: line)
        XCTAssertEqual(a.state, b.state, "state at tick \(a.tick)", file: file, line: line)
        XCTAssertEqual(a.equilibrium, b.equilibrium, "equilibrium at tick \(a.tick)", file: file, line: line)
        XCTAssertEqual(a.realGDP, b.realGDP, file: file, line: line)
        XCTAssertEqual(a.utility, b.utility, file: file, line: line)
        XCTAssertEqual(a.agents, b.agents, file: file, line: line)
        XCTAssertEqual(a.fiscal, b.fiscal, file: file, line: line)
        XCTAssertEqual(a.subsidiesPaid, b.subsidiesPaid, file: file, line: line)
        XCTAssertEqual(a.flows?.population, b.flows?.population, file: file, line: line)
        XCTAssertEqual(a.flows?.capital, b.flows?.capital, file: file, line: line)
        XCTAssertEqual(a.flows?.industry, b.flows?.industry, file: file, line: line)
        XCTAssertEqual(a.conservation, b.conservation, file: file, line: line)
    }

    func testStepByStepIsTheRun() throws {
        let (setup, p, settings, policies) = try packageSetup()
        let reference = try records(Simulation(setup: setup, parameters: p, settings: settings, policies: policies))
        XCTAssertEqual(reference.count, 13)
        let stepped = try Simulation(setup: setup, parameters: p, settings: settings, policies: policies)
        XCTAssertEqual(stepped.state.nextTick, 0)
        for expected in reference {
            let record = try stepped.step()
            assertIdentical(record, expected)
            XCTAssertEqual(stepped.state.nextTick, expected.tick + 1)
            XCTAssertEqual(stepped.state.economy, expected.state)
        }
        // A stepped simulation goes on past the settings' end year.
        let beyond = try stepped.step()
        XCTAssertEqual(beyond.tick, 13)
        XCTAssertEqual(beyond.year, settings.startYear + 13 * settings.dt)
    }

    func testAKeptStateContinuesTheRunBitwiseInAnotherSimulation() throws {
        let (setup, p, settings, policies) = try packageSetup()
        let reference = try records(Simulation(setup: setup, parameters: p, settings: settings, policies: policies))
        let first = try Simulation(setup: setup, parameters: p, settings: settings, policies: policies)
        try first.run(until: 5) { _ in }
        let kept = first.state
        // The original goes on, drawing from its shock streams: the kept copy is not moved.
        var tail: [TickRecord] = []
        try first.run { tail.append($0) }
        XCTAssertEqual(tail.map(\.tick), Array(6...12))
        let second = try Simulation(setup: setup, parameters: p, settings: settings, policies: policies, state: kept)
        XCTAssertEqual(second.state.nextTick, 6)
        var resumed: [TickRecord] = []
        try second.run { resumed.append($0) }
        XCTAssertEqual(resumed.count, 7)
        for (a, b) in zip(resumed, reference.suffix(7)) { assertIdentical(a, b) }
        for (a, b) in zip(tail, reference.suffix(7)) { assertIdentical(a, b) }
    }

    func testAStateOfAnotherSizeIsRefused() throws {
        let (setup, p, settings, policies) = try packageSetup()
        let roster = try syntheticRoster(cities: 5, seed: 3)
        let small = SimulationSetup(calibrated: try Calibration.calibrate(roster: roster, parameters: p), cities: roster.cities)
        let state = SimulationState(economy: small.state, cities: small.cities, parameters: p, seed: 1)
        XCTAssertThrowsError(try Simulation(setup: setup, parameters: p, settings: settings, policies: policies, state: state)) { error in
            XCTAssertEqual("\(error)", "parameter 'state': the starting state has 5 cities and 15 varieties; the setup has 23 and 69")
        }
    }

    func testProfilingTimesEveryPartWithoutChangingTheRecords() throws {
        let (setup, p, settings, policies) = try packageSetup()
        let reference = try records(Simulation(setup: setup, parameters: p, settings: settings, policies: policies))
        let profiled = try Simulation(setup: setup, parameters: p, settings: settings, policies: policies)
        profiled.profiling = true
        for expected in reference {
            assertIdentical(try profiled.step(), expected)
            let profile = profiled.lastProfile
            XCTAssertGreaterThan(profile.equilibrium, 0)
            XCTAssertEqual(profile.equilibriumIterations, expected.equilibrium.iterations)
            XCTAssertEqual(profile.flows > 0, expected.tick > 0, "flows are integrated from the second tick on")
        }
    }
}
