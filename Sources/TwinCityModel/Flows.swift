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
    /// Gross investment installed (savings and fund injections), by variety, 亿元.
    public var investment: [Double]
    /// Capital injected by an investment fund, by variety, 亿元 (part of `investment`).
    public var fundInvestment: [Double]
    /// Every relocation of the tick by origin, destination and sector.
    public var relocations: [Relocation]
    /// Depreciation, by variety, 亿元.
    public var depreciation: [Double]

    /// Row sums (outflows) and column sums (inflows) of an N×N matrix.
    public static func margins(_ matrix: [Double], cities n: Int) -> (out: [Double], in: [Double]) {
        var out = [Double](repeating: 0, count: n)
        var into = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n {
            out[i] += matrix[i * n + j]
            into[j] += matrix[i * n + j]
        } }
        return (out, into)
    }
}

/// The frozen coefficients of one tick and the right-hand side of its flow equations.
///
/// State vector y = [L (N), R (N), K (N·S), G (N), H (N), ∫L dt (N), ∫K dt (N·S),
/// ∫out dt (N), ∫in dt (N)], the last two used by the replicator rule only.
///
///     dL_i/dt = ν e^δ_i (Wᵀ(L ⊘ D))_i − ν L_i + n L_i + u R_i      (logit)
///     dL_i/dt = γ L_i (V_i − V̄(L)) + n L_i + u R_i                (replicator)
///     dR_i/dt = (n − u) R_i
///     dK_i^s/dt = I_i^s + X_i^s − δ K_i^s + Σ_j ρ_ji^s K_j^s − (Σ_j ρ_ij^s) K_i^s
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
    var relocation: [[Double]] = []
    var relocationOut: [Double] = []
    var spending: [Double] = []
    var housingGrowth: [Double] = []
    // Scratch.
    var ratio: [Double]
    var through: [Double]
    var column: [Double]
    var columnIn: [Double]

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
        ratio = Array(repeating: 0, count: n)
        through = Array(repeating: 0, count: n)
        column = Array(repeating: 0, count: n)
        columnIn = Array(repeating: 0, count: n)
    }

    func derivative(y: UnsafeBufferPointer<Double>, dydt: UnsafeMutableBufferPointer<Double>) {
        let o = offsets
        let p = parameters
        let natural = p.naturalGrowth
        let urbanise = p.urbanisationRate
        switch p.migrationRule {
        case .logit:
            for i in 0..<n { ratio[i] = y[o.l + i] / denominators[i] }
            migration.accessibility.withUnsafeBufferPointer { w in
                ratio.withUnsafeBufferPointer { x in
                    through.withUnsafeMutableBufferPointer { t in
                        BLAS.gemv(transpose: true, rows: n, columns: n, a: w.baseAddress!, x: x.baseAddress!, y: t.baseAddress!)
                    }
                }
            }
            for i in 0..<n {
                let inflow = p.migrationRate * attraction[i] * through[i]
                let outflow = p.migrationRate * y[o.l + i]
                dydt[o.l + i] = inflow - outflow + natural * y[o.l + i] + urbanise * y[o.r + i]
                // Movers between cities only (staying excluded), for the OD accounts.
                dydt[o.out + i] = 0
                dydt[o.into + i] = 0
            }
        case .replicator:
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
        for i in 0..<n {
            dydt[o.r + i] = (natural - urbanise) * y[o.r + i]
            dydt[o.g + i] = spending[i] - p.publicServiceDepreciation * y[o.g + i]
            dydt[o.h + i] = housingGrowth[i] * y[o.h + i]
            dydt[o.cumL + i] = y[o.l + i]
        }
        for s in 0..<sCount {
            for i in 0..<n { column[i] = y[o.k + i * sCount + s] }
            relocation[s].withUnsafeBufferPointer { rho in
                column.withUnsafeBufferPointer { x in
                    columnIn.withUnsafeMutableBufferPointer { t in
                        BLAS.gemv(transpose: true, rows: n, columns: n, a: rho.baseAddress!, x: x.baseAddress!, y: t.baseAddress!)
                    }
                }
            }
            for i in 0..<n {
                let v = i * sCount + s
                let k = y[o.k + v]
                dydt[o.k + v] = investment[v] + external[v] - p.depreciation * k + columnIn[i] - relocationOut[v] * k
                dydt[o.cumK + v] = k
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

    public init(cities n: Int, sectors sCount: Int, parameters: ModelParameters, migration: Migration) throws {
        self.n = n
        self.sCount = sCount
        self.parameters = parameters
        let system = FlowSystem(cities: n, sectors: sCount, parameters: parameters, migration: migration)
        self.system = system
        integrator = try ODEIntegrator(
            dimension: system.offsets.end, stepType: .rk8pd, initialStep: 1e-2,
            absoluteTolerance: parameters.flowTolerance, relativeTolerance: parameters.flowTolerance
        ) { _, y, dydt in system.derivative(y: y, dydt: dydt) }
        integrator.maximumSteps = 1_000_000
    }

    /// Replaces the migration costs (after a change of the network or of registration barriers).
    public func setMigration(_ migration: Migration) { system.migration = migration }

    /// Sets the frozen coefficients from the tick's equilibrium and the agents' instruments,
    /// integrates over `dt` years, updates `state` in place and returns what moved.
    ///
    /// - Investment: savers of i put `s·Y_i`; a share h at home, spread over i's sectors
    ///   ∝ K_i^s (r_i^s)^θ_K; the rest pooled and spread over all varieties
    ///   ∝ K_j^s (r_j^s/(1−sub_j))^θ_K.
    /// - Relocation: `ρ_ij^s = ρ0 · K_j^s/ΣK^s · max(0, ln(r_j^s/(1−sub_j)) − ln r_i^s − c_K t_ij − e_i)`.
    /// - External industry: `x · ΣK^s` a year, spread like pooled investment and multiplied
    ///   by each city's designation weight, plus the policies' extra inflow.
    /// - Policies (`effects`): blocked varieties take no investment, relocation or inflow;
    ///   fund injections add to investment; relocation bonuses add to the return gap; extra
    ///   housing growth adds to g_H.
    public func integrate(
        state: inout EconomyState, equilibrium eq: Equilibrium, utility: [Double], agents: [CityAgent],
        income: [Double], publicSpending: [Double], travelTimes: [Double],
        effects: PolicyEffects, year: Double, dt: Double
    ) throws -> TickFlows {
        let p = parameters
        let sys = system
        let blocked = effects.investmentBlocked
        let externalDesignation = effects.externalDesignation
        let o = sys.offsets
        let vCount = n * sCount
        // Migration weights.
        sys.utility = utility
        if p.migrationRule == .logit {
            let delta = utility.map { p.migrationElasticity * Foundation.log($0) }
            (sys.attraction, sys.denominators) = sys.migration.choiceWeights(delta: delta)
        }
        // Investment.
        var attractiveness = [Double](repeating: 0, count: vCount)
        var homeWeight = [Double](repeating: 0, count: vCount)
        var poolTotal = 0.0
        for i in 0..<n { for s in 0..<sCount {
            let v = i * sCount + s
            guard state.capital[v] > 0, eq.returns[v] > 0, !blocked[v] else { continue }
            let lnr = Foundation.log(eq.returns[v])
            homeWeight[v] = state.capital[v] * Foundation.exp(p.returnElasticity * lnr)
            attractiveness[v] = state.capital[v] * Foundation.exp(p.returnElasticity * (lnr - Foundation.log(1 - agents[i].subsidy)))
            poolTotal += attractiveness[v]
        } }
        let savings = income.map { p.savingRate * $0 }
        let pooled = savings.reduce(0, +) * (1 - p.homeBias)
        var investment = [Double](repeating: 0, count: vCount)
        for i in 0..<n {
            let home = (0..<sCount).reduce(0.0) { $0 + homeWeight[i * sCount + $1] }
            for s in 0..<sCount {
                let v = i * sCount + s
                if home > 0 { investment[v] += p.homeBias * savings[i] * homeWeight[v] / home }
                if poolTotal > 0 { investment[v] += pooled * attractiveness[v] / poolTotal }
            }
        }
        for v in 0..<vCount { investment[v] += effects.fundInvestment[v] }
        // External industry.
        var external = [Double](repeating: 0, count: vCount)
        for s in 0..<sCount {
            var regionCapital = 0.0
            var weightTotal = 0.0
            for i in 0..<n {
                regionCapital += state.capital[i * sCount + s]
                weightTotal += attractiveness[i * sCount + s] * externalDesignation[i]
            }
            guard weightTotal > 0 else { continue }
            let amount = p.externalInflowRate * regionCapital
            for i in 0..<n {
                let v = i * sCount + s
                external[v] = amount * attractiveness[v] * externalDesignation[i] / weightTotal
            }
        }
        for v in 0..<vCount where !blocked[v] { external[v] += effects.externalInflow[v] }
        Self.applyCaps(effects.capitalCap, capital: state.capital, investment: &investment, external: &external, depreciation: p.depreciation, dt: dt)
        sys.investment = investment
        sys.external = external
        // Relocation.
        var relocation = [[Double]](repeating: [Double](repeating: 0, count: n * n), count: sCount)
        var relocationOut = [Double](repeating: 0, count: vCount)
        for s in 0..<sCount {
            var sectorCapital = 0.0
            for j in 0..<n { sectorCapital += state.capital[j * sCount + s] }
            guard sectorCapital > 0 else { continue }
            relocation[s].withUnsafeMutableBufferPointer { rho in
                for i in 0..<n {
                    let vi = i * sCount + s
                    guard state.capital[vi] > 0, eq.returns[vi] > 0 else { continue }
                    let origin = Foundation.log(eq.returns[vi]) + agents[i].retention
                    var out = 0.0
                    for j in 0..<n where j != i {
                        let vj = j * sCount + s
                        guard state.capital[vj] > 0, eq.returns[vj] > 0, !blocked[vj], effects.capitalCap[vj] == .infinity else { continue }
                        let gap = Foundation.log(eq.returns[vj]) - Foundation.log(1 - agents[j].subsidy)
                            - origin - p.relocationCostPerHour * travelTimes[i * n + j]
                            + effects.relocationBonus[i * n + j]
                        guard gap > 0 else { continue }
                        let rate = p.relocationRate * state.capital[vj] / sectorCapital * gap
                        rho[i * n + j] = rate
                        out += rate
                    }
                    relocationOut[vi] = out
                }
            }
        }
        sys.relocation = relocation
        sys.relocationOut = relocationOut
        sys.spending = publicSpending
        sys.housingGrowth = effects.housingGrowth.map { $0 + p.housingGrowth }

        // Integrate.
        var y = [Double](repeating: 0, count: o.end)
        for i in 0..<n {
            y[o.l + i] = state.urbanPopulation[i]
            y[o.r + i] = state.ruralPopulation[i]
            y[o.g + i] = state.publicServices[i]
            y[o.h + i] = state.housing[i]
        }
        for v in 0..<vCount { y[o.k + v] = state.capital[v] }
        let startR = state.ruralPopulation
        try integrator.integrate(&y, from: 0, to: dt)

        // Accounts.
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
            for i in 0..<n {
                let movers = p.migrationRate * y[o.cumL + i] / sys.denominators[i]
                for j in 0..<n where j != i {
                    flows.population[i * n + j] = movers * sys.migration.accessibility[i * n + j] * sys.attraction[j]
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
        let poolShare = (0..<n).map { j in
            poolTotal > 0 ? (0..<sCount).reduce(0.0) { $0 + attractiveness[j * sCount + $1] } / poolTotal : 0
        }
        for i in 0..<n {
            let outward = savings[i] * (1 - p.homeBias) * dt
            for j in 0..<n where j != i { flows.capital[i * n + j] = outward * poolShare[j] }
        }
        for s in 0..<sCount {
            for i in 0..<n {
                let moved = y[o.cumK + i * sCount + s]
                for j in 0..<n where j != i {
                    let amount = relocation[s][i * n + j] * moved
                    guard amount > 0 else { continue }
                    flows.relocations.append(Relocation(year: year, origin: i, destination: j, sector: s, amount: amount))
                    flows.industry[i * n + j] += amount
                    flows.industryOutBySector[i * sCount + s] += amount
                    flows.industryInBySector[j * sCount + s] += amount
                }
            }
        }
        for i in 0..<n { flows.urbanisation[i] = p.urbanisationRate * ruralIntegral(startR[i], dt: dt) }
        for i in 0..<n {
            state.urbanPopulation[i] = y[o.l + i]
            state.ruralPopulation[i] = y[o.r + i]
            state.publicServices[i] = y[o.g + i]
            state.housing[i] = y[o.h + i]
        }
        for v in 0..<vCount { state.capital[v] = y[o.k + v] }
        for i in 0..<n {
            flows.naturalGrowth[i] = p.naturalGrowth * (y[o.cumL + i] + ruralIntegral(startR[i], dt: dt))
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
