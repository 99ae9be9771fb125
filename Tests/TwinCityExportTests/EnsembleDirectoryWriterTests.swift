// An ensemble's run directory: replication columns, rows in replication order whatever order
// the replications ran in, summary.csv against statistics recomputed from cities.csv, the
// manifest's seeds, and the all-or-nothing appearance of the directory.
import Foundation
import TwinCityExport
import TwinCityModel
import XCTest

final class EnsembleDirectoryWriterTests: XCTestCase {
    /// Writes a three-city ensemble of `replications` to `folder/name`, running the
    /// replications in `order` (default 0, 1, …).
    func writeEnsemble(into folder: URL, name: String = "ensemble", replications: Int = 3, order: [Int]? = nil, endYear: Double = 2023) throws -> URL {
        let (template, cities, sectors) = try threeCitySimulation(endYear: endYear, seed: 99)
        let out = folder.appendingPathComponent(name)
        let writer = try EnsembleDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: template.settings),
            replications: replications)
        for index in order ?? Array(0..<replications) {
            let replica = try writer.replication(index)
            XCTAssertEqual(replica.settings.seed, replicationSeed(master: 99, replication: index))
            let simulation = try Simulation(setup: template.setup, parameters: template.parameters, settings: replica.settings)
            try simulation.run { try replica.consume($0) }
            try replica.finish()
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "the directory appears only at finish")
        }
        try writer.finish(wallTime: 1.5)
        return out
    }

    func testTablesCarryTheReplicationInOrder() throws {
        let folder = try scratchFolder(self)
        let out = try writeEnsemble(into: folder)
        XCTAssertEqual(try contents(of: folder), ["ensemble"], "nothing temporary is left")
        XCTAssertEqual(try contents(of: out), ([RunDirectoryMarker.fileName] + RunDirectoryWriter.ensembleFiles.map(\.name)).sorted())

        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        XCTAssertEqual(cities.header.prefix(5), ["replication", "year", "city", "zone", "tier"])
        XCTAssertEqual(cities.rows.count, 3 * 4 * 3, "3 replications × 4 years × 3 cities")
        XCTAssertEqual(try cities.column("replication"), (0..<3).flatMap { Array(repeating: String($0), count: 12) })
        XCTAssertEqual(try cities.column("year").prefix(12), ["2020", "2020", "2020", "2021", "2021", "2021", "2022", "2022", "2022", "2023", "2023", "2023"])
        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        XCTAssertEqual(region.header.prefix(2), ["replication", "year"])
        XCTAssertEqual(try region.column("replication"), ["0", "0", "0", "0", "1", "1", "1", "1", "2", "2", "2", "2"])
        for name in ["flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
            let flows = try CSVTable(contentsOf: out.appendingPathComponent(name))
            XCTAssertEqual(flows.header, ["replication", "year", "origin", "destination", "value"], name)
            XCTAssertEqual(try flows.column("replication"), try flows.column("replication").sorted(), "\(name) in replication order")
        }

        // Replications differ only through their random streams: same base year, different paths.
        let gdp = try cities.numbers("gdp")
        XCTAssertEqual(gdp[0], gdp[12], "every replication starts from the calibrated base year")
        XCTAssertNotEqual(gdp[11], gdp[23], "different seeds give different paths")
    }

    func testRowsAreTheSameWhateverOrderTheReplicationsRunIn() throws {
        let folder = try scratchFolder(self)
        let inOrder = try writeEnsemble(into: folder, name: "a")
        let shuffled = try writeEnsemble(into: folder, name: "b", order: [2, 0, 1])
        for file in RunDirectoryWriter.ensembleFiles.map(\.name) where file != "manifest.json" {
            XCTAssertEqual(try Data(contentsOf: inOrder.appendingPathComponent(file)),
                           try Data(contentsOf: shuffled.appendingPathComponent(file)), file)
        }
    }

    func testEachReplicationMatchesASingleRunWithItsSeed() throws {
        // Replication k is the single run with seed replicationSeed(master, k): its rows in
        // the ensemble are the single run's rows with "k," in front.
        let folder = try scratchFolder(self)
        let out = try writeEnsemble(into: folder, replications: 2)
        let (template, cities, sectors) = try threeCitySimulation(endYear: 2023, seed: 99)
        var settings = template.settings
        settings.seed = replicationSeed(master: 99, replication: 1)
        let single = folder.appendingPathComponent("single")
        let writer = try RunDirectoryWriter(path: single.path, cities: cities, sectors: sectors, manifest: testManifest(settings: settings))
        try Simulation(setup: template.setup, parameters: template.parameters, settings: settings).run { try writer.consume($0) }
        try writer.finish(wallTime: 0)
        for file in ["cities.csv", "region.csv", "flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
            let ensembleLines = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
            let singleLines = try String(contentsOf: single.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(ensembleLines.first, "replication," + singleLines[0], file)
            XCTAssertEqual(ensembleLines.filter { $0.hasPrefix("1,") }, singleLines.dropFirst().map { "1," + $0 }, file)
        }
    }

    func testSummaryMatchesStatisticsRecomputedFromTheTables() throws {
        let folder = try scratchFolder(self)
        let replications = 4
        let out = try writeEnsemble(into: folder, replications: replications)
        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        let summary = try CSVTable(contentsOf: out.appendingPathComponent("summary.csv"))
        XCTAssertEqual(summary.header, ["year", "scope", "id", "variable", "mean", "sd", "p05", "p50", "p95"])
        let cityVariables = Array(cities.header.dropFirst(5)), regionVariables = Array(region.header.dropFirst(2))
        XCTAssertEqual(summary.rows.count, 4 * (3 * cityVariables.count + regionVariables.count), "every year, city and variable, then the region's")
        XCTAssertEqual(summary.rows.first?.prefix(4), ["2020", "city", "chengdu", "population"])
        XCTAssertEqual(summary.rows.last?.prefix(4), ["2023", "region", "region", "conservation_worst"])

        // Independent statistics: mean, sd with n − 1, and quantiles interpolated between order
        // statistics at (n − 1)·f, as in gsl_stats_quantile_from_sorted_data.
        func quantile(_ sorted: [Double], _ f: Double) -> Double {
            let position = Double(sorted.count - 1) * f
            let i = Int(position.rounded(.down)), delta = position - Double(i)
            return i + 1 < sorted.count ? (1 - delta) * sorted[i] + delta * sorted[i + 1] : sorted[i]
        }
        var samples: [String: [Double]] = [:]
        let key = { (year: String, scope: String, id: String, variable: String) in "\(year)|\(scope)|\(id)|\(variable)" }
        for row in cities.rows {
            for (k, variable) in cityVariables.enumerated() {
                samples[key(row[1], "city", row[2], variable), default: []].append(Double(row[5 + k]) ?? .nan)
            }
        }
        for row in region.rows {
            for (k, variable) in regionVariables.enumerated() {
                samples[key(row[1], "region", "region", variable), default: []].append(Double(row[2 + k]) ?? .nan)
            }
        }
        var compared = 0, spread = 0
        for row in summary.rows {
            let sample = try XCTUnwrap(samples[key(row[0], row[1], row[2], row[3])], "\(row.prefix(4))")
            XCTAssertEqual(sample.count, replications)
            guard sample.allSatisfy(\.isFinite) else {
                XCTAssertEqual(Array(row[4...]), ["", "", "", "", ""], "an undefined cell leaves the statistics empty: \(row)")
                continue
            }
            let mean = sample.reduce(0, +) / Double(sample.count)
            let sd = (sample.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(sample.count - 1)).squareRoot()
            let sorted = sample.sorted()
            let expected = [mean, sd, quantile(sorted, 0.05), quantile(sorted, 0.5), quantile(sorted, 0.95)]
            let written = try row[4...].map { try XCTUnwrap(Double($0), "\(row)") }
            // Relative to the sample's scale: GSL's running mean and two-pass variance differ
            // from the plain sums here only by rounding.
            let scale = max(sorted.map(abs).max() ?? 0, .leastNormalMagnitude)
            for (w, e) in zip(written, expected) {
                XCTAssertLessThanOrEqual(abs(w - e), 1e-13 * scale, "\(row): \(written) vs \(expected)")
            }
            // Ordered up to the interpolation's rounding: (1 − δ)·x + δ·x can be an ulp off x.
            XCTAssertLessThanOrEqual(written[2], written[3] + 1e-13 * scale)
            XCTAssertLessThanOrEqual(written[3], written[4] + 1e-13 * scale)
            if sd > 0 { spread += 1 }
            compared += 1
        }
        XCTAssertGreaterThan(compared, summary.rows.count / 2)
        XCTAssertGreaterThan(spread, 0, "replications differ somewhere")
    }

    func testManifestRecordsReplicationsAndSeeds() throws {
        let folder = try scratchFolder(self)
        let out = try writeEnsemble(into: folder)
        let data = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(manifest["replications"] as? Int, 3)
        XCTAssertEqual(manifest["seed"] as? Int, 99, "the master seed")
        let seeds = try XCTUnwrap(manifest["seeds"] as? [NSNumber]).map(\.uint64Value)
        XCTAssertEqual(seeds, (0..<3).map { replicationSeed(master: 99, replication: $0) })
        XCTAssertEqual(Set((manifest["files"] as? [String: String])?.keys ?? [:].keys), Set(RunDirectoryWriter.ensembleFiles.map(\.name)))
    }

    func testAnUnfinishedReplicationAbortsTheEnsemble() throws {
        let folder = try scratchFolder(self)
        let (template, cities, sectors) = try threeCitySimulation(endYear: 2021)
        let out = folder.appendingPathComponent("ensemble")
        let writer = try EnsembleDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: template.settings), replications: 2)
        let replica = try writer.replication(0)
        try Simulation(setup: template.setup, parameters: template.parameters, settings: replica.settings).run { try replica.consume($0) }
        try replica.finish()
        XCTAssertThrowsError(try writer.replication(0)) { error in
            guard case .replication? = error as? RunDirectoryError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try writer.finish(wallTime: 0)) { error in
            XCTAssertEqual(error as? RunDirectoryError, .replication(path: out.path, message: "replications 1 did not finish"))
        }
        XCTAssertEqual(try contents(of: folder), [], "nothing is left behind")
    }
}

final class ReplicationSummaryTests: XCTestCase {
    func testStatisticsByHand() {
        // Sorted 1, 2, 3, 4, 10: mean 20/5 = 4; squared deviations 9 + 4 + 1 + 0 + 36 = 50, so
        // sd = sqrt(50/4). Quantiles at (n − 1)·f: 0.2 → 1 + 0.2·(2 − 1) = 1.2; 2 → 3;
        // 3.8 → 4 + 0.8·(10 − 4) = 8.8. Bound 1e-14 relative.
        let summary = ReplicationSummary([10, 3, 1, 4, 2])
        XCTAssertEqual(summary.mean, 4, accuracy: 4e-14)
        XCTAssertEqual(summary.standardDeviation, (50.0 / 4).squareRoot(), accuracy: 4e-14)
        XCTAssertEqual(summary.p05, 1.2, accuracy: 1.2e-14)
        XCTAssertEqual(summary.p50, 3, accuracy: 3e-14)
        XCTAssertEqual(summary.p95, 8.8, accuracy: 8.8e-14)
    }

    func testTwoValuesAndOne() {
        // Two values: the band runs from 5 % to 95 % of the way between them; sd = |a − b|/√2.
        let pair = ReplicationSummary([2, 6])
        XCTAssertEqual(pair.p05, 2.2, accuracy: 1e-14)
        XCTAssertEqual(pair.p95, 5.8, accuracy: 1e-14)
        XCTAssertEqual(pair.standardDeviation, 4 / 2.0.squareRoot(), accuracy: 1e-14)
        let one = ReplicationSummary([7])
        XCTAssertEqual([one.mean, one.p05, one.p50, one.p95], [7, 7, 7, 7])
        XCTAssertTrue(one.standardDeviation.isNaN, "one value has no sample standard deviation")
    }

    func testReplicationSeedsAreDistinctAndStable() {
        let seeds = (0..<1000).map { replicationSeed(master: 20200710, replication: $0) }
        XCTAssertEqual(Set(seeds).count, 1000)
        XCTAssertEqual(Set(seeds.map { $0 & 0xFFFF_FFFF }).count, 1000, "distinct in the low 32 bits GSL's generators use")
        XCTAssertEqual(replicationSeed(master: 20200710, replication: 3), seeds[3], "a pure function of master and index")
        XCTAssertNotEqual(replicationSeed(master: 20200711, replication: 0), seeds[0])
    }
}
