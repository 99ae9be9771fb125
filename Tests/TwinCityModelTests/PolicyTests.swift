// Each policy of MODEL.md §4 acting in its intended direction, in isolation: a run with the
// policy against the same run without it, same seed, shocks off.
import XCTest
import TwinCityModel

final class PolicyTests: XCTestCase {
    /// The two cores of the seed roster, Chongqing in its two parts (the type's default
    /// `from` names the group `chongqing`, which the scenario loader expands; the model knows
    /// only cities).
    static let cores = ["chengdu", "chongqing_core", "chongqing_rest"]

    struct Run {
        var records: [TickRecord]
        var simulation: Simulation
        var last: TickRecord { records.last! }
    }

    static let roster = try! realRoster()
    static let base: CalibratedEconomy = try! Calibration.calibrate(roster: roster, parameters: ModelParameters())

    func index(_ id: String) -> Int { Self.roster.index(of: id)! }

    func run(_ policies: [any Policy], years: Double = 5, rule: DecisionRuleKind = .fixed,
             configure: (inout ModelParameters) -> Void = { _ in }) throws -> Run {
        var p = ModelParameters()
        p.productivityShockSD = 0
        p.decisionRule = rule
        configure(&p)
        let setup = SimulationSetup(calibrated: Self.base, cities: Self.roster.cities, links: Self.roster.links)
        let sim = try Simulation(setup: setup, parameters: p, settings: SimulationSettings(startYear: 2020, endYear: 2020 + years, dt: 1, seed: 5), policies: policies)
        var records: [TickRecord] = []
        try sim.run { records.append($0) }
        for r in records.dropFirst() {
            XCTAssertLessThan(r.conservation!.worst, 1e-10, "accounting identities with \(policies.map { type(of: $0).kind })")
            XCTAssertLessThan(abs(r.equilibrium.agricultureExcess), 1e-9, "Walras")
        }
        return Run(records: records, simulation: sim)
    }

    func capital(_ r: TickRecord, _ city: Int, sector: Int? = nil) -> Double {
        let s = 3
        return sector.map { r.state.capital[city * s + $0] } ?? (0..<s).reduce(0.0) { $0 + r.state.capital[city * s + $1] }
    }

    func relocated(_ run: Run, from origin: Int, to destinations: [Int]) -> Double {
        let n = Self.roster.count
        return run.records.compactMap(\.flows).reduce(0.0) { total, f in
            total + destinations.reduce(0.0) { $0 + f.industry[origin * n + $1] }
        }
    }

    let window = PolicyWindow(start: 2020)
    let tilt: (inout ModelParameters) -> Void = { p in
        // A visible return gap: a faster base productivity growth outside the cores is not
        // needed; relocation is driven by the policy's own bonus.
        p.relocationRate = 0.5
    }

    func testIndustryTransferDirectsIndustryToDesignatedCities() throws {
        let designated = ["deyang", "meishan", "ziyang"]
        let baseline = try run([], configure: tilt)
        let policy = try run([IndustryTransferPolicy(window: window, cities: designated, inflow: 200, designationWeight: 3, from: Self.cores)], configure: tilt)
        for id in designated {
            XCTAssertGreaterThan(capital(policy.last, index(id)), capital(baseline.last, index(id)), id)
        }
        let targets = designated.map(index)
        XCTAssertGreaterThan(relocated(policy, from: index("chengdu"), to: targets), relocated(baseline, from: index("chengdu"), to: targets))
        XCTAssertLessThan(capital(policy.last, index("yibin")), capital(baseline.last, index("yibin")) * 1.0000001, "non-designated cities get no more")
    }

    func testTaxSharingLowersRetentionAndRaisesRelocationFromChengdu() throws {
        let designated = ["deyang", "meishan", "ziyang"]
        let transfer = IndustryTransferPolicy(window: window, cities: designated, designationWeight: 1, from: Self.cores, relocationBonus: 0.08)
        let sharing = TaxSharingPolicy(window: window, share: 0.5, years: 10, origins: ["chengdu"], destinations: designated)
        let without = try run([transfer], years: 8, rule: .tournament, configure: tilt)
        let with = try run([transfer, sharing], years: 8, rule: .tournament, configure: tilt)
        let chengdu = index("chengdu")
        let retentionWithout = without.records.map { $0.agents[chengdu].retention }.reduce(0, +)
        let retentionWith = with.records.map { $0.agents[chengdu].retention }.reduce(0, +)
        XCTAssertGreaterThan(retentionWithout, 0, "Chengdu resists losing industry without tax sharing")
        XCTAssertLessThan(retentionWith, retentionWithout, "tax sharing lowers the origin's retention effort")
        let targets = designated.map(index)
        XCTAssertGreaterThan(relocated(with, from: chengdu, to: targets), relocated(without, from: chengdu, to: targets))
        // Chengdu receives its share of the tax from destinations; transfers sum to zero.
        let late = with.last
        XCTAssertGreaterThan(late.state.transfers[chengdu], 0)
        XCTAssertEqual(late.state.transfers.reduce(0, +), 0, accuracy: 1e-9)
    }

    func testFasterLinkLowersTravelTimeAndRaisesTrade() throws {
        let cd = index("chengdu"), cq = index("chongqing_core"), n = Self.roster.count
        let link = TransportLink(from: "chengdu", to: "chongqing_core", hours: 0.75, note: "成渝中線高鐵")
        let baseline = try run([], years: 3)
        let policy = try run([TransportPolicy(window: PolicyWindow(start: 2022), links: [link])], years: 3)
        let before = baseline.simulation.setup.structure
        let after = policy.simulation.setup.structure
        XCTAssertEqual(after.travelTimes[cd * n + cq], 0.75 + ModelParameters().railAccessHours, accuracy: 1e-12)
        XCTAssertLessThan(after.travelTimes[cd * n + cq], before.travelTimes[cd * n + cq])
        func trade(_ r: Run, _ s: EconomyStructure) -> Double {
            (0..<3).reduce(0.0) { $0 + r.last.equilibrium.trade(from: cd, to: cq, sector: $1, structure: s) + r.last.equilibrium.trade(from: cq, to: cd, sector: $1, structure: s) }
        }
        XCTAssertGreaterThan(trade(policy, after), trade(baseline, before))
        // Before the opening year nothing differs.
        XCTAssertEqual(policy.records[1].realGDP, baseline.records[1].realGDP)
    }

    func testMetroIntegrationRaisesMovesWithinTheSet() throws {
        let set = ["chengdu", "deyang", "meishan", "ziyang"]
        let baseline = try run([], years: 3)
        let policy = try run([MetroIntegrationPolicy(window: window, cities: set, timeFactor: 0.7, barrierFactor: 0.2)], years: 3)
        let n = Self.roster.count, members = set.map(index)
        func moves(_ r: Run) -> Double {
            r.records.compactMap(\.flows).reduce(0.0) { t, f in t + members.reduce(0.0) { a, i in a + members.reduce(0.0) { $0 + f.population[i * n + $1] } } }
        }
        XCTAssertGreaterThan(moves(policy), moves(baseline))
        let (cd, dy) = (index("chengdu"), index("deyang"))
        XCTAssertEqual(policy.simulation.setup.structure.travelTimes[cd * n + dy], 0.7 * baseline.simulation.setup.structure.travelTimes[cd * n + dy], accuracy: 1e-12)
    }

    func testHukouReformRaisesMigrationIntoListedCities() throws {
        let baseline = try run([], years: 3)
        let policy = try run([HukouReformPolicy(window: window, cities: ["chengdu"], barrierFactor: 0.3)], years: 3)
        let n = Self.roster.count, cd = index("chengdu")
        func inflow(_ r: Run) -> Double { r.records.compactMap(\.flows).reduce(0.0) { $0 + TickFlows.margins($1.population, cities: n).in[cd] } }
        XCTAssertGreaterThan(inflow(policy), inflow(baseline))
        XCTAssertGreaterThan(policy.last.state.population[cd], baseline.last.state.population[cd])
    }

    func testPublicServicesFollowResidents() throws {
        let policy = try run([PublicServicesByResidentsPolicy(window: window, poolShare: 0.2)], years: 2)
        let t = policy.last.state.transfers
        XCTAssertEqual(t.reduce(0, +), 0, accuracy: 1e-9)
        XCTAssertLessThan(t[index("chengdu")], 0, "a rich city pays into the pool")
        XCTAssertGreaterThan(t[index("bazhong")], 0, "a poor, populous city receives")
        let baseline = try run([], years: 2)
        let b = index("bazhong")
        XCTAssertGreaterThan(policy.last.state.publicServices[b], baseline.last.state.publicServices[b])
    }

    func testEcoProtectionCapsIndustryAndCompensationBalances() throws {
        let protected = ["aba", "ganzi"]
        let baseline = try run([], years: 6)
        let policy = try run([EcoProtectionPolicy(window: window, cities: protected, sectors: ["manufacturing"], cap: 1, compensation: 50)], years: 6)
        for id in protected {
            let i = index(id)
            let base = Self.base.state.capital[i * 3]
            for r in policy.records { XCTAssertLessThanOrEqual(r.state.capital[i * 3], base * (1 + 1e-12), "\(id) manufacturing capped") }
            XCTAssertGreaterThan(capital(baseline.last, i, sector: 0), base, "\(id) grows without the cap")
        }
        for r in policy.records {
            let received = protected.map(index).reduce(0.0) { $0 + r.state.transfers[$1] }
            let paid = -r.state.transfers.enumerated().filter { !protected.map(index).contains($0.offset) }.reduce(0.0) { $0 + $1.element }
            XCTAssertEqual(received, 50, accuracy: 1e-9)
            XCTAssertEqual(paid, received, accuracy: 1e-9, "compensation received equals compensation paid")
        }
    }

    func testInnovationHubRaisesProductivityAndSpillsOver() throws {
        let hubs = ["chengdu", "mianyang"]
        let baseline = try run([], years: 5)
        let policy = try run([InnovationHubPolicy(window: window, cities: hubs, boost: 0.02)], years: 5)
        for id in hubs {
            XCTAssertEqual(policy.last.state.productivity[index(id) * 3] / baseline.last.state.productivity[index(id) * 3], exp(0.02 * 5), accuracy: 0.01)
        }
        let deyang = index("deyang") * 3
        XCTAssertGreaterThan(policy.last.state.productivity[deyang], baseline.last.state.productivity[deyang], "spillover to a neighbour")
    }

    func testLandSupplyLowersRent() throws {
        let baseline = try run([], years: 4)
        let policy = try run([LandSupplyPolicy(window: window, cities: ["chengdu"], extraGrowth: 0.03)], years: 4)
        let cd = index("chengdu")
        XCTAssertEqual(policy.last.state.housing[cd] / baseline.last.state.housing[cd], exp(0.03 * 4), accuracy: 1e-9)
        let rent = { (r: Run) in r.last.equilibrium.rent[cd] / r.last.state.housing[cd] }
        XCTAssertLessThan(rent(policy), rent(baseline))
    }

    func testOpeningRaisesExportersGDP() throws {
        let baseline = try run([], years: 2)
        let policy = try run([OpeningPolicy(window: window, cities: ["chengdu", "chongqing_core"], sectors: ["manufacturing"], exports: 500)], years: 2)
        for id in ["chengdu", "chongqing_core"] {
            XCTAssertGreaterThan(policy.last.equilibrium.gdp[index(id)], baseline.last.equilibrium.gdp[index(id)], id)
        }
        XCTAssertEqual(policy.last.state.exports.reduce(0, +), 1000, accuracy: 1e-9)
    }

    func testInvestmentFundInjectsWhatContributorsPay() throws {
        let recipients = ["nanchong", "dazhou"]
        let baseline = try run([], years: 3)
        let policy = try run([InvestmentFundPolicy(window: window, amount: 100, cities: recipients, contributors: ["chengdu", "chongqing_core"])], years: 3)
        for id in recipients { XCTAssertGreaterThan(capital(policy.last, index(id)), capital(baseline.last, index(id))) }
        for r in policy.records.dropFirst() {
            XCTAssertEqual(r.flows!.fundInvestment.reduce(0, +), 100, accuracy: 1e-9)
        }
        XCTAssertEqual(policy.last.state.transfers.reduce(0, +), -100, accuracy: 1e-9)
        XCTAssertEqual(policy.last.state.transfers[index("chengdu")] + policy.last.state.transfers[index("chongqing_core")], -100, accuracy: 1e-9)
    }

    func testSubsidyCoordinationCapsSubsidiesInTheZone() throws {
        let baseline = try run([], years: 8, rule: .tournament)
        let policy = try run([SubsidyCoordinationPolicy(window: window, zones: ["chengdu_plain"], maxSubsidy: 0.01)], years: 8, rule: .tournament)
        let plain = Self.roster.cities.indices.filter { Self.roster.cities[$0].zone == "chengdu_plain" }
        XCTAssertGreaterThan(plain.map { baseline.last.agents[$0].subsidy }.max()!, 0.01)
        for r in policy.records { for i in plain { XCTAssertLessThanOrEqual(r.agents[i].subsidy, 0.01) } }
    }

    func testUnknownCityOrSectorInAPolicyIsRejectedBeforeTheRun() {
        let setup = SimulationSetup(calibrated: Self.base, cities: Self.roster.cities)
        XCTAssertThrowsError(try Simulation(setup: setup, parameters: ModelParameters(), settings: SimulationSettings(),
                                            policies: [LandSupplyPolicy(window: window, cities: ["chengdou"])])) {
            XCTAssertEqual("\($0)", "policy[0].cities: unknown city 'chengdou'")
        }
        XCTAssertThrowsError(try Simulation(setup: setup, parameters: ModelParameters(), settings: SimulationSettings(),
                                            policies: [InnovationHubPolicy(window: window, cities: ["chengdu"], sectors: ["steel"])])) {
            XCTAssertEqual("\($0)", "policy[0].sectors: unknown sector 'steel'")
        }
    }
}
