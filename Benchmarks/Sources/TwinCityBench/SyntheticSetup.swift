// Base-year setups of synthetic rosters of any size, built from the model's public API by the
// steps of Calibration.calibrate (MODEL.md §5.2–5.6). Calibration.calibrate itself solves the
// base-year equilibrium with hybrid Powell whatever the size, which factorises a dense
// (N·S + N)² Jacobian: minutes at N = 1000, out of reach at N = 3000. Here the base-year
// equilibrium comes from the fixed point instead; every other step is the same, and at N = 200
// the result is compared with Calibration.calibrate's.
import Foundation
import TwinCityModel

enum SyntheticSetup {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func build(roster: Roster, parameters p: ModelParameters) throws -> SimulationSetup {
        let cities = roster.cities
        let n = cities.count
        let sectors = p.sectors
        let sCount = sectors.count
        let aH = p.housingShare
        let aA = p.agricultureShare
        // §5.1: the synthetic rosters give every urban share.
        let shares0 = try cities.map { c -> Double in
            guard let u = c.urbanShare2020 else { throw Failure(description: "city \(c.id) has no urban share") }
            return u
        }
        let pop = cities.map { $0.population2020 / 1e4 }
        let urban = zip(pop, shares0).map { $0 * $1 }
        let rural = zip(pop, shares0).map { $0 * (1 - $1) }
        let gdp = cities.map(\.gdp2020)
        let totalGDP = gdp.reduce(0, +)
        // §5.2
        let q = aA * totalGDP / rural.reduce(0, +)
        let modernVA = (0..<n).map { (1 - aH) * gdp[$0] - q * rural[$0] }
        guard modernVA.allSatisfy({ $0 > 0 }) else { throw Failure(description: "a city has no modern value added") }
        // §5.3
        var mix = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n {
            var total = 0.0
            for s in 0..<sCount {
                let tags = cities[i].roles.filter { sectors[s].roleTags.contains($0.tag) }.count
                mix[i * sCount + s] = sectors[s].baseMix * (1 + p.roleTilt * Double(tags))
                total += mix[i * sCount + s]
            }
            for s in 0..<sCount { mix[i * sCount + s] /= total }
        }
        var revenue = [Double](repeating: 0, count: n * sCount)
        var expenditureShares = [Double](repeating: 0, count: sCount)
        for i in 0..<n { for s in 0..<sCount {
            revenue[i * sCount + s] = mix[i * sCount + s] * modernVA[i]
            expenditureShares[s] += revenue[i * sCount + s] / totalGDP
        } }
        let capital = revenue.indices.map { sectors[$0 % sCount].capitalShare > 0 ? p.capitalOutputRatio * revenue[$0] : 0 }
        let times = TravelTimes.matrix(cities: cities, links: roster.links, parameters: p)
        let structure = EconomyStructure(
            cityIDs: cities.map(\.id), sectors: sectors, expenditureShares: expenditureShares,
            housingShare: aH, agglomeration: p.agglomeration, travelTimes: times)
        // §5.4: prices by inverting the goods markets (Sinkhorn scaling), then wages and Abar.
        var prices = [Double](repeating: 0, count: n * sCount)
        for s in 0..<sCount {
            let v = (0..<n).map { revenue[$0 * sCount + s] }
            let e = gdp.map { expenditureShares[s] * $0 }
            let x = try invertGoodsMarket(revenue: v, expenditure: e, weights: structure.tradeWeights[s])
            for i in 0..<n { prices[i * sCount + s] = Foundation.pow(x[i], 1 / (1 - sectors[s].elasticity)) }
        }
        var wages = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var labourIncome = 0.0
            for s in 0..<sCount { labourIncome += (1 - sectors[s].capitalShare) * revenue[i * sCount + s] }
            wages[i] = labourIncome / urban[i]
        }
        var productivity = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n { for s in 0..<sCount {
            let k = i * sCount + s
            let b = sectors[s].capitalShare
            let labour = (1 - b) * revenue[k] / wages[i]
            let quantity = revenue[k] / prices[k]
            let a = b > 0 ? quantity / (Foundation.pow(labour, 1 - b) * Foundation.pow(capital[k], b)) : quantity / labour
            productivity[k] = a / Foundation.pow(urban[i], p.agglomeration)
        } }
        for s in 0..<sCount {
            let c = productivity[s]
            for i in 0..<n { productivity[i * sCount + s] /= c }
        }
        let publicServices = gdp.map { p.publicSpendingShare * p.taxRate * $0 / p.publicServiceDepreciation }
        var state = EconomyState(
            urbanPopulation: urban, ruralPopulation: rural, capital: capital, productivity: productivity,
            ruralProductivity: Array(repeating: q, count: n), housing: pop, publicServices: publicServices,
            transfers: Array(repeating: 0, count: n), amenity: Array(repeating: 1, count: n))
        var solverParameters = p
        solverParameters.solver = .fixedPoint
        let equilibrium = try TradeEquilibrium(structure: structure).solve(state, parameters: solverParameters)
        // §5.5 and §5.6: migration targets and amenities (Berry's contraction).
        var targets = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let p2010 = cities[i].population2010 / 1e4
            targets[i] = (pop[i] - p2010 - p2010 * (Foundation.pow(1 + p.naturalGrowth, 10) - 1)) / 10
        }
        let external = targets.reduce(0, +)
        let totalUrban = urban.reduce(0, +)
        for i in 0..<n { targets[i] -= external * urban[i] / totalUrban }
        let v0 = Utility.realUtility(state: state, equilibrium: equilibrium, structure: structure, parameters: p)
        let migration = Migration(structure: structure, cities: cities, parameters: p)
        let theta = p.migrationElasticity
        let wanted = (0..<n).map { p.migrationRate * urban[$0] + targets[$0] }
        guard wanted.allSatisfy({ $0 > 0 }) else { throw Failure(description: "net out-migration above the movers") }
        var delta = v0.map { theta * Foundation.log($0) }
        var gap = Double.infinity
        var iteration = 0
        while gap > 1e-13 && iteration < 20_000 {
            let inflow = migration.inflows(delta: delta, urbanPopulation: urban)
            gap = 0
            for j in 0..<n {
                let step = Foundation.log(wanted[j] / inflow[j])
                gap = max(gap, abs(step))
                delta[j] += step
            }
            let shift = delta[0] - theta * Foundation.log(v0[0])
            for j in 0..<n { delta[j] -= shift }
            iteration += 1
        }
        guard gap <= 1e-10 else { throw Failure(description: "amenities did not converge (gap \(gap))") }
        state.amenity = (0..<n).map { Foundation.exp(delta[$0] / theta) / v0[$0] }
        return SimulationSetup(
            structure: structure, state: state, cities: cities, basePrices: equilibrium.prices,
            baseRent: zip(equilibrium.rent, state.housing).map { $0 / $1 }, links: roster.links)
    }

    /// x with v_i = x_i Σ_j T_ij e_j / Σ_k T_kj x_k, x_0 = 1 (Sinkhorn–Knopp, as Calibration).
    static func invertGoodsMarket(revenue v: [Double], expenditure e: [Double], weights t: [Double]) throws -> [Double] {
        let n = v.count
        var x = [Double](repeating: 1, count: n)
        var phi = [Double](repeating: 0, count: n)
        var m = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n)
        var gap = Double.infinity
        var iteration = 0
        while gap > 1e-13 && iteration < 100_000 {
            t.withUnsafeBufferPointer { t in
                // phi = Tᵀ x, then z = T m with m = e / phi.
                for j in 0..<n { phi[j] = 0 }
                phi.withUnsafeMutableBufferPointer { phi in
                    for k in 0..<n {
                        let xk = x[k]
                        let row = t.baseAddress! + k * n
                        for j in 0..<n { phi[j] += row[j] * xk }
                    }
                }
                for j in 0..<n { m[j] = e[j] / phi[j] }
                m.withUnsafeBufferPointer { m in
                    for i in 0..<n {
                        let row = t.baseAddress! + i * n
                        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
                        var j = 0
                        while j + 4 <= n {
                            a0 += row[j] * m[j]; a1 += row[j + 1] * m[j + 1]
                            a2 += row[j + 2] * m[j + 2]; a3 += row[j + 3] * m[j + 3]
                            j += 4
                        }
                        while j < n { a0 += row[j] * m[j]; j += 1 }
                        z[i] = (a0 + a1) + (a2 + a3)
                    }
                }
            }
            gap = 0
            for i in 0..<n {
                let next = v[i] / z[i]
                gap = max(gap, abs(Foundation.log(next / x[i])))
                x[i] = next
            }
            let x0 = x[0]
            for i in 0..<n { x[i] /= x0 }
            iteration += 1
        }
        guard gap.isFinite, gap <= 1e-9 else { throw Failure(description: "goods-market inversion did not converge (gap \(gap))") }
        return x
    }
}
