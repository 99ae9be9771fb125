// The shipped example sweeps in scenarios/sweeps/: each is checked as shipped, then run with a
// short horizon (and, for Sobol, fewer base rows) and analysed.
import Foundation
@testable import TwinCitySweep
import XCTest

final class ExampleSweepTests: XCTestCase {
    let examples = SweepTestSupport.packageRoot.appendingPathComponent("scenarios/sweeps")

    /// The example rewritten into `folder` with its scenario made absolute, the horizon cut to
    /// 2022 (outputs taken in 2022) and `edit` applied.
    func shortened(_ name: String, in folder: URL, edit: (String) -> String = { $0 }) throws -> String {
        let plan = try SweepPlan.load(path: examples.appendingPathComponent(name).path)
        var text = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
        text = text.replacingOccurrences(of: "scenario = \"\(plan.definition.scenario)\"", with: "scenario = \"\(plan.file.scenarioPath)\"")
        text = text.contains("\nset = [")
            ? text.replacingOccurrences(of: "\nset = [", with: "\nset = [\"time.end=2022\", ")
            : text.replacingOccurrences(of: "\nseed = ", with: "\nset = [\"time.end=2022\"]\nseed = ")
        text = text.replacingOccurrences(of: "@2035", with: "@2022")
        return try write(edit(text), to: name, in: folder)
    }

    func testShippedExamplesAreValid() throws {
        let grid = try SweepPlan.load(path: examples.appendingPathComponent("tax-sharing-x-industry-transfer.toml").path)
        XCTAssertEqual(grid.design.summary, "grid: 4 × 3 = 12 points")
        XCTAssertEqual(grid.baseScenario.policies.count, 2)
        XCTAssertEqual(grid.definition.parameters.map(\.path), ["policy[1].share", "policy[0].relocation_bonus"])
        let sobol = try SweepPlan.load(path: examples.appendingPathComponent("sobol-key-parameters.toml").path)
        XCTAssertEqual(sobol.definition.parameters.map(\.path), [
            "model.migration_elasticity", "model.hukou_barrier", "model.agglomeration",
            "model.relocation_rate", "model.saving_rate", "model.productivity_growth",
        ])
        XCTAssertEqual(sobol.definition.outputs, ["region.gdp@2035", "region.theil@2035", "city.chengdu.population@2035"])
        XCTAssertEqual(sobol.baseScenario.parameters.productivityShockSD, 0, "shocks off, so indices measure the parameters")
        XCTAssertEqual(sobol.design.pointCount, 64 * 8, "N = 64 base rows, d = 6")
    }

    func testTaxSharingByIndustryTransferGridRunsAndAnalyses() throws {
        let folder = try scratchFolder()
        let sweep = try shortened("tax-sharing-x-industry-transfer.toml", in: folder) {
            $0.replacingOccurrences(of: "replications = 2", with: "replications = 1")
        }
        let out = folder.appendingPathComponent("out")
        let outcome = try runSweep(sweep, into: out, jobs: 2)
        XCTAssertEqual(outcome.progress.done, 12)
        XCTAssertEqual(outcome.progress.failedHere, 0)
        let analysis = try SweepAnalysis.analyze(path: out.appendingPathComponent("sweep.sqlite").path, resamples: 10, confidence: 0.9, seed: nil)
        XCTAssertEqual(analysis.outputs.count, 5)
        guard case .grid(let table) = analysis.outputs[0].section else { return XCTFail("a grid analysis") }
        XCTAssertEqual(table[0].map(\.value.label), ["0", "0.2", "0.4", "0.6"])
        XCTAssertEqual(table[1].map(\.value.label), ["0", "0.05", "0.1"])
        XCTAssertEqual(table[0].map(\.count), [3, 3, 3, 3])
        XCTAssertTrue(table.joined().allSatisfy { $0.mean > 0 }, "region GDP in 亿元")
        // The relocation bonus moves industry out of Chengdu: more bonus, more outflow by 2022.
        guard case .grid(let outflow) = analysis.outputs[3].section else { return XCTFail("a grid analysis") }
        XCTAssertEqual(analysis.outputs[3].metric, "city.chengdu.industry_out@2022")
        XCTAssertLessThan(outflow[1][0].mean, outflow[1][2].mean)
    }

    func testSobolKeyParametersRunsAndAnalyses() throws {
        let folder = try scratchFolder()
        let sweep = try shortened("sobol-key-parameters.toml", in: folder) {
            $0.replacingOccurrences(of: "samples = 64", with: "samples = 4")
        }
        let out = folder.appendingPathComponent("out")
        let outcome = try runSweep(sweep, into: out, jobs: 2)
        XCTAssertEqual(outcome.progress.done, 4 * 8)
        XCTAssertEqual(outcome.progress.failedHere, 0)
        let analysis = try SweepAnalysis.analyze(path: out.appendingPathComponent("sweep.sqlite").path, resamples: 50, confidence: 0.9, seed: nil)
        XCTAssertEqual(analysis.outputs.map(\.metric), ["region.gdp@2022", "region.theil@2022", "city.chengdu.population@2022"])
        for (metric, section) in analysis.outputs {
            guard case .sobol(let result) = section else { return XCTFail("\(metric): a Sobol analysis") }
            XCTAssertEqual(result.rows, 4, metric)
            XCTAssertGreaterThan(result.variance, 0, metric)
            XCTAssertEqual(result.firstOrder.count, 6)
            for interval in result.firstOrder + result.total {
                XCTAssertTrue(interval.estimate.isFinite, metric)
                XCTAssertLessThanOrEqual(interval.lower, interval.upper, metric)
            }
        }
        // Over two years region GDP moves with saving (capital) and productivity growth; the
        // migration and relocation parameters only move activity between cities. Their total
        // indices are two orders of magnitude apart even with 4 base rows.
        guard case .sobol(let gdp) = analysis.outputs[0].section else { return }
        let total = gdp.total.map(\.estimate)
        XCTAssertGreaterThan(min(total[4], total[5]), 10 * total[0..<4].max()!, "\(total)")
    }
}
