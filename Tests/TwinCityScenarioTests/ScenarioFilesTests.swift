// The store a sweep's runs share: a scenario loaded through it is the scenario loaded from
// disk, files are read once (an edit after the first read does not reach later runs), and a
// failed read is not kept.
import Foundation
import TwinCityModel
@testable import TwinCityScenario
import XCTest

final class ScenarioFilesTests: XCTestCase {
    private func scenarioText(end: Int) -> String {
        """
        schema = 1
        name = "store"
        roster = "\(Checkout.root.appendingPathComponent("seeds/cities.csv").path)"
        estimates = "\(Checkout.root.appendingPathComponent("seeds/estimates-2022.toml").path)"

        [time]
        start = 2020
        end = \(end)

        [[policy]]
        kind = "tax_sharing"
        start = 2021
        """
    }

    func testAStoredScenarioIsTheScenarioOnDisk() throws {
        let folder = try scratchFolder()
        let path = try write(scenarioText(end: 2023), to: "store.toml", in: folder)
        let files = ScenarioFiles()
        for overrides in [[], ["model.hukou_barrier=0.5"], []] {
            let plain = try ScenarioLoader.load(path: path, seed: 7, overrides: overrides)
            let stored = try ScenarioLoader.load(path: path, seed: 7, overrides: overrides, files: files)
            XCTAssertEqual(stored.parameters, plain.parameters)
            XCTAssertEqual(stored.settings, plain.settings)
            XCTAssertEqual(stored.resolved, plain.resolved)
            XCTAssertEqual(stored.estimates, plain.estimates)
            XCTAssertEqual(stored.policies.count, 1)
            let a = try ScenarioLoader.prepare(plain), b = try ScenarioLoader.prepare(stored, files: files)
            XCTAssertEqual(a.roster, b.roster)
            XCTAssertEqual(a.setup.basePrices, b.setup.basePrices)
            XCTAssertEqual(a.setup.baseRent, b.setup.baseRent)
        }
        XCTAssertEqual(try ScenarioLoader.load(path: path, seed: 7, overrides: ["model.hukou_barrier=0.5"], files: files).parameters.hukouBarrier, 0.5)
    }

    func testFilesAreReadOnceAndFailuresAreNotKept() throws {
        let folder = try scratchFolder()
        let path = folder.appendingPathComponent("later.toml").path
        let files = ScenarioFiles()
        XCTAssertThrowsError(try ScenarioLoader.load(path: path, seed: nil, overrides: [], files: files))
        try scenarioText(end: 2023).write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ScenarioLoader.load(path: path, seed: nil, overrides: [], files: files).settings.endYear, 2023)
        try scenarioText(end: 2025).write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ScenarioLoader.load(path: path, seed: nil, overrides: [], files: files).settings.endYear, 2023, "read once")
        XCTAssertEqual(try ScenarioLoader.load(path: path).settings.endYear, 2025)
        XCTAssertEqual(try ScenarioLoader.load(path: path, seed: nil, overrides: [], files: ScenarioFiles()).settings.endYear, 2025)
    }

    func testACalibrationIsReusedOnlyForTheSameParameters() throws {
        let folder = try scratchFolder()
        let path = try write(scenarioText(end: 2022), to: "store.toml", in: folder)
        let files = ScenarioFiles()
        // Replications: the same parameters, other seeds.
        let first = try ScenarioLoader.prepare(ScenarioLoader.load(path: path, seed: 1, overrides: [], files: files), files: files)
        let second = try ScenarioLoader.prepare(ScenarioLoader.load(path: path, seed: 2, overrides: [], files: files), files: files)
        XCTAssertEqual(files.calibrations, 1)
        XCTAssertEqual(second.setup.basePrices, first.setup.basePrices)
        // Another value of a parameter: calibrated afresh, and the same as without the store.
        let other = ["model.migration_elasticity=2.5"]
        let changed = try ScenarioLoader.prepare(ScenarioLoader.load(path: path, seed: 1, overrides: other, files: files), files: files)
        XCTAssertEqual(files.calibrations, 2)
        let plain = try ScenarioLoader.prepare(ScenarioLoader.load(path: path, seed: 1, overrides: other))
        XCTAssertEqual(changed.setup.basePrices, plain.setup.basePrices)
        XCTAssertEqual(changed.setup.state.urbanPopulation, plain.setup.state.urbanPopulation)
        XCTAssertNotEqual(changed.setup.state.amenity, first.setup.state.amenity)
    }
}
