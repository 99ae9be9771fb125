// The tick loop (MODEL.md §3): equilibrium, agents, fiscal accounts, flows, productivity.
// Data collection is the caller's: every tick is handed to an observer as a `TickRecord`.
import Foundation
import TwinCityGSL

/// Time settings and seed of a run.
public struct SimulationSettings: Sendable, Equatable, Codable {
    /// First year recorded (the base year of the calibration).
    public var startYear: Double
    /// Last year recorded.
    public var endYear: Double
    /// Tick length, years (> 0).
    public var dt: Double
    /// Master seed: every random stream of the run derives from it.
    public var seed: UInt64

    public init(startYear: Double = 2020, endYear: Double = 2035, dt: Double = 1, seed: UInt64 = 1) {
        self.startYear = startYear
        self.endYear = endYear
        self.dt = dt
        self.seed = seed
    }

    /// Number of ticks between start and end (the end year is reached within 1e-9 of a tick).
    public var tickCount: Int { Int(((endYear - startYear) / dt + 1e-9).rounded(.down)) }
}

/// Everything a run starts from: the structure and base-year state of the economy, and the
/// base-year prices used to value output at constant prices.
public struct SimulationSetup: Sendable {
    public var structure: EconomyStructure
    public var state: EconomyState
    public var cities: [City]
    /// Base-year factory prices p_i^s(base), for GDP at constant prices.
    public var basePrices: [Double]
    /// Base-year rent per dwelling h_i(base), 亿元 per 10^4 dwellings per year.
    public var baseRent: [Double]
    /// The roster's fast links, from which transport policies rebuild the network.
    public var links: [TransportLink]
    /// Base-year price index of the investment bundle P^I_i(base): capital is counted in
    /// 亿元 of base-year investment goods.
    public var baseInvestmentPrice: [Double]
    /// Base-year consumer price level P_i(base) (`Utility.consumerPriceLevel`), the divisor
    /// of each city's consumer price index; 1 where no base equilibrium is given.
    public var baseConsumerPrice: [Double]

    public init(
        structure: EconomyStructure, state: EconomyState, cities: [City], basePrices: [Double], baseRent: [Double],
        links: [TransportLink] = [], baseInvestmentPrice: [Double]? = nil, baseConsumerPrice: [Double]? = nil
    ) {
        self.structure = structure
        self.state = state
        self.cities = cities
        self.basePrices = basePrices
        self.baseRent = baseRent
        self.links = links
        self.baseInvestmentPrice = baseInvestmentPrice ?? Array(repeating: 1, count: cities.count)
        self.baseConsumerPrice = baseConsumerPrice ?? Array(repeating: 1, count: cities.count)
    }

    /// The setup of a calibrated roster.
    public init(calibrated: CalibratedEconomy, cities: [City], links: [TransportLink] = []) {
        let eq = calibrated.equilibrium
        self.init(
            structure: calibrated.structure, state: calibrated.state, cities: cities,
            basePrices: eq.prices,
            baseRent: zip(eq.rent, calibrated.state.housing).map { $0 / $1 }, links: links,
            baseInvestmentPrice: eq.investmentPriceIndex,
            baseConsumerPrice: Utility.consumerPriceLevel(state: calibrated.state, equilibrium: eq, structure: calibrated.structure))
    }
}

/// One recorded tick: the state at `year`, its equilibrium, and what happened over the
/// interval that ended at `year` (nil flows at the start).
public struct TickRecord: Sendable {
    public var tick: Int
    public var year: Double
    public var state: EconomyState
    public var equilibrium: Equilibrium
    /// GDP at base-year prices, 亿元 per year.
    public var realGDP: [Double]
    /// Real utility V_i of an urban resident (index).
    public var utility: [Double]
    /// Consumer price index of each city, P_i / P_i(base) (`Utility.consumerPriceLevel`;
    /// base year = 1): the deflator of money figures that are not output.
    public var consumerPrices: [Double]
    /// Probability π_ii that a resident of each city who reconsiders where to live over the
    /// coming tick stays (`Migration.stayProbability`; 1 under the replicator rule): with
    /// the utilities it enters the welfare of movers (docs/MODEL.md §4.1).
    public var stayProbability: [Double]
    /// Instruments in force for the coming tick.
    public var agents: [CityAgent]
    public var fiscal: FiscalAccounts
    /// Subsidies paid over the interval that ended at `year`, 亿元.
    public var subsidiesPaid: [Double]
    /// Flows over the interval (year − dt, year]; nil at the first tick.
    public var flows: TickFlows?
    /// Conservation errors of that interval's flows; nil at the first tick.
    public var conservation: ConservationReport?
}

/// Why a run stopped; names the tick, year and city.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    public var tick: Int
    public var year: Double
    public var city: String?
    public var message: String

    public var description: String {
        "tick \(tick) (year \(Self.format(year)))" + (city.map { ", city '\($0)'" } ?? "") + ": \(message)"
    }

    static func format(_ year: Double) -> String {
        year == year.rounded() ? String(Int(year)) : String(format: "%.3f", year)
    }
}

/// Relative errors of the accounting identities over one tick (all should be ~1e-15).
public struct ConservationReport: Sendable, Equatable {
    /// |Σ(L+R)(t+dt) − Σ(L+R)(t)·e^{n·dt}| / Σ(L+R)(t+dt).
    public var population: Double
    /// |Σ moved out − Σ moved in| / Σ moved, over the population OD matrix.
    public var migration: Double
    /// |ΣK(t+dt) − closed form of dΣK/dt = I + X − δΣK| / ΣK(t+dt).
    public var capital: Double
    /// |Σ relocated out − Σ relocated in| / Σ relocated (zero when nothing moved).
    public var industry: Double
    /// |Σ productive investment − (1 − ι) Σ saving − Σ fund| / Σ saving (nominal), with
    /// |ΣT + Σ fund − outside funding| and |ΣE − ΣGDP − ΣT − Σ central − Σ fund| relative
    /// to ΣGDP (E = consumption + investment spending).
    public var money: Double
    /// |trade balance + Σ central transfers + outside funding| / ΣGDP: the region's account
    /// with the rest of China balances (trade deficit = transfers and capital received).
    /// It sums the goods markets, so it holds to the equilibrium tolerance (the others hold
    /// by construction).
    public var external: Double = 0

    /// The largest of the identities that hold by construction (all but `external`).
    public var exact: Double { [population, migration, capital, industry, money].max()! }

    public var worst: Double { [population, migration, capital, industry, money, external].max()! }

    static func relative(_ a: Double, _ b: Double) -> Double {
        let scale = max(abs(a), abs(b))
        return scale == 0 ? 0 : abs(a - b) / scale
    }

    /// Relative error allowed for the identities that hold by construction.
    package static let exactTolerance = 1e-9

    /// Throws a `SimulationError` naming the tick, the year and the identity when an identity
    /// that holds by construction is off by `exactTolerance` or more, the external account by
    /// `externalTolerance` or more, or any of them is not a number (which `max` would drop).
    package func check(tick: Int, year: Double, externalTolerance: Double) throws {
        let identities: [(String, Double, Double)] = [
            ("population", population, Self.exactTolerance), ("migration", migration, Self.exactTolerance),
            ("capital", capital, Self.exactTolerance), ("industry", industry, Self.exactTolerance),
            ("money", money, Self.exactTolerance), ("external account", external, externalTolerance),
        ]
        for (name, error, tolerance) in identities where !(error < tolerance) {
            throw SimulationError(
                tick: tick, year: year, city: nil,
                message: "accounting identity broken: \(name) off by \(error) (relative; allowed below \(tolerance))")
        }
    }
}

/// Seconds spent in each part of the last tick `Simulation.step()` recorded, when
/// `Simulation.profiling` is on (what the benchmarks report).
public struct TickProfile: Sendable, Equatable {
    /// Flows over the interval before the tick: coefficients, gsl_odeiv2 integration, OD
    /// accounts (zero for the first tick).
    public var flows: Double = 0
    /// The accounting identities of those flows, arrivals and losses for the decision.
    public var accounts: Double = 0
    /// Productivity (spillovers, boosts, shocks) and rural productivity growth.
    public var productivity: Double = 0
    /// The policies' effects and, when they change the network, its rebuild.
    public var policies: Double = 0
    /// The tick's equilibrium (`TradeEquilibrium.solve`, warm-started from the previous tick).
    public var equilibrium: Double = 0
    /// Iterations of that solve.
    public var equilibriumIterations: Int = 0
    /// Finiteness checks, GDP at base-year prices and real utility.
    public var output: Double = 0
    /// The governments' decision rule and the fiscal accounts.
    public var agents: Double = 0

    public init() {}

    /// Sum of the parts, seconds.
    public var total: Double { flows + accounts + productivity + policies + equilibrium + output + agents }
}

/// A simulation of the regional economy: owns the structure, the solvers and its current
/// `SimulationState`, and advances that state one tick per `step()`.
///
/// `step()` is the one implementation of a tick (MODEL.md §3): the flows over the interval
/// since the last recorded tick (with its frozen equilibrium and decisions), productivity,
/// then the policies' effects, the equilibrium, the governments' decisions and the fiscal
/// accounts of the new tick, returned as a `TickRecord`. `run(until:observer:)` repeats it.
public final class Simulation {
    public let parameters: ModelParameters
    public let settings: SimulationSettings
    public private(set) var setup: SimulationSetup
    /// The state after the last step (or the starting state before the first); a value that
    /// can be kept and handed to another simulation.
    public private(set) var state: SimulationState
    /// The instruments in force (the state's).
    public var agents: [CityAgent] { state.agents }
    /// Policies of the scenario; eco protection acts first, so that other policies see its caps.
    public let policies: [any Policy]
    /// When true, `step()` times its parts into `lastProfile` (ContinuousClock).
    public var profiling = false
    /// The parts of the last step, seconds (zero unless `profiling`).
    public private(set) var lastProfile = TickProfile()
    let rule: any DecisionRule
    var equilibriumSolver: TradeEquilibrium
    let flows: FlowIntegrator
    let productivity: ProductivityProcess
    /// The network the structure, the solver, migration and spillovers are built for.
    var builtNetwork: NetworkSignature
    let neutralEffects: PolicyEffects
    let keepsRelocations: Bool

    /// A simulation that starts from `state`, or from `setup`'s economy at the start year when
    /// `state` is nil (`SimulationState(economy:cities:parameters:seed:)` with the settings'
    /// seed).
    public init(
        setup: SimulationSetup, parameters: ModelParameters, settings: SimulationSettings,
        policies: [any Policy] = [], state: SimulationState? = nil
    ) throws {
        try parameters.validate()
        try validatePolicies(policies, cities: setup.cities, sectors: setup.structure.sectors)
        self.policies = policies.filter { $0 is EcoProtectionPolicy } + policies.filter { !($0 is EcoProtectionPolicy) }
        guard settings.dt > 0, settings.dt.isFinite else {
            throw ParameterError(parameter: "time.dt", message: "the tick must be a positive number of years, found \(settings.dt)")
        }
        guard settings.endYear >= settings.startYear else {
            throw ParameterError(parameter: "time.end", message: "end year \(settings.endYear) is before start year \(settings.startYear)")
        }
        let n = setup.structure.cityCount
        let sCount = setup.structure.sectorCount
        if let state {
            guard state.economy.urbanPopulation.count == n, state.economy.capital.count == n * sCount,
                  state.agents.count == n, state.shocks.generators.count == n else {
                throw ParameterError(
                    parameter: "state",
                    message: "the starting state has \(state.economy.urbanPopulation.count) cities and \(state.economy.capital.count) varieties; the setup has \(n) and \(n * sCount)")
            }
        }
        self.setup = setup
        self.parameters = parameters
        self.settings = settings
        self.state = state ?? SimulationState(economy: setup.state, cities: setup.cities, parameters: parameters, seed: settings.seed)
        rule = parameters.decisionRule.rule
        equilibriumSolver = TradeEquilibrium(structure: setup.structure)
        let migration = Migration(structure: setup.structure, cities: setup.cities, parameters: parameters)
        flows = try FlowIntegrator(cities: n, sectors: sCount, parameters: parameters, migration: migration)
        let ids = setup.structure.cityIDs
        if let unknown = parameters.productivityDrift.keys.sorted().first(where: { !ids.contains($0) }) {
            throw ParameterError(parameter: "productivity_drift", message: "city '\(unknown)' is not in the roster")
        }
        if let (city, value) = parameters.productivityDrift.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite || abs($0.value) > 0.5 }) {
            throw ParameterError(parameter: "productivity_drift", message: "city '\(city)': \(value) is not a drift in [−0.5, 0.5] log points per year")
        }
        productivity = ProductivityProcess(
            cities: n, sectors: sCount, travelTimes: setup.structure.travelTimes,
            parameters: parameters, seed: settings.seed,
            drift: ids.map { parameters.productivityDrift[$0] ?? 0 })
        neutralEffects = PolicyEffects(cities: n, sectors: sCount, maxSubsidy: parameters.maxSubsidy)
        builtNetwork = neutralEffects.networkSignature
        keepsRelocations = policies.contains { $0 is TaxSharingPolicy }
    }

    /// The year of tick `tick`: start year + tick · dt.
    public func year(ofTick tick: Int) -> Double { settings.startYear + Double(tick) * settings.dt }

    /// Runs every tick from the state's next tick to the settings' last (`settings.tickCount`),
    /// handing each to `observer`.
    public func run(observer: (TickRecord) throws -> Void) throws {
        try run(until: settings.tickCount, observer: observer)
    }

    /// Steps until tick `lastTick` is recorded, handing each record to `observer`. Stops with a
    /// `SimulationError` naming the tick and city on a numerical failure; never continues from an
    /// unconverged or non-finite state.
    public func run(until lastTick: Int, observer: (TickRecord) throws -> Void) throws {
        while state.nextTick <= lastTick { try observer(try step()) }
    }

    /// Advances the state by one tick and returns its record: integrates the flows over the
    /// interval since the last recorded tick (none before the first), advances productivity,
    /// then solves the new tick's equilibrium and takes the governments' decisions.
    ///
    /// On a thrown error the state is left as it was before the call.
    @discardableResult
    public func step() throws -> TickRecord {
        var next = state
        let profile = try advance(&next)
        state = next
        lastProfile = profile
        return try record(of: state)
    }

    // MARK: - One tick

    /// The record of the tick just stepped into `state`.
    private func record(of state: SimulationState) throws -> TickRecord {
        guard let pending = state.pending else { preconditionFailure("record before the first step") }
        return TickRecord(
            tick: state.nextTick - 1, year: pending.year, state: state.economy, equilibrium: pending.equilibrium,
            realGDP: pending.realGDP, utility: pending.utility,
            consumerPrices: zip(Utility.consumerPriceLevel(state: state.economy, equilibrium: pending.equilibrium, structure: setup.structure),
                                setup.baseConsumerPrice).map { $0 / $1 },
            stayProbability: flows.stayProbabilities(utility: pending.utility, urbanPopulation: state.economy.urbanPopulation),
            agents: state.agents, fiscal: pending.fiscal,
            subsidiesPaid: state.subsidiesPaid, flows: state.lastFlows, conservation: state.lastReport)
    }

    private func advance(_ s: inout SimulationState) throws -> TickProfile {
        let n = setup.structure.cityCount
        let dt = settings.dt
        var profile = TickProfile()
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ part: WritableKeyPath<TickProfile, Double>) {
            guard profiling else { return }
            let now = clock.now
            let d = (now - mark).components
            profile[keyPath: part] += Double(d.seconds) + Double(d.attoseconds) * 1e-18
            mark = now
        }
        let tick = s.nextTick
        let year = self.year(ofTick: tick)
        // Revenue and GDP "of the previous tick" for the policies: the last recorded tick's, or
        // before the first, the equilibrium of the starting state without any policy.
        var lastGDP: [Double] = []
        var lastRevenuePerCapital: [Double] = []
        if let pending = s.pending {
            // The flows run on the network the last tick's policies made: a simulation started
            // from a kept state builds it first (a continuing one already has it).
            let signature = pending.effects.networkSignature
            if signature != builtNetwork {
                rebuildNetwork(pending.effects)
                builtNetwork = signature
            }
            lastGDP = pending.equilibrium.gdp
            lastRevenuePerCapital = Self.revenuePerCapital(pending.equilibrium, s.economy)
            try integrateFlows(&s, pending: pending, tick: tick - 1, lap: lap)
            s.economy.centralTransfers = Self.centralTransfers(gdp: lastGDP, state: s.economy, parameters: parameters)
        } else if !policies.isEmpty {
            do {
                let base = try equilibriumSolver.solve(s.economy, parameters: parameters, investment: investmentInputs(s, neutralEffects))
                lastGDP = base.gdp
                lastRevenuePerCapital = Self.revenuePerCapital(base, s.economy)
            } catch let failure as EquilibriumFailure {
                throw SimulationError(tick: tick, year: year, city: failure.worstCity, message: failure.description)
            }
        }
        if profiling { mark = clock.now }

        var effects = neutralEffects
        let context = PolicyContext(
            year: year, dt: dt, cities: setup.cities, sectors: setup.structure.sectors, parameters: parameters,
            state: s.economy, baseCapital: setup.state.capital, lastGDP: lastGDP,
            lastRevenuePerCapital: lastRevenuePerCapital, relocations: s.relocations)
        for policy in policies where policy.window.contains(year) { policy.apply(to: &effects, context: context) }
        let signature = effects.networkSignature
        if signature != builtNetwork {
            rebuildNetwork(effects)
            builtNetwork = signature
        }
        s.economy.transfers = effects.transfers
        s.economy.exports = effects.exports
        lap(\.policies)

        let eq: Equilibrium
        do {
            eq = try equilibriumSolver.solve(
                s.economy, parameters: parameters, start: s.pending.map { EquilibriumGuess($0.equilibrium) }, investment: investmentInputs(s, effects))
        } catch let failure as EquilibriumFailure {
            throw SimulationError(tick: tick, year: year, city: failure.worstCity, message: failure.description)
        }
        profile.equilibriumIterations = eq.iterations
        lap(\.equilibrium)
        try checkFinite(eq, state: s.economy, tick: tick, year: year)
        let realGDP = constantPriceGDP(state: s.economy, equilibrium: eq)
        let utility = Utility.realUtility(state: s.economy, equilibrium: eq, structure: setup.structure, parameters: parameters)
        // Both are written out and utility enters migration as a logarithm: a value that is
        // not finite (or a utility that is not positive) stops the run rather than reach
        // an output file as an empty cell.
        if let i = (0..<n).first(where: { !realGDP[$0].isFinite || !utility[$0].isFinite || utility[$0] <= 0 }) {
            throw SimulationError(
                tick: tick, year: year, city: setup.cities[i].id,
                message: "GDP at 2020 prices \(realGDP[i]) or real utility \(utility[i]) is not a finite positive number")
        }
        lap(\.output)

        if let before = s.pending?.realGDP {
            let growth = (0..<n).map { (realGDP[$0] / before[$0] - 1) / dt }
            let revenue = eq.gdp.map { parameters.taxRate * $0 }
            let loss = (0..<n).map { s.lastLossShare[$0] * effects.retainedLossShare[$0] }
            do {
                try rule.decide(
                    &s.agents,
                    observation: AgentObservation(growth: growth, revenue: revenue, arrivals: s.lastArrivals, relocationLossShare: loss),
                    dt: dt, parameters: parameters)
            } catch let failure as DecisionFailure {
                throw SimulationError(tick: tick, year: year, city: setup.cities[failure.city].id, message: failure.description)
            }
        }
        for i in 0..<n { s.agents[i].subsidy = min(s.agents[i].subsidy, effects.subsidyCap[i]) }
        let fiscal = FiscalAccounts(gdp: eq.gdp, transfers: s.economy.transfers, centralTransfers: s.economy.centralTransfers, agents: s.agents, lastArrivals: s.lastArrivals, taxRate: parameters.taxRate)
        s.pending = PendingTick(
            year: year, equilibrium: eq, realGDP: realGDP, utility: utility,
            fiscal: fiscal, effects: effects)
        s.nextTick = tick + 1
        lap(\.agents)
        return profile
    }

    /// The flows over the interval after tick `tick` (MODEL.md §3.3) with its frozen
    /// equilibrium and decisions, their accounting identities, the arrivals and losses the next
    /// decision sees, and productivity growth (§3.5) to the end of the interval.
    private func integrateFlows(
        _ s: inout SimulationState, pending: PendingTick, tick: Int,
        lap: (WritableKeyPath<TickProfile, Double>) -> Void
    ) throws {
        let n = setup.structure.cityCount
        let sCount = setup.structure.sectorCount
        let dt = settings.dt
        let eq = pending.equilibrium
        let effects = pending.effects
        let before = s.economy
        let moved: TickFlows
        do {
            moved = try flows.integrate(
                state: &s.economy, equilibrium: eq, utility: pending.utility, agents: s.agents,
                baseInvestmentPrice: setup.baseInvestmentPrice,
                publicSpending: pending.fiscal.publicSpending, travelTimes: setup.structure.travelTimes,
                effects: effects, year: pending.year, dt: dt)
        } catch {
            throw SimulationError(tick: tick, year: pending.year, city: nil, message: "flow integration failed: \(error)")
        }
        lap(\.flows)
        let report = Self.conservation(
            before: before, after: s.economy, flows: moved, equilibrium: eq,
            fund: effects.fundInvestment.reduce(0, +), outsideFunding: effects.outsideFunding, parameters: parameters, dt: dt)
        // In every build, release included: a broken identity is a wrong result, not a slow one.
        try report.check(tick: tick, year: pending.year, externalTolerance: max(1e-9, parameters.equilibriumTolerance))
        // Arrivals from elsewhere: pooled investment from other cities, relocation in,
        // industry from outside the region.
        let capitalIn = TickFlows.margins(moved.capital, cities: n).in
        let (industryOut, industryIn) = TickFlows.margins(moved.industry, cities: n)
        for i in 0..<n {
            let external = (0..<sCount).reduce(0.0) { $0 + moved.externalIndustry[i * sCount + $1] }
            s.lastArrivals[i] = (capitalIn[i] + industryIn[i] + external) / dt
            let capital = (0..<sCount).reduce(0.0) { $0 + before.capital[i * sCount + $1] }
            s.lastLossShare[i] = capital > 0 ? industryOut[i] / capital / dt : 0
            s.subsidiesPaid[i] = s.agents[i].subsidy * s.lastArrivals[i] * dt
        }
        if keepsRelocations { s.relocations.append(contentsOf: moved.relocations) }
        s.lastFlows = moved
        s.lastReport = report
        lap(\.accounts)
        productivity.advance(&s.economy.productivity, dt: dt, boost: effects.productivityBoost, shocks: s.uniqueShocks())
        let ruralGrowth = Foundation.exp(parameters.agriculturalProductivityGrowth * dt)
        for i in 0..<n { s.economy.ruralProductivity[i] *= ruralGrowth }
        let externalGrowth = Foundation.exp(parameters.externalDemandGrowth * dt)
        for v in s.economy.externalDemand.indices { s.economy.externalDemand[v] *= externalGrowth }
        lap(\.productivity)
    }

    /// Rebuilds travel times, trade weights, migration costs and spillover weights from the
    /// roster's links, the policies' links, time factors and registration barriers.
    func rebuildNetwork(_ effects: PolicyEffects) {
        let n = setup.structure.cityCount
        var times = TravelTimes.matrix(cities: setup.cities, links: setup.links + effects.links, parameters: parameters)
        for i in 0..<n { for j in 0..<n where j != i { times[i * n + j] *= effects.travelTimeFactor[i * n + j] } }
        setup.structure.setTravelTimes(times)
        equilibriumSolver = TradeEquilibrium(structure: setup.structure)
        flows.setMigration(Migration(
            travelTimes: times, provinces: setup.cities.map(\.province), parameters: parameters,
            barrierScale: effects.barrierScale, entryBarriers: setup.structure.entryBarriers))
        productivity.setTravelTimes(times)
    }

    /// What the equilibrium's investment allocation sees: the subsidies in force, the
    /// varieties closed to investment, the fund's injections.
    func investmentInputs(_ s: SimulationState, _ effects: PolicyEffects) -> InvestmentInputs {
        InvestmentInputs(subsidy: s.agents.map(\.subsidy), blocked: effects.investmentBlocked, fund: effects.fundInvestment)
    }

    /// Central transfers of the coming tick: `c · ΣGDP · (L_i + R_i) / Σ(L + R)`, a share c of
    /// the region's last GDP shared per resident (equalisation), 亿元 per year.
    static func centralTransfers(gdp: [Double], state: EconomyState, parameters: ModelParameters) -> [Double] {
        let population = state.population
        let total = population.reduce(0, +)
        let amount = parameters.centralTransferShare * gdp.reduce(0, +)
        return population.map { amount * $0 / total }
    }

    /// Sales per unit of capital p·Q/K by variety (zero where there is no capital), per year.
    static func revenuePerCapital(_ eq: Equilibrium, _ state: EconomyState) -> [Double] {
        zip(eq.revenue, state.capital).map { $1 > 0 ? $0 / $1 : 0 }
    }

    /// GDP at base-year prices: `Σ_s p_i^s(base) Q_i^s + q_i R_i + h_i(base) H_i`.
    func constantPriceGDP(state: EconomyState, equilibrium eq: Equilibrium) -> [Double] {
        let sCount = setup.structure.sectorCount
        return (0..<setup.structure.cityCount).map { i in
            var total = state.ruralProductivity[i] * state.ruralPopulation[i] + setup.baseRent[i] * state.housing[i]
            for s in 0..<sCount { total += setup.basePrices[i * sCount + s] * eq.output[i * sCount + s] }
            return total
        }
    }

    func checkFinite(_ eq: Equilibrium, state: EconomyState, tick: Int, year: Double) throws {
        let n = setup.structure.cityCount
        let sCount = setup.structure.sectorCount
        for i in 0..<n {
            var values = [eq.wages[i], eq.gdp[i], eq.expenditure[i], state.urbanPopulation[i], state.ruralPopulation[i], state.publicServices[i]]
            for s in 0..<sCount { values += [eq.prices[i * sCount + s], state.capital[i * sCount + s], state.productivity[i * sCount + s]] }
            if let bad = values.first(where: { !$0.isFinite }) {
                throw SimulationError(tick: tick, year: year, city: setup.cities[i].id, message: "non-finite value \(bad) in the state or equilibrium")
            }
            if state.urbanPopulation[i] <= 0 || state.ruralPopulation[i] < 0 || values[2] <= 0 {
                throw SimulationError(tick: tick, year: year, city: setup.cities[i].id, message: "population or expenditure no longer positive")
            }
        }
    }

    /// The accounting identities of one tick (MODEL.md §3.3): totals of population and
    /// capital against the closed-form solution of their summed equations, OD margins, money
    /// (investment = saving + fund, transfers against the fund, absorption = GDP + transfers
    /// + fund) and the account with the rest of China.
    package static func conservation(
        before: EconomyState, after: EconomyState, flows: TickFlows,
        equilibrium eq: Equilibrium, fund: Double, outsideFunding: Double, parameters p: ModelParameters, dt: Double
    ) -> ConservationReport {
        let n = before.urbanPopulation.count
        let population = ConservationReport.relative(
            after.population.reduce(0, +), before.population.reduce(0, +) * Foundation.exp(p.naturalGrowth * dt))
        let (out, into) = TickFlows.margins(flows.population, cities: n)
        let migration = ConservationReport.relative(out.reduce(0, +), into.reduce(0, +))
        let investment = flows.investment.reduce(0, +) / dt
        let external = flows.externalIndustry.reduce(0, +) / dt
        let k0 = before.capital.reduce(0, +)
        let decay = Foundation.exp(-p.depreciation * dt)
        let expected = p.depreciation > 0
            ? k0 * decay + (investment + external) * (1 - decay) / p.depreciation
            : k0 + (investment + external) * dt
        let capital = ConservationReport.relative(after.capital.reduce(0, +), expected)
        let industry = ConservationReport.relative(flows.industryOutBySector.reduce(0, +), flows.industryInBySector.reduce(0, +))
        let saving = eq.saving.reduce(0, +)
        let totalGDP = eq.gdp.reduce(0, +)
        let transfers = before.transfers.reduce(0, +)
        let central = before.centralTransfers.reduce(0, +)
        var money = 0.0
        if eq.poolShare.contains(where: { $0 > 0 }) {
            money = ConservationReport.relative(eq.investment.reduce(0, +), (1 - p.residentialInvestmentShare) * saving + fund)
        }
        money = max(money, abs(transfers + fund - outsideFunding) / totalGDP)
        money = max(money, ConservationReport.relative(eq.expenditure.reduce(0, +), totalGDP + transfers + central + fund))
        let account = abs(eq.tradeBalance + central + outsideFunding) / totalGDP
        return ConservationReport(population: population, migration: migration, capital: capital, industry: industry, money: money, external: account)
    }
}
