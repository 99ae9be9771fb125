// twincity's Sobol and Morris statistics against SALib's (Herman and Usher 2017), computed by
// SALib from twincity's own design and model outputs: a short Sobol and a short Morris sweep
// of the baseline are run, and both libraries analyse the same numbers.
@testable import TwinCitySweep
import Foundation
import XCTest

final class SALibCrossCheckTests: XCTestCase {
    /// A sweep of three parameters over the baseline to 2022, shocks off.
    func sweep(sampler: String) -> String {
        """
        schema = 1
        name = "salib"
        scenario = "\(SweepTestSupport.baseline)"
        seed = 3
        set = ["time.end=2022", "model.productivity_shock_sd=0"]
        outputs = ["region.gdp@2022", "city.chengdu.population@2022"]

        [sampler]
        \(sampler)

        [[parameter]]
        path = "model.saving_rate"
        min = 0.2
        max = 0.4

        [[parameter]]
        path = "model.productivity_growth"
        min = 0.01
        max = 0.03

        [[parameter]]
        path = "model.migration_elasticity"
        min = 1.0
        max = 3.0
        """
    }

    /// Runs `text` and returns its design and each output's point values.
    func run(_ text: String) throws -> (SamplingDesign, [[Double]], SweepAnalysis) {
        let folder = try scratchFolder()
        let path = try write(text, to: "salib.toml", in: folder)
        try runSweep(path, into: folder, jobs: 2)
        let database = folder.appendingPathComponent("sweep.sqlite").path
        let (_, design, means, _, _) = try SweepAnalysis.load(path: database)
        return (design, means, try SweepAnalysis.analyze(path: database, resamples: 10, confidence: 0.95, seed: nil))
    }

    func testSobolIndicesAgreeWithSALib() throws {
        try PythonTools.require("SALib", package: "SALib")
        let (design, means, analysis) = try run(sweep(sampler: "kind = \"sobol\"\nsamples = 32"))
        let d = 3, n = 32
        for (m, metric) in ["region.gdp@2022", "city.chengdu.population@2022"].enumerated() {
            // SALib's order within a base row (calc_second_order=False): A, AB_1 … AB_d, B.
            var y: [Double] = []
            for j in 0..<n {
                y.append(means[m][design.saltelliIndex(.a(row: j))])
                for i in 0..<d { y.append(means[m][design.saltelliIndex(.ab(row: j, parameter: i))]) }
                y.append(means[m][design.saltelliIndex(.b(row: j))])
            }
            let script = """
                import json, sys
                import numpy as np
                from SALib.analyze import sobol
                y = np.array(json.loads(sys.argv[1]))
                problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
                r = sobol.analyze(problem, y, calc_second_order=False, num_resamples=10, print_to_console=False, seed=1)
                print(json.dumps({"S1": list(map(float, r["S1"])), "ST": list(map(float, r["ST"]))}))
                """
            let out = try PythonTools.run(script, arguments: [String(decoding: try JSONEncoder().encode(y), as: UTF8.self)])
            XCTAssertEqual(out.status, 0, out.standardError)
            let salib = try JSONDecoder().decode([String: [Double]].self, from: Data(out.standardOutput.utf8))
            guard case .sobol(let ours) = analysis.outputs[m].section else { return XCTFail("\(metric): a Sobol analysis") }
            for i in 0..<d {
                // Total indices: the same Jansen estimator, so equal to rounding.
                XCTAssertEqual(ours.total[i].estimate, salib["ST"]![i], accuracy: 1e-9, "\(metric) ST[\(i)]")
                // First order: SALib centres on the mean of all N(d + 2) outputs, twincity on
                // that of A and B; the estimators differ by (m_AB − m_all)·mean(f_ABi − f_A)/V,
                // a product of two sampling errors.
                XCTAssertEqual(ours.firstOrder[i].estimate, salib["S1"]![i], accuracy: 5e-3, "\(metric) S1[\(i)]")
            }
        }
    }

    func testMorrisStatisticsAgreeWithSALib() throws {
        try PythonTools.require("SALib", package: "SALib")
        let (design, means, analysis) = try run(sweep(sampler: "kind = \"morris\"\nsamples = 6\nlevels = 4"))
        let units = (0..<design.pointCount).map { design.unitPoint($0)! }
        for (m, metric) in ["region.gdp@2022", "city.chengdu.population@2022"].enumerated() {
            let script = """
                import json, sys
                import numpy as np
                from SALib.analyze import morris
                x = np.array(json.loads(sys.argv[1]))
                y = np.array(json.loads(sys.argv[2]))
                problem = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0, 1]] * 3}
                r = morris.analyze(problem, x, y, num_levels=4, num_resamples=10, print_to_console=False, seed=1)
                print(json.dumps({k: list(map(float, r[k])) for k in ["mu", "mu_star", "sigma"]}))
                """
            let out = try PythonTools.run(script, arguments: [
                String(decoding: try JSONEncoder().encode(units), as: UTF8.self),
                String(decoding: try JSONEncoder().encode(means[m]), as: UTF8.self),
            ])
            XCTAssertEqual(out.status, 0, out.standardError)
            let salib = try JSONDecoder().decode([String: [Double]].self, from: Data(out.standardOutput.utf8))
            guard case .morris(let ours) = analysis.outputs[m].section else { return XCTFail("\(metric): a Morris analysis") }
            for i in 0..<3 {
                // The same effects Δy/Δ with Δ = p/(2(p − 1)): equal to rounding.
                let scale = max(1, abs(salib["mu_star"]![i]))
                XCTAssertEqual(ours[i].mean, salib["mu"]![i], accuracy: 1e-9 * scale, "\(metric) mu[\(i)]")
                XCTAssertEqual(ours[i].meanAbsolute, salib["mu_star"]![i], accuracy: 1e-9 * scale, "\(metric) mu*[\(i)]")
                XCTAssertEqual(ours[i].standardDeviation, salib["sigma"]![i], accuracy: 1e-9 * scale, "\(metric) sigma[\(i)]")
            }
        }
    }
}
