// Policies, `extends` and `--set` in scenario files: each kind is built with the model type's
// defaults, a child file overrides and merges its parent's keys, overrides reach every part
// of the scenario, and the resolved scenario records what was used.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class PolicyScenarioTests: XCTestCase {
    /// The package root.
    private static let packageRoot = Checkout.root
    private static let roster = packageRoot.appendingPathComponent("seeds/cities.csv").path

    /// A fresh folder, removed when the test ends.
    private func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    @discardableResult
    private func write(_ text: String, to folder: URL, _ name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A region scenario on the seed roster, followed by `body`.
    private func scenario(_ body: String) -> String {
        "schema = 1\nname = \"test\"\nroster = \"\(Self.roster)\"\n\(body)\n"
    }

    private func resolved(_ tree: [String: ScenarioValue], _ path: String...) -> ScenarioValue? {
        var node: ScenarioValue? = .table(tree)
        for key in path {
            switch node {
            case .table(let table)?: node = table[key]
            case .array(let items)?: node = Int(key).flatMap { $0 < items.count ? items[$0] : nil }
            default: return nil
            }
        }
        return node
    }

    /// The single error description of loading `path`, for tests of one message.
    private func error(loading path: String, overrides: [String] = []) -> String? {
        do {
            _ = try ScenarioLoader.load(path: path, overrides: overrides)
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: - Policies

    /// A policy written with only its required keys gets every default of its Swift type, and
    /// the resolved scenario records the defaults the catalogue states.
    func testEveryKindTakesTheDefaultsOfItsType() throws {
        let folder = try scratch()
        let required: [String: String] = [
            "cities": "cities = [\"chengdu\", \"deyang\"]",
            "links": "links = [{ from = \"chengdu\", to = \"chongqing\", minutes = 50 }]",
            "amount": "amount = 30",
        ]
        // A default list of cities naming a group of the roster (`chongqing` in
        // industry_transfer's `from`) is resolved to the group's members.
        let groups = try RosterLoader.load(cities: Self.roster)
        func onRoster(_ value: ScenarioValue, _ key: PolicyCatalog.Key) -> ScenarioValue {
            guard case .cities = key.value, case .array(let items) = value else { return value }
            return .array(items.flatMap { item -> [ScenarioValue] in
                guard case .string(let id) = item, let members = groups.cityIDs(for: id) else { return [item] }
                return members.map(ScenarioValue.string)
            })
        }
        for kind in PolicyCatalog.kinds {
            let lines = kind.keys.filter { $0.defaultValue == nil && !$0.optional }.map { try! XCTUnwrap(required[$0.name], $0.name) }
            let path = try write(scenario("""
                [[policy]]
                kind = "\(kind.name)"
                start = 2021
                \(lines.joined(separator: "\n"))
                """), to: folder, "\(kind.name).toml")
            let loaded = try ScenarioLoader.load(path: path)
            let policy = try XCTUnwrap(loaded.policies.first, kind.name)
            XCTAssertEqual(type(of: policy).kind, kind.name)
            XCTAssertEqual(policy.window, PolicyWindow(start: 2021), kind.name)
            for key in kind.keys {
                guard let value = key.defaultValue else { continue }
                XCTAssertEqual(resolved(loaded.resolved, "policy", "0", key.name), onRoster(value, key), "\(kind.name).\(key.name)")
            }
        }
        // The defaults are the initialisers' (spot checks against the types themselves).
        let any = PolicyWindow(start: 2021)
        let sharing = try XCTUnwrap(try ScenarioLoader.load(path: folder.appendingPathComponent("tax_sharing.toml").path).policies.first as? TaxSharingPolicy)
        XCTAssertEqual(sharing.share, TaxSharingPolicy(window: any).share)
        XCTAssertEqual(sharing.years, TaxSharingPolicy(window: any).years)
        let transfer = try XCTUnwrap(try ScenarioLoader.load(path: folder.appendingPathComponent("industry_transfer.toml").path).policies.first as? IndustryTransferPolicy)
        let reference = IndustryTransferPolicy(window: any, cities: ["chengdu", "deyang"])
        XCTAssertEqual(reference.from, ["chengdu", "chongqing"])
        XCTAssertEqual(transfer.from, ["chengdu", "chongqing_core", "chongqing_rest"])
        XCTAssertEqual(transfer.designationWeight, reference.designationWeight)
        XCTAssertEqual(transfer.relocationBonus, reference.relocationBonus)
        let opening = try XCTUnwrap(try ScenarioLoader.load(path: folder.appendingPathComponent("opening.toml").path).policies.first as? OpeningPolicy)
        XCTAssertEqual(opening.sectors, OpeningPolicy(window: any, cities: []).sectors)
        XCTAssertEqual(opening.exports, OpeningPolicy(window: any, cities: []).exports)
    }

    func testPolicyValuesReachTheModelTypes() throws {
        let path = try write(scenario("""
            [[policy]]
            kind = "industry_transfer"
            start = 2021
            end = 2030
            clause = "二(六)「優先承接功能疏解和產業外溢」"
            cities = ["deyang", "mianyang"]
            sectors = ["manufacturing"]
            inflow = 150
            designation_weight = 3
            from = ["chengdu"]
            relocation_bonus = 0.1

            [[policy]]
            kind = "transport"
            start = 2027

            [[policy.links]]
            from = "chengdu"
            to = "chongqing"
            minutes = 45
            note = "成渝中線高鐵"

            [[policy]]
            kind = "subsidy_coordination"
            start = 2021
            zones = ["chengdu_plain", "south"]
            max_subsidy = 0.05
            """), to: try scratch(), "values.toml")
        let loaded = try ScenarioLoader.load(path: path)
        XCTAssertEqual(loaded.policies.count, 3)
        let transfer = try XCTUnwrap(loaded.policies[0] as? IndustryTransferPolicy)
        XCTAssertEqual(transfer.window, PolicyWindow(start: 2021, end: 2030))
        XCTAssertEqual(transfer.cities, ["deyang", "mianyang"])
        XCTAssertEqual(transfer.sectors, ["manufacturing"])
        XCTAssertEqual(transfer.inflow, 150)
        XCTAssertEqual(transfer.designationWeight, 3)
        XCTAssertEqual(transfer.from, ["chengdu"])
        XCTAssertEqual(transfer.relocationBonus, 0.1)
        let transport = try XCTUnwrap(loaded.policies[1] as? TransportPolicy)
        // The group `chongqing` is reached at its seat, the first member.
        XCTAssertEqual(transport.links, [TransportLink(from: "chengdu", to: "chongqing_core", hours: 0.75, note: "成渝中線高鐵")])
        let coordination = try XCTUnwrap(loaded.policies[2] as? SubsidyCoordinationPolicy)
        XCTAssertEqual(coordination.zones, ["chengdu_plain", "south"])
        XCTAssertEqual(coordination.maxSubsidy, 0.05)

        XCTAssertEqual(resolved(loaded.resolved, "policy", "0", "clause"), .string("二(六)「優先承接功能疏解和產業外溢」"))
        XCTAssertEqual(resolved(loaded.resolved, "policy", "0", "end"), .number(2030))
        XCTAssertNil(resolved(loaded.resolved, "policy", "1", "end"), "a policy in force to the end has no end year")
        XCTAssertEqual(resolved(loaded.resolved, "policy", "1", "links", "0", "minutes"), .number(45))
        XCTAssertEqual(resolved(loaded.resolved, "overrides"), .array([]))
    }

    func testAScenarioWithoutPoliciesHasNone() throws {
        let baseline = try ScenarioLoader.load(path: Self.packageRoot.appendingPathComponent("scenarios/baseline.toml").path)
        XCTAssertTrue(baseline.policies.isEmpty)
        XCTAssertEqual(baseline.resolved["policy"], .array([]))
        XCTAssertEqual(baseline.resolved["extends"], .array([]))
    }

    // MARK: - extends

    func testChildOverridesMergesTablesAndAppendsPolicies() throws {
        let folder = try scratch()
        try write(scenario("""
            description = "the parent"
            [time]
            start = 2020
            end = 2030
            dt = 0.5
            [model]
            migration_rate = 0.2
            hukou_barrier = 1.5
            [model.sectors.services]
            elasticity = 4.5
            [[policy]]
            kind = "hukou_reform"
            start = 2021
            """), to: folder, "base/parent.toml")
        let child = try write("""
            schema = 1
            extends = "base/parent.toml"
            name = "child"
            [time]
            end = 2025
            [model]
            hukou_barrier = 0.5
            [[policy]]
            kind = "innovation_hub"
            start = 2022
            cities = ["mianyang"]
            """, to: folder, "child.toml")
        let loaded = try ScenarioLoader.load(path: child)
        XCTAssertEqual(loaded.name, "child", "the child's key replaces the parent's")
        XCTAssertEqual(loaded.description, "the parent", "a key the child leaves out is inherited")
        XCTAssertEqual(loaded.settings, SimulationSettings(startYear: 2020, endYear: 2025, dt: 0.5, seed: 1), "[time] merged key by key")
        XCTAssertEqual(loaded.parameters.migrationRate, 0.2)
        XCTAssertEqual(loaded.parameters.hukouBarrier, 0.5)
        XCTAssertEqual(loaded.parameters.value(of: "sectors.services.elasticity"), 4.5)
        XCTAssertEqual(loaded.policies.map { type(of: $0).kind }, ["hukou_reform", "innovation_hub"], "parent's policies first")
        XCTAssertEqual(loaded.kind, .region(rosterPath: Self.roster))
        XCTAssertEqual(loaded.resolved["extends"], .array([.string(folder.appendingPathComponent("base/parent.toml").standardizedFileURL.path)]))
    }

    func testInheritedRosterIsTakenFromTheParentsFolder() throws {
        let folder = try scratch()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("seeds"), withIntermediateDirectories: true)
        for file in ["cities.csv", "roles.csv", "links.csv"] {
            try FileManager.default.copyItem(
                at: Self.packageRoot.appendingPathComponent("seeds/\(file)"), to: folder.appendingPathComponent("seeds/\(file)"))
        }
        try write("schema = 1\nname = \"parent\"\nroster = \"../seeds/cities.csv\"\n", to: folder, "scenarios/parent.toml")
        let child = try write("schema = 1\nextends = \"../parent.toml\"\nname = \"child\"\n", to: folder, "scenarios/deeper/child.toml")
        let loaded = try ScenarioLoader.load(path: child)
        XCTAssertEqual(loaded.kind, .region(rosterPath: folder.appendingPathComponent("seeds/cities.csv").standardizedFileURL.path))
    }

    func testParentIsNamedRelativeToTheChildAsGiven() throws {
        // Errors in an inherited value name the parent the way the user reaches it.
        let folder = try scratch()
        try write(scenario("[model]\nmigration_rate = 2"), to: folder, "parent.toml")
        try write("schema = 1\nextends = \"../parent.toml\"\nname = \"child\"\n", to: folder, "policies/child.toml")
        let here = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(here) }
        XCTAssertEqual(error(loading: "policies/child.toml"),
                       "parent.toml:5:1: key 'model.migration_rate': expected a number in [0, 1] (per year), found 2")
    }

    // MARK: - --set

    func testOverridesReachEveryPartOfTheScenario() throws {
        let decision = Self.packageRoot.appendingPathComponent("scenarios/decision-2020.toml").path
        let loaded = try ScenarioLoader.load(path: decision, overrides: [
            "time.end=2030", "run.seed=7", "model.migration_rate=0.05",
            "model.sectors.services.elasticity=3.5", "policy[1].share=0.3", "model.decision_rule=fixed",
            "policy[4].links[0].minutes=30",
        ])
        XCTAssertEqual(loaded.settings, SimulationSettings(startYear: 2020, endYear: 2030, dt: 1, seed: 7))
        XCTAssertEqual(loaded.parameters.migrationRate, 0.05)
        XCTAssertEqual(loaded.parameters.value(of: "sectors.services.elasticity"), 3.5)
        XCTAssertEqual(loaded.parameters.decisionRule, .fixed, "a bare word is taken as a string")
        XCTAssertEqual((loaded.policies[1] as? TaxSharingPolicy)?.share, 0.3)
        XCTAssertEqual(try XCTUnwrap((loaded.policies[4] as? TransportPolicy)?.links.first).hours, 0.5, accuracy: 1e-15)
        XCTAssertEqual(resolved(loaded.resolved, "policy", "1", "share"), .number(0.3))
        XCTAssertEqual(resolved(loaded.resolved, "overrides", "4"), .string("policy[1].share=0.3"))
        XCTAssertEqual(resolved(loaded.resolved, "run", "seed"), .integer(7))

        let theory = Self.packageRoot.appendingPathComponent("scenarios/theory/core-periphery.toml").path
        let cp = try ScenarioLoader.load(path: theory, overrides: ["core_periphery.trade_cost=1.7"])
        guard case .corePeriphery(let settings) = cp.kind else { return XCTFail("not core_periphery") }
        XCTAssertEqual(settings.tradeCost, 1.7)
        XCTAssertLessThan(settings.freeness, settings.breakPoint, "T = 1.7 is above 7^(1/4): the even split is stable")
    }

    func testSeedOptionWinsOverAnOverrideOfTheSeed() throws {
        let baseline = Self.packageRoot.appendingPathComponent("scenarios/baseline.toml").path
        let loaded = try ScenarioLoader.load(path: baseline, seed: 11, overrides: ["run.seed=7"])
        XCTAssertEqual(loaded.settings.seed, 11)
    }

    func testOverridesCreateMissingTablesAndApplyInOrder() throws {
        let path = try write(scenario(""), to: try scratch(), "plain.toml")
        let loaded = try ScenarioLoader.load(path: path, overrides: [
            "model.sectors.manufacturing.trade_cost_per_hour=0.05", "time.end=2025", "time.end=2024",
            #"policy=[{ kind = "hukou_reform", start = 2021 }]"#,
        ])
        XCTAssertEqual(loaded.parameters.value(of: "sectors.manufacturing.trade_cost_per_hour"), 0.05)
        XCTAssertEqual(loaded.settings.endYear, 2024, "the later override wins")
        XCTAssertEqual(loaded.policies.map { type(of: $0).kind }, ["hukou_reform"], "a whole list can be set")
    }

    /// `--set time.end` may cut a run short of its later policies, which then do not act; a
    /// policy year set with `--set` is checked against the files' years like one in a file.
    func testShorteningTheRunKeepsLaterPolicies() throws {
        let transport = Self.packageRoot.appendingPathComponent("scenarios/policies/transport.toml").path
        let short = try ScenarioLoader.load(path: transport, overrides: ["time.end=2023"])
        XCTAssertEqual(short.settings.endYear, 2023)
        XCTAssertEqual(short.policies.first?.window.start, 2027)
        XCTAssertEqual(error(loading: transport, overrides: ["policy[0].start=2036"]),
                       "--set: key 'policy[0].start': expected a year in [2020, 2035] (the scenario's [time]), found 2036")
    }

    func testOverrideKeyPaths() throws {
        let path = try write(scenario("[[policy]]\nkind = \"hukou_reform\"\nstart = 2021"), to: try scratch(), "one.toml")
        XCTAssertEqual(error(loading: path, overrides: ["extends=other.toml"]),
                       "--set: key 'extends': cannot be set with --set: the files a scenario extends are read before the overrides apply")
        XCTAssertEqual(error(loading: path, overrides: ["policy[0]cities=[]"]),
                       "--set: 'policy[0]cities' is not a key path; expected dotted keys with array indices from 0, e.g. model.migration_rate or policy[1].share")
        XCTAssertEqual(error(loading: path, overrides: ["model.hukou_barrier[0]=1"]),
                       "--set: key 'model.hukou_barrier': not set, so it has no elements to change")
        XCTAssertNil(error(loading: path, overrides: ["policy[0].cities=[\"chengdu\"]"]))
    }
}
