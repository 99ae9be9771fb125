// Calibration to the base year (MODEL.md §5): recovers the state of 2020 — urban and rural
// population, capital, productivities, amenities — from the roster's census and GDP data.
import Foundation
import TwinCityGSL

/// Why the base year could not be calibrated; names the city or parameter.
public struct CalibrationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public var description: String { message }
}

/// The calibrated base year: everything a simulation starts from.
public struct CalibratedEconomy: Sendable {
    public var structure: EconomyStructure
    public var state: EconomyState
    /// The base-year equilibrium (GDP equals the data).
    public var equilibrium: Equilibrium
    /// Urban share of each city, and whether it was estimated (true) or given by the roster.
    public var urbanShares: [Double]
    public var urbanShareEstimated: [Bool]
    /// Initial modern-sector mix of each city, by variety `i*S + s`.
    public var sectorMix: [Double]
    /// Net migration targets, 10^4 persons per year (2010–2020 census change net of natural
    /// growth, less each city's share of the region's net migration with the rest of China).
    public var migrationTargets: [Double]
    /// Region's net migration with the rest of China, 10^4 persons per year (outside the model).
    public var externalMigration: Double
}

/// Calibrates a roster to the base year.
public enum Calibration {
    /// Recovers the base-year state. Steps, each in docs/MODEL.md §5:
    /// 1. urban shares (given, or estimated to meet the province's census share);
    /// 2. central transfers per resident; consumption C = (1−s)(GDP + T^c), saving, rent a_H C;
    /// 3. rural output q_i R_i = primary value added (published shares, imputed where missing);
    ///    modern value added GDP − q R − rent split by the published secondary/tertiary shares
    ///    (rent is housing services, part of the tertiary sector) and, within a group, by
    ///    role tags; K = capital–output ratio · v; investment allocated at base-year returns;
    /// 4. per sector: the import share m_s that balances the region's sales at home
    ///    (1−χ_s)ΣR^s with its spending (1−m_s)ΣZ^s; prices by inverting the home goods markets
    ///    (Sinkhorn scaling, polished by GSL hybrid Powell for N ≤ 200); wages, employment and
    ///    Abar in closed form, Abar of the first city = 1; import weights μ and the rest of
    ///    China's demand ε from the shares;
    /// 5. amenities so that base-year migration matches the census (BLP contraction).
    public static func calibrate(roster: Roster, parameters: ModelParameters) throws -> CalibratedEconomy {
        try validate(roster: roster, parameters: parameters)
        let cities = roster.cities
        let n = cities.count
        let (urbanShares, estimated) = try estimateUrbanShares(cities: cities, parameters: parameters)
        let accounts = BaseAccounts(cities: cities, urbanShares: urbanShares, parameters: parameters)
        let production = try baseProduction(cities: cities, accounts: accounts, parameters: parameters)
        let spending = baseInvestmentSpending(
            saving: accounts.saving, capital: production.capital, sectors: parameters.sectors, cities: n, parameters: parameters)
        var structure = baseStructure(roster: roster, accounts: accounts, production: production, parameters: parameters)
        let (unscaledPrices, importShare) = try basePrices(
            structure: structure, accounts: accounts, production: production, spending: spending, parameters: parameters)
        let wages = baseWages(production: production, urban: accounts.urban, parameters: parameters)
        let (productivity, prices) = baseProductivity(
            prices: unscaledPrices, wages: wages, production: production, urban: accounts.urban, parameters: parameters)
        let externalDemand: [Double]
        (externalDemand, structure.importWeights) = outsideTrade(
            structure: structure, prices: prices, importShare: importShare, revenue: production.revenue, parameters: parameters)

        let publicServices = (0..<n).map {
            parameters.publicSpendingShare * (parameters.taxRate * accounts.gdp[$0] + accounts.central[$0]) / parameters.publicServiceDepreciation
        }
        var state = EconomyState(
            urbanPopulation: accounts.urban, ruralPopulation: accounts.rural, capital: production.capital,
            productivity: productivity, ruralProductivity: (0..<n).map { production.ruralOutput[$0] / accounts.rural[$0] },
            housing: accounts.population, publicServices: publicServices,
            transfers: Array(repeating: 0, count: n), amenity: Array(repeating: 1, count: n),
            externalDemand: externalDemand, centralTransfers: accounts.central)
        let equilibrium = try confirmEquilibrium(
            state: state, structure: structure, start: EquilibriumGuess(prices: prices, wages: wages), parameters: parameters)

        let (targets, external) = migrationTargets(cities: cities, accounts: accounts, parameters: parameters)
        if parameters.migrationRule == .logit {
            state.amenity = try calibrateAmenities(
                state: state, equilibrium: equilibrium, structure: structure, cities: cities,
                targets: targets, parameters: parameters)
        }
        return CalibratedEconomy(
            structure: structure, state: state, equilibrium: equilibrium, urbanShares: urbanShares,
            urbanShareEstimated: estimated, sectorMix: production.mix, migrationTargets: targets,
            externalMigration: external)
    }

    /// Steps 1–2: the base year's population split and household accounts, by city.
    struct BaseAccounts {
        /// Resident, urban and rural population, 10^4 persons.
        var population: [Double]
        var urban: [Double]
        var rural: [Double]
        /// GDP, 亿元; central transfers T^c per resident share of `centralTransferShare`·ΣGDP;
        /// consumption C = (1−s)(GDP + T^c), saving s(GDP + T^c), rent a_H C.
        var gdp: [Double]
        var central: [Double]
        var consumption: [Double]
        var saving: [Double]
        var rent: [Double]

        init(cities: [City], urbanShares: [Double], parameters: ModelParameters) {
            let n = cities.count
            let savingRate = parameters.savingRate
            let population = cities.map { $0.population2020 / 1e4 }
            let gdp = cities.map(\.gdp2020)
            let totalGDP = gdp.reduce(0, +)
            let totalPop = population.reduce(0, +)
            let central = population.map { parameters.centralTransferShare * totalGDP * $0 / totalPop }
            let consumption = (0..<n).map { (1 - savingRate) * (gdp[$0] + central[$0]) }
            self.population = population
            urban = zip(population, urbanShares).map { $0 * $1 }
            rural = zip(population, urbanShares).map { $0 * (1 - $1) }
            self.gdp = gdp
            self.central = central
            self.consumption = consumption
            saving = (0..<n).map { savingRate * (gdp[$0] + central[$0]) }
            rent = consumption.map { parameters.housingShare * $0 }
        }
    }

    /// Step 3: rural output, modern revenue by variety and its mix, capital.
    struct BaseProduction {
        /// Rural output q_i R_i, 亿元 a year.
        var ruralOutput: [Double]
        /// Modern revenue v_i^s and its share of the city's modern revenue, by variety.
        var revenue: [Double]
        var mix: [Double]
        /// Capital K = κ v for a sector with a capital share, else 0.
        var capital: [Double]
    }

    /// Step 3: rural output is the published primary value added (or the region's `a_A`
    /// share of GDP, spread by rural population, where shares are missing); modern value
    /// added `GDP − q R − rent` is split by the published secondary/tertiary shares (rent
    /// belongs to the tertiary group) and, within a group, by base mixes tilted by role tags.
    static func baseProduction(cities: [City], accounts: BaseAccounts, parameters: ModelParameters) throws -> BaseProduction {
        let n = cities.count
        let sectors = parameters.sectors
        let sCount = sectors.count
        let (gdp, rent, rural) = (accounts.gdp, accounts.rent, accounts.rural)
        let totalGDP = gdp.reduce(0, +)
        let shares = sectorShares(cities: cities)
        var ruralOutput = [Double](repeating: 0, count: n)
        var modernVA = [Double](repeating: 0, count: n)
        for i in 0..<n {
            ruralOutput[i] = shares[i].map { $0.primary * gdp[i] } ?? parameters.agricultureShare * totalGDP * rural[i] / rural.reduce(0, +)
            modernVA[i] = gdp[i] - ruralOutput[i] - rent[i]
            guard modernVA[i] > 0 else {
                throw CalibrationError(message: String(
                    format: "city '%@': 2020 GDP %.2f 亿元 is not above its rural output and housing rent (%.2f 亿元); lower housing_share or check the sector shares",
                    cities[i].id, gdp[i], ruralOutput[i] + rent[i]))
            }
        }
        let groups = Set(sectors.map(\.group))
        let splitByGroup = groups.count == SectorGroup.allCases.count
        var mix = [Double](repeating: 0, count: n * sCount)
        var revenue = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n {
            var tilt = [Double](repeating: 0, count: sCount)
            for s in 0..<sCount {
                let tags = cities[i].roles.filter { sectors[s].roleTags.contains($0.tag) }.count
                tilt[s] = sectors[s].baseMix * (1 + parameters.roleTilt * Double(tags))
            }
            if splitByGroup, let share = shares[i] {
                let tertiary = share.tertiary * gdp[i] - rent[i]
                guard tertiary > 0 else {
                    throw CalibrationError(message: String(
                        format: "city '%@': its tertiary value added (%.2f 亿元) is not above the housing rent the model imputes (%.2f 亿元); lower housing_share",
                        cities[i].id, share.tertiary * gdp[i], rent[i]))
                }
                let groupVA: [SectorGroup: Double] = [.secondary: share.secondary * gdp[i], .tertiary: tertiary]
                for group in SectorGroup.allCases {
                    let members = (0..<sCount).filter { sectors[$0].group == group }
                    var weight = members.reduce(0.0) { $0 + tilt[$1] }
                    if weight == 0 { weight = Double(members.count); for s in members { tilt[s] = 1 } }
                    for s in members { revenue[i * sCount + s] = groupVA[group]! * tilt[s] / weight }
                }
            } else {
                let total = tilt.reduce(0, +)
                for s in 0..<sCount { revenue[i * sCount + s] = modernVA[i] * tilt[s] / total }
            }
            let modern = (0..<sCount).reduce(0.0) { $0 + revenue[i * sCount + $1] }
            for s in 0..<sCount { mix[i * sCount + s] = revenue[i * sCount + s] / modern }
        }
        let capital = zip(revenue.indices, revenue).map { index, v in
            sectors[index % sCount].capitalShare > 0 ? parameters.capitalOutputRatio * v : 0
        }
        return BaseProduction(ruralOutput: ruralOutput, revenue: revenue, mix: mix, capital: capital)
    }

    /// The economy's fixed structure: modern consumption shares a_s (the sectors'
    /// consumption weights scaled to 1 − a_H − a_A or, when no sector has one, in proportion
    /// to the region's output), travel times over the network and registration barriers.
    /// Import weights are set by `outsideTrade` once prices are known.
    static func baseStructure(
        roster: Roster, accounts: BaseAccounts, production: BaseProduction, parameters: ModelParameters
    ) -> EconomyStructure {
        let cities = roster.cities
        let n = cities.count
        let sectors = parameters.sectors
        let sCount = sectors.count
        let modernShare = 1 - parameters.housingShare - parameters.agricultureShare
        var regionRevenue = [Double](repeating: 0, count: sCount)
        for i in 0..<n { for s in 0..<sCount { regionRevenue[s] += production.revenue[i * sCount + s] } }
        let declared = sectors.map(\.consumptionWeight)
        let weights = declared.reduce(0, +) > 0 ? declared : regionRevenue
        let expenditureShares = weights.map { modernShare * $0 / weights.reduce(0, +) }
        let times = TravelTimes.matrix(cities: cities, links: roster.links, parameters: parameters)
        var structure = EconomyStructure(
            cityIDs: cities.map(\.id), sectors: sectors, expenditureShares: expenditureShares,
            housingShare: parameters.housingShare, agglomeration: parameters.agglomeration, travelTimes: times)
        structure.entryBarriers = Migration.entryBarriers(urbanPopulation: accounts.urban, parameters: parameters)
        return structure
    }

    /// Step 4, prices: per sector, the import share m_s that balances the region's sales at
    /// home `(1−χ_s)ΣR^s` with its spending `(1−m_s)ΣZ^s`, then the prices
    /// `p = x^(1/(1−σ))` from the inverted home goods markets (before normalisation).
    static func basePrices(
        structure: EconomyStructure, accounts: BaseAccounts, production: BaseProduction, spending: [Double],
        parameters: ModelParameters
    ) throws -> (prices: [Double], importShare: [Double]) {
        let n = structure.cityIDs.count
        let sectors = parameters.sectors
        let sCount = sectors.count
        var prices = [Double](repeating: 0, count: n * sCount)
        var importShare = [Double](repeating: 0, count: sCount)
        for s in 0..<sCount {
            let v = (0..<n).map { production.revenue[$0 * sCount + s] }
            try checkSolvable(sector: sectors[s], revenue: v, weights: structure.tradeWeights[s], cityIDs: structure.cityIDs)
            let chi = sectors[s].exportShare
            let z = (0..<n).map { structure.expenditureShares[s] * accounts.consumption[$0] + structure.investmentShares[s] * spending[$0] }
            let m = 1 - (1 - chi) * v.reduce(0, +) / z.reduce(0, +)
            guard m >= 0, m < 1 else {
                throw CalibrationError(message: String(
                    format: "sector '%@': the region's base-year sales at home, (1 − export_share) · output = %.1f 亿元, exceed its own spending on the sector (%.1f 亿元), which would need an import share of %.3f, outside [0, 1); raise sectors.%@.export_share or its consumption_weight",
                    sectors[s].id, (1 - chi) * v.reduce(0, +), z.reduce(0, +), m, sectors[s].id))
            }
            importShare[s] = m
            let x = try invertGoodsMarket(
                revenue: v.map { (1 - chi) * $0 }, expenditure: z.map { (1 - m) * $0 },
                weights: structure.tradeWeights[s], sector: sectors[s].id, cityIDs: structure.cityIDs)
            for i in 0..<n {
                let price = Foundation.pow(x[i], 1 / (1 - sectors[s].elasticity))
                // p = x^(1/(1−σ)): with σ close to 1 the exponent is huge and the price leaves
                // the range of a double, which no solver can recover from.
                guard price.isFinite, price > 0 else {
                    throw CalibrationError(message: "sector '\(sectors[s].id)': the base-year price of city '\(structure.cityIDs[i])' is \(price), not a finite positive number: σ = \(sectors[s].elasticity) is too close to 1 (prices are x^(1/(1−σ))); choose an elasticity further above 1")
                }
                prices[i * sCount + s] = price
            }
        }
        return (prices, importShare)
    }

    /// Step 4, wages: labour's share of modern revenue per urban worker,
    /// `w_i = Σ_s (1−β_s) v_i^s / L_i` (亿元 per 10^4 workers a year).
    static func baseWages(production: BaseProduction, urban: [Double], parameters: ModelParameters) -> [Double] {
        let sectors = parameters.sectors
        let sCount = sectors.count
        var wages = [Double](repeating: 0, count: urban.count)
        for i in urban.indices {
            var labourIncome = 0.0
            for s in 0..<sCount { labourIncome += (1 - sectors[s].capitalShare) * production.revenue[i * sCount + s] }
            wages[i] = labourIncome / urban[i]
        }
        return wages
    }

    /// Step 4, productivity in closed form, `Abar = Q / (L^(1−β) K^β) / L_urban^agg` with
    /// `L = (1−β) v / w` and `Q = v / p`; then normalised: scaling sector s's prices by c
    /// scales its Abar by 1/c, so the first city's Abar is made 1. Returns Abar and the
    /// prices in those units.
    static func baseProductivity(
        prices unscaled: [Double], wages: [Double], production: BaseProduction, urban: [Double], parameters: ModelParameters
    ) -> (productivity: [Double], prices: [Double]) {
        let n = urban.count
        let sectors = parameters.sectors
        let sCount = sectors.count
        let (revenue, capital) = (production.revenue, production.capital)
        var prices = unscaled
        var productivity = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n { for s in 0..<sCount {
            let k = i * sCount + s
            let b = sectors[s].capitalShare
            let labour = (1 - b) * revenue[k] / wages[i]
            let quantity = revenue[k] / prices[k]
            let a = b > 0
                ? quantity / (Foundation.pow(labour, 1 - b) * Foundation.pow(capital[k], b))
                : quantity / labour
            productivity[k] = a / Foundation.pow(urban[i], parameters.agglomeration)
        } }
        for s in 0..<sCount {
            let c = productivity[s]
            for i in 0..<n {
                productivity[i * sCount + s] /= c
                prices[i * sCount + s] *= c
            }
        }
        return (productivity, prices)
    }

    /// Step 4, the rest of China, in the normalised units: its demand
    /// `ε_j^s = χ_s v_j^s / p_j^(1−σ)` for each variety and the weight of its variety in each
    /// city's price index, `μ_j^s = m_s/(1−m_s) · Σ_k T_kj p_k^(1−σ)`.
    static func outsideTrade(
        structure: EconomyStructure, prices: [Double], importShare: [Double], revenue: [Double], parameters: ModelParameters
    ) -> (externalDemand: [Double], importWeights: [Double]) {
        let n = structure.cityIDs.count
        let sectors = parameters.sectors
        let sCount = sectors.count
        var externalDemand = [Double](repeating: 0, count: n * sCount)
        var importWeights = [Double](repeating: 0, count: n * sCount)
        for s in 0..<sCount {
            let oneMinusSigma = 1 - sectors[s].elasticity
            let x = (0..<n).map { Foundation.pow(prices[$0 * sCount + s], oneMinusSigma) }
            var home = [Double](repeating: 0, count: n)
            BLAS.gemv(transpose: true, rows: n, columns: n, a: structure.tradeWeights[s], x: x, y: &home)
            for j in 0..<n {
                let v = j * sCount + s
                importWeights[v] = importShare[s] / (1 - importShare[s]) * home[j]
                externalDemand[v] = sectors[s].exportShare * revenue[v] / x[j]
            }
        }
        return (externalDemand, importWeights)
    }

    /// The calibrated prices and wages are the equilibrium: one solve from them confirms it
    /// and fills in every derived quantity (with the scenario's solver; `auto` is the fixed point, Powell if it stops).
    static func confirmEquilibrium(
        state: EconomyState, structure: EconomyStructure, start: EquilibriumGuess, parameters: ModelParameters
    ) throws -> Equilibrium {
        do {
            return try TradeEquilibrium(structure: structure).solve(state, parameters: parameters, start: start)
        } catch let failure as EquilibriumFailure {
            throw CalibrationError(message: "the base-year equilibrium cannot be confirmed with these parameters: \(failure)")
        }
    }

    /// Step 5, targets: each city's net migration a year over 2010–2020, the census change
    /// less natural growth at `calibrationNaturalGrowth`, minus its urban share of the
    /// region's net migration with the rest of China (returned too, 10^4 persons a year).
    static func migrationTargets(
        cities: [City], accounts: BaseAccounts, parameters: ModelParameters
    ) -> (targets: [Double], external: Double) {
        let n = cities.count
        let years = 10.0
        var targets = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let p2010 = cities[i].population2010 / 1e4
            let natural = p2010 * (Foundation.pow(1 + parameters.calibrationNaturalGrowth, years) - 1)
            targets[i] = (accounts.population[i] - p2010 - natural) / years
        }
        let external = targets.reduce(0, +)
        let totalUrban = accounts.urban.reduce(0, +)
        for i in 0..<n { targets[i] -= external * accounts.urban[i] / totalUrban }
        return (targets, external)
    }

    /// Sector shares of each city's GDP: the roster's, normalised to sum to 1; for a city
    /// without them, the GDP-weighted shares of its province's cities that have them (nil
    /// when none has).
    static func sectorShares(cities: [City]) -> [SectorShares?] {
        var byProvince: [String: (Double, Double, Double, Double)] = [:]
        for city in cities {
            guard let s = city.sectorShares2020?.normalised else { continue }
            var t = byProvince[city.province] ?? (0, 0, 0, 0)
            t.0 += s.primary * city.gdp2020
            t.1 += s.secondary * city.gdp2020
            t.2 += s.tertiary * city.gdp2020
            t.3 += city.gdp2020
            byProvince[city.province] = t
        }
        return cities.map { city in
            if let s = city.sectorShares2020 { return s.normalised }
            guard let t = byProvince[city.province] else { return nil }
            return SectorShares(primary: t.0 / t.3, secondary: t.1 / t.3, tertiary: t.2 / t.3)
        }
    }

    /// Base-year investment spending of each city (productive investment installed there
    /// plus its housing construction): `InvestmentAllocation` at the base-year returns
    /// r = β/κ (capital–output ratio κ), no subsidy and no fund.
    static func baseInvestmentSpending(
        saving: [Double], capital: [Double], sectors: [Sector], cities n: Int, parameters p: ModelParameters
    ) -> [Double] {
        let sCount = sectors.count
        var weight = [Double](repeating: 0, count: n * sCount)
        for i in 0..<n { for s in 0..<sCount where sectors[s].capitalShare > 0 && capital[i * sCount + s] > 0 {
            weight[i * sCount + s] = capital[i * sCount + s] * Foundation.pow(sectors[s].capitalShare / p.capitalOutputRatio, p.returnElasticity)
        } }
        return InvestmentAllocation(
            saving: saving, homeWeight: weight, poolWeight: weight, fund: Array(repeating: 0, count: n * sCount),
            sectors: sCount, residentialShare: p.residentialInvestmentShare, homeBias: p.homeBias).spending
    }

    // MARK: - Steps

    static func validate(roster: Roster, parameters: ModelParameters) throws {
        guard roster.count >= 2 else {
            throw CalibrationError(message: "the roster has \(roster.count) city; the model needs at least 2")
        }
        for city in roster.cities {
            for (name, value) in [("pop_2010", city.population2010), ("pop_2020", city.population2020),
                                  ("gdp_2020", city.gdp2020), ("area_km2", city.areaKm2)] {
                guard value.isFinite, value > 0 else {
                    throw CalibrationError(message: "city '\(city.id)': \(name) must be a positive number, found \(value)")
                }
            }
            if let u = city.urbanShare2020, !(u > 0 && u < 1) {
                throw CalibrationError(message: "city '\(city.id)': urban_share_2020 must lie in (0, 1), found \(u)")
            }
        }
        try parameters.validate()
    }

    /// Urban shares: the roster's where given; otherwise `u_i = 1/(1 + exp(−(α_p + b·ln(y_i/ȳ_p))))`
    /// with y GDP per capita, ȳ_p its population-weighted mean in province p, b the slope
    /// parameter, and α_p found by Brent's method so that the province's population-weighted
    /// urban share equals its census target.
    static func estimateUrbanShares(cities: [City], parameters: ModelParameters) throws -> ([Double], [Bool]) {
        var shares = cities.map { $0.urbanShare2020 ?? .nan }
        let estimated = cities.map { $0.urbanShare2020 == nil }
        let provinces = Set(cities.indices.filter { estimated[$0] }.map { cities[$0].province })
        for province in provinces.sorted() {
            guard let target = parameters.urbanShareTargets[province] else {
                throw CalibrationError(message: "city '\(cities.first { $0.province == province && $0.urbanShare2020 == nil }!.id)' has no urban_share_2020 and province '\(province)' has no urban share target (parameter urban_share_targets)")
            }
            let members = cities.indices.filter { cities[$0].province == province }
            let free = members.filter { estimated[$0] }
            let totalPop = members.reduce(0.0) { $0 + cities[$1].population2020 }
            let fixedUrban = members.filter { !estimated[$0] }.reduce(0.0) { $0 + cities[$1].population2020 * shares[$1] }
            let freePop = free.reduce(0.0) { $0 + cities[$1].population2020 }
            let needed = (target * totalPop - fixedUrban) / freePop
            guard needed > 0, needed < 1 else {
                throw CalibrationError(message: "province '\(province)': the urban shares given leave \(needed) for the others; the census target \(target) cannot be met")
            }
            let meanY = free.reduce(0.0) { $0 + cities[$1].gdp2020 } / freePop
            let logRatio = free.map { Foundation.log(cities[$0].gdp2020 / cities[$0].population2020 / meanY) }
            let b = parameters.urbanShareSlope
            func share(_ alpha: Double, _ k: Int) -> Double { 1 / (1 + Foundation.exp(-(alpha + b * logRatio[k]))) }
            let alpha = try RootFinding.brent(lower: -50, upper: 50, absoluteTolerance: 1e-14, relativeTolerance: 0) { alpha in
                var urban = 0.0
                for (k, i) in free.enumerated() { urban += cities[i].population2020 * share(alpha, k) }
                return urban / freePop - needed
            }
            for (k, i) in free.enumerated() { shares[i] = share(alpha, k) }
        }
        return (shares, estimated)
    }

    /// Refuses a sector the goods-market inversion cannot work with: one that no city produces
    /// (a base mix of 0), or whose trade weights `exp((1 − σ)·κ·t)` are not finite or vanish
    /// for some city (a huge σ or κ), which would divide by zero in every price index.
    static func checkSolvable(sector: Sector, revenue: [Double], weights: [Double], cityIDs: [String]) throws {
        let n = cityIDs.count
        guard revenue.contains(where: { $0 > 0 }) else {
            throw CalibrationError(message: "sector '\(sector.id)': no city produces it in the base year (base_mix = \(sector.baseMix)); give it a positive base mix or drop the sector")
        }
        for i in 0..<n {
            var row = 0.0
            for j in 0..<n { row += weights[i * n + j] }
            guard row.isFinite, row > 0 else {
                throw CalibrationError(message: "sector '\(sector.id)': the trade weights exp((1 − σ)·κ·t) of city '\(cityIDs[i])' sum to \(row) (σ = \(sector.elasticity), κ = \(sector.tradeCostPerHour) per hour): every price index would be 0; lower the elasticity or the trade cost")
            }
        }
    }

    /// Finds x_i = p_i^(1−σ) with v_i = x_i Σ_j T_ij e_j / Σ_k T_kj x_k (e_j = a_s E_j), up to
    /// scale: Sinkhorn–Knopp scaling (a contraction for positive T), then GSL hybrid Powell on
    /// ln x for N ≤ 200 to polish. Returns x with x_0 = 1.
    static func invertGoodsMarket(revenue v: [Double], expenditure e: [Double], weights t: [Double], sector: String, cityIDs: [String]) throws -> [Double] {
        let n = v.count
        var x = [Double](repeating: 1, count: n)
        var phi = [Double](repeating: 0, count: n)
        var m = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n)
        func apply(_ x: [Double]) -> [Double] {
            BLAS.gemv(transpose: true, rows: n, columns: n, a: t, x: x, y: &phi)
            for j in 0..<n { m[j] = e[j] / phi[j] }
            BLAS.gemv(rows: n, columns: n, a: t, x: m, y: &z)
            return z
        }
        var gap = Double.infinity
        var iteration = 0
        while gap > 1e-13 && iteration < 100_000 {
            let zz = apply(x)
            gap = 0
            for i in 0..<n {
                let next = v[i] / zz[i]
                let step = abs(Foundation.log(next / x[i]))
                gap = gap.maxPropagatingNaN(step)
                x[i] = next
            }
            let x0 = x[0]
            for i in 0..<n { x[i] /= x0 }
            iteration += 1
        }
        guard gap.isFinite, gap <= 1e-9 else {
            throw CalibrationError(message: "sector '\(sector)': the goods-market inversion did not converge (gap \(gap))")
        }
        if n <= 200 {
            let solver = try MultirootSolver(dimension: n - 1) { u, f in
                var xx = [Double](repeating: 1, count: n)
                for i in 1..<n { xx[i] = Foundation.exp(u[i - 1]) }
                let zz = apply(xx)
                for i in 1..<n { f[i - 1] = Foundation.log(xx[i] * zz[i] / v[i]) }
            }
            let result: MultirootResult
            do {
                result = try solver.solve(from: (1..<n).map { Foundation.log(x[$0]) }, residualTolerance: 1e-13, maxIterations: 200)
            } catch {
                throw CalibrationError(message: "sector '\(sector)': the goods-market inversion did not converge (\(error))")
            }
            for i in 1..<n { x[i] = Foundation.exp(result.x[i - 1]) }
        }
        return x
    }

    /// Amenities B_j such that logit migration at the base-year equilibrium gives the target
    /// net migration: with δ_j = θ ln V_j + λ ln L_j, arrivals_j(δ) = Σ_i (ν L_i + u R_i) π_ij
    /// must equal ν L_j + u R_j + m_j; iterate δ ← δ + ln(target) − ln(arrivals) (Berry's
    /// contraction), δ_0 fixed so B_0 = 1.
    static func calibrateAmenities(
        state: EconomyState, equilibrium: Equilibrium, structure: EconomyStructure, cities: [City],
        targets: [Double], parameters: ModelParameters
    ) throws -> [Double] {
        let n = cities.count
        var base = state
        base.amenity = Array(repeating: 1, count: n)
        let v0 = Utility.realUtility(state: base, equilibrium: equilibrium, structure: structure, parameters: parameters)
        let migration = Migration(structure: structure, cities: cities, parameters: parameters)
        let theta = parameters.migrationElasticity
        let movers = migration.movers(urbanPopulation: state.urbanPopulation, ruralPopulation: state.ruralPopulation)
        var wanted = [Double](repeating: 0, count: n)
        for j in 0..<n {
            wanted[j] = movers[j] + targets[j]
            guard wanted[j] > 0 else {
                throw CalibrationError(message: "city '\(cities[j].id)': base-year net out-migration \(-targets[j]) (10^4 persons a year) exceeds the \(movers[j]) who move or reconsider their location each year; raise migration_rate or urbanisation_rate")
            }
        }
        let baseDelta = migration.delta(utility: v0, urbanPopulation: state.urbanPopulation)
        var delta = baseDelta
        var gap = Double.infinity
        var iteration = 0
        while gap > 1e-13 && iteration < 20_000 {
            let inflow = migration.inflows(delta: delta, urbanPopulation: state.urbanPopulation, ruralPopulation: state.ruralPopulation)
            gap = 0
            for j in 0..<n {
                let step = Foundation.log(wanted[j] / inflow[j])
                // A NaN step makes the gap NaN: the loop stops and the check below reports it.
                gap = gap.maxPropagatingNaN(abs(step))
                delta[j] += step
            }
            let shift = delta[0] - baseDelta[0]
            for j in 0..<n { delta[j] -= shift }
            iteration += 1
        }
        guard gap <= 1e-10 else {
            throw CalibrationError(message: "amenity calibration did not converge (gap \(gap) after \(iteration) iterations)")
        }
        // ln B_j = (δ_j − δ_j(B = 1))/θ: with a small θ the amenities that rationalise the census
        // migration differ by factors beyond a double (θ = 0.001 needs e^1000): refuse before
        // the run rather than let utility under- or overflow at its first tick.
        let logAmenity = (0..<n).map { (delta[$0] - baseDelta[$0]) / theta }
        let spread = logAmenity.max()! - logAmenity.min()!
        guard logAmenity.allSatisfy(\.isFinite), spread < Self.maximumLogAmenitySpread else {
            throw CalibrationError(message: String(
                format: "parameter 'migration_elasticity': with θ = %g the amenities that reproduce base-year migration would differ between cities by a factor e^%.0f, beyond what the model can represent (at most e^%.0f); the elasticity is too small for the census migration: raise migration_elasticity (the default is %g)",
                theta, spread, Self.maximumLogAmenitySpread, ModelParameters().migrationElasticity))
        }
        return logAmenity.map { Foundation.exp($0) }
    }

    /// Largest spread of ln B across cities the calibration accepts: utilities V = B·w/P of
    /// about 1 must stay well inside a double's range (e^±709) through a run.
    static let maximumLogAmenitySpread = 200.0
}
