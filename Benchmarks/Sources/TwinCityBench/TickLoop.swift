// A run stepped tick by tick with the model's own profiling on, so that each part of a tick is
// timed inside `Simulation.step()` itself; the records are checked against an unprofiled
// `Simulation.run`, bit for bit.
import Foundation
import TwinCityModel

/// Seconds spent in each part of one tick (from `TickProfile`).
struct TickTiming: Codable {
    var tick, equilibriumIterations: Int
    /// Seconds in: TradeEquilibrium.solve, warm-started from the previous tick (cold at tick 0);
    /// the policies' effects, the governments' decision rule and the fiscal accounts
    /// (`agents`); FlowIntegrator.integrate over the interval before the tick (`flows`:
    /// coefficients, gsl_odeiv2 integration, OD accounts); ProductivityProcess.advance and rural
    /// productivity growth; finiteness checks, GDP at base-year prices, real utility, the
    /// accounting identities, OD margins and arrivals for the next decision (`output`).
    var equilibrium, agents, flows, productivity, output: Double
    var total: Double { equilibrium + agents + flows + productivity + output }

    init(tick: Int, profile p: TickProfile) {
        self.tick = tick
        equilibrium = p.equilibrium
        agents = p.agents + p.policies
        flows = p.flows
        productivity = p.productivity
        output = p.output + p.accounts
        equilibriumIterations = p.equilibriumIterations
    }
}

/// The inputs of one tick, captured before its equilibrium is solved, and what the model made
/// of them: what the numpy reference is given and must reproduce.
struct TickProblem {
    var tick: Int
    var year: Double
    var state: EconomyState
    var start: Equilibrium?
    /// What the equilibrium's investment allocation sees: the subsidies in force when it is
    /// solved, those of the previous tick's decision (no policy blocks or funds investment).
    var investment: InvestmentInputs
    /// Instruments after the tick's decision (they set the tick's flows).
    var agents: [CityAgent]
    var lastArrivals: [Double]
    var equilibrium: Equilibrium
    /// The state after the tick's flows, before productivity, external demand and central
    /// transfers move on.
    var after: EconomyState
}

enum TickLoop {
    struct Result {
        var timings: [TickTiming]
        var final: EconomyState
        var problem: TickProblem?
        /// Wall time of the whole loop, seconds, including the base-year solve.
        var wall: Double
    }

    /// Steps every tick of `settings` with profiling on; captures the inputs and results of tick
    /// `captureTick` when given.
    static func run(setup: SimulationSetup, parameters p: ModelParameters, settings: SimulationSettings, captureTick: Int? = nil) throws -> Result {
        let clock = Measure.clock
        let loopStart = clock.now
        let simulation = try Simulation(setup: setup, parameters: p, settings: settings)
        simulation.profiling = true
        var timings: [TickTiming] = []
        var previous: TickRecord?
        var captured: (record: TickRecord, start: Equilibrium?, subsidy: [Double], arrivals: [Double])?
        var problem: TickProblem?
        var final: EconomyState?
        while simulation.state.nextTick <= settings.tickCount {
            let record = try simulation.step()
            timings.append(TickTiming(tick: record.tick, profile: simulation.lastProfile))
            if let c = captured, record.tick == c.record.tick + 1 {
                // The flows of the captured tick are in this step; productivity moved on after them.
                var after = record.state
                after.productivity = c.record.state.productivity
                after.ruralProductivity = c.record.state.ruralProductivity
                // So did the rest of China's demand, and the next tick's central transfers were set.
                after.externalDemand = c.record.state.externalDemand
                after.centralTransfers = c.record.state.centralTransfers
                var investment = InvestmentInputs(cities: setup.structure.cityCount, sectors: setup.structure.sectorCount)
                investment.subsidy = c.subsidy
                problem = TickProblem(
                    tick: c.record.tick, year: c.record.year, state: c.record.state, start: c.start, investment: investment,
                    agents: c.record.agents, lastArrivals: c.arrivals, equilibrium: c.record.equilibrium, after: after)
            }
            if record.tick == captureTick {
                captured = (record, previous?.equilibrium, previous?.agents.map(\.subsidy) ?? record.agents.map { _ in 0 }, simulation.state.lastArrivals)
            }
            previous = record
            final = record.state
        }
        return Result(timings: timings, final: final!, problem: problem, wall: Measure.seconds(clock.now - loopStart))
    }
}
