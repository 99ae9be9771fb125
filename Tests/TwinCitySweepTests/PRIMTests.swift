// PRIM scenario discovery: recovering a known box, the binomial tail of the quasi-p-values,
// and the peeling and pasting trajectory against EMA Workbench's on the same data.
@testable import TwinCitySweep
import Foundation
import TwinCityModel
import XCTest

final class PRIMTests: XCTestCase {
    /// `count` points uniform in [0, 1]³ from a seeded stream.
    func points(_ count: Int, seed: UInt64) -> [[Double]] {
        let stream = UniformStream(master: seed, stream: 0)
        return (0..<count).map { _ in [stream.next(), stream.next(), stream.next()] }
    }

    func testPRIMRecoversAKnownBox() {
        // Cases of interest: x0 ≥ 0.6 and x1 ≤ 0.3, whatever x2 — a box of mass 0.12.
        let x = points(1000, seed: 5)
        let y = x.map { $0[0] >= 0.6 && $0[1] <= 0.3 }
        let result = PRIM.run(x: x, y: y)
        let last = result.trajectory.last!
        XCTAssertEqual(result.trajectory.first?.phase, .initial)
        XCTAssertEqual(last.restricted, [0, 1], "only the two dimensions of the box are restricted")
        XCTAssertEqual(last.density, 1, "every case in the box is of interest")
        XCTAssertGreaterThan(last.coverage, 0.9)
        XCTAssertEqual(last.box.lower[0], 0.6, accuracy: 0.02)
        XCTAssertEqual(last.box.upper[1], 0.3, accuracy: 0.02)
        XCTAssertEqual(last.box.upper[0], result.initial.upper[0])
        XCTAssertEqual(last.box.lower[1], result.initial.lower[1])
        // The limits are anything but chance: removing either leaves a box of density ≈ 0.3–0.4.
        XCTAssertLessThan(last.quasiP[0].lower!, 1e-10)
        XCTAssertLessThan(last.quasiP[1].upper!, 1e-10)
        XCTAssertNil(last.quasiP[0].upper)
        // Coverage never rises and density never falls along the peels.
        let peels = result.trajectory.filter { $0.phase != .paste }
        for (a, b) in zip(peels, peels.dropFirst()) {
            XCTAssertLessThanOrEqual(b.coverage, a.coverage)
            XCTAssertGreaterThan(b.density, a.density)
        }
        // Restricting to the dimensions that matter keeps the box.
        let restricted = PRIM.restrict(last.box, to: [0, 1], x: x, y: y, initial: result.initial)
        XCTAssertEqual(restricted.cases, last.cases)
        // Dropping x1 leaves the x0 half: density near 0.3 / 1 of it.
        let loose = PRIM.restrict(last.box, to: [0], x: x, y: y, initial: result.initial)
        XCTAssertEqual(loose.density, 0.3, accuracy: 0.06)
    }

    func testBinomialUpperTailMatchesClosedForms() {
        // P(X ≥ 8) for X ~ Bin(10, 1/2) = (45 + 10 + 1) / 1024.
        XCTAssertEqual(PRIM.binomialUpperTail(atLeast: 8, trials: 10, probability: 0.5), 56.0 / 1024, accuracy: 1e-14)
        // P(X ≥ 1) = 1 − (1 − p)^n.
        XCTAssertEqual(PRIM.binomialUpperTail(atLeast: 1, trials: 50, probability: 0.1), 1 - Foundation.pow(0.9, 50), accuracy: 1e-13)
        // P(X ≥ n) = p^n.
        XCTAssertEqual(PRIM.binomialUpperTail(atLeast: 30, trials: 30, probability: 0.7), Foundation.pow(0.7, 30), accuracy: 1e-16)
        XCTAssertEqual(PRIM.binomialUpperTail(atLeast: 0, trials: 30, probability: 0.7), 1)
    }

    func testEMAQuantileMovesPastTies() {
        XCTAssertEqual(PRIM.quantile([1, 2, 3, 4, 5], 0.5), 3.5, "i = 2 exactly: the upper index moves to the next distinct value")
        XCTAssertEqual(PRIM.quantile([1, 1, 1, 2, 3], 0.05), 1.5)
        XCTAssertEqual(PRIM.quantile([1, 2, 3, 3, 3], 0.95), 2.5)
        XCTAssertEqual(PRIM.quantile(Array(stride(from: 0.0, through: 20, by: 1)), 0.05), 1.5)
    }

    func testPeelingTrajectoryMatchesEMAWorkbench() throws {
        try PythonTools.require("ema_workbench", package: "EMA Workbench (ema-workbench)")
        // A noisy box: x0 > 0.5 and x1 < 0.4, one label in ten flipped.
        let x = points(400, seed: 17)
        let noise = UniformStream(master: 18, stream: 0)
        let y = x.map { p -> Bool in
            let inBox = p[0] > 0.5 && p[1] < 0.4
            return noise.next() < 0.1 ? !inBox : inBox
        }
        let folder = try scratchFolder()
        var csv = "x0,x1,x2,y\n"
        for (p, flag) in zip(x, y) { csv += p.map { "\($0)" }.joined(separator: ",") + ",\(flag ? 1 : 0)\n" }
        let data = try write(csv, to: "cases.csv", in: folder)
        let script = """
            import json, logging, sys, warnings
            warnings.filterwarnings("ignore")
            import pandas as pd
            from ema_workbench.analysis import prim
            data = pd.read_csv(sys.argv[1], float_precision="round_trip")
            x = data[["x0", "x1", "x2"]]
            y = data["y"].values
            p = prim.Prim(x, y, threshold=0.5, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
            box = p.find_box()
            out = []
            for i, row in box.peeling_trajectory.iterrows():
                lims = box.box_lims[i]
                out.append({"coverage": float(row["coverage"]), "density": float(row["density"]), "mass": float(row["mass"]),
                            "n": int(row["n"]), "res_dim": int(row["res_dim"]),
                            "lower": [float(lims.loc[0, c]) for c in x.columns], "upper": [float(lims.loc[1, c]) for c in x.columns],
                            "qp": {k: [float(v[0]), float(v[1])] for k, v in box.qp[i].items()}})
            print(json.dumps(out))
            """
        let run = try PythonTools.run(script, arguments: [data])
        XCTAssertEqual(run.status, 0, run.standardError)
        struct EMAStep: Decodable {
            var coverage, density, mass: Double
            var n, res_dim: Int
            var lower, upper: [Double]
            var qp: [String: [Double]]
        }
        let ema = try JSONDecoder().decode([EMAStep].self, from: Data(run.standardOutput.utf8))
        let ours = PRIM.run(x: x, y: y).trajectory
        XCTAssertGreaterThan(ema.count, 10, "a trajectory of many peels")
        XCTAssertEqual(ours.count, ema.count, "boxes on the trajectory (peels and pastes)")
        for (i, (a, b)) in zip(ours, ema).enumerated() {
            XCTAssertEqual(a.cases.count, b.n, "box \(i): cases")
            XCTAssertEqual(a.coverage, b.coverage, "box \(i): coverage")
            XCTAssertEqual(a.density, b.density, "box \(i): density")
            XCTAssertEqual(a.mass, b.mass, "box \(i): mass")
            XCTAssertEqual(a.restricted.count, b.res_dim, "box \(i): restricted dimensions")
            XCTAssertEqual(a.box.lower, b.lower, "box \(i): lower limits")
            XCTAssertEqual(a.box.upper, b.upper, "box \(i): upper limits")
            for (j, name) in ["x0", "x1", "x2"].enumerated() {
                guard let qp = b.qp[name] else {
                    XCTAssertFalse(a.restricted.contains(j), "box \(i): \(name) restricted here only")
                    continue
                }
                let mine = [a.quasiP[j].lower ?? -1, a.quasiP[j].upper ?? -1]
                for k in 0..<2 {
                    XCTAssertEqual(mine[k], qp[k], accuracy: max(1e-12, 1e-9 * abs(qp[k])), "box \(i): quasi-p of \(name) \(k == 0 ? "lower" : "upper")")
                }
            }
        }
    }
}
