// Properties of the model under random parameter draws and random combinations of the shipped
// policies, over many labelled seeds: accounting identities, non-negative stocks, converged
// equilibria, finite records and bitwise replay — or a clean error. The fixed-parameter runs
// of Tests/TwinCityModelTests (SimulationTests, PolicyTests) are not repeated here.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

/// SplitMix64 (Steele, Lea and Flood 2014): a small generator with a fixed algorithm, so a
/// draw is the same on every platform and its label reproduces it.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1) with 53 random bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

final class ModelPropertyTests: XCTestCase {
    static let roster = try! RosterLoader.load(cities: Reliability.packageRoot.appendingPathComponent("seeds/cities.csv").path)

    /// The policies of every scenario in scenarios/policies/, by file name.
    static let shippedPolicies: [(name: String, policies: [any Policy])] = {
        let folder = Reliability.packageRoot.appendingPathComponent("scenarios/policies")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().map { name in
            (name, (try? ScenarioLoader.load(path: folder.appendingPathComponent(name).path).policies) ?? [])
        }
    }()

    /// What one draw set: the parameters changed from their defaults, the policy files.
    struct Draw: CustomStringConvertible {
        var parameters = ModelParameters()
        var changed: [String] = []
        var policyFiles: [String] = []
        var policies: [any Policy] = []
        var description: String { "changed \(changed), policies \(policyFiles)" }
    }

    /// A value inside `info`'s range: uniform over a bounded range; for an unbounded one,
    /// log-uniform within a factor 4 of the default (uniform over [lower, lower + 1] when the
    /// default is 0), which keeps the draw where the model is meant to be used while still
    /// reaching far from the default.
    static func value(for info: ParameterInfo, default current: Double, using rng: inout SplitMix64) -> Double {
        for _ in 0..<100 {
            let x: Double
            if info.upper.isFinite {
                x = info.lower + rng.unit() * (info.upper - info.lower)
            } else if current > 0 {
                x = current * Foundation.exp((2 * rng.unit() - 1) * Foundation.log(4.0))
            } else {
                x = info.lower + rng.unit()
            }
            if info.admits(x) { return x }
        }
        return current
    }

    /// Draw `label`: five catalogue parameters (and, every other draw, one sector's elasticity
    /// and trade cost) moved inside their ranges, and up to three of the shipped policy files.
    static func draw(_ label: UInt64) -> Draw {
        var rng = SplitMix64(seed: 0x7C1_7E5E_ED00 &+ label)
        var draw = Draw()
        var catalog = ModelParameters.catalog
        catalog.shuffle(using: &rng)
        for info in catalog.prefix(5) {
            let x = value(for: info, default: info.value(in: draw.parameters), using: &rng)
            try! draw.parameters.set(info.name, to: x)
            draw.changed.append("\(info.name)=\(x)")
        }
        if label % 2 == 1 {
            let sector = draw.parameters.sectors[Int(rng.next() % UInt64(draw.parameters.sectors.count))].id
            let sigma = 1.5 + 8.5 * rng.unit()
            let kappa = 0.3 * rng.unit()
            try! draw.parameters.set("sectors.\(sector).elasticity", to: sigma)
            try! draw.parameters.set("sectors.\(sector).trade_cost_per_hour", to: kappa)
            draw.changed += ["sectors.\(sector).elasticity=\(sigma)", "sectors.\(sector).trade_cost_per_hour=\(kappa)"]
        }
        var files = shippedPolicies
        files.shuffle(using: &rng)
        for entry in files.prefix(Int(rng.next() % 4)) {
            draw.policyFiles.append(entry.name)
            draw.policies += entry.policies
        }
        return draw
    }

    /// Every number a tick records, as bit patterns, in a fixed order: what a replay must
    /// reproduce exactly, and what must be finite.
    static func recordedBits(_ r: TickRecord) -> [UInt64] {
        let s = r.state, e = r.equilibrium, f = r.fiscal
        var values = s.urbanPopulation + s.ruralPopulation + s.capital + s.productivity + s.ruralProductivity
        values += s.housing + s.publicServices + s.transfers + s.amenity + s.exports
        values += e.prices + e.wages + e.sectorLabour + e.output + e.revenue + e.priceIndex + e.expenditure
        values += e.rent + e.returns + e.gdp + [e.residual, e.agricultureExcess]
        values += r.realGDP + r.utility + r.subsidiesPaid
        values += f.revenue + f.transfers + f.publicSpending + f.otherSpending + f.expectedSubsidies
        values += r.agents.flatMap { [$0.subsidy, $0.retention, $0.publicSpendingShare] }
        if let flows = r.flows {
            values += flows.population + flows.capital + flows.industry + flows.externalIndustry
            values += flows.naturalGrowth + flows.urbanisation + flows.investment + flows.fundInvestment + flows.depreciation
        }
        return values.map(\.bitPattern)
    }

    /// Runs a draw and checks every tick; returns the bits of every tick.
    func runChecked(_ draw: Draw, seed: UInt64, years: Double, label: String) throws -> [[UInt64]] {
        let p = draw.parameters
        let calibrated = try Calibration.calibrate(roster: Self.roster, parameters: p)
        let setup = SimulationSetup(calibrated: calibrated, cities: Self.roster.cities, links: Self.roster.links)
        let simulation = try Simulation(
            setup: setup, parameters: p,
            settings: SimulationSettings(startYear: 2020, endYear: 2020 + years, dt: 1, seed: seed),
            policies: draw.policies)
        var ticks: [[UInt64]] = []
        try simulation.run { r in
            let at = "\(label) tick \(r.tick)"
            if let c = r.conservation {
                // Identities that hold by construction, whatever the equilibrium tolerance.
                XCTAssertLessThan(c.exact, 1e-9, "\(at): accounting identities \(c)")
                // The account with the rest of China sums the goods markets, which clear to
                // the tolerance the equilibrium was solved to.
                XCTAssertLessThan(c.external, max(1e-9, p.equilibriumTolerance), "\(at): external account \(c)")
            }
            XCTAssertLessThanOrEqual(r.equilibrium.residual, p.equilibriumTolerance, "\(at): equilibrium residual")
            // Walras' law holds to the accuracy the equilibrium was solved to.
            XCTAssertLessThanOrEqual(abs(r.equilibrium.agricultureExcess), max(1e-9, p.equilibriumTolerance), "\(at): Walras' law")
            let s = r.state
            XCTAssertTrue(s.capital.allSatisfy { $0 >= 0 }, "\(at): negative capital")
            XCTAssertTrue(s.urbanPopulation.allSatisfy { $0 > 0 }, "\(at): urban population not positive")
            XCTAssertTrue(s.ruralPopulation.allSatisfy { $0 >= 0 }, "\(at): negative rural population")
            XCTAssertTrue(s.housing.allSatisfy { $0 > 0 }, "\(at): housing not positive")
            XCTAssertTrue(s.publicServices.allSatisfy { $0 >= 0 }, "\(at): negative public services")
            let bits = Self.recordedBits(r)
            XCTAssertTrue(bits.allSatisfy { Double(bitPattern: $0).isFinite }, "\(at): a recorded value is not finite")
            ticks.append(bits)
        }
        return ticks
    }

    func testRandomDrawsKeepTheIdentitiesAndReplayBitwiseOrFailCleanly() throws {
        let draws = UInt64(0)..<200
        var completed: [UInt64] = []
        var refused: [String] = []
        for label in draws {
            let draw = Self.draw(label)
            let name = "draw \(label) (\(draw))"
            do {
                let first = try runChecked(draw, seed: 100 + label, years: 8, label: name)
                let replay = try runChecked(draw, seed: 100 + label, years: 8, label: name + " replay")
                XCTAssertEqual(first.count, 9, name)
                XCTAssertTrue(first == replay, "\(name): the replay with the same seed differs")
                completed.append(label)
            } catch let error as SimulationError {
                // A numerical failure is allowed, provided it says where.
                XCTAssertFalse(error.message.isEmpty, name)
                XCTAssertTrue(error.description.hasPrefix("tick \(error.tick) (year "), "\(name): \(error)")
                refused.append("\(label): \(error)")
            } catch let error as ParameterError {
                // Each value is inside its range, but a relation between them may not hold.
                XCTAssertFalse(error.parameter.isEmpty, name)
                refused.append("\(label): \(error)")
            } catch let error as CalibrationError {
                XCTAssertFalse(error.message.isEmpty, name)
                refused.append("\(label): calibration: \(error)")
            } catch {
                XCTFail("\(name): not a clean model error: \(type(of: error)) \(error)")
            }
        }
        // The draws must mostly be runs, or the identities above were hardly exercised.
        XCTAssertGreaterThanOrEqual(completed.count, draws.count * 2 / 3, "completed \(completed); refused \(refused)")
    }

    func testEveryShippedPolicyTogetherUnderRandomShocksKeepsTheIdentities() throws {
        // All twelve policy files at once, with large productivity shocks: the heaviest use of
        // caps, transfers, funds and relocations the shipped files allow.
        var draw = Draw()
        draw.parameters.productivityShockSD = 0.05
        draw.policyFiles = Self.shippedPolicies.map(\.name)
        draw.policies = Self.shippedPolicies.flatMap(\.policies)
        XCTAssertEqual(draw.policyFiles.count, 12)
        for seed in UInt64(1)...3 {
            let ticks = try runChecked(draw, seed: seed, years: 8, label: "all policies, seed \(seed)")
            XCTAssertEqual(ticks.count, 9)
        }
    }

    func testDrawsAreReproducibleFromTheirLabel() {
        let a = Self.draw(7), b = Self.draw(7), c = Self.draw(8)
        XCTAssertEqual(a.parameters, b.parameters)
        XCTAssertEqual(a.policyFiles, b.policyFiles)
        XCTAssertNotEqual(a.parameters, c.parameters)
        XCTAssertEqual(Self.shippedPolicies.count, 12)
        XCTAssertTrue(Self.shippedPolicies.allSatisfy { !$0.policies.isEmpty }, "every policy file loads")
    }
}
