// `enabled = false` on a [[policy]]: the policy is checked and recorded but does not act, and
// the other policies keep their indices, so a sweep lever can switch it off with
// `--set policy[n].enabled=false`.
import Foundation
import TwinCityModel
import TwinCityScenario
import XCTest

final class PolicyEnabledTests: XCTestCase {
    static let package = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios/sweeps/base-package-levers.toml").path

    func testADisabledPolicyDoesNotActAndKeepsTheOthersIndices() throws {
        let all = try ScenarioLoader.load(path: Self.package)
        XCTAssertEqual(all.policies.map { String(describing: type(of: $0)) },
                       ["IndustryTransferPolicy", "TaxSharingPolicy", "TransportPolicy", "HukouReformPolicy"])
        let off = try ScenarioLoader.load(path: Self.package, overrides: ["policy[1].enabled=false", "policy[3].barrier_factor=0.25"])
        XCTAssertEqual(off.policies.map { String(describing: type(of: $0)) }, ["IndustryTransferPolicy", "TransportPolicy", "HukouReformPolicy"])
        let hukou = try XCTUnwrap(off.policies[2] as? HukouReformPolicy)
        XCTAssertEqual(hukou.barrierFactor, 0.25, "policy[3] still names the hukou reform")
        guard case .array(let recorded)? = off.resolved["policy"], case .table(let sharing) = recorded[1] else {
            return XCTFail("the resolved scenario lists every policy")
        }
        XCTAssertEqual(recorded.count, 4)
        XCTAssertEqual(sharing["enabled"], .bool(false))
        XCTAssertEqual(sharing["kind"], .string("tax_sharing"))
        let on = try ScenarioLoader.load(path: Self.package, overrides: ["policy[1].enabled=true"])
        XCTAssertEqual(on.policies.count, 4)
    }

    func testEnabledTakesABoolean() throws {
        XCTAssertThrowsError(try ScenarioLoader.load(path: Self.package, overrides: ["policy[2].enabled=1"])) { error in
            XCTAssertTrue(String(describing: error).contains("key 'policy[2].enabled': expected true or false (whether the policy acts), found 1"), "\(error)")
        }
    }
}
