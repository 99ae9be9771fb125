// Sweeps with policy levers and uncertainties: the file format and its refusals, the design
// that crosses every lever combination with one common sample of futures (common random
// numbers, checked by construction and in real runs), and robustness statistics.
@testable import TwinCitySweep
import GRDB
import TwinCityScenario
import XCTest

final class LeverSweepTests: XCTestCase {
    /// The shipped base scenario of the package-levers example.
    static var packageBase: String {
        SweepTestSupport.packageRoot.appendingPathComponent("scenarios/sweeps/base-package-levers.toml").path
    }

    /// A lever sweep over the package base with a 2-year horizon (shocks on): 2 levers × 3 futures.
    static func leverSweep(levers: String? = nil, uncertainties: String? = nil, sampler: String = "kind = \"lhs\"\nsamples = 3", outputs: String? = nil) -> String {
        """
        schema = 1
        name = "test-levers"
        scenario = "\(packageBase)"
        seed = 11
        set = ["time.end=2022"]
        outputs = \(outputs ?? #"["region.gdp@2022", "region.theil@2022", "city.chengdu.population@2022"]"#)

        [sampler]
        \(sampler)

        \(levers ?? """
        [[lever]]
        name = "transport"
        path = "policy[2].enabled"
        options = [false, true]

        [[lever]]
        name = "hukou"
        path = "policy[3].enabled"
        options = [false, true]
        """)

        \(uncertainties ?? """
        [[uncertainty]]
        path = "model.migration_elasticity"
        min = 1.0
        max = 3.0

        [[uncertainty]]
        path = "model.agglomeration"
        min = 0.02
        max = 0.08
        """)
        """
    }

    func messages(_ text: String) throws -> [String] {
        let folder = try scratchFolder()
        let path = try write(text, to: "levers.toml", in: folder)
        do {
            _ = try SweepPlan.load(path: path)
            return []
        } catch let error as UserInputError {
            return error.description.split(separator: "\n").map { $0.replacingOccurrences(of: folder.path + "/", with: "") }
        }
    }

    // MARK: - The design

    func testEveryLeverCombinationRunsTheSameFuturesWithTheSameSeeds() throws {
        let folder = try scratchFolder()
        let plan = try SweepPlan.load(path: try write(Self.leverSweep(), to: "levers.toml", in: folder))
        let design = plan.design
        XCTAssertEqual(design.combinations.count, 4)
        XCTAssertEqual(design.futureCount, 3)
        XCTAssertEqual(design.pointCount, 12)
        // The futures are the Latin hypercube the same sweep without levers would draw.
        var plain = plan.definition
        plain.levers = []
        let reference = try SamplingDesign(plain)
        let executor = plan.executor
        for f in 0..<3 {
            var seeds: Set<UInt64> = []
            for c in 0..<4 {
                let p = design.point(future: f, combination: c)
                XCTAssertEqual(design.future(of: p), f)
                XCTAssertEqual(design.combination(of: p), c)
                XCTAssertEqual(design.values(at: p), reference.values(at: f), "future \(f), combination \(c): the uncertainty draws")
                XCTAssertEqual(design.unitPoint(p), reference.unitPoint(f))
                XCTAssertEqual(design.allValues(at: p), design.combinations.values(c) + reference.values(at: f))
                for r in 0..<2 {
                    seeds.insert(SweepSeeds.runSeed(sweepSeed: 11, point: design.future(of: p), replication: r))
                }
            }
            XCTAssertEqual(seeds.count, 2, "one seed per replication of future \(f), whatever the combination")
        }
        // Combination order: nested loops with the first lever outermost.
        XCTAssertEqual((0..<4).map { design.combinations.label($0) }, [
            "transport=false, hukou=false", "transport=false, hukou=true", "transport=true, hukou=false", "transport=true, hukou=true",
        ])
        XCTAssertEqual(design.overrides(at: 5), ["policy[2].enabled=false", "policy[3].enabled=true"]
            + zip(plain.parameters, reference.values(at: 1)).map { "\($0.path)=\($1.overrideText)" })
        XCTAssertEqual(executor.design.summary,
            "4 lever combinations × 3 futures = 12 points; futures: lhs: Latin hypercube of 3 points, from stream 0 of the sweep seed")
    }

    func testRunsOfOneFutureShareTheirRandomDrawsUnderEveryCombination() throws {
        // The transport link opens in 2027, after these runs end: switching it on or off
        // changes nothing, so with common random numbers (shocks on) its runs are bitwise
        // equal; hukou reform acts from 2021 and must change the outcome.
        let folder = try scratchFolder()
        let path = try write(Self.leverSweep(), to: "levers.toml", in: folder)
        try runSweep(path, into: folder, jobs: 2)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("sweep.sqlite").path)
        defer { try? queue.close() }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT r.point, r.seed, r.parameters, o.metric, o.value FROM runs r JOIN outputs o USING (point, replication) ORDER BY r.point, o.metric")
        }
        var value: [Int: [String: Double]] = [:], seed: [Int: Int64] = [:], parameters: [Int: String] = [:]
        for row in rows {
            let p: Int = row["point"]
            value[p, default: [:]][row["metric"]] = row["value"]
            seed[p] = row["seed"]
            parameters[p] = row["parameters"]
        }
        XCTAssertEqual(value.count, 12)
        for f in 0..<3 {
            let point = { (transport: Int, hukou: Int) in f * 4 + transport * 2 + hukou }
            for hukou in 0..<2 {
                XCTAssertEqual(value[point(0, hukou)], value[point(1, hukou)], "future \(f): transport has not opened by 2022")
                XCTAssertEqual(seed[point(0, hukou)], seed[point(1, hukou)])
            }
            XCTAssertEqual(seed[point(0, 0)], seed[point(0, 1)])
            XCTAssertNotEqual(value[point(0, 0)]?["city.chengdu.population@2022"], value[point(0, 1)]?["city.chengdu.population@2022"],
                              "future \(f): hukou reform moves people")
        }
        XCTAssertTrue(parameters[5]?.hasPrefix(#"{"policy[2].enabled":false,"policy[3].enabled":true,"model.migration_elasticity":"#) ?? false, parameters[5] ?? "")
        XCTAssertNotEqual(seed[0], seed[4], "different futures have different seeds")
    }

    func testASampledSubsetOfCombinationsRunsEachChosenOneOnTheCommonFutures() throws {
        // Three on/off levers: 8 combinations, of which the sweep runs 3.
        let levers = """
            [[lever]]
            path = "policy[0].enabled"
            options = [false, true]

            [[lever]]
            path = "policy[1].enabled"
            options = [false, true]

            [[lever]]
            path = "policy[3].enabled"
            options = [false, true]
            """
        let folder = try scratchFolder()
        let text = Self.leverSweep(levers: levers, sampler: "kind = \"lhs\"\nsamples = 3\ncombinations = 3")
        let plan = try SweepPlan.load(path: try write(text, to: "subset.toml", in: folder))
        let design = plan.design
        XCTAssertEqual(design.combinations.count, 3)
        XCTAssertEqual(design.pointCount, 9)
        let subset = try XCTUnwrap(design.combinations.subset)
        XCTAssertEqual(subset, subset.sorted())
        XCTAssertEqual(Set(subset).count, 3)
        XCTAssertTrue(subset.allSatisfy { (0..<8).contains($0) })
        // Each chosen combination is the full enumeration's combination at its index.
        let full = LeverCombinations(plan.definition.levers)
        for (k, index) in subset.enumerated() {
            XCTAssertEqual(design.combinations.values(k), full.values(index))
        }
        // The draw depends on the seed only: reading the file again gives the same subset,
        // and the futures are those of the sweep without a subset.
        XCTAssertEqual(try SweepPlan.load(path: try write(text, to: "again.toml", in: folder)).design.combinations.subset, subset)
        let every = try SweepPlan.load(path: try write(Self.leverSweep(levers: levers), to: "every.toml", in: folder)).design
        XCTAssertEqual(every.combinations.count, 8)
        for f in 0..<3 {
            XCTAssertEqual(design.values(at: design.point(future: f, combination: 2)), every.values(at: every.point(future: f, combination: 0)))
        }
        XCTAssertTrue(design.summary.hasPrefix("3 lever combinations (sampled from 8) × 3 futures = 9 points"), design.summary)
        XCTAssertTrue(plan.definition.canonicalJSON.contains(#""sampler":{"combinations":3,"kind":"lhs","samples":3}"#), plan.definition.canonicalJSON)

        XCTAssertEqual(try messages(Self.leverSweep(levers: levers, sampler: "kind = \"lhs\"\nsamples = 3\ncombinations = 8")), [
            "levers.toml:11:1: key 'sampler.combinations': the levers have 8 combinations, so combinations = 8 runs them all; leave it out, or give fewer than 8",
        ])
        XCTAssertEqual(try messages(Self.leverSweep(levers: levers, sampler: "kind = \"lhs\"\nsamples = 3\ncombinations = 0")), [
            "levers.toml:11:1: key 'sampler.combinations': expected a whole number ≥ 1 (lever combinations to run, drawn at random), found 0",
        ])
    }

    func testAPlainSweepKeepsItsIdentity() throws {
        // Levers are left out of the canonical form of a sweep without them.
        let folder = try scratchFolder()
        let plan = try SweepPlan.load(path: try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder))
        XCTAssertFalse(plan.definition.canonicalJSON.contains("levers"))
        let lever = try SweepPlan.load(path: try write(Self.leverSweep(), to: "levers.toml", in: folder))
        XCTAssertTrue(lever.definition.canonicalJSON.contains(#""levers":[{"name":"transport","options":[false,true],"path":"policy[2].enabled"}"#),
                      lever.definition.canonicalJSON)
        XCTAssertEqual(try SweepDefinition(canonicalJSON: lever.definition.canonicalJSON), lever.definition)
    }

    // MARK: - Refusals

    func testALeverOptionTheKeyDoesNotTakeIsRefused() throws {
        let text = Self.leverSweep(levers: """
            [[lever]]
            path = "policy[1].share"
            options = [0.2, 1.5]
            """)
        let lines = try messages(text)
        XCTAssertEqual(lines.count, 1, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("levers.toml:14:1: key 'lever[0].options': option 1.5 is not a valid value of 'policy[1].share': the base scenario refuses policy[1].share=1.5: key 'policy[1].share': "), lines[0])
    }

    func testABooleanOptionOfANumberKeyIsRefused() throws {
        let lines = try messages(Self.leverSweep(levers: "[[lever]]\npath = \"policy[1].share\"\noptions = [false, true]"))
        XCTAssertEqual(lines.count, 1, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("levers.toml:14:1: key 'lever[0].options': option false is not a valid value of 'policy[1].share'"), lines[0])
    }

    func testALeverAndAnUncertaintyOnOneKeyAreRefused() throws {
        let text = Self.leverSweep(levers: """
            [[lever]]
            path = "model.agglomeration"
            options = [0.03, 0.05]
            """)
        XCTAssertEqual(try messages(text), [
            "levers.toml:13:1: key 'lever[0].path': 'model.agglomeration' is also uncertainty[1]; a key is either a lever (set by policy) or an uncertainty (sampled), not both",
        ])
    }

    func testMalformedLeversAreRefusedWithTheirLines() throws {
        let text = Self.leverSweep(levers: """
            [[lever]]
            path = "policy[3].enabled"
            options = [true]

            [[lever]]
            path = "policy[2].enabled"
            options = [true, 1]
            choices = [1]
            """)
        XCTAssertEqual(try messages(text), [
            "levers.toml:14:1: key 'lever[0].options': expected a list of two or more options (numbers, strings or booleans), found an array",
            "levers.toml:18:1: key 'lever[1].options': mixes numbers, strings and booleans; a lever's options are all of one type",
            "levers.toml:19:1: key 'lever[1].choices': unknown key in [[lever]]",
        ])
    }

    func testParameterTablesDoNotMixWithLevers() throws {
        let text = Self.leverSweep() + "\n\n[[parameter]]\npath = \"model.saving_rate\"\nvalues = [0.3]\n"
        let lines = try messages(text)
        XCTAssertTrue(lines.contains { $0.contains("key 'parameter': a sweep with [[lever]] or [[uncertainty]] tables lists the keys it samples as [[uncertainty]], not [[parameter]]") }, "\(lines)")
        let noLever = Self.leverSweep(levers: "")
        XCTAssertEqual(try messages(noLever), [
            "levers.toml: key 'lever': missing; a sweep with [[uncertainty]] tables crosses them with at least one [[lever]] table (path and options), or lists [[parameter]] tables instead",
        ])
    }

    // MARK: - Robustness

    func testRegretAndPercentilesMatchTheirDefinitions() {
        // Three combinations, four futures; more is better.
        let values: [[Double]] = [
            [10, 12, 8, 11],
            [11, 9, 9, 10],
            [9, 11, 7, .nan],
        ]
        let outcome = Robustness.outcome(metric: "y", values: values, maximize: true)
        XCTAssertEqual(outcome.regretFutures, [0, 1, 2], "the future where combination 2 is undefined is left out of regret")
        let byCombination = Dictionary(uniqueKeysWithValues: outcome.rows.map { ($0.combination, $0) })
        // Best per future: 11, 12, 9.
        XCTAssertEqual(byCombination[0]?.regrets, [1, 0, 1])
        XCTAssertEqual(byCombination[1]?.regrets, [0, 3, 0])
        XCTAssertEqual(byCombination[2]?.regrets, [2, 1, 2])
        XCTAssertEqual(outcome.rows.map(\.combination), [0, 2, 1], "ranked by maximum regret: 1, 2, 3")
        let first = byCombination[0]!
        XCTAssertEqual(first.mean, 41.0 / 4)
        // Sorted 8, 10, 11, 12: p05 at position 0.15 → 8 + 0.15·2; p50 at 1.5 → 10.5; p95 at 2.85 → 11.85.
        XCTAssertEqual(first.p05, 8.3, accuracy: 1e-12)
        XCTAssertEqual(first.p50, 10.5, accuracy: 1e-12)
        XCTAssertEqual(first.p95, 11.85, accuracy: 1e-12)
        // Regrets sorted 0, 1, 1: p90 at position 1.8 → 1.
        XCTAssertEqual(first.p90Regret, 1, accuracy: 1e-12)
        XCTAssertEqual(byCombination[1]!.p90Regret, 2.4, accuracy: 1e-12, "0, 0, 3: 0.2·0 + 0.8·3")
        XCTAssertEqual(byCombination[2]!.futures, 3)

        let lessIsBetter = Robustness.outcome(metric: "y", values: values, maximize: false)
        // Worst-case regret against the smallest value per future: 9, 9, 7.
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: lessIsBetter.rows.map { ($0.combination, $0.regrets) })[2], [0, 2, 0])
    }

    func testSatisficingSharesCountFuturesMeetingEveryCondition() throws {
        let conditions = [
            try OutputConditions(parsing: "a >= 10", option: "--satisfice", outputs: ["a", "b"]),
            try OutputConditions(parsing: "b < 0.5", option: "--satisfice", outputs: ["a", "b"]),
        ]
        let values: [String: [[Double]]] = [
            "a": [[10, 12, 8, 11], [9, 9, 9, 9]],
            "b": [[0.1, 0.7, 0.2, .nan], [0.1, 0.1, 0.1, 0.1]],
        ]
        let shares = Robustness.satisficing(conditions: conditions, values: values, combinations: 2, futures: 4)
        XCTAssertEqual(shares, [
            Robustness.Satisficing(combination: 0, met: 1, futures: 3),
            Robustness.Satisficing(combination: 1, met: 0, futures: 4),
        ])
    }

    func testConditionsAreParsedOrRefusedNamingTheArgument() throws {
        let outputs = ["region.gdp@2035", "region.theil@2035"]
        let both = try OutputConditions(parsing: "region.gdp@2035 >= 130000 and region.theil@2035<0.03", option: "--satisfice", outputs: outputs)
        XCTAssertEqual(both.terms, [
            OutputCondition(metric: "region.gdp@2035", comparison: .atLeast, threshold: 130000),
            OutputCondition(metric: "region.theil@2035", comparison: .below, threshold: 0.03),
        ])
        func refusal(_ text: String) -> String {
            do {
                _ = try OutputConditions(parsing: text, option: "--satisfice", outputs: outputs)
                return ""
            } catch { return error.message }
        }
        XCTAssertEqual(refusal("region.gpd@2035 >= 1"),
            "--satisfice 'region.gpd@2035 >= 1': the sweep does not record 'region.gpd@2035'; did you mean 'region.gdp@2035'? (it records 'region.gdp@2035', 'region.theil@2035')")
        XCTAssertEqual(refusal("region.gdp@2035 = 1"),
            "--satisfice 'region.gdp@2035 = 1': no comparison in 'region.gdp@2035 = 1'; expected OUTPUT OP NUMBER with OP one of >=, <=, >, <, e.g. \"region.gdp@2035 >= 130000\", terms joined by 'and'")
        XCTAssertEqual(refusal("region.gdp@2035 >= lots"),
            "--satisfice 'region.gdp@2035 >= lots': 'lots' after '>=' is not a finite number; expected OUTPUT OP NUMBER with OP one of >=, <=, >, <, e.g. \"region.gdp@2035 >= 130000\", terms joined by 'and'")
    }
}
