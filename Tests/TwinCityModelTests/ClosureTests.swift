// The closure of MODEL.md §3.1: prices anchored by the rest of China, saving spent on
// investment goods, an account with the rest of China, migration with a destination wedge.
import Foundation
import XCTest
import TwinCityModel

final class ClosureTests: XCTestCase {
    static let roster = try! realRoster()
    static let base: CalibratedEconomy = try! Calibration.calibrate(roster: roster, parameters: ModelParameters())

    /// Two identical cities with free trade between them (κ = 0), open to the rest of China.
    func twinCities() -> (EconomyStructure, EconomyState) {
        let sectors = [
            Sector(id: "goods", capitalShare: 0.4, elasticity: 5, tradeCostPerHour: 0, baseMix: 0.5, investmentShare: 0.7),
            Sector(id: "services", capitalShare: 0.3, elasticity: 4, tradeCostPerHour: 0, baseMix: 0.5, investmentShare: 0.3),
        ]
        var structure = EconomyStructure(
            cityIDs: ["a", "b"], sectors: sectors, expenditureShares: [0.3, 0.35], housingShare: 0.25,
            agglomeration: 0.05, travelTimes: [0, 1, 1, 0])
        structure.importWeights = [0.4, 0.2, 0.4, 0.2]
        let state = EconomyState(
            urbanPopulation: [100, 100], ruralPopulation: [50, 50], capital: [300, 200, 300, 200],
            productivity: [1, 1, 1, 1], ruralProductivity: [0.5, 0.5], housing: [150, 150],
            publicServices: [10, 10], transfers: [0, 0], amenity: [1, 1],
            externalDemand: [30, 5, 30, 5], centralTransfers: [10, 10])
        return (structure, state)
    }

    func testAZeroSumTransferLeavesEveryPriceAndWageUnchanged() throws {
        // With free trade and identical cities every city buys at the same prices, so moving
        // income between them moves demand between buyers but not between varieties: in
        // this closure prices and wages cannot change (the old closure's price level moved
        // with any transfer that changed Σ T).
        let (structure, state) = twinCities()
        let p = ModelParameters()
        let before = try TradeEquilibrium(structure: structure).solve(state, parameters: p)
        var moved = state
        moved.transfers = [25, -25]
        let after = try TradeEquilibrium(structure: structure).solve(moved, parameters: p)
        for v in before.prices.indices { XCTAssertEqual(after.prices[v], before.prices[v], accuracy: 1e-10 * before.prices[v]) }
        for i in 0..<2 { XCTAssertEqual(after.wages[i], before.wages[i], accuracy: 1e-10 * before.wages[i]) }
        for v in before.priceIndex.indices { XCTAssertEqual(after.priceIndex[v], before.priceIndex[v], accuracy: 1e-10 * before.priceIndex[v]) }
        // The receiving city consumes more, the paying one less, by (1 − s)/(1 − (1 − s) a_H) each.
        let factor = (1 - p.savingRate) / (1 - (1 - p.savingRate) * structure.housingShare)
        XCTAssertEqual(after.consumption[0] - before.consumption[0], 25 * factor, accuracy: 1e-9)
        XCTAssertEqual(after.consumption[1] - before.consumption[1], -25 * factor, accuracy: 1e-9)
    }

    func testTheConsumerPriceLevelWeighsGoodsAndHousingByTheirSharesAndAgricultureAtOne() throws {
        // P_i = Π_s (P_i^s)^a_s · h_i^a_H with agriculture, the rest of the basket, priced 1:
        // doubling every modern price index and the rent scales P by 2^(Σ a_s + a_H).
        let (structure, state) = twinCities()
        let eq = try TradeEquilibrium(structure: structure).solve(state, parameters: ModelParameters())
        var doubled = eq
        doubled.priceIndex = eq.priceIndex.map { 2 * $0 }
        doubled.rent = eq.rent.map { 2 * $0 }
        let level = Utility.consumerPriceLevel(state: state, equilibrium: eq, structure: structure)
        let after = Utility.consumerPriceLevel(state: state, equilibrium: doubled, structure: structure)
        let weight = 0.3 + 0.35 + 0.25
        XCTAssertEqual(structure.agricultureShare, 1 - weight, accuracy: 1e-15)
        for i in 0..<2 {
            XCTAssertEqual(after[i] / level[i], Foundation.pow(2, weight), accuracy: 1e-14)
            // The closed form at the solution, term by term.
            let closed = Foundation.pow(eq.priceIndex[i * 2], 0.3) * Foundation.pow(eq.priceIndex[i * 2 + 1], 0.35)
                * Foundation.pow(eq.rent[i] / state.housing[i], 0.25)
            XCTAssertEqual(level[i], closed, accuracy: 1e-14 * closed)
        }
        // Real utility is the wage deflated by that level (η = 0 here, amenity 1).
        var p = ModelParameters()
        p.publicServiceElasticity = 0
        let utility = Utility.realUtility(state: state, equilibrium: eq, structure: structure, parameters: p)
        for i in 0..<2 { XCTAssertEqual(utility[i], eq.wages[i] / level[i], accuracy: 1e-13 * utility[i]) }
    }

    func testTheBaseYearConsumerPriceIndexIsOne() throws {
        let setup = SimulationSetup(calibrated: Self.base, cities: Self.roster.cities, links: Self.roster.links)
        let simulation = try Simulation(setup: setup, parameters: ModelParameters(),
                                        settings: SimulationSettings(startYear: 2020, endYear: 2022, dt: 1, seed: 3))
        var records: [TickRecord] = []
        try simulation.run { records.append($0) }
        for (i, index) in records[0].consumerPrices.enumerated() {
            XCTAssertEqual(index, 1, accuracy: 1e-8, Self.roster.cities[i].id)
        }
        XCTAssertTrue(records[2].consumerPrices.contains { abs($0 - 1) > 1e-6 }, "prices move after the base year")
    }

    func testTheAccountWithTheRestOfChinaBalances() throws {
        // Trade balance = −(central transfers + injections financed outside), at any solution.
        let (structure, state) = twinCities()
        var inputs = InvestmentInputs(cities: 2, sectors: 2)
        inputs.fund = [20, 0, 0, 0]
        let eq = try TradeEquilibrium(structure: structure).solve(state, parameters: ModelParameters(), investment: inputs)
        XCTAssertEqual(eq.tradeBalance, -(20 + 20), accuracy: 1e-9)
        // Absorption = GDP + transfers received + injections.
        let absorption = eq.expenditure.reduce(0, +)
        XCTAssertEqual(absorption, eq.gdp.reduce(0, +) + 20 + 20, accuracy: 1e-9)
        // Saving is spent on investment goods: productive investment = (1 − ι) S + fund.
        let p = ModelParameters()
        XCTAssertEqual(eq.investment.reduce(0, +), (1 - p.residentialInvestmentShare) * eq.saving.reduce(0, +) + 20, accuracy: 1e-9)
    }

    func run(_ policies: [any Policy], years: Double = 10) throws -> [TickRecord] {
        var p = ModelParameters()
        p.productivityShockSD = 0
        p.decisionRule = .fixed
        let setup = SimulationSetup(calibrated: Self.base, cities: Self.roster.cities, links: Self.roster.links)
        let sim = try Simulation(setup: setup, parameters: p, settings: SimulationSettings(startYear: 2020, endYear: 2020 + years, dt: 1, seed: 3), policies: policies)
        var records: [TickRecord] = []
        try sim.run { records.append($0) }
        for r in records.dropFirst() { XCTAssertLessThan(r.conservation!.worst, 1e-10, "accounting identities at \(r.year)") }
        return records
    }

    func totalCapital(_ r: TickRecord) -> Double { r.state.capital.reduce(0, +) }

    func testAnInjectionFinancedOutsideRaisesCapitalByAtLeastTheInjectionLessDepreciation() throws {
        let recipients = ["luzhou", "deyang", "mianyang"]
        let fund = InvestmentFundPolicy(window: PolicyWindow(start: 2021), amount: 100, cities: recipients, outsideShare: 1)
        let base = try run([])
        let policy = try run([fund])
        let delta = ModelParameters().depreciation
        let n = Self.roster.count
        // The injection in base-year investment goods, depreciated to each year, from the
        // recipients' investment-goods prices of the year it was made.
        let basePrice = Self.base.equilibrium.investmentPriceIndex
        var injected = 0.0
        for t in 1..<policy.count {
            injected *= Foundation.exp(-delta)
            let made = policy[t - 1]
            guard made.year >= 2021 else { continue }
            var real = 0.0
            for i in 0..<n {
                let price = made.equilibrium.investmentPriceIndex[i] / basePrice[i]
                real += injectedShare(made, city: i, recipients: recipients) * 100 / price
            }
            injected += real * (1 - Foundation.exp(-delta)) / delta
            XCTAssertGreaterThanOrEqual(totalCapital(policy[t]) - totalCapital(base[t]), injected * (1 - 1e-6), "year \(policy[t].year)")
        }
        XCTAssertGreaterThan(injected, 500)
        XCTAssertGreaterThan(policy.last!.realGDP.reduce(0, +), base.last!.realGDP.reduce(0, +))
    }

    /// Share of the fund going to city i: in proportion to capital installed among recipients.
    func injectedShare(_ r: TickRecord, city i: Int, recipients: [String]) -> Double {
        let ids = Set(recipients)
        var total = 0.0
        for (j, c) in Self.roster.cities.enumerated() where ids.contains(c.id) { total += (0..<3).reduce(0.0) { $0 + r.state.capital[j * 3 + $1] } }
        guard ids.contains(Self.roster.cities[i].id) else { return 0 }
        return (0..<3).reduce(0.0) { $0 + r.state.capital[i * 3 + $1] } / total
    }

    func testTheRegionsFundRaisesRegionalCapitalAndGDP() throws {
        let centres = ["luzhou", "deyang", "mianyang", "leshan", "nanchong", "yibin", "dazhou"]
        let fund = InvestmentFundPolicy(window: PolicyWindow(start: 2022), amount: 100, cities: centres)
        let base = try run([])
        let policy = try run([fund])
        for t in 3..<policy.count {
            XCTAssertGreaterThan(totalCapital(policy[t]), totalCapital(base[t]), "capital in \(policy[t].year)")
        }
        XCTAssertGreaterThan(policy.last!.realGDP.reduce(0, +), base.last!.realGDP.reduce(0, +))
    }

    func testOpeningActsOnTheCitiesItTargets() throws {
        let targets = ["chengdu", "chongqing_core"]
        let opening = OpeningPolicy(window: PolicyWindow(start: 2020), cities: targets, exports: 100)
        let base = try run([], years: 5)
        let policy = try run([opening], years: 5)
        let gain = (0..<Self.roster.count).map { policy.last!.realGDP[$0] / base.last!.realGDP[$0] - 1 }
        let targeted = Self.roster.cities.indices.filter { targets.contains(Self.roster.cities[$0].id) }
        let others = Self.roster.cities.indices.filter { !targets.contains(Self.roster.cities[$0].id) }
        let smallestTargeted = targeted.map { gain[$0] }.min()!
        for i in others { XCTAssertLessThan(gain[i], smallestTargeted / 2, Self.roster.cities[i].id) }
        XCTAssertGreaterThan(smallestTargeted, 0)
    }

    func testLoweringBarriersRaisesEveryOriginsExpectedUtilityAndMovesPeopleToHighWageCities() throws {
        let p = ModelParameters()
        let c = Self.base
        let utility = Utility.realUtility(state: c.state, equilibrium: c.equilibrium, structure: c.structure, parameters: p)
        let migration = Migration(structure: c.structure, cities: Self.roster.cities, parameters: p)
        let n = Self.roster.count
        let eased = Migration(
            travelTimes: c.structure.travelTimes, provinces: Self.roster.cities.map(\.province), parameters: p,
            barrierScale: Array(repeating: 0.5, count: n * n), entryBarriers: c.structure.entryBarriers)
        let delta = migration.delta(utility: utility, urbanPopulation: c.state.urbanPopulation)
        let before = migration.inclusiveValue(delta: delta)
        let after = eased.inclusiveValue(delta: delta)
        for i in 0..<n { XCTAssertGreaterThan(after[i], before[i], Self.roster.cities[i].id) }

        let reform = HukouReformPolicy(window: PolicyWindow(start: 2021), barrierFactor: 0.5)
        let base = try run([], years: 5)
        let policy = try run([reform], years: 5)
        // The large cities, whose registration wedge the reform eases, gain residents, and
        // residents move on average to where base-year wages are higher.
        for id in ["chengdu", "chongqing_core"] {
            let i = Self.roster.index(of: id)!
            XCTAssertGreaterThan(policy.last!.state.population[i], base.last!.state.population[i], id)
        }
        let wages = c.equilibrium.wages
        func meanWage(_ r: TickRecord) -> Double {
            let pop = r.state.population
            return zip(pop, wages).reduce(0.0) { $0 + $1.0 * $1.1 } / pop.reduce(0, +)
        }
        XCTAssertGreaterThan(meanWage(policy.last!), meanWage(base.last!))
        XCTAssertGreaterThan(policy.last!.realGDP.reduce(0, +), base.last!.realGDP.reduce(0, +))
    }
}
