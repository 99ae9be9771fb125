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
///     D_i^s = (p_i^s)^(1−σ_s) Σ_j T_ij^s a_s E_j / Φ_j^s          (demand, T = τ^(1−σ))
///     Φ_j^s = Σ_k T_kj^s (p_k^s)^(1−σ_s)  ( = (P_j^s)^(1−σ_s) )
///     E_i = (w_i L_i + Σ_s β_s p_i^s Q_i^s + q_i R_i + T_i) / (1 − a_H)
///     residuals: ln(p Q) − ln D for each variety, ln Σ_s L_i^s − ln L_i for each city.
///
/// A sector with β_s = 0 has p_i^s = w_i / A_i^s and employs D_i^s / w_i workers; a variety
/// with K_i^s = 0 (β_s > 0) is dropped from every sum.
///
/// The price level needs no extra equation: rural income in numeraire units pins it, and
/// the agriculture market then clears by Walras' law (reported as `agricultureExcess`).
public final class TradeEquilibrium {
    public let structure: EconomyStructure
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

    // Workspace, reused across evaluations.
    var lnLsec: [Double]
    var lnSupply: [Double]
    var demand: [Double]
    var phi: [Double]
    var income: [Double]
    var expenditure: [Double]
    var x: [Double]
    var m: [Double]
    var z: [Double]

    /// Shift of the Powell unknowns away from zero (see `powell`).
    static let powellOffset = 16.0

    /// Number of Powell unknowns above which `.auto` uses the fixed point.
    public static let powellLimit = 600

    public init(structure: EconomyStructure) {
        self.structure = structure
        n = structure.cityCount
        sCount = structure.sectorCount
        beta = structure.sectors.map(\.capitalShare)
        sigma = structure.sectors.map(\.elasticity)
        shares = structure.expenditureShares
        let v = n * sCount
        lnA = Array(repeating: 0, count: v)
        lnK = Array(repeating: 0, count: v)
        active = Array(repeating: true, count: v)
        lnLsec = Array(repeating: 0, count: v)
        lnSupply = Array(repeating: 0, count: v)
        demand = Array(repeating: 0, count: v)
        phi = Array(repeating: 0, count: v)
        income = Array(repeating: 0, count: n)
        expenditure = Array(repeating: 0, count: n)
        x = Array(repeating: 0, count: n)
        m = Array(repeating: 0, count: n)
        z = Array(repeating: 0, count: n)
    }

    /// True when every sector has β_s > 0, so the fixed-point solver applies.
    public var fixedPointApplies: Bool { beta.allSatisfy { $0 > 0 } }

    /// Solves the equilibrium for `state`, starting from `start` (the previous tick's
    /// equilibrium) when given.
    public func solve(
        _ state: EconomyState, parameters: ModelParameters, start: Equilibrium? = nil
    ) throws -> Equilibrium {
        load(state)
        let unknowns = active.filter { $0 }.count + n
        var kind = parameters.solver
        if kind == .auto {
            kind = (unknowns <= Self.powellLimit || !fixedPointApplies) ? .powell : .fixedPoint
        }
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
        switch kind {
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
        case .powell, .auto:
            if start == nil && fixedPointApplies {
                // Hybrid Powell is reliable only near the solution: approach it first.
                _ = try? fixedPoint(lnp: &lnp, lnw: &lnw, tolerance: 1e-6, maxIterations: 200)
            }
            let iterations = try powell(lnp: &lnp, lnw: &lnw, tolerance: tol, maxIterations: maxIter)
            return finish(lnp: lnp, lnw: lnw, iterations: iterations, solver: .powell)
        }
    }

    // MARK: - Inputs

    func load(_ state: EconomyState) {
        let agg = structure.agglomeration
        labour = state.urbanPopulation
        ruralIncome = zip(state.ruralProductivity, state.ruralPopulation).map { $0 * $1 }
        transfers = state.transfers
        exports = state.exports
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
        for i in 0..<n {
            var y = Foundation.exp(lnw[i]) * labour[i] + ruralIncome[i] + transfers[i]
            for s in 0..<sCount {
                let v = i * sCount + s
                let b = beta[s]
                guard b > 0, active[v] else { continue }
                let lnL = lnK[v] + (Foundation.log(1 - b) + lnp[v] + lnA[v] - lnw[i]) / b
                lnLsec[v] = lnL
                let lnv = lnp[v] + lnA[v] + (1 - b) * lnL + b * lnK[v]
                lnSupply[v] = lnv
                y += b * Foundation.exp(lnv)
            }
            income[i] = y
            expenditure[i] = y / (1 - aH)
        }
        for s in 0..<sCount {
            let oneMinusSigma = 1 - sigma[s]
            for k in 0..<n {
                let v = k * sCount + s
                x[k] = active[v] ? Foundation.exp(oneMinusSigma * lnp[v]) : 0
            }
            structure.tradeWeights[s].withUnsafeBufferPointer { t in
                x.withUnsafeBufferPointer { xp in
                    z.withUnsafeMutableBufferPointer { zp in
                        BLAS.gemv(transpose: true, rows: n, columns: n, a: t.baseAddress!,
                                  x: xp.baseAddress!, y: zp.baseAddress!)
                    }
                }
            }
            for j in 0..<n {
                phi[j * sCount + s] = z[j]
                m[j] = shares[s] * expenditure[j] / z[j]
            }
            structure.tradeWeights[s].withUnsafeBufferPointer { t in
                m.withUnsafeBufferPointer { mp in
                    z.withUnsafeMutableBufferPointer { zp in
                        BLAS.gemv(rows: n, columns: n, a: t.baseAddress!, x: mp.baseAddress!,
                                  y: zp.baseAddress!)
                    }
                }
            }
            for i in 0..<n {
                let v = i * sCount + s
                demand[v] = x[i] * z[i] + (active[v] ? exports[v] : 0)
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

    func powell(lnp: inout [Double], lnw: inout [Double], tolerance: Double, maxIterations: Int) throws -> Int {
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

    /// Damped fixed point on log prices (MODEL.md §3.1, large-N solver):
    /// `ln p += (ln D − ln pQ) / σ_s`, wages from each city's labour market (Newton in ln w),
    /// then all prices and wages rescaled so that agriculture clears:
    /// `c = (Σ qR·(1−a_H)/a_A − Σ qR − Σ T) / Σ_i (w_i L_i + Σ_s β_s p Q)`.
    /// Cost per iteration: 2·S matrix–vector products (BLAS), O(N²·S); no O(N³) step.
    func fixedPoint(lnp: inout [Double], lnw: inout [Double], tolerance: Double, maxIterations: Int) throws -> Int {
        let modernIncome = modernIncomeTarget()
        var iteration = 0
        var last = Double.infinity
        var worst = 0
        while true {
            solveWages(lnp: lnp, lnw: &lnw)
            // Rescale so agriculture clears; supply and demand are then evaluated at that level.
            var modern = 0.0
            for i in 0..<n {
                var y = Foundation.exp(lnw[i]) * labour[i]
                for s in 0..<sCount where active[i * sCount + s] {
                    let v = i * sCount + s
                    let b = beta[s]
                    let lnL = lnK[v] + (Foundation.log(1 - b) + lnp[v] + lnA[v] - lnw[i]) / b
                    y += b * Foundation.exp(lnp[v] + lnA[v] + (1 - b) * lnL + b * lnK[v])
                }
                modern += y
            }
            let lnc = Foundation.log(modernIncome / modern)
            for v in 0..<lnp.count { lnp[v] += lnc }
            for i in 0..<n { lnw[i] += lnc }
            lnp.withUnsafeBufferPointer { pp in
                lnw.withUnsafeBufferPointer { wp in evaluate(lnp: pp, lnw: wp) }
            }
            last = 0
            for v in 0..<lnp.count where active[v] {
                let gap = Foundation.log(demand[v]) - lnSupply[v]
                if !(abs(gap) <= last) { last = abs(gap); worst = v / sCount }
                lnp[v] += gap / sigma[v % sCount]
            }
            if last <= tolerance { break }
            iteration += 1
            if !last.isFinite || iteration >= maxIterations {
                throw EquilibriumFailure(
                    solver: .fixedPoint, iterations: iteration, residual: last,
                    worstCity: structure.cityIDs[worst], detail: "")
            }
        }
        // Undo the last price step, which was taken after the residual was measured.
        solveWages(lnp: lnp, lnw: &lnw)
        return iteration
    }

    /// Modern income Σ_i (w_i L_i + Σ_s β_s p Q) at which agriculture clears:
    /// `a_A ΣE = Σ qR + Σ exports + Σ T` with `ΣE (1 − a_H) = modern + Σ qR + Σ T`.
    /// Imports of agriculture pay for exports; Σ T is minus what governments pay into an
    /// investment fund, which buys capital at the numeraire price outside local spending.
    func modernIncomeTarget() -> Double {
        let totalRural = ruralIncome.reduce(0, +)
        let totalTransfers = transfers.reduce(0, +)
        return (totalRural + exports.reduce(0, +) + totalTransfers) * (1 - structure.housingShare) / structure.agricultureShare
            - totalRural - totalTransfers
    }

    /// Sets ln w_i so that Σ_s L_i^s(p, w) = L_i (labour demand is decreasing and log-convex
    /// in ln w, so Newton converges from any start).
    func solveWages(lnp: [Double], lnw: inout [Double]) {
        for i in 0..<n {
            var u = lnw[i]
            let target = Foundation.log(labour[i])
            for _ in 0..<100 {
                var total = 0.0
                var slope = 0.0
                for s in 0..<sCount where active[i * sCount + s] {
                    let v = i * sCount + s
                    let b = beta[s]
                    let e = Foundation.exp(lnK[v] + (Foundation.log(1 - b) + lnp[v] + lnA[v] - u) / b)
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
        var prices = [Double](repeating: 0, count: v)
        var sectorLabour = [Double](repeating: 0, count: v)
        var output = [Double](repeating: 0, count: v)
        var revenue = [Double](repeating: 0, count: v)
        var priceIndex = [Double](repeating: 0, count: v)
        var returns = [Double](repeating: 0, count: v)
        var gdp = [Double](repeating: 0, count: n)
        var rent = [Double](repeating: 0, count: n)
        let wages = lnw.map { Foundation.exp($0) }
        for i in 0..<n {
            var valueAdded = wages[i] * labour[i] + ruralIncome[i]
            for s in 0..<sCount {
                let k = i * sCount + s
                priceIndex[k] = Foundation.pow(phi[k], 1 / (1 - sigma[s]))
                guard active[k] else { continue }
                prices[k] = Foundation.exp(lnp[k])
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
            rent[i] = structure.housingShare * expenditure[i]
            gdp[i] = valueAdded + rent[i]
        }
        let totalRural = ruralIncome.reduce(0, +)
        let agriculture = structure.agricultureShare * expenditure.reduce(0, +) - exports.reduce(0, +) - transfers.reduce(0, +)
        let residual = f.reduce(0) { max($0, abs($1)) }
        return Equilibrium(
            prices: prices, wages: wages, sectorLabour: sectorLabour, output: output,
            revenue: revenue, priceIndex: priceIndex, expenditure: expenditure, rent: rent,
            returns: returns, gdp: gdp, iterations: iterations, residual: residual,
            agricultureExcess: (agriculture - totalRural) / totalRural, solver: solver)
    }
}

extension Equilibrium {
    /// Value of sector s's goods shipped from city i to city j, 亿元 per year:
    /// `X_ij^s = (p_i^s)^(1−σ_s) T_ij^s a_s E_j / Φ_j^s`, with Φ = P^(1−σ).
    public func trade(from i: Int, to j: Int, sector s: Int, structure: EconomyStructure) -> Double {
        let sCount = structure.sectorCount
        let n = structure.cityCount
        let v = i * sCount + s
        guard prices[v] > 0 else { return 0 }
        let sigma = structure.sectors[s].elasticity
        let phi = Foundation.pow(priceIndex[j * sCount + s], 1 - sigma)
        return Foundation.pow(prices[v], 1 - sigma) * structure.tradeWeights[s][i * n + j]
            * structure.expenditureShares[s] * expenditure[j] / phi
    }
}
