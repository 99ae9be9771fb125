// The short-run market equilibrium of MODEL.md §3.1: factory prices p_i^s and wages w_i that
// clear every variety's market and every city's labour market, given the state of the tick.
import Foundation
import TwinCityGSL

/// A solved short-run equilibrium. Arrays indexed by city i or by variety `i*S + s`.
/// Money in 亿元 per year (the numeraire is agriculture, price 1).
public struct Equilibrium: Sendable, Equatable {
    /// Factory price p_i^s of city i's variety of sector s (numeraire units per unit of output).
    public var prices: [Double]
    /// Wage w_i, 亿元 per 10^4 urban workers per year.
    public var wages: [Double]
    /// Urban workers employed in each sector L_i^s, 10^4 persons.
    public var sectorLabour: [Double]
    /// Output Q_i^s, units of the variety per year.
    public var output: [Double]
    /// Sales p_i^s Q_i^s, 亿元 per year.
    public var revenue: [Double]
    /// CES price index P_i^s of sector s in city i.
    public var priceIndex: [Double]
    /// Local expenditure E_i, 亿元 per year.
    public var expenditure: [Double]
    /// Rent a_H E_i paid for housing, 亿元 per year.
    public var rent: [Double]
    /// Return on capital r_i^s = β_s p_i^s Q_i^s / K_i^s, per year.
    public var returns: [Double]
    /// Value added w L + Σ r K + q^A R + rent, 亿元 per year (equals E_i without transfers).
    public var gdp: [Double]
    /// Iterations the solver took.
    public var iterations: Int
    /// Largest absolute residual (log excess demand or log labour excess) at the solution.
    public var residual: Double
    /// Relative excess demand for agriculture, (a_A ΣE − Σ q R − Σ exports − Σ T)/Σ q R:
    /// zero by Walras' law (see `modernIncomeTarget`).
    public var agricultureExcess: Double
    /// The solver that produced it.
    public var solver: EquilibriumSolverKind
    /// Consumption C_i (housing, agriculture and modern goods), 亿元 per year.
    public var consumption: [Double] = []
    /// Saving S_i = s · (Y_i + rent_i + T_i + central transfers_i), 亿元 per year.
    public var saving: [Double] = []
    /// Productive investment installed in each variety (saving allocated by the investment
    /// logit, plus fund injections), nominal 亿元 per year.
    public var investment: [Double] = []
    /// Investment spending of each city: productive investment installed there plus its
    /// savers' housing construction, 亿元 per year (spent on the investment bundle).
    public var investmentSpending: [Double] = []
    /// Saving of each city invested through the regional pool (outside its own varieties),
    /// 亿元 per year, and each city's share of that pool.
    public var pooledSaving: [Double] = []
    public var poolShare: [Double] = []
    /// Weight K (r/(1−sub))^θ_K of each variety in the pool (0 where it takes no investment):
    /// industry from outside the region is spread the same way.
    public var poolWeight: [Double] = []
    /// Price index of the investment bundle P^I_i = Π_s (P_i^s)^(b_s).
    public var investmentPriceIndex: [Double] = []
    /// Sales of each variety to the rest of China (external demand plus policy exports), 亿元 per year.
    public var externalSales: [Double] = []
    /// Imports of modern goods from the rest of China by each city, 亿元 per year.
    public var imports: [Double] = []
    /// Net sales of agriculture to the rest of China, q_i R_i − a_A C_i, 亿元 per year.
    public var agricultureNetExports: [Double] = []

    /// Trade balance of the region with the rest of China: external sales + net agriculture −
    /// imports, 亿元 per year. Equals −(central transfers + fund injections financed outside).
    public var tradeBalance: Double {
        externalSales.reduce(0, +) + agricultureNetExports.reduce(0, +) - imports.reduce(0, +)
    }
}

/// Productive saving allocated over varieties (MODEL.md §3.1): a share h of each city's
/// productive saving `(1 − ι) S_i` to its own varieties in proportion to `homeWeight`, the
/// rest pooled over every variety in proportion to `poolWeight`, fund injections added
/// where they are made. A city with no variety to invest in pools all of its productive
/// saving; with no variety anywhere, saving builds housing where it was saved.
struct InvestmentAllocation {
    /// Investment installed by variety (fund included), nominal 亿元 per year.
    var investment: [Double]
    /// Investment spending by city: installed there plus its savers' housing construction.
    var spending: [Double]
    /// Saving each city puts into the pool (0 when the pool is empty), and each city's share of it.
    var pooledSaving: [Double]
    var poolShare: [Double]
    var poolWeight: [Double]

    init(saving: [Double], homeWeight: [Double], poolWeight: [Double], fund: [Double], sectors sCount: Int,
         residentialShare: Double, homeBias: Double) {
        let n = saving.count
        investment = [Double](repeating: 0, count: n * sCount)
        spending = saving.map { residentialShare * $0 }
        pooledSaving = [Double](repeating: 0, count: n)
        poolShare = [Double](repeating: 0, count: n)
        self.poolWeight = poolWeight
        let poolTotal = poolWeight.reduce(0, +)
        for i in 0..<n {
            let own = (1 - residentialShare) * saving[i]
            let home = (0..<sCount).reduce(0.0) { $0 + homeWeight[i * sCount + $1] }
            guard home > 0 else { pooledSaving[i] = own; continue }
            for s in 0..<sCount { investment[i * sCount + s] = homeBias * own * homeWeight[i * sCount + s] / home }
            pooledSaving[i] = (1 - homeBias) * own
        }
        let pooled = pooledSaving.reduce(0, +)
        for i in 0..<n {
            for s in 0..<sCount {
                let v = i * sCount + s
                if poolTotal > 0 { investment[v] += pooled * poolWeight[v] / poolTotal }
                investment[v] += fund[v]
                spending[i] += investment[v]
            }
            if poolTotal > 0 {
                poolShare[i] = (0..<sCount).reduce(0.0) { $0 + poolWeight[i * sCount + $1] } / poolTotal
            }
        }
        if poolTotal == 0 {
            // Nowhere to invest: the pooled saving builds housing where it was saved.
            for i in 0..<n { spending[i] += pooledSaving[i] }
            pooledSaving = [Double](repeating: 0, count: n)
        }
    }
}

/// What the investment allocation inside the equilibrium needs from the agents and policies.
public struct InvestmentInputs: Sendable {
    /// Attraction subsidy of each city, share of the value of arriving capital.
    public var subsidy: [Double]
    /// Varieties that take no investment (eco-protection caps, blocked sectors).
    public var blocked: [Bool]
    /// Fund injections into each variety, nominal 亿元 per year.
    public var fund: [Double]

    public init(subsidy: [Double], blocked: [Bool], fund: [Double]) {
        self.subsidy = subsidy
        self.blocked = blocked
        self.fund = fund
    }

    /// No subsidy, nothing blocked, no fund.
    public init(cities n: Int, sectors sCount: Int) {
        self.init(subsidy: Array(repeating: 0, count: n), blocked: Array(repeating: false, count: n * sCount),
                  fund: Array(repeating: 0, count: n * sCount))
    }
}

/// Where the equilibrium solvers start: factory prices p_i^s (0 for a variety that is not
/// produced) and wages w_i, in the units of `Equilibrium`. The previous tick's equilibrium
/// gives one; the calibration gives the base year's prices and wages, which are the solution.
public struct EquilibriumGuess: Sendable, Equatable {
    public var prices: [Double]
    public var wages: [Double]

    public init(prices: [Double], wages: [Double]) {
        self.prices = prices
        self.wages = wages
    }

    /// The prices and wages of a solved equilibrium.
    public init(_ equilibrium: Equilibrium) {
        self.init(prices: equilibrium.prices, wages: equilibrium.wages)
    }
}

/// Why an equilibrium could not be found.
public struct EquilibriumFailure: Error, CustomStringConvertible, Sendable {
    public var solver: EquilibriumSolverKind
    public var iterations: Int
    /// Largest absolute residual reached.
    public var residual: Double
    /// The city whose residual is largest.
    public var worstCity: String
    public var detail: String

    public var description: String {
        "\(solver.rawValue) solver did not converge after \(iterations) iterations: "
            + "residual \(residual) (largest in \(worstCity))" + (detail.isEmpty ? "" : "; \(detail)")
    }
}

/// Solves the short-run equilibrium of MODEL.md §3.1.
///
/// Equations (variety (i,s) with β_s > 0 and K_i^s > 0, city i):
///
///     A_i^s = Abar_i^s L_i^agg
///     L_i^s = K_i^s ((1−β_s) p_i^s A_i^s / w_i)^(1/β_s)          (labour demand)
///     p_i^s Q_i^s = p_i^s A_i^s (L_i^s)^(1−β_s) (K_i^s)^β_s       (supply)
///     Y_i = w_i L_i + Σ_s β_s p_i^s Q_i^s + q_i R_i                (factor income)
///     C_i = (1−s)(Y_i + T_i + T^c_i) / (1 − (1−s) a_H),  S_i = s C_i / (1−s)
///     I_i^s = h S^K_i ω_i^s / Σ_s' ω_i^s' + ρ_i^s Σ_j S^K_j (1−h) + F_i^s   (investment)
///     Z_j^s = a_s C_j + b_s (Σ_s I_j^s + ι S_j)                    (spending on sector s)
///     D_i^s = (p_i^s)^(1−σ_s) [Σ_j T_ij^s Z_j^s / Φ_j^s + ε_i^s] + X_i^s   (demand)
///     Φ_j^s = Σ_k T_kj^s (p_k^s)^(1−σ_s) + μ_j^s  ( = (P_j^s)^(1−σ_s) )
///     residuals: ln(p Q) − ln D for each variety, ln Σ_s L_i^s − ln L_i for each city.
///
/// with T = τ^(1−σ), S^K = (1 − ι) S the productive part of saving (ι the residential
/// share), ω = K r^θ_K and ρ ∝ K (r/(1−sub))^θ_K the home and pooled allocation weights at
/// the tick's own returns r = β p Q / K, F the fund injections, ε the rest of China's
/// demand, X the policies' extra exports and μ the weight of the rest of China's variety
/// (price 1, the numeraire) in each city's price index.
///
/// A sector with β_s = 0 has p_i^s = w_i / A_i^s and employs D_i^s / w_i workers; a variety
/// with K_i^s = 0 (β_s > 0) is dropped from every sum.
///
/// The price level needs no extra equation. In an open region (μ > 0) the rest of China's
/// prices pin it: a transfer or an injection changes demand, not the unit of account. A
/// closed region (μ = 0, the core–periphery model) is pinned by rural income in numeraire
/// units, and its agriculture market clears by Walras' law (`agricultureExcess`).
public final class TradeEquilibrium {
    package let structure: EconomyStructure
    let n: Int
    let sCount: Int
    let beta: [Double]
    let sigma: [Double]
    let shares: [Double]

    // Inputs of the current solve.
    var lnA: [Double]
    var lnK: [Double]
    var active: [Bool]
    var labour: [Double] = []
    var ruralIncome: [Double] = []
    var transfers: [Double] = []
    var exports: [Double] = []
    var externalDemand: [Double] = []
    var inputs: InvestmentInputs
    // Saving and investment parameters of the current solve (read from its parameters).
    var savingRate = 0.0
    var residentialShare = 0.0
    var homeBias = 0.0
    var returnElasticity = 0.0
    let bundle: [Double]
    let open: Bool

    /// ln(1 − β_s), by sector.
    let logOneMinusBeta: [Double]
    /// Whether each sector's trade weights are symmetric (they are whenever travel times are):
    /// its products then read only the upper triangle (`SymmetricProduct`).
    let symmetric: [Bool]

    // Workspace, reused across evaluations (owned, freed in deinit).
    let lnLsec: UnsafeMutableBufferPointer<Double>
    let lnSupply: UnsafeMutableBufferPointer<Double>
    let demand: UnsafeMutableBufferPointer<Double>
    let phi: UnsafeMutableBufferPointer<Double>
    let income: UnsafeMutableBufferPointer<Double>
    let expenditure: UnsafeMutableBufferPointer<Double>
    let consumption: UnsafeMutableBufferPointer<Double>
    let saving: UnsafeMutableBufferPointer<Double>
    let investment: UnsafeMutableBufferPointer<Double>
    let spending: UnsafeMutableBufferPointer<Double>
    let importValue: UnsafeMutableBufferPointer<Double>
    /// The investment allocation of the last evaluation.
    var allocation: InvestmentAllocation?
    let x: UnsafeMutableBufferPointer<Double>
    let m: UnsafeMutableBufferPointer<Double>
    let z: UnsafeMutableBufferPointer<Double>
    let scratch: UnsafeMutableBufferPointer<Double>

    /// Shift of the Powell unknowns away from zero (see `powell`).
    static let powellOffset = 16.0

    /// Iterations `.auto` gives the fixed point before it falls back to Powell (never more
    /// than `equilibriumMaxIterations`). The accelerated fixed point takes 10–20 iterations
    /// on the shipped rosters; one that needs hundreds converges too slowly to be worth
    /// continuing. Settable for the tests of the fallback.
    package var autoFixedPointLimit = 500

    /// A solver for `structure`. The saving and investment parameters (saving rate,
    /// residential share, home bias, return elasticity) are those handed to each `solve`.
    public init(structure: EconomyStructure) {
        self.structure = structure
        bundle = structure.investmentShares
        open = structure.isOpen
        inputs = InvestmentInputs(cities: structure.cityCount, sectors: structure.sectorCount)
        n = structure.cityCount
        sCount = structure.sectorCount
        beta = structure.sectors.map(\.capitalShare)
        sigma = structure.sectors.map(\.elasticity)
        shares = structure.expenditureShares
        let v = n * sCount
        lnA = Array(repeating: 0, count: v)
        lnK = Array(repeating: 0, count: v)
        active = Array(repeating: true, count: v)
        logOneMinusBeta = beta.map { Foundation.log(1 - $0) }
        symmetric = structure.tradeWeights.map { SymmetricProduct.isSymmetric($0, n: structure.cityCount) }
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        lnLsec = buffer(v)
        lnSupply = buffer(v)
        demand = buffer(v)
        phi = buffer(v)
        income = buffer(n)
        expenditure = buffer(n)
        consumption = buffer(n)
        saving = buffer(n)
        investment = buffer(v)
        spending = buffer(n)
        importValue = buffer(v)
        x = buffer(n)
        m = buffer(n)
        z = buffer(n)
        scratch = buffer(SymmetricProduct.scratchCount(n: n))
    }

    deinit {
        for b in [lnLsec, lnSupply, demand, phi, income, expenditure, consumption, saving, investment,
                  spending, importValue, x, m, z, scratch] { b.deallocate() }
    }

    /// True when every sector has β_s > 0, so the fixed-point solver applies.
    package var fixedPointApplies: Bool { beta.allSatisfy { $0 > 0 } }

    /// Solves the equilibrium for `state`, starting from `start` (the previous tick's
    /// prices and wages) when given, else from `initialGuess()`.
    public func solve(
        _ state: EconomyState, parameters: ModelParameters, start: EquilibriumGuess? = nil,
        investment: InvestmentInputs? = nil
    ) throws -> Equilibrium {
        load(state)
        inputs = investment ?? InvestmentInputs(cities: n, sectors: sCount)
        savingRate = parameters.savingRate
        residentialShare = parameters.residentialInvestmentShare
        homeBias = parameters.homeBias
        returnElasticity = parameters.returnElasticity
        let tol = parameters.equilibriumTolerance
        let maxIter = parameters.equilibriumMaxIterations
        var lnp: [Double]
        var lnw: [Double]
        if let start {
            lnp = start.prices.map { $0 > 0 ? Foundation.log($0) : 0 }
            lnw = start.wages.map { Foundation.log($0) }
        } else {
            (lnp, lnw) = initialGuess()
        }
        switch parameters.solver {
        case .auto:
            guard fixedPointApplies else {
                let iterations = try powell(lnp: &lnp, lnw: &lnw, coldStart: start == nil, tolerance: tol, maxIterations: maxIter)
                return finish(lnp: lnp, lnw: lnw, iterations: iterations, solver: .powell)
            }
            // The accelerated fixed point is the faster solver at every size measured
            // (Benchmarks/RESULTS.md: a fifth of Powell's time per tick at 22 cities, and no
            // O(N³) step at thousands); Powell from the same start is the fallback, so a
            // problem on which the fixed point stalls is still solved.
            let (p0, w0) = (lnp, lnw)
            let stalled: EquilibriumFailure
            do {
                let iterations = try fixedPoint(lnp: &lnp, lnw: &lnw, tolerance: tol, maxIterations: min(maxIter, autoFixedPointLimit))
                return finish(lnp: lnp, lnw: lnw, iterations: iterations, solver: .fixedPoint)
            } catch let failure as EquilibriumFailure {
                stalled = failure
            }
            (lnp, lnw) = (p0, w0)
            do {
                let iterations = try powell(lnp: &lnp, lnw: &lnw, coldStart: start == nil, tolerance: tol,
                                            maxIterations: max(1, maxIter - stalled.iterations))
                return finish(lnp: lnp, lnw: lnw, iterations: stalled.iterations + iterations, solver: .powell)
            } catch var failure as EquilibriumFailure {
                failure.detail += (failure.detail.isEmpty ? "" : "; ") + "tried after the fixed point stopped at "
                    + "\(stalled.iterations) iterations with residual \(stalled.residual) (largest in \(stalled.worstCity))"
                throw failure
            }
        case .fixedPoint:
            guard fixedPointApplies else {
                let s = structure.sectors[beta.firstIndex { $0 <= 0 }!].id
                throw EquilibriumFailure(
                    solver: .fixedPoint, iterations: 0, residual: .nan, worstCity: "-",
                    detail: "the fixed-point solver needs a capital share above 0 in every sector, "
                        + "sector '\(s)' has 0; use solver = \"powell\"")
            }
            let iterations = try fixedPoint(lnp: &lnp, lnw: &lnw, tolerance: tol, maxIterations: maxIter)
            return finish(lnp: lnp, lnw: lnw, iterations: iterations, solver: .fixedPoint)
        case .powell:
            let iterations = try powell(lnp: &lnp, lnw: &lnw, coldStart: start == nil, tolerance: tol, maxIterations: maxIter)
            return finish(lnp: lnp, lnw: lnw, iterations: iterations, solver: .powell)
        }
    }

    // MARK: - Inputs

    func load(_ state: EconomyState) {
        let agg = structure.agglomeration
        labour = state.urbanPopulation
        ruralIncome = zip(state.ruralProductivity, state.ruralPopulation).map { $0 * $1 }
        transfers = zip(state.transfers, state.centralTransfers).map { $0 + $1 }
        exports = state.exports
        externalDemand = state.externalDemand
        for i in 0..<n {
            let lnL = Foundation.log(state.urbanPopulation[i])
            for s in 0..<sCount {
                let v = i * sCount + s
                let k = state.capital[v]
                lnA[v] = Foundation.log(state.productivity[v]) + agg * lnL
                lnK[v] = k > 0 ? Foundation.log(k) : -.infinity
                active[v] = beta[s] == 0 || k > 0
            }
        }
    }

    /// Labour demand of a variety with capital, from the wage equal to the marginal product
    /// `w = (1−β) p A (K/L)^β`: `ln L = ln K + (ln(1−β) + ln p + ln A − ln w)/β` (persons,
    /// in the units of K and p). The one formula the evaluation, the fixed-point solver and
    /// the wage solve share.
    @inline(__always)
    static func logLabourDemand(lnK: Double, logOneMinusBeta: Double, lnp: Double, lnA: Double, lnw: Double, beta: Double) -> Double {
        lnK + (logOneMinusBeta + lnp + lnA - lnw) / beta
    }

    /// Revenue of a variety, `ln(p Q) = ln p + ln A + (1−β) ln L + β ln K` (Cobb–Douglas
    /// supply, 亿元 at the tick's prices).
    @inline(__always)
    static func logRevenue(lnp: Double, lnA: Double, lnL: Double, lnK: Double, beta: Double) -> Double {
        lnp + lnA + (1 - beta) * lnL + beta * lnK
    }

    func initialGuess() -> ([Double], [Double]) {
        // Wages at the level where urban income alone is the modern expenditure, and prices at
        // unit cost: a start from which a few fixed-point steps reach the basin of Powell.
        let totalL = labour.reduce(0, +)
        let modern = modernIncomeTarget()
        let w0 = Foundation.log(max(modern, 1e-300) / totalL)
        let lnw = [Double](repeating: w0, count: n)
        var lnp = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n { for s in 0..<sCount { lnp[i * sCount + s] = lnw[i] - lnA[i * sCount + s] } }
        return (lnp, lnw)
    }

    // MARK: - Evaluation

    /// Computes supply, expenditure, price indices and demand at (ln p, ln w); returns nothing,
    /// fills the workspace. Cost: 2·S matrix–vector products of size N.
    func evaluate(lnp: UnsafeBufferPointer<Double>, lnw: UnsafeBufferPointer<Double>) {
        let aH = structure.housingShare
        let (n, sCount, beta, logOneMinusBeta) = (self.n, self.sCount, self.beta, self.logOneMinusBeta)
        let (lnK, lnA, active, labour) = (self.lnK, self.lnA, self.active, self.labour)
        let (ruralIncome, transfers, exports, shares) = (self.ruralIncome, self.transfers, self.exports, self.shares)
        let (lnLsec, lnSupply, demand, phi, income, expenditure) = (self.lnLsec, self.lnSupply, self.demand, self.phi, self.income, self.expenditure)
        let (consumption, saving, spending) = (self.consumption, self.saving, self.spending)
        let (x, m, z) = (self.x, self.m, self.z)
        let sRate = savingRate
        // Disposable income D = Y + T + a_H C with C = (1 − s) D: rent is income of the city.
        let disposableFactor = 1 / (1 - (1 - sRate) * aH)
        for i in 0..<n {
            var y = Foundation.exp(lnw[i]) * labour[i] + ruralIncome[i]
            for s in 0..<sCount {
                let v = i * sCount + s
                let b = beta[s]
                guard b > 0, active[v] else { continue }
                let lnL = Self.logLabourDemand(lnK: lnK[v], logOneMinusBeta: logOneMinusBeta[s], lnp: lnp[v], lnA: lnA[v], lnw: lnw[i], beta: b)
                lnLsec[v] = lnL
                let lnv = Self.logRevenue(lnp: lnp[v], lnA: lnA[v], lnL: lnL, lnK: lnK[v], beta: b)
                lnSupply[v] = lnv
                y += b * Foundation.exp(lnv)
            }
            income[i] = y
            let disposable = (y + transfers[i]) * disposableFactor
            consumption[i] = (1 - sRate) * disposable
            saving[i] = sRate * disposable
        }
        allocateInvestment()
        for i in 0..<n { expenditure[i] = consumption[i] + spending[i] }
        let mu = structure.importWeights
        let externalDemand = self.externalDemand
        let importValue = self.importValue
        let bundle = self.bundle
        for s in 0..<sCount {
            let oneMinusSigma = 1 - sigma[s]
            for k in 0..<n {
                let v = k * sCount + s
                x[k] = active[v] ? Foundation.exp(oneMinusSigma * lnp[v]) : 0
            }
            multiply(sector: s, transpose: true, x, into: z)
            for j in 0..<n {
                let v = j * sCount + s
                let index = z[j] + mu[v]
                phi[v] = index
                let sectorSpending = shares[s] * consumption[j] + bundle[s] * spending[j]
                m[j] = sectorSpending / index
                importValue[v] = m[j] * mu[v]
            }
            multiply(sector: s, transpose: false, m, into: z)
            for i in 0..<n {
                let v = i * sCount + s
                demand[v] = active[v] ? x[i] * (z[i] + externalDemand[v]) + exports[v] : 0
            }
        }
    }

    /// Allocates productive saving over varieties at the returns of the current evaluation
    /// (`lnSupply`), with `InvestmentAllocation`: home weights K r^θ_K, pool weights
    /// K (r/(1−sub))^θ_K, no weight for a blocked or empty variety. Fills `investment` (by
    /// variety) and `spending` (by city), and keeps the allocation for `finish`.
    func allocateInvestment() {
        let (n, sCount, beta, active, lnK, lnSupply) = (self.n, self.sCount, self.beta, self.active, self.lnK, self.lnSupply)
        let theta = returnElasticity
        let blocked = inputs.blocked
        var homeWeight = [Double](repeating: 0, count: n * sCount)
        var poolWeight = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n {
            let lnNet = -Foundation.log(1 - inputs.subsidy[i])
            for s in 0..<sCount {
                let v = i * sCount + s
                guard beta[s] > 0, active[v], !blocked[v] else { continue }
                // K r^θ = K (β pQ / K)^θ, in logs.
                let lnr = Foundation.log(beta[s]) + lnSupply[v] - lnK[v]
                homeWeight[v] = Foundation.exp(lnK[v] + theta * lnr)
                poolWeight[v] = Foundation.exp(lnK[v] + theta * (lnr + lnNet))
            }
        }
        let result = InvestmentAllocation(
            saving: Array(saving), homeWeight: homeWeight, poolWeight: poolWeight, fund: inputs.fund,
            sectors: sCount, residentialShare: residentialShare, homeBias: homeBias)
        for v in 0..<(n * sCount) { investment[v] = result.investment[v] }
        for i in 0..<n { spending[i] = result.spending[i] }
        allocation = result
    }

    /// y ← T^s x, or (T^s)ᵀ x: the symmetric kernel when T^s is symmetric, BLAS otherwise.
    func multiply(sector s: Int, transpose: Bool, _ x: UnsafeMutableBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        structure.tradeWeights[s].withUnsafeBufferPointer { t in
            if symmetric[s] {
                SymmetricProduct.multiply(t.baseAddress!, n: n, x: x.baseAddress!, y: y.baseAddress!, scratch: scratch.baseAddress!)
            } else {
                BLAS.gemv(transpose: transpose, rows: n, columns: n, a: t.baseAddress!, x: x.baseAddress!, y: y.baseAddress!)
            }
        }
    }

    /// Residuals of the square system at the last evaluation: one per unknown of `powell`.
    func residuals(lnp: UnsafeBufferPointer<Double>, lnw: UnsafeBufferPointer<Double>, into f: UnsafeMutableBufferPointer<Double>) {
        var r = 0
        for i in 0..<n {
            for s in 0..<sCount {
                let v = i * sCount + s
                guard active[v] else { continue }
                if beta[s] > 0 {
                    f[r] = lnSupply[v] - Foundation.log(demand[v])
                } else {
                    f[r] = lnp[v] + lnA[v] - lnw[i]
                }
                r += 1
            }
        }
        for i in 0..<n {
            let w = Foundation.exp(lnw[i])
            var total = 0.0
            for s in 0..<sCount {
                let v = i * sCount + s
                guard active[v] else { continue }
                total += beta[s] > 0 ? Foundation.exp(lnLsec[v]) : demand[v] / w
            }
            f[r] = Foundation.log(total) - Foundation.log(labour[i])
            r += 1
        }
    }

    // MARK: - Hybrid Powell

    /// Hybrid Powell from (ln p, ln w). From a cold start (no previous tick) it first takes
    /// fixed-point steps towards the solution, since hybrid Powell is reliable only near it.
    func powell(lnp: inout [Double], lnw: inout [Double], coldStart: Bool, tolerance: Double, maxIterations: Int) throws -> Int {
        if coldStart && fixedPointApplies {
            _ = try? fixedPoint(lnp: &lnp, lnw: &lnw, tolerance: 1e-6, maxIterations: 200)
        }
        let activeVarieties = (0..<(n * sCount)).filter { active[$0] }
        let dim = activeVarieties.count + n
        var p = lnp
        var w = lnw
        // GSL's finite-difference Jacobian steps each unknown by √ε·|x|: an unknown near zero
        // (a log wage near 1) would get a step too small to measure. The solver therefore
        // works on u = x + offset.
        let offset = Self.powellOffset
        let solver = try MultirootSolver(dimension: dim) { [unowned self] u, f in
            for (r, v) in activeVarieties.enumerated() { p[v] = u[r] - offset }
            for i in 0..<self.n { w[i] = u[activeVarieties.count + i] - offset }
            p.withUnsafeBufferPointer { pp in
                w.withUnsafeBufferPointer { wp in
                    self.evaluate(lnp: pp, lnw: wp)
                    self.residuals(lnp: pp, lnw: wp, into: f)
                }
            }
        }
        var u = activeVarieties.map { lnp[$0] + offset }
        u.append(contentsOf: lnw.map { $0 + offset })
        var iterations = 0
        var restarts = 0
        while true {
            do {
                let result = try solver.solve(from: u, residualTolerance: tolerance, maxIterations: maxIterations - iterations)
                u = result.x
                iterations += result.iterations
                break
            } catch let failure as MultirootFailure {
                iterations += failure.iterations
                let (worst, value) = worstCity(failure.residual, activeVarieties: activeVarieties)
                // GSL tests Σ|f| against the tolerance; the equilibrium criterion is max|f|.
                // A stall already within it is a solution, not a failure.
                if value <= tolerance {
                    u = failure.x
                    break
                }
                // "No progress" near the solution usually means the finite-difference Jacobian
                // has gone stale; a restart from the point reached rebuilds it. A few restarts
                // at most, and only when close; never accept a point above the tolerance.
                if value.isFinite && value < 1e-6 && restarts < 5 && iterations < maxIterations
                    && failure.status != GSLStatus.maximumIterations {
                    restarts += 1
                    u = failure.x
                    continue
                }
                throw EquilibriumFailure(
                    solver: .powell, iterations: iterations, residual: value,
                    worstCity: worst, detail: failure.reason + (restarts > 0 ? " (after \(restarts) restarts)" : ""))
            }
        }
        for (r, v) in activeVarieties.enumerated() { lnp[v] = u[r] - offset }
        for i in 0..<n { lnw[i] = u[activeVarieties.count + i] - offset }
        return iterations
    }

    func worstCity(_ residual: [Double], activeVarieties: [Int]) -> (String, Double) {
        var worst = 0
        var value = 0.0
        for (r, f) in residual.enumerated() {
            let city = r < activeVarieties.count ? activeVarieties[r] / sCount : r - activeVarieties.count
            if !f.isFinite { return (structure.cityIDs[city], .nan) }
            if abs(f) > value { value = abs(f); worst = city }
        }
        return (structure.cityIDs[worst], value)
    }

    // MARK: - Damped fixed point

    /// Memory of the Anderson acceleration of the fixed point: the number of past steps whose
    /// differences the extrapolation combines.
    static let andersonMemory = 5

    /// Damped fixed point on log prices (MODEL.md §3.1, large-N solver):
    /// `ln p += (ln D − ln pQ) / σ_s`, wages from each city's labour market (Newton in ln w),
    /// then all prices and wages rescaled so that agriculture clears:
    /// `c = (Σ qR·(1−a_H)/a_A − Σ qR − Σ T) / Σ_i (w_i L_i + Σ_s β_s p Q)`.
    /// The iterates are Anderson-accelerated (`AndersonMixer`, memory `andersonMemory`): the
    /// next log prices extrapolate from the last steps; an extrapolation that raises the
    /// residual a hundredfold above the best so far restarts from the plain step.
    /// Cost per iteration: 2·S matrix–vector products, O(N²·S); no O(N³) step.
    func fixedPoint(lnp: inout [Double], lnw: inout [Double], tolerance: Double, maxIterations: Int) throws -> Int {
        let modernIncome = modernIncomeTarget()
        let (n, sCount, beta, sigma, logOneMinusBeta) = (self.n, self.sCount, self.beta, self.sigma, self.logOneMinusBeta)
        let (lnK, lnA, active, labour) = (self.lnK, self.lnA, self.active, self.labour)
        let (demand, lnSupply) = (self.demand, self.lnSupply)
        let vCount = n * sCount
        var mixer = AndersonMixer(dimension: vCount, memory: Self.andersonMemory)
        var mapped = [Double](repeating: 0, count: vCount)
        var iteration = 0
        var last = Double.infinity
        var best = Double.infinity
        var worst = 0
        while true {
            let current = lnp
            solveWages(lnp: lnp, lnw: &lnw)
            // A closed region: rescale so agriculture clears; supply and demand are then
            // evaluated at that level. An open one is anchored by the rest of China's prices.
            var modern = 0.0
            for i in 0..<n {
                var y = Foundation.exp(lnw[i]) * labour[i]
                for s in 0..<sCount where active[i * sCount + s] {
                    let v = i * sCount + s
                    let b = beta[s]
                    let lnL = Self.logLabourDemand(lnK: lnK[v], logOneMinusBeta: logOneMinusBeta[s], lnp: lnp[v], lnA: lnA[v], lnw: lnw[i], beta: b)
                    y += b * Foundation.exp(Self.logRevenue(lnp: lnp[v], lnA: lnA[v], lnL: lnL, lnK: lnK[v], beta: b))
                }
                modern += y
            }
            if !open {
                let lnc = Foundation.log(modernIncome / modern)
                for v in 0..<vCount { lnp[v] += lnc }
                for i in 0..<n { lnw[i] += lnc }
            }
            lnp.withUnsafeBufferPointer { pp in
                lnw.withUnsafeBufferPointer { wp in evaluate(lnp: pp, lnw: wp) }
            }
            last = 0
            for v in 0..<vCount {
                guard active[v] else { mapped[v] = lnp[v]; continue }
                let gap = Foundation.log(demand[v]) - lnSupply[v]
                if !(abs(gap) <= last) { last = abs(gap); worst = v / sCount }
                mapped[v] = lnp[v] + gap / sigma[v % sCount]
            }
            if last <= tolerance {
                lnp = mapped
                break
            }
            iteration += 1
            if !last.isFinite || iteration >= maxIterations {
                throw EquilibriumFailure(
                    solver: .fixedPoint, iterations: iteration, residual: last,
                    worstCity: structure.cityIDs[worst], detail: "")
            }
            if last > 100 * best { mixer.reset() }
            best = min(best, last)
            lnp = mixer.next(from: current, mapped: mapped)
        }
        // The loop ends on a price step taken after the last residual was measured: solve the
        // wages for those prices, so that the prices and wages returned belong together.
        solveWages(lnp: lnp, lnw: &lnw)
        return iteration
    }

    /// Modern income Σ_i (w_i L_i + Σ_s β_s p Q) at which a closed region's agriculture
    /// clears: `a_A ΣC = Σ qR + Σ X + Σ T + Σ F` (imports of agriculture pay for the
    /// policies' exports X, for transfers from outside and for fund injections F beyond
    /// what the region's governments pay in), with `ΣC (1 − (1−s) a_H) / (1−s) = ΣY + ΣT`.
    /// For an open region, only a starting point for the wages.
    func modernIncomeTarget() -> Double {
        let totalRural = ruralIncome.reduce(0, +)
        let totalTransfers = transfers.reduce(0, +)
        let fund = inputs.fund.reduce(0, +)
        let aH = structure.housingShare
        let consumption = (totalRural + exports.reduce(0, +) + totalTransfers + fund) / structure.agricultureShare
        let target = consumption * (1 - (1 - savingRate) * aH) / (1 - savingRate) - totalRural - totalTransfers
        return open ? max(target, totalRural) : target
    }

    /// Sets ln w_i so that Σ_s L_i^s(p, w) = L_i (labour demand is decreasing and log-convex
    /// in ln w, so Newton converges from any start).
    func solveWages(lnp: [Double], lnw: inout [Double]) {
        let (n, sCount, beta, logOneMinusBeta) = (self.n, self.sCount, self.beta, self.logOneMinusBeta)
        let (lnK, lnA, active, labour) = (self.lnK, self.lnA, self.active, self.labour)
        for i in 0..<n {
            var u = lnw[i]
            let target = Foundation.log(labour[i])
            for _ in 0..<100 {
                var total = 0.0
                var slope = 0.0
                for s in 0..<sCount where active[i * sCount + s] {
                    let v = i * sCount + s
                    let b = beta[s]
                    let e = Foundation.exp(Self.logLabourDemand(lnK: lnK[v], logOneMinusBeta: logOneMinusBeta[s], lnp: lnp[v], lnA: lnA[v], lnw: u, beta: b))
                    total += e
                    slope -= e / b
                }
                let f = Foundation.log(total) - target
                let step = f / (slope / total)
                u -= step
                if abs(step) <= 1e-15 * max(1, abs(u)) { break }
            }
            lnw[i] = u
        }
    }

    // MARK: - Results

    func finish(lnp: [Double], lnw: [Double], iterations: Int, solver: EquilibriumSolverKind) -> Equilibrium {
        var f = [Double](repeating: 0, count: active.filter { $0 }.count + n)
        lnp.withUnsafeBufferPointer { pp in
            lnw.withUnsafeBufferPointer { wp in
                evaluate(lnp: pp, lnw: wp)
                f.withUnsafeMutableBufferPointer { residuals(lnp: pp, lnw: wp, into: $0) }
            }
        }
        let v = n * sCount
        let aH = structure.housingShare
        let aA = structure.agricultureShare
        var prices = [Double](repeating: 0, count: v)
        var sectorLabour = [Double](repeating: 0, count: v)
        var output = [Double](repeating: 0, count: v)
        var revenue = [Double](repeating: 0, count: v)
        var priceIndex = [Double](repeating: 0, count: v)
        var returns = [Double](repeating: 0, count: v)
        var externalSales = [Double](repeating: 0, count: v)
        var gdp = [Double](repeating: 0, count: n)
        var rent = [Double](repeating: 0, count: n)
        var imports = [Double](repeating: 0, count: n)
        var agricultureNet = [Double](repeating: 0, count: n)
        var investmentPrice = [Double](repeating: 1, count: n)
        let wages = lnw.map { Foundation.exp($0) }
        for i in 0..<n {
            var valueAdded = wages[i] * labour[i] + ruralIncome[i]
            var lnPI = 0.0
            for s in 0..<sCount {
                let k = i * sCount + s
                priceIndex[k] = Foundation.pow(phi[k], 1 / (1 - sigma[s]))
                lnPI += bundle[s] * Foundation.log(priceIndex[k])
                imports[i] += importValue[k]
                guard active[k] else { continue }
                prices[k] = Foundation.exp(lnp[k])
                let x = Foundation.exp((1 - sigma[s]) * lnp[k])
                externalSales[k] = x * externalDemand[k] + exports[k]
                if beta[s] > 0 {
                    revenue[k] = Foundation.exp(lnSupply[k])
                    sectorLabour[k] = Foundation.exp(lnLsec[k])
                    returns[k] = beta[s] * revenue[k] / Foundation.exp(lnK[k])
                    valueAdded += beta[s] * revenue[k]
                } else {
                    revenue[k] = demand[k]
                    sectorLabour[k] = demand[k] / wages[i]
                }
                output[k] = revenue[k] / prices[k]
            }
            investmentPrice[i] = Foundation.exp(lnPI)
            rent[i] = aH * consumption[i]
            gdp[i] = valueAdded + rent[i]
            agricultureNet[i] = ruralIncome[i] - aA * consumption[i]
        }
        let totalRural = ruralIncome.reduce(0, +)
        let fund = inputs.fund.reduce(0, +)
        let agriculture = aA * consumption.reduce(0, +) - exports.reduce(0, +) - transfers.reduce(0, +) - fund
        let residual = f.reduce(0) { $0.maxPropagatingNaN(abs($1)) }
        var eq = Equilibrium(
            prices: prices, wages: wages, sectorLabour: sectorLabour, output: output,
            revenue: revenue, priceIndex: priceIndex, expenditure: Array(expenditure), rent: rent,
            returns: returns, gdp: gdp, iterations: iterations, residual: residual,
            agricultureExcess: open ? 0 : (agriculture - totalRural) / totalRural, solver: solver)
        eq.consumption = Array(consumption)
        eq.saving = Array(saving)
        eq.investment = Array(investment)
        eq.investmentSpending = Array(spending)
        eq.pooledSaving = allocation!.pooledSaving
        eq.poolShare = allocation!.poolShare
        eq.poolWeight = allocation!.poolWeight
        eq.investmentPriceIndex = investmentPrice
        eq.externalSales = externalSales
        eq.imports = imports
        eq.agricultureNetExports = agricultureNet
        return eq
    }
}

/// Anderson acceleration (type II; Walker and Ni, SIAM J. Numer. Anal. 49, 2011) of a
/// fixed-point iteration x ← g(x): with f = g(x) − x and the differences ΔX, ΔF of the last
/// `memory` iterates, `x_{k+1} = g(x_k) − Σ_j γ_j (ΔX_j + ΔF_j)`, γ = argmin ‖f_k − ΔF γ‖₂,
/// the small least-squares problem solved by its normal equations with a ridge of 1e-12 of
/// their largest diagonal element. Cost per step O(memory² · dimension).
struct AndersonMixer {
    let dimension: Int
    let memory: Int
    private var previousX: [Double] = []
    private var previousF: [Double] = []
    private var dX: [[Double]] = []
    private var dF: [[Double]] = []

    init(dimension: Int, memory: Int) {
        self.dimension = dimension
        self.memory = memory
    }

    /// Forgets the history: the next step is the plain one.
    mutating func reset() {
        previousX = []
        previousF = []
        dX = []
        dF = []
    }

    /// The next iterate from x and g(x).
    mutating func next(from x: [Double], mapped g: [Double]) -> [Double] {
        let d = dimension
        var f = [Double](repeating: 0, count: d)
        for v in 0..<d { f[v] = g[v] - x[v] }
        if !previousX.isEmpty {
            var ddx = [Double](repeating: 0, count: d)
            var ddf = [Double](repeating: 0, count: d)
            for v in 0..<d {
                ddx[v] = x[v] - previousX[v]
                ddf[v] = f[v] - previousF[v]
            }
            dX.append(ddx)
            dF.append(ddf)
            if dX.count > memory {
                dX.removeFirst()
                dF.removeFirst()
            }
        }
        previousX = x
        previousF = f
        let k = dF.count
        guard k > 0 else { return g }
        func dot(_ a: [Double], _ b: [Double]) -> Double {
            var s = 0.0
            for v in 0..<d { s += a[v] * b[v] }
            return s
        }
        var a = [Double](repeating: 0, count: k * k)
        var b = [Double](repeating: 0, count: k)
        for p in 0..<k {
            for q in p..<k {
                a[p * k + q] = dot(dF[p], dF[q])
                a[q * k + p] = a[p * k + q]
            }
            b[p] = dot(dF[p], f)
        }
        let scale = (0..<k).map { a[$0 * k + $0] }.max()!
        guard scale > 0, scale.isFinite else { return g }
        for p in 0..<k { a[p * k + p] += 1e-12 * scale }
        guard let gamma = Self.solve(a, b, k), gamma.allSatisfy(\.isFinite) else {
            reset()
            return g
        }
        var out = g
        for j in 0..<k {
            let c = gamma[j]
            for v in 0..<d { out[v] -= c * (dX[j][v] + dF[j][v]) }
        }
        return out
    }

    /// Solves the k×k system a·γ = b by Gaussian elimination with partial pivoting; nil when
    /// it is singular.
    static func solve(_ a: [Double], _ b: [Double], _ k: Int) -> [Double]? {
        var a = a
        var b = b
        for c in 0..<k {
            var pivot = c
            for r in (c + 1)..<max(c + 1, k) where abs(a[r * k + c]) > abs(a[pivot * k + c]) { pivot = r }
            guard a[pivot * k + c] != 0 else { return nil }
            if pivot != c {
                for q in 0..<k { a.swapAt(c * k + q, pivot * k + q) }
                b.swapAt(c, pivot)
            }
            for r in (c + 1)..<max(c + 1, k) {
                let factor = a[r * k + c] / a[c * k + c]
                for q in c..<k { a[r * k + q] -= factor * a[c * k + q] }
                b[r] -= factor * b[c]
            }
        }
        var x = [Double](repeating: 0, count: k)
        for r in stride(from: k - 1, through: 0, by: -1) {
            var s = b[r]
            for q in (r + 1)..<max(r + 1, k) { s -= a[r * k + q] * x[q] }
            x[r] = s / a[r * k + r]
        }
        return x
    }
}

extension Equilibrium {
    /// Value of sector s's goods shipped from city i to city j, 亿元 per year:
    /// `X_ij^s = (p_i^s)^(1−σ_s) T_ij^s Z_j^s / Φ_j^s`, with Φ = P^(1−σ) and
    /// `Z_j^s = a_s C_j + b_s I_j` city j's spending on the sector.
    package func trade(from i: Int, to j: Int, sector s: Int, structure: EconomyStructure) -> Double {
        let sCount = structure.sectorCount
        let n = structure.cityCount
        let v = i * sCount + s
        guard prices[v] > 0 else { return 0 }
        let sigma = structure.sectors[s].elasticity
        let phi = Foundation.pow(priceIndex[j * sCount + s], 1 - sigma)
        let spending = structure.expenditureShares[s] * consumption[j] + structure.investmentShares[s] * investmentSpending[j]
        return Foundation.pow(prices[v], 1 - sigma) * structure.tradeWeights[s][i * n + j] * spending / phi
    }
}
