// The tick loop of Simulation.run (without policies), rebuilt from the model's public
// components so that each part of a tick can be timed on its own. The final state is checked
// against Simulation.run's, bit for bit, so the timed loop does the same work.
import Foundation
import TwinCityModel

/// Seconds spent in each part of one tick.
struct TickTiming: Codable {
    var tick: Int
    /// TradeEquilibrium.solve, warm-started from the previous tick (cold at tick 0).
    var equilibrium: Double
    /// Real utility, the governments' decision rule and the fiscal accounts.
    var agents: Double
    /// FlowIntegrator.integrate: coefficients, gsl_odeiv2 integration, OD accounts.
    var flows: Double
    /// ProductivityProcess.advance and rural productivity growth.
    var productivity: Double
    /// The record of the tick: finiteness checks, GDP at base-year prices, the accounting
    /// identities, OD margins and arrivals for the next decision.
    var output: Double
    var equilibriumIterations: Int
    var total: Double { equilibrium + agents + flows + productivity + output }
}

/// The inputs of one tick, captured before its equilibrium is solved, and what the model made
/// of them: what the numpy reference is given and must reproduce.
struct TickProblem {
    var tick: Int
    var year: Double
    var state: EconomyState
    var start: Equilibrium?
    /// Instruments after the tick's decision (they set the tick's flows).
    var agents: [CityAgent]
    var lastArrivals: [Double]
    var equilibrium: Equilibrium
    var after: EconomyState
}

/// One record per tick, kept only until the next tick: an observer that streams its output.
struct StreamedRecord {
    var state: EconomyState
    var equilibrium: Equilibrium
    var realGDP: [Double]
    var utility: [Double]
    var fiscal: FiscalAccounts
    var flows: TickFlows?
    var conservation: ConservationReport?
}

enum TickLoop {
    struct Result {
        var timings: [TickTiming]
        var final: EconomyState
        var problem: TickProblem?
        /// Wall time of the whole loop, seconds, including the base-year solve.
        var wall: Double
    }

    /// Runs every tick of `settings`, timing each part; captures the inputs and results of tick
    /// `captureTick` when given.
    static func run(setup: SimulationSetup, parameters p: ModelParameters, settings: SimulationSettings, captureTick: Int? = nil) throws -> Result {
        let clock = Measure.clock
        let loopStart = clock.now
        let structure = setup.structure
        let n = structure.cityCount
        let sCount = structure.sectorCount
        let dt = settings.dt
        var state = setup.state
        let solver = TradeEquilibrium(structure: structure)
        let migration = Migration(structure: structure, cities: setup.cities, parameters: p)
        let flows = try FlowIntegrator(cities: n, sectors: sCount, parameters: p, migration: migration)
        let productivity = ProductivityProcess(
            cities: n, sectors: sCount, travelTimes: structure.travelTimes, parameters: p, seed: settings.seed)
        var agents = setup.cities.map { CityAgent(cityID: $0.id, province: $0.province, publicSpendingShare: p.publicSpendingShare) }
        let rule = p.decisionRule.rule
        let effects = PolicyEffects(cities: n, sectors: sCount, maxSubsidy: p.maxSubsidy)
        var previous: Equilibrium?
        var previousRealGDP: [Double]?
        var lastFlows: TickFlows?
        var lastReport: ConservationReport?
        var lastArrivals = [Double](repeating: 0, count: n)
        var lastLossShare = [Double](repeating: 0, count: n)
        var subsidiesPaid = [Double](repeating: 0, count: n)
        var record: StreamedRecord?
        var timings: [TickTiming] = []
        var problem: TickProblem?
        // Simulation.run solves the base year once before its first tick (for policies).
        _ = try solver.solve(state, parameters: p)
        for tick in 0...settings.tickCount {
            let year = settings.startYear + Double(tick) * dt
            var timing = TickTiming(tick: tick, equilibrium: 0, agents: 0, flows: 0, productivity: 0, output: 0, equilibriumIterations: 0)
            state.transfers = effects.transfers
            state.exports = effects.exports
            let tickState = state
            var t0 = clock.now
            let eq = try solver.solve(state, parameters: p, start: previous)
            var t1 = clock.now
            timing.equilibrium = Measure.seconds(t1 - t0)
            timing.equilibriumIterations = eq.iterations

            t0 = clock.now
            try checkFinite(eq, state: state)
            let realGDP = constantPriceGDP(setup: setup, state: state, equilibrium: eq)
            t1 = clock.now
            timing.output += Measure.seconds(t1 - t0)

            t0 = clock.now
            let utility = Utility.realUtility(state: state, equilibrium: eq, structure: structure, parameters: p)
            if let before = previousRealGDP {
                let growth = (0..<n).map { (realGDP[$0] / before[$0] - 1) / dt }
                let revenue = eq.gdp.map { p.taxRate * $0 }
                let loss = (0..<n).map { lastLossShare[$0] * effects.retainedLossShare[$0] }
                rule.decide(
                    &agents,
                    observation: AgentObservation(growth: growth, revenue: revenue, arrivals: lastArrivals, relocationLossShare: loss),
                    dt: dt, parameters: p)
            }
            for i in 0..<n { agents[i].subsidy = min(agents[i].subsidy, effects.subsidyCap[i]) }
            let fiscal = FiscalAccounts(gdp: eq.gdp, transfers: state.transfers, agents: agents, lastArrivals: lastArrivals, taxRate: p.taxRate)
            t1 = clock.now
            timing.agents = Measure.seconds(t1 - t0)

            t0 = clock.now
            record = StreamedRecord(
                state: state, equilibrium: eq, realGDP: realGDP, utility: utility, fiscal: fiscal,
                flows: lastFlows, conservation: lastReport)
            t1 = clock.now
            timing.output += Measure.seconds(t1 - t0)
            guard tick < settings.tickCount else {
                timings.append(timing)
                break
            }
            let arrivalsBefore = lastArrivals

            t0 = clock.now
            let before = state
            let income = eq.expenditure.map { $0 * (1 - structure.housingShare) }
            let moved = try flows.integrate(
                state: &state, equilibrium: eq, utility: utility, agents: agents, income: income,
                publicSpending: fiscal.publicSpending, travelTimes: structure.travelTimes,
                effects: effects, year: year, dt: dt)
            t1 = clock.now
            timing.flows = Measure.seconds(t1 - t0)
            if tick == captureTick {
                problem = TickProblem(
                    tick: tick, year: year, state: tickState, start: previous, agents: agents,
                    lastArrivals: arrivalsBefore, equilibrium: eq, after: state)
            }

            t0 = clock.now
            let report = Simulation.conservation(before: before, after: state, flows: moved, income: income, equilibrium: eq, parameters: p, dt: dt)
            let capitalIn = TickFlows.margins(moved.capital, cities: n).in
            let (industryOut, industryIn) = TickFlows.margins(moved.industry, cities: n)
            for i in 0..<n {
                let external = (0..<sCount).reduce(0.0) { $0 + moved.externalIndustry[i * sCount + $1] }
                lastArrivals[i] = (capitalIn[i] + industryIn[i] + external) / dt
                let capital = (0..<sCount).reduce(0.0) { $0 + before.capital[i * sCount + $1] }
                lastLossShare[i] = capital > 0 ? industryOut[i] / capital / dt : 0
                subsidiesPaid[i] = agents[i].subsidy * lastArrivals[i] * dt
            }
            previous = eq
            previousRealGDP = realGDP
            lastFlows = moved
            lastReport = report
            t1 = clock.now
            timing.output += Measure.seconds(t1 - t0)

            t0 = clock.now
            productivity.advance(&state.productivity, dt: dt, boost: effects.productivityBoost)
            let ruralGrowth = Foundation.exp(p.agriculturalProductivityGrowth * dt)
            for i in 0..<n { state.ruralProductivity[i] *= ruralGrowth }
            t1 = clock.now
            timing.productivity = Measure.seconds(t1 - t0)
            timings.append(timing)
        }
        _ = record
        return Result(timings: timings, final: state, problem: problem, wall: Measure.seconds(clock.now - loopStart))
    }

    /// GDP at base-year prices, as Simulation.constantPriceGDP.
    static func constantPriceGDP(setup: SimulationSetup, state: EconomyState, equilibrium eq: Equilibrium) -> [Double] {
        let sCount = setup.structure.sectorCount
        return (0..<setup.structure.cityCount).map { i in
            var total = state.ruralProductivity[i] * state.ruralPopulation[i] + setup.baseRent[i] * state.housing[i]
            for s in 0..<sCount { total += setup.basePrices[i * sCount + s] * eq.output[i * sCount + s] }
            return total
        }
    }

    struct NotFinite: Error, CustomStringConvertible {
        var description: String
    }

    /// The checks of Simulation.checkFinite.
    static func checkFinite(_ eq: Equilibrium, state: EconomyState) throws {
        let sCount = eq.prices.count / eq.wages.count
        for i in eq.wages.indices {
            var ok = eq.wages[i].isFinite && eq.gdp[i].isFinite && eq.expenditure[i].isFinite
                && state.urbanPopulation[i].isFinite && state.ruralPopulation[i].isFinite && state.publicServices[i].isFinite
            for s in 0..<sCount {
                let v = i * sCount + s
                ok = ok && eq.prices[v].isFinite && state.capital[v].isFinite && state.productivity[v].isFinite
            }
            if !ok || state.urbanPopulation[i] <= 0 || state.ruralPopulation[i] < 0 || eq.expenditure[i] <= 0 {
                throw NotFinite(description: "non-finite or non-positive value in city \(i)")
            }
        }
    }
}
