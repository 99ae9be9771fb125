// Every scenario shipped in scenarios/ is checked, prepared and run over a short horizon, and
// every clause of the decision the policy scenarios quote is found, word for word, in the
// section of the decision text they cite.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class ShippedScenarioTests: XCTestCase {
    /// The package root.
    private static let packageRoot = Checkout.root

    /// Every scenario file under scenarios/, as absolute paths, sorted. Sweep definitions,
    /// which name the scenario they vary with a top-level `scenario = "…"`, are not scenario
    /// files; the sweep tests check them.
    private static func shippedScenarios() throws -> [String] {
        let folder = packageRoot.appendingPathComponent("scenarios")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        let sweep = try Regex(#"(?m)^scenario\s*="#)
        return try enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".toml") }.sorted()
            .map { folder.appendingPathComponent($0).path }
            .filter { try String(contentsOfFile: $0, encoding: .utf8).firstMatch(of: sweep) == nil }
    }

    /// Every .toml file under scenarios/, sweep definitions included (their comments quote
    /// the decision too).
    private static func shippedTOMLFiles() throws -> [String] {
        let folder = packageRoot.appendingPathComponent("scenarios")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".toml") }.sorted()
            .map { folder.appendingPathComponent($0).path }
    }

    private func relative(_ path: String) -> String {
        String(path.dropFirst(Self.packageRoot.path.count + 1))
    }

    func testEveryShippedScenarioValidatesAndRunsThreeYears() throws {
        let files = try Self.shippedScenarios()
        XCTAssertGreaterThanOrEqual(files.count, 15, "baseline, core–periphery, 12 policies and the decision")
        var baselineFirstYear: [Double]?
        for file in files.sorted(by: { a, _ in a.hasSuffix("/baseline.toml") }) {
            XCTAssertNoThrow(try ScenarioLoader.validate(path: file), relative(file))
            let full = try ScenarioLoader.load(path: file)
            let end = full.settings.startYear + 3
            let scenario = try ScenarioLoader.load(path: file, overrides: ["time.end=\(TOMLFormat.number(end))"])
            XCTAssertEqual(scenario.settings.endYear, end, relative(file))
            XCTAssertEqual(scenario.policies.count, full.policies.count, "shortening the run keeps every policy of \(relative(file))")
            let prepared = try ScenarioLoader.prepare(scenario)
            let simulation = try Simulation(
                setup: prepared.setup, parameters: prepared.parameters, settings: scenario.settings, policies: scenario.policies)
            var records: [TickRecord] = []
            try simulation.run { records.append($0) }
            XCTAssertEqual(records.count, scenario.settings.tickCount + 1, relative(file))
            if file.hasSuffix("/baseline.toml") { baselineFirstYear = records[0].realGDP }
            // A policy does nothing before its start year: policy scenarios whose policies all
            // start after the base year begin exactly as the baseline does.
            if relative(file).hasPrefix("scenarios/policies/"), scenario.policies.allSatisfy({ $0.window.start > scenario.settings.startYear }) {
                XCTAssertEqual(records[0].realGDP, baselineFirstYear, relative(file))
            }
            for record in records {
                if record.tick > 0 {
                    XCTAssertLessThan(record.conservation?.worst ?? .infinity, 1e-9, "accounting identities of \(relative(file)) at \(record.year)")
                }
                XCTAssertEqual(record.state.transfers.reduce(0, +), -Self.fundInjection(scenario.policies, year: record.year),
                               accuracy: 1e-6, "transfers balance in \(relative(file)) at \(record.year)")
            }
        }
    }

    /// What investment funds in force in `year` inject, 亿元 per year: the only money that
    /// transfers between governments do not return to them (MODEL.md §4, investment_fund).
    private static func fundInjection(_ policies: [any Policy], year: Double) -> Double {
        policies.compactMap { $0 as? InvestmentFundPolicy }.filter { $0.window.contains(year) }.reduce(0) { $0 + $1.amount }
    }

    func testEachPolicyFileExtendsTheBaselineWithPoliciesOfItsKindOnly() throws {
        let baseline = try ScenarioLoader.load(path: Self.packageRoot.appendingPathComponent("scenarios/baseline.toml").path)
        let folder = Self.packageRoot.appendingPathComponent("scenarios/policies")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }.sorted()
        let kinds = files.map { String($0.dropLast(5)).replacingOccurrences(of: "-", with: "_") }
        XCTAssertEqual(Set(kinds), Set(PolicyCatalog.kinds.map(\.name)), "one file per policy kind, named after it")
        for (file, kind) in zip(files, kinds) {
            let scenario = try ScenarioLoader.load(path: folder.appendingPathComponent(file).path)
            // One block, or several of the one kind (hukou reform: the megacities and the rest).
            XCTAssertFalse(scenario.policies.isEmpty, file)
            XCTAssertEqual(Set(scenario.policies.map { type(of: $0).kind }), [kind], file)
            XCTAssertNotEqual(scenario.name, baseline.name, "\(file) has a name of its own, so its runs do not overwrite the baseline's")
            XCTAssertEqual(scenario.settings, baseline.settings, "\(file) keeps the baseline's years and seed")
            XCTAssertEqual(scenario.parameters, baseline.parameters, "\(file) keeps the baseline's parameters")
            XCTAssertEqual(scenario.kind, baseline.kind, file)
            XCTAssertEqual(scenario.resolved["extends"], .array([.string(Self.packageRoot.appendingPathComponent("scenarios/baseline.toml").path)]))
        }
    }

    func testDecisionPackageHasEveryKindOnItsTimeline() throws {
        let scenario = try ScenarioLoader.load(path: Self.packageRoot.appendingPathComponent("scenarios/decision-2020.toml").path)
        XCTAssertEqual(Set(scenario.policies.map { type(of: $0).kind }), Set(PolicyCatalog.kinds.map(\.name)))
        let metro = try XCTUnwrap(scenario.policies.first as? MetroIntegrationPolicy)
        XCTAssertEqual(metro.cities, ["chengdu", "deyang", "meishan", "ziyang"])
        XCTAssertEqual(metro.window.start, 2020)
        // policy[1] is tax sharing, from 2021 (docs/SCENARIOS.md uses --set policy[1].share).
        let sharing = try XCTUnwrap(scenario.policies[1] as? TaxSharingPolicy)
        XCTAssertEqual(sharing.window, PolicyWindow(start: 2021))
        let links = scenario.policies.compactMap { $0 as? TransportPolicy }
        XCTAssertEqual(links.map(\.window.start), [2024, 2026, 2027])
        let central = try XCTUnwrap(links.last?.links.first)
        XCTAssertEqual(central.from, "chengdu")
        // `chongqing` in a link is the group's seat, its central urban area.
        XCTAssertEqual(central.to, "chongqing_core")
        XCTAssertEqual(central.hours * 60, 50, accuracy: 1e-12)
        let dazhou = try XCTUnwrap(links[1].links.first)
        XCTAssertEqual(dazhou.hours * 60, 90, accuracy: 1e-12)
        let hubs = try XCTUnwrap(scenario.policies.compactMap { $0 as? InnovationHubPolicy }.first)
        // `chongqing` in a list of cities stands for both of its parts.
        XCTAssertEqual(hubs.cities, ["chengdu", "chongqing_core", "chongqing_rest", "mianyang"])
        let eco = try XCTUnwrap(scenario.policies.compactMap { $0 as? EcoProtectionPolicy }.first)
        XCTAssertEqual(eco.cities, ["aba", "ganzi"])
        XCTAssertGreaterThan(eco.compensation, 0)
        let opening = try XCTUnwrap(scenario.policies.compactMap { $0 as? OpeningPolicy }.first)
        XCTAssertEqual(opening.cities, ["chengdu", "chongqing_core", "chongqing_rest"])
        // Every policy of the shipped package says which clause it implements.
        guard case .array(let resolved)? = scenario.resolved["policy"] else { return XCTFail("no resolved policies") }
        XCTAssertEqual(resolved.count, scenario.policies.count)
        for case .table(let policy) in resolved {
            guard case .string(let clause)? = policy["clause"] else { return XCTFail("a policy without a clause: \(policy)") }
            XCTAssertTrue(clause.contains("「"), clause)
        }
    }

    func testDecisionPackageChangesTheEconomyAgainstTheBaseline() throws {
        func run(_ file: String) throws -> (Simulation, [TickRecord]) {
            let scenario = try ScenarioLoader.load(
                path: Self.packageRoot.appendingPathComponent(file).path, overrides: ["time.end=2023"])
            let prepared = try ScenarioLoader.prepare(scenario)
            let simulation = try Simulation(
                setup: prepared.setup, parameters: prepared.parameters, settings: scenario.settings, policies: scenario.policies)
            var records: [TickRecord] = []
            try simulation.run { records.append($0) }
            return (simulation, records)
        }
        let (baseSimulation, base) = try run("scenarios/baseline.toml")
        let (policySimulation, policy) = try run("scenarios/decision-2020.toml")
        let ids = baseSimulation.setup.cities.map(\.id)
        let n = ids.count
        func index(_ id: String) throws -> Int { try XCTUnwrap(ids.firstIndex(of: id), id) }
        // Policies in force from 2020 act in the base year's equilibrium already: export
        // demand raises the value of Chengdu's and Chongqing's output at the year's prices.
        for id in ["chengdu", "chongqing_core", "chongqing_rest"] {
            XCTAssertGreaterThan(policy[0].equilibrium.gdp[try index(id)], base[0].equilibrium.gdp[try index(id)], id)
        }
        // 同城化: Chengdu–Deyang travel time is 0.8 of the baseline's.
        let (cd, dy) = (try index("chengdu"), try index("deyang"))
        XCTAssertEqual(policySimulation.setup.structure.travelTimes[cd * n + dy],
                       0.8 * baseSimulation.setup.structure.travelTimes[cd * n + dy], accuracy: 1e-12)
        // Transfers: the baseline has none, the package moves money between governments.
        XCTAssertEqual(base.last!.state.transfers.map(abs).reduce(0, +), 0)
        XCTAssertGreaterThan(policy.last!.state.transfers.map(abs).reduce(0, +), 1)
        // Eco protection: Aba's manufacturing capital never exceeds 2.5 times its 2020 level (the
        // package's cap; PolicyTests checks a binding cap of 1).
        let aba = try index("aba")
        for record in policy { XCTAssertLessThanOrEqual(record.state.capital[aba * 3], 2.5 * policy[0].state.capital[aba * 3] * (1 + 1e-12)) }
        XCTAssertNotEqual(policy.last!.realGDP.reduce(0, +), base.last!.realGDP.reduce(0, +))
    }

    // MARK: - Clauses of the decision

    /// Each 「quoted phrase」 in a shipped scenario (in a comment or a `clause`) is found
    /// verbatim in seeds/decision-…txt, in the part and section (`三(十)`) written before it.
    func testEveryQuotedClauseIsVerbatimInTheSectionItCites() throws {
        let decision = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("seeds/decision-2020-07-10-chengdu-chongqing-twin-city-circle.txt"),
            encoding: .utf8)
        let label = try NSRegularExpression(pattern: "([一二三四])\\(([一二三四五六七八九十]+)\\)")
        let quote = try NSRegularExpression(pattern: "「([^」]+)」")
        var checked = 0
        for file in try Self.shippedTOMLFiles() {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let ns = text as NSString
            for match in quote.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let phrase = ns.substring(with: match.range(at: 1))
                let before = NSRange(location: 0, length: match.range.location)
                guard let cited = label.matches(in: text, range: before).last.map({ ns.substring(with: $0.range) }) else {
                    XCTFail("\(relative(file)): 「\(phrase)」 has no section before it")
                    continue
                }
                XCTAssertEqual(Self.section(of: phrase, in: decision), cited, "\(relative(file)): 「\(phrase)」")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 30, "every policy file and every policy of the package quotes its clause")
    }

    /// `三(十)` for a phrase of the decision: the last part heading (`三、…`) and section
    /// (`(十)…`) starting a line before its first occurrence; `nil` when it does not occur.
    private static func section(of phrase: String, in decision: String) -> String? {
        guard let found = decision.range(of: phrase) else { return nil }
        var part: Character?
        var section: String?
        for line in decision[..<found.lowerBound].split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, "一二三四".contains(first), line.dropFirst().first == "、" { part = first }
            if line.first == "(", let close = line.firstIndex(of: ")"),
               line[line.index(after: line.startIndex)..<close].allSatisfy({ "一二三四五六七八九十".contains($0) })
            {
                section = String(line[...close])
            }
        }
        guard let part, let section else { return nil }
        return "\(part)\(section)"
    }
}

/// Numbers written for `--set` as TOML reads them back.
enum TOMLFormat {
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
