// Reading and checking sweep files: every refusal names the file, line and key and says what
// to do; the canonical form ignores layout; the base scenario checks paths and outputs.
@testable import TwinCitySweep
import TwinCityScenario
import XCTest

final class SweepFileTests: XCTestCase {
    /// The messages of reading `text` as a sweep file, one per error.
    func errors(_ text: String, file: String = "sweep.toml") throws -> [String] {
        let folder = try scratchFolder()
        let path = try write(text, to: file, in: folder)
        do {
            _ = try SweepPlan.load(path: path)
            return []
        } catch let error as UserInputError {
            return error.description.split(separator: "\n").map { $0.replacingOccurrences(of: folder.path + "/", with: "") }
        }
    }

    func sweep(sampler: String = "kind = \"grid\"", parameters: String, outputs: String = #"["region.gdp@2022"]"#) -> String {
        """
        schema = 1
        name = "t"
        scenario = "\(SweepTestSupport.baseline)"
        seed = 1
        set = ["time.end=2022"]
        outputs = \(outputs)

        [sampler]
        \(sampler)

        \(parameters)
        """
    }

    func testAValidSweepReadsBackItsSettings() throws {
        let folder = try scratchFolder()
        let path = try write(SweepTestSupport.gridSweep(), to: "grid.toml", in: folder)
        let plan = try SweepPlan.load(path: path)
        XCTAssertEqual(plan.definition.name, "test-grid")
        XCTAssertEqual(plan.definition.replications, 2)
        XCTAssertEqual(plan.definition.fixed, ["time.end=2022"])
        XCTAssertEqual(plan.design.pointCount, 4)
        XCTAssertEqual(plan.file.scenarioPath, SweepTestSupport.baseline)
        XCTAssertEqual(plan.baseScenario.settings.endYear, 2022, "the set overrides apply to the base")
    }

    func testUnknownKeysAreRefusedWithTheNearestOne() throws {
        let messages = try errors(sweep(sampler: "kind = \"random\"\nsmaples = 4", parameters: "[[parameter]]\npath = \"model.hukou_barrier\"\nvalus = [1]"))
        XCTAssertTrue(messages.contains { $0.hasPrefix("sweep.toml:10:1: key 'sampler.smaples': unknown key in [sampler]; did you mean 'samples'?") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("key 'parameter[0].valus': unknown key in [[parameter]]; did you mean 'values'?") }, "\(messages)")
    }

    func testTopLevelKeysWrittenAfterATableAreExplained() throws {
        let text = sweep(sampler: "kind = \"random\"\nsamples = 4\nreplications = 2", parameters: "[[parameter]]\npath = \"model.hukou_barrier\"\nvalues = [1]")
        let messages = try errors(text)
        XCTAssertEqual(messages, [
            "sweep.toml:11:1: key 'sampler.replications': 'replications' is a top-level key, but TOML puts every key written after a table header into that table; move it above [sampler]",
        ])
    }

    func testEmptyAndInvertedRangesAreRefused() throws {
        let empty = try errors(sweep(parameters: "[[parameter]]\npath = \"model.hukou_barrier\"\nmin = 1\nmax = 1\nlevels = 2"))
        XCTAssertEqual(empty.count, 1)
        XCTAssertTrue(empty[0].hasPrefix("sweep.toml:14:1: key 'parameter[0].max': the range is empty: min = max = 1"), empty[0])
        let inverted = try errors(sweep(parameters: "[[parameter]]\npath = \"model.hukou_barrier\"\nmin = 2\nmax = 0.5\nlevels = 2"))
        XCTAssertEqual(inverted, ["sweep.toml:14:1: key 'parameter[0].max': the range is inverted: max (0.5) is below min (2)"])
        let log = try errors(sweep(sampler: "kind = \"lhs\"\nsamples = 4", parameters: "[[parameter]]\npath = \"model.hukou_barrier\"\nmin = 0\nmax = 1\nscale = \"log\""))
        XCTAssertEqual(log, ["sweep.toml:14:1: key 'parameter[0].min': a log scale needs min > 0, found 0"])
    }

    func testSamplerSizesAreChecked() throws {
        let parameter = "[[parameter]]\npath = \"model.hukou_barrier\"\nmin = 0.5\nmax = 1.5"
        XCTAssertTrue(try errors(sweep(sampler: "kind = \"sobol\"", parameters: parameter))[0].contains("missing; a sobol sampler needs samples"))
        XCTAssertTrue(try errors(sweep(sampler: "kind = \"morris\"\nsamples = 4\nlevels = 5", parameters: parameter))[0].contains("expected an even whole number ≥ 2"))
        XCTAssertTrue(try errors(sweep(parameters: parameter))[0].contains("key 'parameter[0].levels': missing; a grid over a min/max range needs levels"))
        XCTAssertTrue(try errors(sweep(sampler: "kind = \"sobel\"", parameters: parameter))[0].contains("did you mean 'sobol'?"))
    }

    func testSobolDimensionIsCheckedAgainstGSL() throws {
        // 21 parameters need 42 Sobol dimensions; GSL has 40.
        let parameters = (0..<21).map { "[[parameter]]\npath = \"model.p\($0)\"\nmin = 0\nmax = 1" }.joined(separator: "\n\n")
        let messages = try errors(sweep(sampler: "kind = \"sobol\"\nsamples = 8", parameters: parameters))
        XCTAssertEqual(messages.count, 1, "\(messages)")
        XCTAssertTrue(messages[0].contains("key 'sampler.kind': a Sobol design over 21 parameters needs 42 Sobol dimensions"), messages[0])
        XCTAssertTrue(messages[0].contains("at most 40, so at most 20 parameters"), messages[0])
    }

    func testUnknownParameterPathsGetTheNearestValidPathFromTheScenarioLoader() throws {
        let messages = try errors(sweep(sampler: "kind = \"random\"\nsamples = 4", parameters: """
            [[parameter]]
            path = "model.migraton_elasticity"
            min = 1
            max = 3

            [[parameter]]
            path = "model.saving_rate"
            min = 0.2
            max = 1.2

            [[parameter]]
            path = "policy[0].share"
            values = [0.1, 0.2]

            [[parameter]]
            path = "run.seed"
            values = [1, 2]
            """))
        XCTAssertEqual(messages.count, 4, "\(messages)")
        XCTAssertTrue(messages[0].hasPrefix("sweep.toml:13:1: key 'parameter[0].path': the base scenario refuses model.migraton_elasticity=1: key 'model.migraton_elasticity': unknown key in [model]; did you mean 'model.migration_elasticity'?"), messages[0])
        XCTAssertTrue(messages[1].contains("refuses model.saving_rate=1.2: key 'model.saving_rate': expected a number in [0, 1)"), messages[1])
        XCTAssertTrue(messages[2].contains("key 'parameter[2].values': the base scenario refuses policy[0].share=0.1"), messages[2])
        XCTAssertTrue(messages[3].contains("'run.seed': each run's seed derives from the sweep's seed"), messages[3])
    }

    func testUnknownOutputsAreRefused() throws {
        let parameter = "[[parameter]]\npath = \"model.hukou_barrier\"\nvalues = [1]"
        let messages = try errors(sweep(parameters: parameter, outputs: """
            [
                "region.gdpp@2022",
                "city.chengdoo.gdp@2022",
                "city.chengdu.wages@2022",
                "region.gdp@2035",
                "gdp@2022",
            ]
            """))
        XCTAssertEqual(messages, [
            "sweep.toml:11:1: key 'outputs[4]': 'gdp@2022': expected region.<column>@<year> or city.<id>.<column>@<year>, e.g. region.gdp@2035 or city.chengdu.population@2035",
        ], "syntax is checked first, alone")
        let semantic = try errors(sweep(parameters: parameter, outputs: """
            [
                "region.gdpp@2022",
                "city.chengdoo.gdp@2022",
                "city.chengdu.wages@2022",
                "region.gdp@2035",
            ]
            """))
        XCTAssertEqual(semantic, [
            "sweep.toml:7:1: key 'outputs[0]': 'region.gdpp@2022': unknown region column 'gdpp'; did you mean 'gdp'? (the columns of region.csv, docs/OUTPUTS.md)",
            "sweep.toml:8:1: key 'outputs[1]': 'city.chengdoo.gdp@2022': unknown city 'chengdoo'; did you mean 'chengdu'? (the ids of the base scenario's roster)",
            "sweep.toml:9:1: key 'outputs[2]': 'city.chengdu.wages@2022': unknown city column 'wages'; did you mean 'wage'? (the numeric columns of cities.csv, docs/OUTPUTS.md)",
            "sweep.toml:10:1: key 'outputs[3]': 'region.gdp@2035': year 2035 is not recorded; the base scenario records 2020, 2021, 2022",
        ])
    }

    func testCanonicalHashIgnoresLayoutButNotSettings() throws {
        let folder = try scratchFolder()
        let original = try SweepFileReader.read(path: write(SweepTestSupport.gridSweep(), to: "a.toml", in: folder)).definition
        // Comments, blank lines, a description and another order of keys and inline spacing.
        let relaid = SweepTestSupport.gridSweep()
            .replacingOccurrences(of: "seed = 7\n", with: "description = \"same sweep\"\n# the seed\nseed    = 7\n")
            .replacingOccurrences(of: "replications = 2\nset", with: "set")
            .replacingOccurrences(of: "[sampler]", with: "replications = 2\n\n[sampler]")
        let same = try SweepFileReader.read(path: write(relaid, to: "b.toml", in: folder)).definition
        XCTAssertEqual(original.contentHash, same.contentHash)
        XCTAssertEqual(original.contentHash.count, 64)
        let other = try SweepFileReader.read(path: write(SweepTestSupport.gridSweep(seed: 8), to: "c.toml", in: folder)).definition
        XCTAssertNotEqual(original.contentHash, other.contentHash)
        XCTAssertEqual(try SweepDefinition(canonicalJSON: original.canonicalJSON), original.withoutDescription)
    }
}

extension SweepDefinition {
    /// The definition as its canonical form records it (no description).
    var withoutDescription: SweepDefinition {
        var copy = self
        copy.description = ""
        return copy
    }
}
