// The flow integrator refuses arrays sized for another roster instead of reading them with the
// wrong stride: the real roster's 22 cities are 23 units (Chongqing in two parts), and a caller
// that sized by cities got flows silently wrong.
import TwinCityModel
import XCTest

final class FlowShapeTests: XCTestCase {
    func testArraysOfAnotherRosterAreRefused() throws {
        let roster = try realRoster()
        let parameters = ModelParameters()
        let setup = SimulationSetup(calibrated: try Calibration.calibrate(roster: roster, parameters: parameters), cities: roster.cities, links: roster.links)
        let units = setup.structure.cityCount
        XCTAssertEqual(units, 23)
        let migration = Migration(structure: setup.structure, cities: setup.cities, parameters: parameters)
        XCTAssertThrowsError(try FlowIntegrator(cities: 22, sectors: setup.structure.sectorCount, parameters: parameters, migration: migration)) { error in
            XCTAssertEqual((error as? ParameterError)?.message, "the migration costs are for 23 cities, the flows for 22")
        }

        // Right-sized integrator, a state of one city fewer.
        let flows = try FlowIntegrator(cities: units, sectors: setup.structure.sectorCount, parameters: parameters, migration: migration)
        let simulation = try Simulation(setup: setup, parameters: parameters, settings: SimulationSettings(startYear: 2020, endYear: 2021, dt: 1, seed: 1))
        let record = try simulation.step()
        let effects = PolicyEffects(cities: units, sectors: setup.structure.sectorCount, maxSubsidy: parameters.maxSubsidy)
        func integrate(_ state: EconomyState) throws {
            var state = state
            _ = try flows.integrate(
                state: &state, equilibrium: record.equilibrium, utility: record.utility, agents: record.agents,
                baseInvestmentPrice: setup.baseInvestmentPrice, publicSpending: record.fiscal.publicSpending,
                travelTimes: setup.structure.travelTimes, effects: effects, year: 2020, dt: 1)
        }
        var short = record.state
        short.urbanPopulation.removeLast()
        XCTAssertThrowsError(try integrate(short)) { error in
            XCTAssertEqual((error as? ParameterError)?.message, "urban population has 22 entries; the flows are for 23 cities and 3 sectors, 23 expected")
        }
        // The same call with the right arrays integrates.
        XCTAssertNoThrow(try integrate(record.state))
    }
}
