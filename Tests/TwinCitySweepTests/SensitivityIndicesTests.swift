// The estimators on functions whose sensitivity indices are known in closed form: the
// Ishigami function (Ishigami and Homma 1990; values from Saltelli et al. 2008, §4.6 and
// Sobol' and Levitan 1999) and linear functions, evaluated on the sweep's own designs.
import Foundation
@testable import TwinCitySweep
import XCTest

final class SensitivityIndicesTests: XCTestCase {
    /// A Sobol design over `ranges`, N base rows.
    func sobolDesign(_ ranges: [(Double, Double)], rows: Int) throws -> SamplingDesign {
        let definition = SweepDefinition(
            name: "indices", scenario: "none.toml", seed: 1, sampler: SamplerSpec(kind: .sobol, samples: rows),
            parameters: ranges.enumerated().map { i, range in
                SweepParameter(path: "x\(i + 1)", domain: .range(min: range.0, max: range.1, scale: .linear, levels: nil))
            },
            outputs: ["region.gdp@2020"])
        return try SamplingDesign(definition)
    }

    /// f at every point of a Saltelli design, split into f_A, f_B and f_ABi.
    func evaluate(_ design: SamplingDesign, _ f: ([Double]) -> Double) -> (a: [Double], b: [Double], ab: [[Double]]) {
        let rows = design.sampler.samples!, d = design.parameters.count
        func value(_ index: Int) -> Double { f(design.values(at: index).map { $0.number! }) }
        let a = (0..<rows).map { value(design.saltelliIndex(.a(row: $0))) }
        let b = (0..<rows).map { value(design.saltelliIndex(.b(row: $0))) }
        let ab = (0..<d).map { i in (0..<rows).map { value(design.saltelliIndex(.ab(row: $0, parameter: i))) } }
        return (a, b, ab)
    }

    func testIshigamiIndicesLieInTheirBootstrapIntervals() throws {
        let a = 7.0, b = 0.1
        let ishigami = { (x: [Double]) in sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0]) }
        // Closed form: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
        // V13 = b²π⁸ (1/18 − 1/50); no other term.
        let pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
        let v1 = pow(1 + b * pi4 / 5, 2) / 2, v2 = a * a / 8, v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        let first = [v1 / v, v2 / v, 0]
        let total = [(v1 + v13) / v, v2 / v, v13 / v]
        // The published four-digit values, as a check of the closed form itself.
        for (exact, published) in zip(first + total, [0.3139, 0.4424, 0, 0.5576, 0.4424, 0.2437]) {
            XCTAssertEqual(exact, published, accuracy: 5e-5)
        }

        let design = try sobolDesign(Array(repeating: (-Double.pi, Double.pi), count: 3), rows: 4096)
        let f = evaluate(design, ishigami)
        let result = SobolIndices.analyze(a: f.a, b: f.b, ab: f.ab, resamples: 500, confidence: 0.95, seed: 20200710)
        XCTAssertEqual(result.rows, 4096)
        XCTAssertEqual(result.variance, v, accuracy: 0.02 * v, "output variance within 2 %")
        for i in 0..<3 {
            let s = result.firstOrder[i], t = result.total[i]
            XCTAssertTrue(s.contains(first[i]), "S\(i + 1) = \(first[i]) outside [\(s.lower), \(s.upper)]")
            XCTAssertTrue(t.contains(total[i]), "ST\(i + 1) = \(total[i]) outside [\(t.lower), \(t.upper)]")
            // The intervals are informative, not merely wide: at N = 4096 each is narrower than 0.1.
            XCTAssertLessThan(s.upper - s.lower, 0.1)
            XCTAssertLessThan(t.upper - t.lower, 0.1)
            XCTAssertEqual(s.estimate, first[i], accuracy: 0.03)
            XCTAssertEqual(t.estimate, total[i], accuracy: 0.03)
        }
    }

    func testLinearFunctionHasIndicesProportionalToSquaredEffects() throws {
        // f = Σ c_i x_i with independent uniform x_i: V_i = c_i² w_i² / 12 (w_i the range
        // width), no interactions, so S_i = S_Ti = V_i / Σ V_j.
        let c = [1.0, -2.0, 3.0], ranges = [(0.0, 1.0), (0.0, 1.0), (-1.0, 1.0)]
        let partial = zip(c, ranges).map { ci, r in ci * ci * (r.1 - r.0) * (r.1 - r.0) / 12 }
        let exact = partial.map { $0 / partial.reduce(0, +) }
        let design = try sobolDesign(ranges, rows: 1024)
        let f = evaluate(design) { x in zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } }
        let result = SobolIndices.analyze(a: f.a, b: f.b, ab: f.ab, resamples: 500, confidence: 0.95, seed: 1)
        for i in 0..<3 {
            XCTAssertTrue(result.firstOrder[i].contains(exact[i]), "S\(i + 1)")
            XCTAssertTrue(result.total[i].contains(exact[i]), "ST\(i + 1)")
            XCTAssertEqual(result.firstOrder[i].estimate, exact[i], accuracy: 0.02)
            // Jansen's estimator of a linear term is exact up to the sample's variance estimate.
            XCTAssertEqual(result.total[i].estimate, exact[i], accuracy: 0.01)
        }
    }

    func testIndicesDoNotChangeWhenAConstantIsAddedToTheOutput() throws {
        // An output like region GDP has a mean far above its spread; the estimates must be
        // those of the centred output, not swamped by the mean.
        let design = try sobolDesign(Array(repeating: (-Double.pi, Double.pi), count: 3), rows: 256)
        let ishigami = { (x: [Double]) in sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]) }
        let plain = evaluate(design, ishigami)
        let shifted = evaluate(design) { ishigami($0) + 1e5 }
        let a = SobolIndices.estimate(a: plain.a, b: plain.b, ab: plain.ab)
        let b = SobolIndices.estimate(a: shifted.a, b: shifted.b, ab: shifted.ab)
        for i in 0..<3 {
            // Rounding of values near 1e5 (ulp 1.5e-11) relative to a spread of about 3.7.
            XCTAssertEqual(a.firstOrder[i], b.firstOrder[i], accuracy: 1e-8)
            XCTAssertEqual(a.total[i], b.total[i], accuracy: 1e-8)
        }
    }

    func testBootstrapIsReproducibleFromItsSeed() throws {
        let design = try sobolDesign([(0, 1), (0, 1)], rows: 64)
        let f = evaluate(design) { $0[0] + $0[0] * $0[1] }
        let one = SobolIndices.analyze(a: f.a, b: f.b, ab: f.ab, resamples: 200, confidence: 0.9, seed: 5)
        let same = SobolIndices.analyze(a: f.a, b: f.b, ab: f.ab, resamples: 200, confidence: 0.9, seed: 5)
        let other = SobolIndices.analyze(a: f.a, b: f.b, ab: f.ab, resamples: 200, confidence: 0.9, seed: 6)
        XCTAssertEqual(one, same)
        XCTAssertNotEqual(one.firstOrder.map(\.lower), other.firstOrder.map(\.lower))
        XCTAssertEqual(one.firstOrder.map(\.estimate), other.firstOrder.map(\.estimate), "estimates do not depend on the seed")
    }

    func testQuantileInterpolatesBetweenOrderStatistics() {
        // gsl_stats_quantile_from_sorted_data's definition, worked by hand.
        let data = [1.0, 2, 4, 8, 16]
        XCTAssertEqual(Quantile.sorted(data, 0), 1)
        XCTAssertEqual(Quantile.sorted(data, 1), 16)
        XCTAssertEqual(Quantile.sorted(data, 0.5), 4)
        XCTAssertEqual(Quantile.sorted(data, 0.3), 2 + 0.2 * 2, accuracy: 1e-15)
    }

    func testMorrisEffectsOfALinearFunctionAreItsSlopesOverTheRange() throws {
        // f = Σ c_i x_i: each elementary effect, per unit of normalised range, is c_i · width_i
        // exactly, so μ = c_i w_i, μ* = |c_i w_i| and σ = 0.
        let c = [2.0, -0.5, 0.0], ranges = [(0.0, 1.0), (10.0, 30.0), (-1.0, 1.0)]
        let definition = SweepDefinition(
            name: "morris", scenario: "none.toml", seed: 11, sampler: SamplerSpec(kind: .morris, samples: 12, levels: 4),
            parameters: ranges.enumerated().map { i, r in SweepParameter(path: "x\(i)", domain: .range(min: r.0, max: r.1, scale: .linear, levels: nil)) },
            outputs: ["region.gdp@2020"])
        let design = try SamplingDesign(definition)
        let f = { (x: [Double]) in zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } }
        let effects = (0..<12).map { t -> [Double?] in
            let points = (t * 4)..<((t + 1) * 4)
            return MorrisEffects.elementaryEffects(
                units: points.map { design.unitPoint($0)! }, outputs: points.map { f(design.values(at: $0).map { $0.number! }) })
        }
        let statistics = MorrisEffects.statistics(effects)
        for i in 0..<3 {
            let slope = c[i] * (ranges[i].1 - ranges[i].0)
            XCTAssertEqual(statistics[i].count, 12)
            XCTAssertEqual(statistics[i].mean, slope, accuracy: 1e-12 * max(1, abs(slope)))
            XCTAssertEqual(statistics[i].meanAbsolute, abs(slope), accuracy: 1e-12 * max(1, abs(slope)))
            XCTAssertEqual(statistics[i].standardDeviation, 0, accuracy: 1e-9)
        }
    }

    func testMorrisSigmaShowsAnInteraction() throws {
        // f = x0 · x1 on [0, 1]²: the effect of x0 is x1, which varies, so σ > 0; x2 does
        // nothing, so μ* = 0.
        let definition = SweepDefinition(
            name: "morris", scenario: "none.toml", seed: 3, sampler: SamplerSpec(kind: .morris, samples: 20, levels: 4),
            parameters: (0..<3).map { SweepParameter(path: "x\($0)", domain: .range(min: 0, max: 1, scale: .linear, levels: nil)) },
            outputs: ["region.gdp@2020"])
        let design = try SamplingDesign(definition)
        let effects = (0..<20).map { t -> [Double?] in
            let points = (t * 4)..<((t + 1) * 4)
            return MorrisEffects.elementaryEffects(
                units: points.map { design.unitPoint($0)! }, outputs: points.map { design.unitPoint($0)![0] * design.unitPoint($0)![1] })
        }
        let statistics = MorrisEffects.statistics(effects)
        XCTAssertGreaterThan(statistics[0].standardDeviation, 0.1)
        XCTAssertGreaterThan(statistics[0].meanAbsolute, 0.1)
        XCTAssertEqual(statistics[2].meanAbsolute, 0, accuracy: 1e-15)
    }

    func testGridMeansAverageOverTheOtherParameters() {
        // f = 10·a + b on a 2 × 3 grid: the mean at a level of a is 10·a + mean(b).
        let levels: [[ParameterValue]] = [[.number(1), .number(2)], [.number(0), .number(1), .number(5)]]
        let points = levels[0].flatMap { a in levels[1].map { b in [a, b] } }
        let outputs = points.map { 10 * $0[0].number! + $0[1].number! }
        let table = GridMeans.table(levels: levels, points: points, outputs: outputs)
        XCTAssertEqual(table[0].map(\.mean), [12, 22])
        XCTAssertEqual(table[0].map(\.count), [3, 3])
        XCTAssertEqual(table[1].map(\.mean), [15, 16, 20])
    }
}
