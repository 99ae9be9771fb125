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

    public init(structure: EconomyStructure, state: EconomyState, cities: [City], basePrices: [Double], baseRent: [Double], links: [TransportLink] = []) {
        self.structure = structure
        self.state = state
        self.cities = cities
        self.basePrices = basePrices
        self.baseRent = baseRent
        self.links = links
    }

    /// The setup of a calibrated roster.
    public init(calibrated: CalibratedEconomy, cities: [City], links: [TransportLink] = []) {
        let eq = calibrated.equilibrium
        self.init(
            structure: calibrated.structure, state: calibrated.state, cities: cities,
            basePrices: eq.prices,
            baseRent: zip(eq.rent, calibrated.state.housing).map { $0 / $1 }, links: links)
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
    /// |Σ installed investment − Σ savings − Σ fund| / Σ savings, with |ΣT + Σ fund| and
    /// |ΣE − ΣGDP − ΣT| relative to ΣGDP.
    public var money: Double

    public var worst: Double { [population, migration, capital, industry, money].max()! }

    static func relative(_ a: Double, _ b: Double) -> Double {
        let scale = max(abs(a), abs(b))
        return scale == 0 ? 0 : abs(a - b) / scale
    }
}

/// A simulation of the regional economy: owns its state, random streams, agents and solvers.
public final class Simulation {
    public let parameters: ModelParameters
    public let settings: SimulationSettings
    public private(set) var setup: SimulationSetup
    public private(set) var agents: [CityAgent]
    /// Policies of the scenario; eco protection acts first, so that other policies see its caps.
    public let policies: [any Policy]
    let rule: any DecisionRule
    var equilibriumSolver: TradeEquilibrium
    let flows: FlowIntegrator
    let productivity: ProductivityProcess

    public init(setup: SimulationSetup, parameters: ModelParameters, settings: SimulationSettings, policies: [any Policy] = []) throws {
        try parameters.validate()
        try validatePolicies(policies, cities: setup.cities, sectors: setup.structure.sectors)
        self.policies = policies.filter { $0 is EcoProtectionPolicy } + policies.filter { !($0 is EcoProtectionPolicy) }
        guard settings.dt > 0, settings.dt.isFinite else {
            throw ParameterError(parameter: "time.dt", message: "the tick must be a positive number of years, found \(settings.dt)")
        }
        guard settings.endYear >= settings.startYear else {
            throw ParameterError(parameter: "time.end", message: "end year \(settings.endYear) is before start year \(settings.startYear)")
        }
        self.setup = setup
        self.parameters = parameters
        self.settings = settings
        let n = setup.structure.cityCount
        agents = setup.cities.map {
            CityAgent(cityID: $0.id, province: $0.province, publicSpendingShare: parameters.publicSpendingShare)
        }
        rule = parameters.decisionRule.rule
        equilibriumSolver = TradeEquilibrium(structure: setup.structure)
        let migration = Migration(structure: setup.structure, cities: setup.cities, parameters: parameters)
        flows = try FlowIntegrator(cities: n, sectors: setup.structure.sectorCount, parameters: parameters, migration: migration)
        productivity = ProductivityProcess(
            cities: n, sectors: setup.structure.sectorCount, travelTimes: setup.structure.travelTimes,
            parameters: parameters, seed: settings.seed)
    }

    /// Runs every tick from the start year to the end year, handing each to `observer`.
    /// Stops with a `SimulationError` naming the tick and city on a numerical failure; never
    /// continues from an unconverged or non-finite state.
    public func run(observer: (TickRecord) throws -> Void) throws {
        let n = setup.structure.cityCount
        let sCount = setup.structure.sectorCount
        let dt = settings.dt
        var state = setup.state
        var previous: Equilibrium?
        var previousRealGDP: [Double]?
        var lastFlows: TickFlows?
        var lastReport: ConservationReport?
        var lastArrivals = [Double](repeating: 0, count: n)
        var lastLossShare = [Double](repeating: 0, count: n)
        var subsidiesPaid = [Double](repeating: 0, count: n)
        var relocations: [Relocation] = []
        let keepsRelocations = policies.contains { $0 is TaxSharingPolicy }
        let neutral = PolicyEffects(cities: n, sectors: sCount, maxSubsidy: parameters.maxSubsidy)
        var network = neutral.networkSignature
        // Revenue and GDP "of the previous tick" for policies acting at the first tick: the
        // equilibrium of the starting state without any policy.
        var lastGDP: [Double] = []
        var lastRevenuePerCapital: [Double] = []
        if !policies.isEmpty {
            do {
                let base = try equilibriumSolver.solve(state, parameters: parameters)
                lastGDP = base.gdp
                lastRevenuePerCapital = Self.revenuePerCapital(base, state)
            } catch let failure as EquilibriumFailure {
                throw SimulationError(tick: 0, year: settings.startYear, city: failure.worstCity, message: failure.description)
            }
        }
        for tick in 0...settings.tickCount {
            let year = settings.startYear + Double(tick) * dt
            var effects = neutral
            let context = PolicyContext(
                year: year, dt: dt, cities: setup.cities, sectors: setup.structure.sectors, parameters: parameters,
                state: state, baseCapital: setup.state.capital, lastGDP: lastGDP,
                lastRevenuePerCapital: lastRevenuePerCapital, relocations: relocations)
            for policy in policies where policy.window.contains(year) { policy.apply(to: &effects, context: context) }
            if effects.networkSignature != network {
                rebuildNetwork(effects)
                network = effects.networkSignature
            }
            state.transfers = effects.transfers
            state.exports = effects.exports
            let eq: Equilibrium
            do {
                eq = try equilibriumSolver.solve(state, parameters: parameters, start: previous)
            } catch let failure as EquilibriumFailure {
                throw SimulationError(tick: tick, year: year, city: failure.worstCity, message: failure.description)
            }
            try checkFinite(eq, state: state, tick: tick, year: year)
            let realGDP = constantPriceGDP(state: state, equilibrium: eq)
            let utility = Utility.realUtility(state: state, equilibrium: eq, structure: setup.structure, parameters: parameters)
            // Both are written out and utility enters migration as a logarithm: a value that is
            // not finite (or a utility that is not positive) stops the run rather than reach
            // an output file as an empty cell.
            if let i = (0..<n).first(where: { !realGDP[$0].isFinite || !utility[$0].isFinite || utility[$0] <= 0 }) {
                throw SimulationError(
                    tick: tick, year: year, city: setup.cities[i].id,
                    message: "GDP at 2020 prices \(realGDP[i]) or real utility \(utility[i]) is not a finite positive number")
            }
            if let before = previousRealGDP {
                let growth = (0..<n).map { (realGDP[$0] / before[$0] - 1) / dt }
                let revenue = eq.gdp.map { parameters.taxRate * $0 }
                let loss = (0..<n).map { lastLossShare[$0] * effects.retainedLossShare[$0] }
                rule.decide(
                    &agents,
                    observation: AgentObservation(growth: growth, revenue: revenue, arrivals: lastArrivals, relocationLossShare: loss),
                    dt: dt, parameters: parameters)
            }
            for i in 0..<n { agents[i].subsidy = min(agents[i].subsidy, effects.subsidyCap[i]) }
            let fiscal = FiscalAccounts(gdp: eq.gdp, transfers: state.transfers, agents: agents, lastArrivals: lastArrivals, taxRate: parameters.taxRate)
            try observer(TickRecord(
                tick: tick, year: year, state: state, equilibrium: eq, realGDP: realGDP, utility: utility,
                agents: agents, fiscal: fiscal, subsidiesPaid: subsidiesPaid, flows: lastFlows, conservation: lastReport))
            guard tick < settings.tickCount else { break }

            let before = state
            let income = eq.expenditure.map { $0 * (1 - setup.structure.housingShare) }
            let moved: TickFlows
            do {
                moved = try flows.integrate(
                    state: &state, equilibrium: eq, utility: utility, agents: agents, income: income,
                    publicSpending: fiscal.publicSpending, travelTimes: setup.structure.travelTimes,
                    effects: effects, year: year, dt: dt)
            } catch {
                throw SimulationError(tick: tick, year: year, city: nil, message: "flow integration failed: \(error)")
            }
            let report = Self.conservation(before: before, after: state, flows: moved, income: income, equilibrium: eq, parameters: parameters, dt: dt)
            assert(report.worst < 1e-9, "accounting identity broken at tick \(tick): \(report)")
            // Arrivals from elsewhere: pooled investment from other cities, relocation in,
            // industry from outside the region.
            let capitalIn = TickFlows.margins(moved.capital, cities: n).in
            let (industryOut, industryIn) = TickFlows.margins(moved.industry, cities: n)
            for i in 0..<n {
                let external = (0..<sCount).reduce(0.0) { $0 + moved.externalIndustry[i * sCount + $1] }
                lastArrivals[i] = (capitalIn[i] + industryIn[i] + external) / dt
                let capital = (0..<sCount).reduce(0.0) { $0 + before.capital[i * sCount + $1] }
                lastLossShare[i] = capital > 0 ? industryOut[i] / capital / dt : 0
                subsidiesPaid[i] = agents[i].subsidy * lastArrivals[i] * dt
            }
            if keepsRelocations { relocations.append(contentsOf: moved.relocations) }
            productivity.advance(&state.productivity, dt: dt, boost: effects.productivityBoost)
            let ruralGrowth = Foundation.exp(parameters.agriculturalProductivityGrowth * dt)
            for i in 0..<n { state.ruralProductivity[i] *= ruralGrowth }
            previous = eq
            previousRealGDP = realGDP
            lastGDP = eq.gdp
            lastRevenuePerCapital = Self.revenuePerCapital(eq, before)
            lastFlows = moved
            lastReport = report
        }
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
            barrierScale: effects.barrierScale))
        productivity.setTravelTimes(times)
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
    /// capital against the closed-form solution of their summed equations, OD margins, and
    /// money (investment = savings, Σ transfers = 0, ΣE = ΣGDP).
    public static func conservation(
        before: EconomyState, after: EconomyState, flows: TickFlows, income: [Double],
        equilibrium eq: Equilibrium, parameters p: ModelParameters, dt: Double
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
        let fund = flows.fundInvestment.reduce(0, +) / dt
        let savings = p.savingRate * income.reduce(0, +)
        let totalGDP = eq.gdp.reduce(0, +)
        let transfers = before.transfers.reduce(0, +)
        var money = ConservationReport.relative(investment, savings + fund)
        money = max(money, abs(transfers + fund) / totalGDP)
        money = max(money, ConservationReport.relative(eq.expenditure.reduce(0, +), totalGDP + transfers))
        return ConservationReport(population: population, migration: migration, capital: capital, industry: industry, money: money)
    }
}
