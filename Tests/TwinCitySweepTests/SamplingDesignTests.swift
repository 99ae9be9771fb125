// The samplers' designs: grid order, Latin hypercube strata, reproducible random draws,
// Saltelli's matrices on GSL's Sobol points, Morris trajectories on their grid, and run seeds.
@testable import TwinCitySweep
import TwinCityModel
import XCTest

final class SamplingDesignTests: XCTestCase {
    func range(_ path: String, _ low: Double, _ high: Double, scale: ParameterScale = .linear, levels: Int? = nil) -> SweepParameter {
        SweepParameter(path: path, domain: .range(min: low, max: high, scale: scale, levels: levels))
    }

    func definition(_ sampler: SamplerSpec, _ parameters: [SweepParameter], seed: UInt64 = 42) -> SweepDefinition {
        SweepDefinition(name: "design", scenario: "s.toml", seed: seed, sampler: sampler, parameters: parameters, outputs: ["region.gdp@2020"])
    }

    func testGridVariesTheLastParameterFastest() throws {
        let design = try SamplingDesign(definition(SamplerSpec(kind: .grid), [
            SweepParameter(path: "a", domain: .values([.text("x"), .text("y")])),
            range("b", 0, 1, levels: 3),
        ]))
        XCTAssertEqual(design.pointCount, 6)
        let labels = (0..<6).map { design.values(at: $0).map(\.label).joined(separator: ",") }
        XCTAssertEqual(labels, ["x,0", "x,0.5", "x,1", "y,0", "y,0.5", "y,1"])
        XCTAssertEqual(design.overrides(at: 4), ["a=\"y\"", "b=0.5"])
        XCTAssertEqual(design.summary, "grid: 2 × 3 = 6 points")
    }

    func testValuesMapOntoRangesAndScales() {
        let linear = range("p", 2, 4), log = range("q", 1e-3, 1e1, scale: .log)
        XCTAssertEqual(linear.value(atUnit: 0), .number(2))
        XCTAssertEqual(linear.value(atUnit: 0.25), .number(2.5))
        XCTAssertEqual(linear.value(atUnit: 1), .number(4), "the top of the range exactly")
        XCTAssertEqual(log.value(atUnit: 0.5).number!, 0.1, accuracy: 1e-15)
        XCTAssertEqual(log.value(atUnit: 1), .number(10))
        let list = SweepParameter(path: "r", domain: .values([.number(1), .number(2), .number(3)]))
        XCTAssertEqual([0, 0.33, 0.34, 0.99, 1].map { list.value(atUnit: $0) }, [.number(1), .number(1), .number(2), .number(3), .number(3)])
        XCTAssertEqual(range("g", 0, 0.1, levels: 3).gridLevels, [.number(0), .number(0.05), .number(0.1)])
    }

    func testOverrideTextReadsBackAsTheSameValue() {
        XCTAssertEqual(ParameterValue.number(2030).overrideText, "2030", "whole numbers as TOML integers")
        XCTAssertEqual(ParameterValue.number(0.05).overrideText, "0.05")
        XCTAssertEqual(ParameterValue.text("a \"b\"").overrideText, #""a \"b\"""#)
        for value in [0.1, 1.0 / 3, 1e-5, 123456.789, -2.5e-300] {
            XCTAssertEqual(Double(ParameterValue.number(value).overrideText), value, "\(value)")
        }
    }

    func testLatinHypercubeUsesEveryStratumOnce() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let design = try SamplingDesign(definition(SamplerSpec(kind: .lhs, samples: 50), [range("a", 0, 1), range("b", 0, 1), range("c", 0, 1)], seed: seed))
            for j in 0..<3 {
                let strata = (0..<50).map { Int(design.unitPoint($0)![j] * 50) }.sorted()
                XCTAssertEqual(strata, Array(0..<50), "seed \(seed), parameter \(j)")
            }
        }
    }

    func testRandomDesignIsReproducibleFromTheSeed() throws {
        let parameters = [range("a", 0, 1), range("b", 0, 1)]
        let one = try SamplingDesign(definition(SamplerSpec(kind: .random, samples: 20), parameters, seed: 9))
        let same = try SamplingDesign(definition(SamplerSpec(kind: .random, samples: 20), parameters, seed: 9))
        let other = try SamplingDesign(definition(SamplerSpec(kind: .random, samples: 20), parameters, seed: 10))
        XCTAssertEqual((0..<20).map { one.unitPoint($0)! }, (0..<20).map { same.unitPoint($0)! })
        XCTAssertNotEqual((0..<20).map { one.unitPoint($0)! }, (0..<20).map { other.unitPoint($0)! })
        XCTAssertTrue((0..<20).allSatisfy { one.unitPoint($0)!.allSatisfy { $0 >= 0 && $0 < 1 } })
    }

    func testSaltelliDesignTakesColumnsFromGSLSobolPoints() throws {
        let d = 3, rows = 8
        let design = try SamplingDesign(definition(SamplerSpec(kind: .sobol, samples: rows), (0..<d).map { range("x\($0)", 0, 1) }))
        XCTAssertEqual(design.pointCount, rows * (d + 2))
        // GSL's Sobol sequence in 2-D starts (0.5, 0.5), (0.75, 0.25), (0.25, 0.75)
        // (docs of gsl_qrng); in 2d = 6 dimensions the first point is all 0.5.
        XCTAssertEqual(design.unitPoint(design.saltelliIndex(.a(row: 0))), [0.5, 0.5, 0.5])
        let sobol = try SweepSupport.sobolPoints(dimension: 2 * d, count: rows)
        for j in 0..<rows {
            let a = design.unitPoint(design.saltelliIndex(.a(row: j)))!, b = design.unitPoint(design.saltelliIndex(.b(row: j)))!
            XCTAssertEqual(a, Array(sobol[j][0..<d]))
            XCTAssertEqual(b, Array(sobol[j][d..<(2 * d)]))
            for i in 0..<d {
                var expected = a
                expected[i] = b[i]
                XCTAssertEqual(design.unitPoint(design.saltelliIndex(.ab(row: j, parameter: i))), expected)
            }
        }
        for index in 0..<design.pointCount {
            XCTAssertEqual(design.saltelliIndex(design.saltelliRole(of: index)), index)
        }
    }

    func testMorrisTrajectoriesMoveOneParameterAtATimeOnTheGrid() throws {
        let d = 4, r = 10, p = 6
        let design = try SamplingDesign(definition(SamplerSpec(kind: .morris, samples: r, levels: p), (0..<d).map { range("x\($0)", 0, 1) }))
        XCTAssertEqual(design.pointCount, r * (d + 1))
        let delta = Double(p) / Double(2 * (p - 1))
        for t in 0..<r {
            var moved = Set<Int>()
            for k in 0..<d {
                let x0 = design.unitPoint(t * (d + 1) + k)!, x1 = design.unitPoint(t * (d + 1) + k + 1)!
                let changed = (0..<d).filter { x0[$0] != x1[$0] }
                XCTAssertEqual(changed.count, 1, "trajectory \(t), step \(k)")
                XCTAssertEqual(abs(x1[changed[0]] - x0[changed[0]]), delta, accuracy: 1e-15)
                moved.insert(changed[0])
                for x in x1 {
                    XCTAssertEqual(x * Double(p - 1), (x * Double(p - 1)).rounded(), accuracy: 1e-12, "on the \(p)-level grid")
                    XCTAssertTrue(x >= 0 && x <= 1)
                }
            }
            XCTAssertEqual(moved, Set(0..<d), "every parameter moves once in trajectory \(t)")
        }
    }

    func testRunSeedsAreDistinctAndIndependentOfEverythingButTheirIndices() {
        var seen = Set<UInt64>()
        for point in 0..<200 {
            for replication in 0..<5 {
                let seed = SweepSeeds.runSeed(sweepSeed: 20200710, point: point, replication: replication)
                XCTAssertLessThan(seed, 1 << 63, "fits a signed 64-bit integer")
                seen.insert(seed)
            }
        }
        XCTAssertEqual(seen.count, 1000)
        // The documented formula.
        let expected = SweepSupport.streamSeed(master: SweepSupport.streamSeed(master: 5, index: 4), index: 2) & (1 << 63 - 1)
        XCTAssertEqual(SweepSeeds.runSeed(sweepSeed: 5, point: 3, replication: 2), expected)
    }

    func testShardsPartitionThePoints() throws {
        let shards = (0..<3).map { ShardSelection(index: $0, count: 3)! }
        for total in [0, 1, 2, 7, 9] {
            XCTAssertEqual(shards.map { $0.pointCount(of: total) }.reduce(0, +), total)
            for point in 0..<total { XCTAssertEqual(shards.filter { $0.contains(point: point) }.count, 1) }
        }
        XCTAssertEqual(try ShardSelection(parsing: "1/4"), ShardSelection(index: 1, count: 4))
        XCTAssertThrowsError(try ShardSelection(parsing: "4/4"))
        XCTAssertThrowsError(try ShardSelection(parsing: "a/b"))
        XCTAssertEqual(try ShardSelection.fromSlurm(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "5"]), ShardSelection(index: 2, count: 5))
        XCTAssertNil(try ShardSelection.fromSlurm([:]))
        XCTAssertThrowsError(try ShardSelection.fromSlurm(["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "5"]))
        XCTAssertEqual(ShardSelection(index: 2, count: 5)!.databaseName, "shard-2-of-5.sqlite")
    }
}
