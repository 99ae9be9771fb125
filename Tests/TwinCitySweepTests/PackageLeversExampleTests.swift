// The shipped exploratory example, scenarios/sweeps/package-levers.toml: valid as shipped,
// and run with a short horizon and four futures, unsharded and in three shards merged, to
// the same database; then analysed for robustness.
import Foundation
@testable import TwinCitySweep
import XCTest

final class PackageLeversExampleTests: XCTestCase {
    let examples = SweepTestSupport.packageRoot.appendingPathComponent("scenarios/sweeps")

    func testShippedPackageLeversSweepIsValid() throws {
        let plan = try SweepPlan.load(path: examples.appendingPathComponent("package-levers.toml").path)
        XCTAssertEqual(plan.definition.levers.map(\.path), ["policy[0].enabled", "policy[1].enabled", "policy[2].enabled", "policy[3].enabled"])
        XCTAssertEqual(plan.definition.levers.map(\.name), ["transfer", "tax_sharing", "transport", "hukou"])
        XCTAssertEqual(plan.baseScenario.policies.map { String(describing: type(of: $0)) },
                       ["IndustryTransferPolicy", "TaxSharingPolicy", "TransportPolicy", "HukouReformPolicy"])
        XCTAssertEqual(plan.design.combinations.count, 16)
        XCTAssertEqual(plan.design.futureCount, 64)
        XCTAssertEqual(plan.design.pointCount, 1024)
    }

    func testPackageLeversRunsShardedOrNotToTheSameDatabase() throws {
        let folder = try scratchFolder()
        var text = try String(contentsOf: examples.appendingPathComponent("package-levers.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "scenario = \"base-package-levers.toml\"", with: "scenario = \"\(examples.path)/base-package-levers.toml\"")
            .replacingOccurrences(of: "\nseed = ", with: "\nset = [\"time.end=2022\"]\nseed = ")
            .replacingOccurrences(of: "@2035", with: "@2022")
            .replacingOccurrences(of: "samples = 64", with: "samples = 4")
        let sweep = try write(text, to: "package-levers.toml", in: folder)
        let whole = folder.appendingPathComponent("whole")
        XCTAssertEqual(try runSweep(sweep, into: whole, jobs: 2).progress.done, 64)
        let shards = folder.appendingPathComponent("shards")
        for k in 0..<3 { try runSweep(sweep, into: shards, jobs: 1, shard: ShardSelection(index: k, count: 3)!) }
        let merged = folder.appendingPathComponent("merged")
        let merge = try twincity(["sweep", "merge", merged.path, shards.path])
        XCTAssertEqual(merge.status, 0, merge.standardError)
        let a = try DatabaseContent(whole.appendingPathComponent("sweep.sqlite").path)
        let b = try DatabaseContent(merged.appendingPathComponent("sweep.sqlite").path)
        XCTAssertTrue(a.sameResults(as: b), "three shards merged give the unsharded database")

        let robustness = try Robustness.analyze(path: whole.appendingPathComponent("sweep.sqlite").path, satisfice: [], minimize: ["region.theil@2022"])
        XCTAssertEqual(robustness.outcomes.map(\.metric), ["region.gdp@2022", "region.theil@2022", "region.chengdu_gdp_share@2022"])
        for outcome in robustness.outcomes {
            XCTAssertEqual(outcome.rows.count, 16)
            XCTAssertEqual(outcome.regretFutures, [0, 1, 2, 3])
        }
        // Every future has one best combination with regret 0.
        let gdp = robustness.outcomes[0]
        for (k, f) in gdp.regretFutures.enumerated() {
            XCTAssertEqual(gdp.rows.map { $0.regrets[k] }.min(), 0, "future \(f)")
        }
    }
}
