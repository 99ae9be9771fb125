// Run directories of the shipped baseline to plot: a single run, a second run with another
// seed to compare with, an ensemble of three replications and one of the investment-fund
// policy with the same seeds, a core–periphery run in model time; and checks of the pictures.
@_exported import TwinCityTestSupport
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityPlot
import TwinCityScenario
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Baseline run directories written once per test class into a scratch folder.
final class RunFixtures: Sendable {
    /// The scratch folder holding the runs, in its `runs` folder.
    let folder: URL
    /// A single run of the baseline, 2020–2026, the scenario's seed.
    let single: URL
    /// A single run with another seed, for comparisons.
    let other: URL
    /// Three replications of the baseline, 2020–2026.
    let ensemble: URL
    /// Three replications of scenarios/policies/investment-fund.toml, 2020–2026, drawn from
    /// the baseline's seeds (replication k of both meets the same shocks).
    let policyEnsemble: URL
    /// The core–periphery scenario as shipped, model time 0–60 (600 ticks of two cities).
    let corePeriphery: URL
    /// The number of cities of the baseline's roster (rows of a full origin–destination table).
    let cityCount: Int

    /// Runs the baseline (shortened to 2026, so the tests stay quick) three ways.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-plot-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var scenario = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("scenarios/baseline.toml").path)
        scenario.settings.endYear = 2026
        let (setup, parameters, _) = try ScenarioLoader.prepare(scenario)
        cityCount = setup.cities.count
        // Laid out as docs/PLOTTING.md's examples expect them: runs/<name> below `folder`.
        single = folder.appendingPathComponent("runs/baseline")
        other = folder.appendingPathComponent("runs/baseline-seed-7")
        ensemble = folder.appendingPathComponent("runs/baseline-ensemble")
        try Self.writeSingle(scenario: scenario, setup: setup, parameters: parameters, seed: scenario.settings.seed, to: single)
        try Self.writeSingle(scenario: scenario, setup: setup, parameters: parameters, seed: 7, to: other)
        try Self.writeEnsemble(scenario: scenario, setup: setup, parameters: parameters, replications: 3, to: ensemble)

        var policy = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("scenarios/policies/investment-fund.toml").path)
        policy.settings.endYear = 2026
        let prepared = try ScenarioLoader.prepare(policy)
        policyEnsemble = folder.appendingPathComponent("runs/investment-fund-ensemble")
        try Self.writeEnsemble(scenario: policy, setup: prepared.0, parameters: prepared.1, replications: 3, to: policyEnsemble)

        let theory = try ScenarioLoader.load(path: packageRoot.appendingPathComponent("scenarios/theory/core-periphery.toml").path)
        let model = try ScenarioLoader.prepare(theory)
        corePeriphery = folder.appendingPathComponent("runs/core-periphery")
        try Self.writeSingle(scenario: theory, setup: model.0, parameters: model.1, seed: theory.settings.seed, to: corePeriphery)
    }

    /// Removes the scratch folder.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    static func manifest(_ scenario: Scenario, settings: SimulationSettings) -> RunManifest {
        RunManifest(twinCityVersion: "test", gslVersion: Numerics.gslVersion, scenario: scenario.resolved, settings: settings)
    }

    static func writeSingle(scenario: Scenario, setup: SimulationSetup, parameters: ModelParameters, seed: UInt64, to url: URL) throws {
        var settings = scenario.settings
        settings.seed = seed
        let writer = try RunDirectoryWriter(
            path: url.path, cities: setup.cities, sectors: parameters.sectors.map(\.id), manifest: manifest(scenario, settings: settings))
        try Simulation(setup: setup, parameters: parameters, settings: settings, policies: scenario.policies).run { try writer.consume($0) }
        try writer.finish(wallTime: 0)
    }

    static func writeEnsemble(scenario: Scenario, setup: SimulationSetup, parameters: ModelParameters, replications: Int, to url: URL) throws {
        let writer = try EnsembleDirectoryWriter(
            path: url.path, cities: setup.cities, sectors: parameters.sectors.map(\.id),
            manifest: manifest(scenario, settings: scenario.settings), replications: replications)
        for k in 0..<replications {
            let replica = try writer.replication(k)
            try Simulation(setup: setup, parameters: parameters, settings: replica.settings, policies: scenario.policies)
                .run { try replica.consume($0) }
            try replica.finish()
        }
        try writer.finish(wallTime: 0)
    }
}

/// A test class drawing from the baseline runs of `RunFixtures`, written once per class and
/// removed when the class ends.
class RunFixturesTestCase: XCTestCase {
    nonisolated(unsafe) static var fixtures: RunFixtures?

    override class func setUp() {
        super.setUp()
        fixtures = try? RunFixtures()
    }

    override class func tearDown() {
        fixtures?.remove()
        fixtures = nil
        super.tearDown()
    }

    func runs() throws -> RunFixtures {
        try XCTUnwrap(Self.fixtures, "the baseline runs could not be written")
    }
}

/// Skips the test when gnuplot is not installed, or fails it on CI (`.ci/install-deps`
/// installs it).
func requireGnuplot() throws {
    try requireTool("gnuplot", installStep: "apt-get install gnuplot-nox (.ci/install-deps)",
                    available: Gnuplot.executable() != nil, reason: "the plotting engine of twincity plot is not installed")
}

/// Parses SVG text as XML and returns the text content of its elements, one string per
/// text run; fails the test when the document is not well-formed.
func svgText(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    final class Collector: NSObject, XMLParserDelegate {
        var texts: [String] = []
        var current = ""
        var root: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            flush()
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            flush()
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current += string
        }
        func flush() {
            let text = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { texts.append(text) }
            current = ""
        }
    }
    let parser = XMLParser(data: data)
    let collector = Collector()
    parser.delegate = collector
    let parsed = parser.parse()
    XCTAssertTrue(parsed, "SVG is well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
    XCTAssertEqual(collector.root, "svg", "the root element is <svg>", file: file, line: line)
    return collector.texts
}
