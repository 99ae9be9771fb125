// `twincity compare` on ensembles: replication k of A against replication k of B, both drawn
// from the same seed; a single run against an ensemble, or ensembles of different seeds,
// refused with what to run instead; and the run summary saying when it is one random draw.
import Foundation
import XCTest

final class PairedCompareTests: XCTestCase {
    /// Runs `scenario` to 2022 into `folder/name` with `arguments`.
    func run(_ scenario: String, _ name: String, in folder: URL, _ arguments: [String] = []) throws -> (URL, ProcessResult) {
        let out = folder.appendingPathComponent(name)
        let result = try TwinCityProcess.run(["run", scenario, "--out", out.path, "--quiet", "--set", "time.end=2022"] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        return (out, result)
    }

    /// `column` at `year` in each replication of an ensemble's region.csv, in replication order.
    func regionValues(_ run: URL, _ column: String, year: String) throws -> [Double] {
        let records = parseCSV(try String(contentsOf: run.appendingPathComponent("region.csv"), encoding: .utf8))
        let header = records[0]
        let (r, y, c) = (header.firstIndex(of: "replication")!, header.firstIndex(of: "year")!, try XCTUnwrap(header.firstIndex(of: column)))
        return records.dropFirst().filter { $0[y] == year }.sorted { Int($0[r])! < Int($1[r])! }.map { Double($0[c])! }
    }

    func testEnsemblesOfOneSeedArePairedReplicationByReplication() throws {
        let folder = try scratchFolder()
        let ensemble = ["--replications", "3", "--seed", "5"]
        let (a, _) = try run("scenarios/baseline.toml", "baseline", in: folder, ensemble)
        let (again, _) = try run("scenarios/baseline.toml", "baseline-again", in: folder, ensemble)
        let (b, _) = try run("scenarios/decision-2020.toml", "decision", in: folder, ensemble)

        // The same scenario twice: every pair met the same shocks, so every effect is exactly
        // zero, with an interval of zero width — an unpaired comparison would show the noise.
        let same = try TwinCityProcess.run(["compare", a.path, again.path, "--format", "csv"])
        XCTAssertEqual(same.status, 0, same.standardError)
        let sameRows = parseCSV(same.standardOutput)
        XCTAssertEqual(sameRows[0], ["section", "city", "column", "year", "pairs", "mean_a", "mean_b", "mean_difference",
                                     "lower", "upper", "percent", "same_sign_share"])
        XCTAssertEqual(sameRows.count - 1, 5 + 23 * 2 + 23 * 3)
        for row in sameRows.dropFirst() {
            XCTAssertEqual(row[4], "3")
            XCTAssertEqual(Double(row[7]), 0, "\(row)")
            XCTAssertEqual(Double(row[8]), 0, "\(row)")
            XCTAssertEqual(Double(row[9]), 0, "\(row)")
            XCTAssertEqual(Double(row[11]), 1, "\(row)")
        }

        // The decision package: the mean of the pairs' differences and its 95 % interval
        // d̄ ± t(0.975, 2)·s/√3, t(0.975, 2) = 0.95/√(2·0.975·0.025), from region.csv of both.
        let result = try TwinCityProcess.run(["compare", a.path, b.path, "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let rows = parseCSV(result.standardOutput).dropFirst()
        for column in ["gdp", "chongqing_gdp_share", "theil_gdp_per_capita"] {
            let x = try regionValues(a, column, year: "2022"), y = try regionValues(b, column, year: "2022")
            XCTAssertEqual(x.count, 3)
            let d = zip(y, x).map { $0 - $1 }
            let mean = d.reduce(0, +) / 3
            let sd = (d.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
            let half = 0.95 / (2 * 0.975 * 0.025).squareRoot() * sd / 3.0.squareRoot()
            let sameSign = Double(d.filter { $0.sign == mean.sign && $0 != 0 }.count) / 3
            let row = try XCTUnwrap(rows.first { $0[0] == "region" && $0[2] == column })
            XCTAssertEqual(row[3], "2022")
            let tolerance = 1e-9 * max(abs(mean), sd, 1e-300)
            XCTAssertEqual(Double(row[5])!, x.reduce(0, +) / 3, accuracy: 1e-12 * abs(x[0]))
            XCTAssertEqual(Double(row[7])!, mean, accuracy: tolerance, column)
            XCTAssertEqual(Double(row[8])!, mean - half, accuracy: tolerance, column)
            XCTAssertEqual(Double(row[9])!, mean + half, accuracy: tolerance, column)
            XCTAssertEqual(Double(row[11])!, sameSign, column)
        }

        // The table says what was paired.
        let table = try TwinCityProcess.run(["compare", a.path, b.path])
        XCTAssertEqual(table.status, 0, table.standardError)
        XCTAssertTrue(table.standardOutput.contains("A: \(a.path) (ensemble, 3 replications of master seed 5)\n"), table.standardOutput)
        XCTAssertTrue(table.standardOutput.contains("paired by replication: 3 pairs, replication k of A and of B drawn from the same seed"), table.standardOutput)
        XCTAssertTrue(table.standardOutput.contains("95 % interval"), table.standardOutput)
    }

    func testASingleRunAgainstAnEnsembleAndEnsemblesOfOtherSeedsAreRefused() throws {
        let folder = try scratchFolder()
        let (single, _) = try run("scenarios/baseline.toml", "baseline", in: folder, ["--seed", "5"])
        let (ensemble, _) = try run("scenarios/decision-2020.toml", "decision", in: folder, ["--replications", "2", "--seed", "5"])
        let (other, _) = try run("scenarios/decision-2020.toml", "decision-99", in: folder, ["--replications", "2", "--seed", "99"])

        for (x, y) in [(single, ensemble), (ensemble, single)] {
            let result = try TwinCityProcess.run(["compare", x.path, y.path])
            XCTAssertEqual(result.status, 2)
            XCTAssertEqual(result.standardOutput, "")
            XCTAssertEqual(result.standardError,
                "twincity: error: \(single.path): a single run (seed 5) cannot be compared with the ensemble \(ensemble.path) "
                + "(2 replications of master seed 5): one random draw against a mean is not a paired comparison, and its "
                + "noise can exceed the effect. Run its scenario as an ensemble with the same seeds, "
                + "`twincity run SCENARIO --replications 2 --seed 5`, and compare the two ensembles\n")
        }
        let result = try TwinCityProcess.run(["compare", ensemble.path, other.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        XCTAssertEqual(result.standardError,
            "twincity: error: \(other.path): its replications were drawn from master seed 99, those of \(ensemble.path) from "
            + "master seed 5: replication k of one does not share its productivity shocks with replication k of the other, "
            + "so their differences are not paired. Run it again with the other's seeds, "
            + "`twincity run SCENARIO --replications 2 --seed 5`, and compare again\n")
    }

    func testTheRunSummarySaysWhetherItIsOneRandomDraw() throws {
        let folder = try scratchFolder()
        let (_, shocked) = try run("scenarios/baseline.toml", "shocked", in: folder)
        XCTAssertTrue(shocked.standardOutput.contains(
            "One random draw of the productivity shocks (model.productivity_shock_sd = 0.01): another seed gives other figures; "
            + "--replications N gives their mean and 5–95 % band.\n"), shocked.standardOutput)
        let (_, calm) = try run("scenarios/baseline.toml", "calm", in: folder, ["--set", "model.productivity_shock_sd=0"])
        XCTAssertTrue(calm.standardOutput.contains(
            "Productivity shocks are off (model.productivity_shock_sd = 0): the figures do not depend on the seed.\n"), calm.standardOutput)
        let (_, ensemble) = try run("scenarios/baseline.toml", "ensemble", in: folder, ["--replications", "2"])
        XCTAssertTrue(ensemble.standardOutput.contains("region: mean [5%, 95%]"), ensemble.standardOutput)
    }
}
