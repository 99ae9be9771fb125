// Flows of population, capital and industry over one tick, integrated with gsl_odeiv2 while
// prices stay frozen at the tick's equilibrium (MODEL.md §3.3).
import Foundation
import TwinCityGSL

/// What moved during one tick. Origin–destination matrices are N×N row-major (row = origin)
/// with a zero diagonal; amounts are totals over the tick.
public struct TickFlows: Sendable {
    /// Urban residents who moved from i to j, 10^4 persons.
    public var population: [Double]
    /// Investment financed by savers of i and installed in j, 亿元.
    public var capital: [Double]
    /// Installed capacity relocated from i to j, all sectors, 亿元.
    public var industry: [Double]
    /// Installed capacity relocated, by variety of origin `i*S + s` (out) and destination (in), 亿元.
    public var industryOutBySector: [Double]
    public var industryInBySector: [Double]
    /// Industry arriving from outside the region, by variety, 亿元.
    public var externalIndustry: [Double]
    /// Natural growth of each city's population (urban + rural), 10^4 persons.
    public var naturalGrowth: [Double]
    /// Rural residents who became urban, 10^4 persons.
    public var urbanisation: [Double]
    /// Gross investment installed (saving and fund injections), by variety, 亿元 of
    /// base-year investment goods (capital units).
    public var investment: [Double]
    /// Capital injected by an investment fund, by variety, nominal 亿元 (spent on investment
    /// goods; part of `investment` once deflated).
    public var fundInvestment: [Double]
    /// Every relocation of the tick by origin, destination and sector.
    public var relocations: [Relocation]
    /// Depreciation, by variety, 亿元.
    public var depreciation: [Double]

    /// Row sums (outflows) and column sums (inflows) of an N×N matrix.
    package static func margins(_ matrix: [Double], cities n: Int) -> (out: [Double], in: [Double]) {
        var out = [Double](repeating: 0, count: n)
        var into = [Double](repeating: 0, count: n)
        matrix.withUnsafeBufferPointer { m in
            into.withUnsafeMutableBufferPointer { into in
                for i in 0..<n {
                    var row = out[i]
                    for j in 0..<n {
                        row += m[i * n + j]
                        into[j] += m[i * n + j]
                    }
                    out[i] = row
                }
            }
        }
        return (out, into)
    }
}

/// The frozen coefficients of one tick and the right-hand side of its flow equations.
///
/// State vector y = [L (N), R (N), K (N·S), G (N), H (N), ∫L dt (N), ∫K dt (N·S),
/// ∫out dt (N), ∫in dt (N)], the last two used by the replicator rule only.
///
///     dL_i/dt = e^δ_i (Wᵀ((νL + uR) ⊘ D))_i − ν L_i + n L_i         (logit, rural movers included)
///     dL_i/dt = γ L_i (V_i − V̄(L)) + n L_i + u R_i                (replicator)
///     dR_i/dt = (n − u) R_i
///     dK_i^s/dt = I_i^s / P^I_i + X_i^s − δ K_i^s + Σ_j ρ_ji^s K_j^s − (Σ_j ρ_ij^s) K_i^s
///     dG_i/dt = spend_i − δ_G G_i,    dH_i/dt = g_H H_i
final class FlowSystem {
    let n: Int
    let sCount: Int
    let parameters: ModelParameters
    var migration: Migration
    // Frozen coefficients of the tick.
    var attraction: [Double] = []
    var denominators: [Double] = []
    var utility: [Double] = []
    var investment: [Double] = []
    var external: [Double] = []
    /// Relocation rates ρ^s by sector, nonzero entries only.
    var relocation: [SparseRates] = []
    var relocationOut: [Double] = []
    var spending: [Double] = []
    var housingGrowth: [Double] = []
    // Scratch (owned, freed in deinit).
    let ratio: UnsafeMutableBufferPointer<Double>
    let through: UnsafeMutableBufferPointer<Double>
    let columnIn: UnsafeMutableBufferPointer<Double>
    let scratch: UnsafeMutableBufferPointer<Double>

    var offsets: (l: Int, r: Int, k: Int, g: Int, h: Int, cumL: Int, cumK: Int, out: Int, into: Int, end: Int) {
        let v = n * sCount
        let l = 0, r = n, k = 2 * n, g = 2 * n + v, h = 3 * n + v, cumL = 4 * n + v, cumK = 5 * n + v
        let out = 5 * n + 2 * v, into = 6 * n + 2 * v
        return (l, r, k, g, h, cumL, cumK, out, into, 7 * n + 2 * v)
    }

    init(cities n: Int, sectors sCount: Int, parameters: ModelParameters, migration: Migration) {
        self.n = n
        self.sCount = sCount
        self.parameters = parameters
        self.migration = migration
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        ratio = buffer(n)
        through = buffer(n)
        columnIn = buffer(n)
        scratch = buffer(SymmetricProduct.scratchCount(n: n))
    }

    deinit {
        for b in [ratio, through, columnIn, scratch] { b.deallocate() }
    }

    func derivative(y: UnsafeBufferPointer<Double>, dydt: UnsafeMutableBufferPointer<Double>) {
        let o = offsets
        let p = parameters
        let (n, sCount) = (self.n, self.sCount)
        let natural = p.naturalGrowth
        let urbanise = p.urbanisationRate
        let (ratio, through, columnIn) = (self.ratio, self.through, self.columnIn)
        switch p.migrationRule {
        case .logit:
            let (attraction, denominators) = (self.attraction, self.denominators)
            for i in 0..<n { ratio[i] = (p.migrationRate * y[o.l + i] + urbanise * y[o.r + i]) / denominators[i] }
            migration.transposedProduct(ratio.baseAddress!, into: through.baseAddress!, scratch: scratch.baseAddress!)
            for i in 0..<n {
                let inflow = attraction[i] * through[i]
                let outflow = p.migrationRate * y[o.l + i]
                dydt[o.l + i] = inflow - outflow + natural * y[o.l + i]
                // Movers between cities only (staying excluded), for the OD accounts.
                dydt[o.out + i] = 0
                dydt[o.into + i] = 0
            }
        case .replicator:
            let utility = self.utility
            var total = 0.0
            var weighted = 0.0
            for i in 0..<n { total += y[o.l + i]; weighted += y[o.l + i] * utility[i] }
            let mean = weighted / total
            for i in 0..<n {
                let gap = utility[i] - mean
                let move = p.replicatorSpeed * y[o.l + i] * gap
                dydt[o.l + i] = move + natural * y[o.l + i] + urbanise * y[o.r + i]
                dydt[o.out + i] = move < 0 ? -move : 0
                dydt[o.into + i] = move > 0 ? move : 0
            }
        }
        let (spending, housingGrowth) = (self.spending, self.housingGrowth)
        for i in 0..<n {
            dydt[o.r + i] = (natural - urbanise) * y[o.r + i]
            dydt[o.g + i] = spending[i] - p.publicServiceDepreciation * y[o.g + i]
            dydt[o.h + i] = housingGrowth[i] * y[o.h + i]
            dydt[o.cumL + i] = y[o.l + i]
        }
        let (investment, external, relocationOut) = (self.investment, self.external, self.relocationOut)
        for s in 0..<sCount {
            relocation[s].inflows(capital: UnsafeBufferPointer(rebasing: y[(o.k + s)...]), stride: sCount, into: columnIn)
            for i in 0..<n {
                let v = i * sCount + s
                let k = y[o.k + v]
                dydt[o.k + v] = investment[v] + external[v] - p.depreciation * k + columnIn[i] - relocationOut[v] * k
                dydt[o.cumK + v] = k
            }
        }
    }
}

/// The relocation rates of a tick from their per-variety terms:
/// `ρ_ij^s = w_j^s · (dest_j^s − origin_i^s − c_K t_ij + bonus_ij)` where positive. The origins of a
/// large roster are split between two tasks; the rows are the same either way.
struct RelocationRows: Sendable {
    let cities: Int
    let sectors: Int
    /// ln r_i^s + e_i by variety; NaN where the variety does not relocate.
    let originLog: [Double]
    /// ln(r_j^s / (1 − sub_j)) by variety; NaN where the variety takes no relocation.
    let destinationLog: [Double]
    /// ρ0 K_j^s / Σ_k K_k^s by variety.
    let destinationWeight: [Double]
    let costPerHour: Double
    let travelTimes: [Double]
    let bonus: [Double]

    /// Rates of origins `lo..<hi`, one `SparseRates` per sector (unfinished), and each origin
    /// variety's total rate.
    func rows(from lo: Int, to hi: Int) -> (rates: [SparseRates], out: [Double]) {
        let (n, sCount) = (cities, sectors)
        var rates = (0..<sCount).map { _ in SparseRates(cities: n) }
        var out = [Double](repeating: 0, count: (hi - lo) * sCount)
        travelTimes.withUnsafeBufferPointer { times in
            bonus.withUnsafeBufferPointer { bonus in
                for i in lo..<hi {
                    let row = i * n
                    for j in 0..<n where j != i {
                        let cost = costPerHour * times[row + j]
                        let extra = bonus[row + j]
                        for s in 0..<sCount {
                            let gap = destinationLog[j * sCount + s] - originLog[i * sCount + s] - cost + extra
                            guard gap > 0 else { continue }
                            let rate = destinationWeight[j * sCount + s] * gap
                            guard rate != 0 else { continue }
                            rates[s].append(destination: j, rate: rate)
                            out[(i - lo) * sCount + s] += rate
                        }
                    }
                    for s in 0..<sCount { rates[s].endRow() }
                }
            }
        }
        return (rates, out)
    }

    /// Slots for the two tasks' results.
    private final class Halves: @unchecked Sendable {
        var first: (rates: [SparseRates], out: [Double])?
        var second: (rates: [SparseRates], out: [Double])?
    }

    /// Every origin's rates by sector, finished, and the total rate out of each variety.
    func build() -> (rates: [SparseRates], out: [Double]) {
        let n = cities
        var result: (rates: [SparseRates], out: [Double])
        if n < SymmetricProduct.parallelThreshold {
            result = rows(from: 0, to: n)
        } else {
            let halves = Halves()
            DispatchQueue.concurrentPerform(iterations: 2) { task in
                if task == 0 { halves.first = rows(from: 0, to: n / 2) } else { halves.second = rows(from: n / 2, to: n) }
            }
            result = halves.first!
            for s in 0..<sectors { result.rates[s].append(rows: halves.second!.rates[s]) }
            result.out += halves.second!.out
        }
        for s in 0..<sectors { result.rates[s].finish() }
        return result
    }
}

/// The relocation rates ρ_ij of one sector, nonzero entries only, stored by origin (rows)
/// and by destination (columns), each in ascending order of the other index.
struct SparseRates: Sendable {
    let n: Int
    /// Entries of origin i: `rowStart[i] ..< rowStart[i + 1]` of `rowDestination` and `rowRate`.
    private(set) var rowStart: [Int]
    private(set) var rowDestination: [Int32] = []
    private(set) var rowRate: [Double] = []
    /// Entries of destination j: `columnStart[j] ..< columnStart[j + 1]` of `columnOrigin` and `columnRate`.
    private(set) var columnStart: [Int] = []
    private(set) var columnOrigin: [Int32] = []
    private(set) var columnRate: [Double] = []

    /// Entry counts above which `inflows` spreads its work over the cores.
    static let parallelThreshold = 1 << 17

    /// Rates with no entry yet: fill the rows of consecutive origins with `append` and
    /// `endRow` (or join other rows with `append(rows:)`), then call `finish`.
    init(cities n: Int) {
        self.n = n
        rowStart = [0]
    }

    var count: Int { rowRate.count }

    mutating func append(destination j: Int, rate: Double) {
        rowDestination.append(Int32(j))
        rowRate.append(rate)
    }

    /// Closes the current origin's row.
    mutating func endRow() {
        rowStart.append(rowRate.count)
    }

    /// Appends the rows of `next`, the origins that follow this one's.
    mutating func append(rows next: SparseRates) {
        let base = count
        rowStart += next.rowStart.dropFirst().map { $0 + base }
        rowDestination += next.rowDestination
        rowRate += next.rowRate
    }

    /// Builds the by-destination copy once every origin has its row.
    mutating func finish() {
        precondition(rowStart.count == n + 1, "\(rowStart.count - 1) rows of relocation rates for \(n) cities")
        var start = [Int](repeating: 0, count: n + 1)
        for j in rowDestination { start[Int(j) + 1] += 1 }
        for j in 0..<n { start[j + 1] += start[j] }
        var next = start
        var origin = [Int32](repeating: 0, count: count)
        var rate = [Double](repeating: 0, count: count)
        for i in 0..<n {
            for e in rowStart[i]..<rowStart[i + 1] {
                let j = Int(rowDestination[e])
                origin[next[j]] = Int32(i)
                rate[next[j]] = rowRate[e]
                next[j] += 1
            }
        }
        columnStart = start
        columnOrigin = origin
        columnRate = rate
    }

    /// Pointers handed to the tasks of `inflows`.
    private struct Operands: @unchecked Sendable {
        let capital: UnsafeBufferPointer<Double>
        let out: UnsafeMutableBufferPointer<Double>
        let start: UnsafeBufferPointer<Int>
        let origin: UnsafeBufferPointer<Int32>
        let rate: UnsafeBufferPointer<Double>
    }

    /// out_j = Σ_i ρ_ij K_i, with K_i = capital[i * stride]: summed over origins in ascending
    /// order, as a dense transposed product would.
    func inflows(capital: UnsafeBufferPointer<Double>, stride: Int, into out: UnsafeMutableBufferPointer<Double>) {
        columnStart.withUnsafeBufferPointer { start in
            columnOrigin.withUnsafeBufferPointer { origin in
                columnRate.withUnsafeBufferPointer { rate in
                    let ops = Operands(capital: capital, out: out, start: start, origin: origin, rate: rate)
                    @Sendable func columns(_ lo: Int, _ hi: Int) {
                        for j in lo..<hi {
                            var total = 0.0
                            for e in ops.start[j]..<ops.start[j + 1] {
                                total += ops.rate[e] * ops.capital[Int(ops.origin[e]) * stride]
                            }
                            ops.out[j] = total
                        }
                    }
                    if count < Self.parallelThreshold {
                        columns(0, n)
                    } else {
                        // Blocks of destinations to the cores as they free up; each sum is the
                        // same whichever core computes it.
                        let block = 256
                        DispatchQueue.concurrentPerform(iterations: (n + block - 1) / block) { b in
                            columns(b * block, min((b + 1) * block, n))
                        }
                    }
                }
            }
        }
    }
}

/// Integrates the flows of each tick (MODEL.md §3.3) and keeps the origin–destination
/// matrices for output.
public final class FlowIntegrator {
    let n: Int
    let sCount: Int
    let parameters: ModelParameters
    let system: FlowSystem
    let integrator: ODEIntegrator

    /// - Throws: `ParameterError` when `migration` is for another number of cities (a roster
    ///   whose units outnumber its cities, like Chongqing's two parts, is sized by its units).
    public init(cities n: Int, sectors sCount: Int, parameters: ModelParameters, migration: Migration) throws {
        guard migration.n == n else {
            throw ParameterError(parameter: "cities", message: "the migration costs are for \(migration.n) cities, the flows for \(n)")
        }
        self.n = n
        self.sCount = sCount
        self.parameters = parameters
        let system = FlowSystem(cities: n, sectors: sCount, parameters: parameters, migration: migration)
        self.system = system
        // First trial step 0.1 year: the frozen-coefficient system is smooth and slow (rates of
        // a few tenths a year), and from 0.1 rk8pd meets the tolerance of a one-year tick in
        // about 4 steps, against 7 from 0.01; a step too long is shortened by the error control.
        integrator = try ODEIntegrator(
            dimension: system.offsets.end, stepType: .rk8pd, initialStep: 0.1,
            absoluteTolerance: parameters.flowTolerance, relativeTolerance: parameters.flowTolerance
        ) { _, y, dydt in system.derivative(y: y, dydt: dydt) }
        integrator.maximumSteps = 1_000_000
    }

    /// The probability that a mover from each city stays there, at real utility `utility` and
    /// urban population `urbanPopulation` with the current migration costs
    /// (`Migration.stayProbability`); 1 under the replicator rule, which has no destination
    /// choice.
    package func stayProbabilities(utility: [Double], urbanPopulation: [Double]) -> [Double] {
        guard parameters.migrationRule == .logit else { return Array(repeating: 1, count: n) }
        let migration = system.migration
        return migration.stayProbability(delta: migration.delta(utility: utility, urbanPopulation: urbanPopulation))
    }

    /// Replaces the migration costs (after a change of the network or of registration barriers).
    package func setMigration(_ migration: Migration) { system.migration = migration }

    /// Sets the frozen coefficients from the tick's equilibrium and the agents' instruments,
    /// integrates over `dt` years, updates `state` in place and returns what moved.
    ///
    /// - Investment: the equilibrium's nominal investment by variety (saving allocated at the
    ///   tick's returns, fund injections included), installed as capital at the city's
    ///   investment-goods price relative to the base year, `I / (P^I_i / P^I_i(base))`.
    /// - Relocation: `ρ_ij^s = ρ0 · K_j^s/ΣK^s · max(0, ln(r_j^s/(1−sub_j)) − ln r_i^s − c_K t_ij − e_i)`.
    /// - External industry: `x · ΣK^s` a year, spread like pooled investment and multiplied
    ///   by each city's designation weight, plus the policies' extra inflow.
    /// - Policies (`effects`): blocked varieties take no investment, relocation or inflow;
    ///   fund injections add to investment; relocation bonuses add to the return gap; extra
    ///   housing growth adds to g_H.
    public func integrate(
        state: inout EconomyState, equilibrium eq: Equilibrium, utility: [Double], agents: [CityAgent],
        baseInvestmentPrice: [Double], publicSpending: [Double], travelTimes: [Double],
        effects: PolicyEffects, year: Double, dt: Double
    ) throws -> TickFlows {
        // Arrays of another length would be read with the wrong stride, not refused.
        let shapes = [
            ("urban population", state.urbanPopulation.count, n), ("rural population", state.ruralPopulation.count, n),
            ("capital", state.capital.count, n * sCount), ("utility", utility.count, n), ("agents", agents.count, n),
            ("public spending", publicSpending.count, n), ("travel times", travelTimes.count, n * n),
        ]
        if let (name, count, expected) = shapes.first(where: { $0.1 != $0.2 }) {
            throw ParameterError(
                parameter: "cities",
                message: "\(name) has \(count) entries; the flows are for \(n) cities and \(sCount) sectors, \(expected) expected")
        }
        let sys = system
        setMigrationWeights(utility: utility, urbanPopulation: state.urbanPopulation)
        var investment = realInvestment(equilibrium: eq, baseInvestmentPrice: baseInvestmentPrice)
        var external = externalInflow(state: state, equilibrium: eq, effects: effects)
        Self.applyCaps(effects.capitalCap, capital: state.capital, investment: &investment, external: &external, depreciation: parameters.depreciation, dt: dt)
        sys.investment = investment
        sys.external = external
        let relocation = relocationRates(state: state, equilibrium: eq, agents: agents, travelTimes: travelTimes, effects: effects)
        sys.spending = publicSpending
        sys.housingGrowth = effects.housingGrowth.map { $0 + parameters.housingGrowth }
        let startRural = state.ruralPopulation
        let y = try integrateStocks(&state, dt: dt)
        return accounts(
            y: y, startRural: startRural, equilibrium: eq, investment: investment, external: external,
            relocation: relocation, effects: effects, year: year, dt: dt)
    }

    /// Logit choice weights at the tick's real utility (MODEL.md §3.3, migration); the
    /// replicator rule reads the utility itself.
    func setMigrationWeights(utility: [Double], urbanPopulation: [Double]) {
        let sys = system
        sys.utility = utility
        if parameters.migrationRule == .logit {
            let delta = sys.migration.delta(utility: utility, urbanPopulation: urbanPopulation)
            (sys.attraction, sys.denominators) = sys.migration.choiceWeights(delta: delta)
        }
    }

    /// The equilibrium's nominal investment by variety in base-year units of capital,
    /// `I / (P^I_i / P^I_i(base))` (capital per year).
    func realInvestment(equilibrium eq: Equilibrium, baseInvestmentPrice: [Double]) -> [Double] {
        let realPrice = (0..<n).map { eq.investmentPriceIndex[$0] / baseInvestmentPrice[$0] }
        var investment = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n { for s in 0..<sCount {
            let v = i * sCount + s
            investment[v] = eq.investment[v] / realPrice[i]
        } }
        return investment
    }

    /// Industry arriving from outside the region, by variety (capital per year): `x · ΣK^s`
    /// spread like pooled investment (the equilibrium's pool weights) times each city's
    /// designation weight, plus the policies' extra inflow where investment is not blocked.
    func externalInflow(state: EconomyState, equilibrium eq: Equilibrium, effects: PolicyEffects) -> [Double] {
        let attractiveness = eq.poolWeight
        let externalDesignation = effects.externalDesignation
        var external = [Double](repeating: 0, count: n * sCount)
        for s in 0..<sCount {
            var regionCapital = 0.0
            var weightTotal = 0.0
            for i in 0..<n {
                regionCapital += state.capital[i * sCount + s]
                weightTotal += attractiveness[i * sCount + s] * externalDesignation[i]
            }
            guard weightTotal > 0 else { continue }
            let amount = parameters.externalInflowRate * regionCapital
            for i in 0..<n {
                let v = i * sCount + s
                external[v] = amount * attractiveness[v] * externalDesignation[i] / weightTotal
            }
        }
        for v in 0..<n * sCount where !effects.investmentBlocked[v] { external[v] += effects.externalInflow[v] }
        return external
    }

    /// Relocation rates by sector, set on the flow system and returned for the accounts. By
    /// variety: the log return of an origin (plus its retention effort), of a destination
    /// (net of its subsidy) and the destination's weight ρ0 K_j / ΣK; NaN marks a variety
    /// that takes no part (a NaN gap is never positive).
    func relocationRates(
        state: EconomyState, equilibrium eq: Equilibrium, agents: [CityAgent], travelTimes: [Double], effects: PolicyEffects
    ) -> [SparseRates] {
        let vCount = n * sCount
        var sectorCapital = [Double](repeating: 0, count: sCount)
        for s in 0..<sCount { for j in 0..<n { sectorCapital[s] += state.capital[j * sCount + s] } }
        var originLog = [Double](repeating: .nan, count: vCount)
        var destinationLog = [Double](repeating: .nan, count: vCount)
        var destinationWeight = [Double](repeating: 0, count: vCount)
        for i in 0..<n { for s in 0..<sCount {
            let v = i * sCount + s
            guard sectorCapital[s] > 0, state.capital[v] > 0, eq.returns[v] > 0 else { continue }
            let lnr = Foundation.log(eq.returns[v])
            originLog[v] = lnr + agents[i].retention
            guard !effects.investmentBlocked[v], effects.capitalCap[v] == .infinity else { continue }
            destinationLog[v] = lnr - Foundation.log(1 - agents[i].subsidy)
            destinationWeight[v] = parameters.relocationRate * state.capital[v] / sectorCapital[s]
        } }
        let rows = RelocationRows(
            cities: n, sectors: sCount, originLog: originLog, destinationLog: destinationLog,
            destinationWeight: destinationWeight, costPerHour: parameters.relocationCostPerHour,
            travelTimes: travelTimes, bonus: effects.relocationBonus)
        let (relocation, relocationOut) = rows.build()
        system.relocation = relocation
        system.relocationOut = relocationOut
        return relocation
    }

    /// Integrates the stocks over the tick with gsl_odeiv2 (rk8pd) and writes them back to
    /// `state`; returns the whole solution vector, whose cumulative entries (∫L, ∫K, moves
    /// out and in) the accounts read.
    func integrateStocks(_ state: inout EconomyState, dt: Double) throws -> [Double] {
        let o = system.offsets
        var y = [Double](repeating: 0, count: o.end)
        for i in 0..<n {
            y[o.l + i] = state.urbanPopulation[i]
            y[o.r + i] = state.ruralPopulation[i]
            y[o.g + i] = state.publicServices[i]
            y[o.h + i] = state.housing[i]
        }
        for v in 0..<n * sCount { y[o.k + v] = state.capital[v] }
        try integrator.integrate(&y, from: 0, to: dt)
        for i in 0..<n {
            state.urbanPopulation[i] = y[o.l + i]
            state.ruralPopulation[i] = y[o.r + i]
            state.publicServices[i] = y[o.g + i]
            state.housing[i] = y[o.h + i]
        }
        for v in 0..<n * sCount { state.capital[v] = y[o.k + v] }
        return y
    }

    /// What moved over the tick: the origin–destination matrices of people (from the logit
    /// shares or the replicator's net moves), of pooled saving (nominal) and of relocated
    /// industry, with investment, external inflow, depreciation, urbanisation and natural
    /// growth, all as amounts over `dt` years.
    func accounts(
        y: [Double], startRural: [Double], equilibrium eq: Equilibrium, investment: [Double], external: [Double],
        relocation: [SparseRates], effects: PolicyEffects, year: Double, dt: Double
    ) -> TickFlows {
        let p = parameters
        let sys = system
        let o = sys.offsets
        let vCount = n * sCount
        var flows = TickFlows(
            population: Array(repeating: 0, count: n * n), capital: Array(repeating: 0, count: n * n),
            industry: Array(repeating: 0, count: n * n),
            industryOutBySector: Array(repeating: 0, count: vCount),
            industryInBySector: Array(repeating: 0, count: vCount),
            externalIndustry: external.map { $0 * dt }, naturalGrowth: Array(repeating: 0, count: n),
            urbanisation: Array(repeating: 0, count: n), investment: investment.map { $0 * dt },
            fundInvestment: effects.fundInvestment.map { $0 * dt }, relocations: [],
            depreciation: (0..<vCount).map { p.depreciation * y[o.cumK + $0] })
        switch p.migrationRule {
        case .logit:
            let (accessibility, attraction, denominators) = (sys.migration.accessibility, sys.attraction, sys.denominators)
            flows.population.withUnsafeMutableBufferPointer { population in
                for i in 0..<n {
                    let movers = (p.migrationRate * y[o.cumL + i] + p.urbanisationRate * ruralIntegral(startRural[i], dt: dt)) / denominators[i]
                    for j in 0..<n where j != i {
                        population[i * n + j] = movers * accessibility[i * n + j] * attraction[j]
                    }
                }
            }
        case .replicator:
            // The replicator moves net numbers only: leavers of below-average cities are
            // spread over above-average cities in proportion to their gains.
            let gains = (0..<n).reduce(0.0) { $0 + y[o.into + $1] }
            if gains > 0 {
                for i in 0..<n { for j in 0..<n where j != i {
                    flows.population[i * n + j] = y[o.out + i] * y[o.into + j] / gains
                } }
            }
        }
        // Saving pooled by i and installed in j, nominal (the equilibrium's allocation).
        flows.capital.withUnsafeMutableBufferPointer { capital in
            for i in 0..<n {
                let outward = eq.pooledSaving[i] * dt
                for j in 0..<n where j != i { capital[i * n + j] = outward * eq.poolShare[j] }
            }
        }
        flows.relocations.reserveCapacity(relocation.reduce(0) { $0 + $1.count })
        for s in 0..<sCount {
            let rates = relocation[s]
            for i in 0..<n {
                let moved = y[o.cumK + i * sCount + s]
                for e in rates.rowStart[i]..<rates.rowStart[i + 1] {
                    let j = Int(rates.rowDestination[e])
                    let amount = rates.rowRate[e] * moved
                    guard amount > 0 else { continue }
                    flows.relocations.append(Relocation(year: year, origin: i, destination: j, sector: s, amount: amount))
                    flows.industry[i * n + j] += amount
                    flows.industryOutBySector[i * sCount + s] += amount
                    flows.industryInBySector[j * sCount + s] += amount
                }
            }
        }
        for i in 0..<n { flows.urbanisation[i] = p.urbanisationRate * ruralIntegral(startRural[i], dt: dt) }
        for i in 0..<n {
            flows.naturalGrowth[i] = p.naturalGrowth * (y[o.cumL + i] + ruralIntegral(startRural[i], dt: dt))
        }
        return flows
    }

    /// Cuts the investment and inflow of capped varieties to the rate I that keeps them at or
    /// below their cap over the tick, `K e^{−δ dt} + I (1 − e^{−δ dt})/δ ≤ cap` (outflows only
    /// lower K), and hands what was cut to the uncapped varieties in proportion to what they
    /// receive, so totals are unchanged.
    static func applyCaps(_ caps: [Double], capital: [Double], investment: inout [Double], external: inout [Double], depreciation: Double, dt: Double) {
        guard caps.contains(where: { $0 < .infinity }) else { return }
        let decay = Foundation.exp(-depreciation * dt)
        var cutInvestment = 0.0, cutExternal = 0.0
        for v in caps.indices where caps[v] < .infinity {
            let room = caps[v] - capital[v] * decay
            let allowed = max(0, depreciation > 0 ? room * depreciation / (1 - decay) : room / dt)
            let inflow = investment[v] + external[v]
            guard inflow > allowed else { continue }
            let keep = allowed / inflow
            cutInvestment += investment[v] * (1 - keep)
            cutExternal += external[v] * (1 - keep)
            investment[v] *= keep
            external[v] *= keep
        }
        for (cut, amounts) in [(cutInvestment, 0), (cutExternal, 1)] where cut > 0 {
            let receivers = caps.indices.filter { caps[$0] == .infinity }
            let base = receivers.reduce(0.0) { $0 + (amounts == 0 ? investment[$1] : external[$1]) }
            guard base > 0 else { continue }
            for v in receivers {
                if amounts == 0 { investment[v] += cut * investment[v] / base } else { external[v] += cut * external[v] / base }
            }
        }
    }

    /// ∫_0^dt R_0 e^{(n−u)t} dt.
    func ruralIntegral(_ r0: Double, dt: Double) -> Double {
        let rate = parameters.naturalGrowth - parameters.urbanisationRate
        return rate == 0 ? r0 * dt : r0 * (Foundation.exp(rate * dt) - 1) / rate
    }
}
