// Loading scenario files: the shipped scenarios load and set up, overrides reach the model,
// each kind of malformed file is reported with its exact location and message, and
// docs/SCENARIOS.md lists every key the loader accepts.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class ScenarioLoaderTests: XCTestCase {
    /// The package root.
    private static let packageRoot = Checkout.root

    /// Absolute path of a shipped file, relative to the package root.
    private func shipped(_ relativePath: String) -> String {
        Self.packageRoot.appendingPathComponent(relativePath).path
    }

    /// Absolute path of a file under Fixtures/scenarios/.
    private func fixture(_ name: String) throws -> String {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent("scenarios").appendingPathComponent(name).path
    }

    /// Loads a fixture, expects it to fail, and compares every reported line, each written
    /// after the fixture's path; one line must come as `InputError`, several as `InputErrors`.
    private func assertErrors(
        _ name: String, _ expected: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let path = try fixture(name)
        let lines = expected.map { path + $0 }
        do {
            let scenario = try ScenarioLoader.load(path: path)
            XCTFail("loaded '\(scenario.name)', expected errors", file: file, line: line)
        } catch let error as InputError {
            XCTAssertEqual([error.description], lines, file: file, line: line)
        } catch let errors as InputErrors {
            XCTAssertGreaterThan(errors.errors.count, 1, "InputErrors holds a single error", file: file, line: line)
            XCTAssertEqual(errors.errors.map(\.description), lines, file: file, line: line)
        } catch {
            XCTFail("unexpected error type \(type(of: error)): \(error)", file: file, line: line)
        }
    }

    /// `a` and `b` agree to a relative 1e-12 (values read from text or computed in closed form).
    private func assertClose(_ a: Double, _ b: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), 1e-12 * max(abs(a), abs(b)), "\(a) vs \(b)", file: file, line: line)
    }

    /// The value at a key path of a resolved scenario.
    private func resolved(_ tree: [String: ScenarioValue], _ path: String...) -> ScenarioValue? {
        var node: ScenarioValue? = .table(tree)
        for key in path {
            guard case .table(let table)? = node else { return nil }
            node = table[key]
        }
        return node
    }

    // MARK: - Shipped scenarios

    func testBaselineLoadsWithTheDocumentedValues() throws {
        let path = shipped("scenarios/baseline.toml")
        let scenario = try ScenarioLoader.load(path: path)
        XCTAssertEqual(scenario.path, path)
        XCTAssertEqual(scenario.name, "baseline")
        XCTAssertFalse(scenario.description.isEmpty)
        XCTAssertEqual(scenario.kind, .region(rosterPath: shipped("seeds/cities.csv")))
        XCTAssertEqual(scenario.settings, SimulationSettings(startYear: 2020, endYear: 2035, dt: 1, seed: 20200710))
        XCTAssertEqual(scenario.settings.tickCount, 15)
        XCTAssertEqual(scenario.replications, 1)
        // No policy and no override: every parameter is the model's default, except the
        // drifts of the estimates file, which every city of the roster has.
        var defaults = ModelParameters()
        defaults.productivityDrift = scenario.parameters.productivityDrift
        XCTAssertEqual(scenario.parameters, defaults)
        XCTAssertEqual(scenario.estimates?.path, shipped("seeds/estimates-2022.toml"))
        XCTAssertEqual(Set(scenario.parameters.productivityDrift.keys), Set(try RosterLoader.load(cities: shipped("seeds/cities.csv")).cities.map(\.id)))
        XCTAssertEqual(scenario.parameters.productivityDrift["chongqing_core"], scenario.parameters.productivityDrift["chongqing_rest"])
        XCTAssertEqual(scenario.parameters.decisionRule, .tournament)
        XCTAssertEqual(resolved(scenario.resolved, "roster"), .string(shipped("seeds/cities.csv")))
        XCTAssertEqual(resolved(scenario.resolved, "run", "seed"), .integer(20200710))
        XCTAssertEqual(resolved(scenario.resolved, "model", "decision_rule"), .string("tournament"))
    }

    func testBaselinePreparesTheTwentyThreeCityRegion() throws {
        let scenario = try ScenarioLoader.load(path: shipped("scenarios/baseline.toml"))
        let prepared = try ScenarioLoader.prepare(scenario)
        XCTAssertEqual(prepared.setup.cities.count, 23)
        XCTAssertEqual(prepared.setup.structure.cityCount, 23)
        XCTAssertEqual(prepared.roster?.count, 23)
        // The calibrated cities keep their group (Chongqing's two parts).
        XCTAssertEqual(prepared.setup.cities.filter { $0.group == "chongqing" }.map(\.id), ["chongqing_core", "chongqing_rest"])
        XCTAssertEqual(prepared.parameters, scenario.parameters)
    }

    func testCorePeripheryLoadsAboveTheBreakPoint() throws {
        let scenario = try ScenarioLoader.load(path: shipped("scenarios/theory/core-periphery.toml"))
        XCTAssertEqual(scenario.name, "core-periphery")
        guard case .corePeriphery(let settings) = scenario.kind else {
            return XCTFail("expected a core_periphery scenario, found \(scenario.kind)")
        }
        XCTAssertEqual(settings.elasticity, 5)
        XCTAssertEqual(settings.manufacturingShare, 0.4)
        XCTAssertEqual(settings.initialShare, 0.501)
        XCTAssertEqual(settings.speed, 10)
        // φ = T^(1−σ) = 0.2 by the choice of T, and φ_B = 1/7 in closed form for σ = 5, μ = 0.4.
        assertClose(settings.freeness, 0.2)
        assertClose(settings.breakPoint, 1.0 / 7)
        XCTAssertGreaterThan(settings.freeness, settings.breakPoint)
        XCTAssertEqual(scenario.settings, SimulationSettings(startYear: 0, endYear: 60, dt: 0.1, seed: 1))
        XCTAssertEqual(scenario.settings.tickCount, 600)
        XCTAssertEqual(scenario.parameters.migrationRule, .replicator)
        XCTAssertEqual(scenario.parameters.replicatorSpeed, 10)
        XCTAssertEqual(resolved(scenario.resolved, "kind"), .string("core_periphery"))
        XCTAssertEqual(resolved(scenario.resolved, "core_periphery", "sigma"), .number(5))
        XCTAssertNil(resolved(scenario.resolved, "roster"))
    }

    func testCorePeripheryPreparesTwoCities() throws {
        let scenario = try ScenarioLoader.load(path: shipped("scenarios/theory/core-periphery.toml"))
        let prepared = try ScenarioLoader.prepare(scenario)
        XCTAssertEqual(prepared.setup.cities.map(\.id), ["city1", "city2"])
        XCTAssertNil(prepared.roster)
        XCTAssertEqual(prepared.parameters, scenario.parameters)
    }

    // MARK: - Overrides

    func testModelOverridesTakeEffect() throws {
        let scenario = try ScenarioLoader.load(path: try fixture("overrides.toml"))
        XCTAssertEqual(scenario.description, "checks that [model] values reach the parameters")
        XCTAssertEqual(scenario.settings, SimulationSettings(startYear: 2020, endYear: 2025, dt: 0.5, seed: 42))
        XCTAssertEqual(scenario.replications, 3)
        let p = scenario.parameters
        XCTAssertEqual(p.migrationRate, 0.12)
        XCTAssertEqual(p.hukouBarrier, 2)
        XCTAssertEqual(p.decisionRule, .fixed)
        XCTAssertEqual(p.migrationRule, .replicator)
        XCTAssertEqual(p.solver, .powell)
        XCTAssertEqual(p.equilibriumMaxIterations, 200)
        XCTAssertEqual(p.value(of: "sectors.services.elasticity"), 4.5)
        XCTAssertEqual(p.value(of: "sectors.manufacturing.trade_cost_per_hour"), 0.06)
        XCTAssertEqual(p.value(of: "sectors.manufacturing.base_mix"), 0.36)
        XCTAssertEqual(p.value(of: "sectors.consumer_goods.base_mix"), 0.14)
        // Keys not written keep their defaults.
        let defaults = ModelParameters()
        XCTAssertEqual(p.taxRate, defaults.taxRate)
        XCTAssertEqual(p.value(of: "sectors.services.base_mix"), defaults.value(of: "sectors.services.base_mix"))

        XCTAssertEqual(resolved(scenario.resolved, "model", "migration_rate"), .number(0.12))
        XCTAssertEqual(resolved(scenario.resolved, "model", "tax_rate"), .number(defaults.taxRate))
        XCTAssertEqual(resolved(scenario.resolved, "model", "equilibrium_max_iterations"), .integer(200))
        XCTAssertEqual(resolved(scenario.resolved, "model", "sectors", "services", "elasticity"), .number(4.5))
        XCTAssertEqual(resolved(scenario.resolved, "run", "replications"), .integer(3))
        XCTAssertEqual(resolved(scenario.resolved, "time", "dt"), .number(0.5))
    }

    func testResolvedScenarioHoldsEveryModelKey() throws {
        let scenario = try ScenarioLoader.load(path: try fixture("overrides.toml"))
        guard case .table(let model)? = resolved(scenario.resolved, "model") else {
            return XCTFail("no model table in the resolved scenario")
        }
        let flat = model.keys.filter { $0 != "sectors" }
            + ModelParameters.defaultSectors.flatMap { s in
                ModelParameters.sectorFields.compactMap { field in
                    resolved(scenario.resolved, "model", "sectors", s.id, field.name).map { _ in "sectors.\(s.id).\(field.name)" }
                }
            }
        XCTAssertEqual(Set(flat), Set(scenario.parameters.allKeys))
    }

    func testOverridesReachTheCalibratedEconomy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("elastic-services.toml").path
        try """
            schema = 1
            name = "elastic services"
            roster = "\(shipped("seeds/cities.csv"))"
            [model.sectors.services]
            elasticity = 4.5
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let prepared = try ScenarioLoader.prepare(try ScenarioLoader.load(path: path))
        XCTAssertEqual(prepared.setup.structure.sectors.first { $0.id == "services" }?.elasticity, 4.5)
        XCTAssertEqual(prepared.setup.cities.count, 23)
    }

    func testSeedArgumentReplacesTheFilesSeed() throws {
        let path = try fixture("overrides.toml")
        let scenario = try ScenarioLoader.load(path: path, seed: 7)
        XCTAssertEqual(scenario.settings.seed, 7)
        XCTAssertEqual(resolved(scenario.resolved, "run", "seed"), .integer(7))
        // A seed beyond Int.max stays exact, as text.
        let large = try ScenarioLoader.load(path: path, seed: .max)
        XCTAssertEqual(resolved(large.resolved, "run", "seed"), .string("18446744073709551615"))
    }

    func testDefaultRosterIsFoundAboveTheScenario() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-scenario-\(UUID().uuidString)")
        let seeds = root.appendingPathComponent("seeds")
        let scenarios = root.appendingPathComponent("scenarios/nested")
        try FileManager.default.createDirectory(at: seeds, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let cities = seeds.appendingPathComponent("cities.csv")
        try FileManager.default.copyItem(
            at: try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("valid/cities.csv"),
            to: cities)
        let path = scenarios.appendingPathComponent("plain.toml").path
        try "schema = 1\nname = \"plain\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let scenario = try ScenarioLoader.load(path: path)
        XCTAssertEqual(scenario.kind, .region(rosterPath: cities.standardizedFileURL.path))
        XCTAssertEqual(scenario.settings, SimulationSettings())
        XCTAssertEqual(scenario.replications, 1)
    }

    func testScenarioValueEncodesAsPlainJSON() throws {
        let value: [String: ScenarioValue] = [
            "a": .string("x"), "b": .number(0.5), "c": .integer(3), "d": .bool(true),
            "e": .array([.integer(1), .string("y")]), "f": .table(["g": .number(2)]),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        XCTAssertEqual(json, #"{"a":"x","b":0.5,"c":3,"d":true,"e":[1,"y"],"f":{"g":2}}"#)
    }

    // MARK: - Malformed files

    func testSyntaxErrorGivesLineAndColumn() throws {
        try assertErrors("syntax_error.toml", [
            ":6:7: TOML syntax error: Error while parsing value: could not determine value type",
        ])
    }

    func testUnknownKeySuggestsTheNearest() throws {
        try assertErrors("unknown_key.toml", [
            ":6:1: key 'model.migraton_rate': unknown key in [model]; did you mean 'migration_rate'?",
        ])
    }

    func testWrongType() throws {
        try assertErrors("wrong_type.toml", [
            ":6:1: key 'time.start': expected a number (year), found the string \"2020\"",
        ])
    }

    func testNegativeRateGivesTheRange() throws {
        try assertErrors("negative_rate.toml", [
            ":7:1: key 'model.migration_rate': expected a number in [0, 1] (per year), found -0.1",
        ])
    }

    func testEndBeforeStart() throws {
        try assertErrors("end_before_start.toml", [
            ":7:1: key 'time.end': expected a year ≥ start (2030), found 2025",
        ])
    }

    func testZeroTick() throws {
        try assertErrors("dt_zero.toml", [":6:1: key 'time.dt': expected a number > 0 (years), found 0"])
    }

    func testSigmaNotAboveOneInCorePeriphery() throws {
        try assertErrors("sigma_one.toml", [
            ":7:3: key 'core_periphery.sigma': expected a number in (1, ∞) (elasticity of substitution σ), found 1",
        ])
    }

    func testUnknownSector() throws {
        try assertErrors("unknown_sector.toml", [
            ":5:16: key 'model.sectors.manufactoring': unknown sector; did you mean 'manufacturing'?",
        ])
    }

    func testBaseMixesNotSummingToOne() throws {
        try assertErrors("mixes.toml", [
            ":9:1: key 'model.sectors.*.base_mix': the sectors' base mixes must sum to 1, they sum to 1.12",
        ])
    }

    func testMissingRosterFileIsNamed() throws {
        let folder = (try fixture("missing_roster.toml") as NSString).deletingLastPathComponent
        try assertErrors("missing_roster.toml", [
            ":3:1: key 'roster': roster file not found: \(folder)/nowhere/cities.csv (a relative path is taken from the scenario file's folder)",
        ])
    }

    func testMissingName() throws {
        try assertErrors("missing_name.toml", [
            ": key 'name': missing; every scenario needs a non-empty name, e.g. name = \"baseline\"",
        ])
    }

    func testOtherSchemaVersionIsRefusedAlone() throws {
        // The unknown top-level key of the other version is not reported.
        try assertErrors("schema_two.toml", [
            ":1:1: key 'schema': unsupported schema version 2; this version of twincity reads schema 1",
        ])
    }

    func testNaNIsRefused() throws {
        try assertErrors("nan_value.toml", [
            ":6:1: key 'model.hukou_barrier': expected a finite number in [0, ∞] (logit units), found nan",
        ])
    }

    func testTwoErrorsInOneFileAreBothReported() throws {
        try assertErrors("two_errors.toml", [
            ":6:1: key 'time.dt': expected a number > 0 (years), found -1",
            ":9:1: key 'model.migration_rule': expected \"logit\" or \"replicator\", found the string \"logti\"; did you mean 'logit'?",
        ])
    }

    func testEveryWrongTypeInOneFile() throws {
        try assertErrors("wrong_table_types.toml", [
            ":1:1: key 'schema': expected the whole number 1, found the string \"1\"",
            ":2:1: key 'name': expected a non-empty string, found the string \"\"",
            ":3:1: key 'nmae': unknown key in the scenario file; did you mean 'name'?",
            ":4:1: key 'run': expected a table, found 5",
            ":5:1: key 'kind': expected \"region\" or \"core_periphery\", found the string \"regoin\"; did you mean 'region'?",
            ":8:1: key 'model.equilibrium_max_iterations': expected a whole number in [1, 10000000], found 1.5",
            ":9:1: key 'model.solver': expected \"auto\", \"powell\" or \"fixed_point\", found 3",
        ])
    }

    func testTablesOfTheOtherKind() throws {
        try assertErrors("kind_mismatch.toml", [
            ":4:1: key 'roster': applies to kind = \"region\" only; a core_periphery scenario has two model cities, not a roster",
            ":6:2: key 'model': applies to kind = \"region\" only; a core_periphery scenario derives its model parameters from [core_periphery]",
            ":11:1: key 'core_periphery.trade_cst': unknown key in [core_periphery]; did you mean 'trade_cost'?",
        ])
    }

    func testPositionsInsideInlineTablesAndPastMultilineStrings() throws {
        // The multi-line description holds key-like lines; the errors point at the real keys.
        try assertErrors("inline_and_strings.toml", [
            ":10:32: key 'model.migration_rate': expected a number in [0, 1] (per year), found 5",
            ":11:24: key 'time.end': expected a year ≥ start (2020), found 1990",
        ])
    }

    func testMissingScenarioFile() throws {
        let path = try fixture("no_such_scenario.toml")
        XCTAssertThrowsError(try ScenarioLoader.load(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.description, "\(path): scenario file not found")
        }
    }

    // MARK: - Preparing

    func testCalibrationFailureNamesTheScenarioAndProvince() throws {
        let path = try fixture("calibration_fails.toml")
        let scenario = try ScenarioLoader.load(path: path)
        XCTAssertThrowsError(try ScenarioLoader.prepare(scenario)) { error in
            // The command-line tool reports it as an input error (exit status 2).
            XCTAssertTrue(error is any UserInputError)
            guard let error = error as? ScenarioError else {
                return XCTFail("unexpected error type \(type(of: error)): \(error)")
            }
            XCTAssertTrue(error.underlying is CalibrationError)
            XCTAssertTrue(error.description.hasPrefix("\(path): calibration to the roster "), error.description)
            XCTAssertTrue(error.description.contains("province 'sichuan'"), error.description)
        }
    }

    // MARK: - Documentation

    /// docs/SCENARIOS.md must list every key the loader accepts, so that the page and the
    /// code cannot drift apart: each catalogue parameter on a row with its unit and range,
    /// each `sectors.<id>.<field>` of the default sectors, and every other key.
    func testScenarioDocumentationListsEveryKey() throws {
        let text = try String(contentsOfFile: shipped("docs/SCENARIOS.md"), encoding: .utf8)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| `") }
        func row(_ key: String) -> Substring? { rows.first { $0.hasPrefix("| `\(key)` |") } }
        for info in ModelParameters.catalog {
            guard let line = row(info.name) else {
                XCTFail("docs/SCENARIOS.md has no row for [model] key '\(info.name)'")
                continue
            }
            XCTAssertTrue(line.contains("| \(info.unit) |"), "unit of '\(info.name)' differs: \(line)")
            XCTAssertTrue(line.contains("| \(info.rangeDescription) |"), "range of '\(info.name)' differs: \(line)")
        }
        for sector in ModelParameters.defaultSectors {
            for field in ModelParameters.sectorFields {
                XCTAssertNotNil(row("sectors.\(sector.id).\(field.name)"), "no row for sectors.\(sector.id).\(field.name)")
            }
        }
        let others = ["migration_rule", "decision_rule", "solver", "equilibrium_max_iterations",
                      "schema", "name", "description", "kind", "roster", "extends", "policy", "start", "end", "dt",
                      "seed", "replications", "sigma", "mu", "trade_cost", "initial_share", "speed", "clause"]
            + PolicyCatalog.linkKeys
        for key in others { XCTAssertNotNil(row(key), "no row for '\(key)'") }
    }

    /// docs/SCENARIOS.md has a section `#### `kind`` for every policy kind, and in it a row
    /// for each of the kind's keys with the catalogue's unit, default and range.
    func testScenarioDocumentationListsEveryPolicyKindAndKey() throws {
        let text = try String(contentsOfFile: shipped("docs/SCENARIOS.md"), encoding: .utf8)
        for kind in PolicyCatalog.kinds {
            let heading = "#### `\(kind.name)`\n"
            guard let start = text.range(of: heading) else {
                XCTFail("docs/SCENARIOS.md has no section '#### `\(kind.name)`'")
                continue
            }
            let rest = text[start.upperBound...]
            let section = rest[..<(rest.range(of: "\n#")?.lowerBound ?? rest.endIndex)]
            let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
            XCTAssertEqual(rows.count, kind.keys.count + (kind.name == "transport" ? PolicyCatalog.linkKeys.count : 0),
                           "rows of \(kind.name): one per key (and per link key)")
            for key in kind.keys {
                guard let line = rows.first(where: { $0.hasPrefix("| `\(key.name)` |") }) else {
                    XCTFail("no row for \(kind.name).\(key.name)")
                    continue
                }
                XCTAssertTrue(line.contains("| \(key.unit) |"), "unit of \(kind.name).\(key.name) differs: \(line)")
                XCTAssertTrue(line.contains("| \(key.range) |"), "range of \(kind.name).\(key.name) differs: \(line)")
                let documented = key.optional ? "none" : Self.documented(key.defaultValue)
                XCTAssertTrue(line.contains("| \(documented) |"),
                              "default of \(kind.name).\(key.name) differs from \(documented): \(line)")
            }
        }
    }

    /// A default as the documentation writes it: `0.4`, `[]`, `["chengdu", "chongqing"]`, or
    /// `required`.
    private static func documented(_ value: ScenarioValue?) -> String {
        switch value {
        case nil: return "required"
        case .number(let x)?: return x == x.rounded() ? String(Int(x)) : String(x)
        case .string(let text)?: return "\"\(text)\""
        case .array(let items)?: return "[" + items.map { documented($0) }.joined(separator: ", ") + "]"
        default: return "\(value!)"
        }
    }

    /// Every TOML example of docs/SCENARIOS.md loads: the complete one with its roster path
    /// made absolute (it is written for a file in scenarios/), fragments after a minimal header.
    func testScenarioDocumentationExamplesLoad() throws {
        let text = try String(contentsOfFile: shipped("docs/SCENARIOS.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```toml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        XCTAssertGreaterThanOrEqual(blocks.count, 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-scenario-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let roster = "roster = \"\(shipped("seeds/cities.csv"))\""
        for (n, block) in blocks.enumerated() {
            let toml = block.contains("schema = ")
                ? block.replacingOccurrences(of: #"roster = "../seeds/cities.csv""#, with: roster)
                    .replacingOccurrences(of: #"extends = "../baseline.toml""#, with: "extends = \"\(shipped("scenarios/baseline.toml"))\"")
                : "schema = 1\nname = \"example\"\n\(roster)\n" + block
            let path = folder.appendingPathComponent("example-\(n).toml").path
            try toml.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertNoThrow(try ScenarioLoader.load(path: path), "example \(n + 1) of docs/SCENARIOS.md:\n\(block)")
        }
    }
}
