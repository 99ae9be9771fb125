// The run directory written from a small calibrated simulation: headers, row counts,
// accounting identities across files, and the all-or-nothing appearance of the directory.
import Foundation
import TwinCityExport
import TwinCityModel
import XCTest

final class RunDirectoryWriterTests: XCTestCase {
    let sectorColumns = ["manufacturing", "consumer_goods", "services"]

    /// Runs the three-city simulation for 3 years into `folder/run`, checking along the way
    /// that only the temporary directory exists; returns the run directory and, per year, the
    /// state's total population (10^4 persons).
    func writeRun(into folder: URL, seed: UInt64 = 11) throws -> (URL, [Double]) {
        let (simulation, cities, sectors) = try threeCitySimulation(seed: seed)
        let out = folder.appendingPathComponent("run")
        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        var totals: [Double] = []
        try simulation.run { record in
            try writer.consume(record)
            totals.append(record.state.population.reduce(0, +))
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "the run directory appears only at finish")
            XCTAssertTrue(FileManager.default.fileExists(atPath: writer.temporaryPath))
        }
        XCTAssertEqual(URL(fileURLWithPath: writer.temporaryPath).lastPathComponent, ".run.partial-\(getpid())")
        try writer.finish(wallTime: 0.25)
        return (out, totals)
    }

    func testFilesHeadersAndRowCounts() throws {
        let folder = try scratchFolder(self)
        let (out, _) = try writeRun(into: folder)
        XCTAssertEqual(try contents(of: folder), ["run"], "the temporary directory is gone")
        XCTAssertEqual(try contents(of: out), ([RunDirectoryMarker.fileName] + RunDirectoryWriter.files.map(\.name)).sorted())

        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        var cityHeader = [
            "year", "city", "zone", "tier", "population", "urban_population", "rural_population",
            "gdp", "gdp_nominal", "gdp_per_capita", "wage", "real_utility", "stay_probability", "rent", "capital",
            "tax_revenue", "public_spending", "public_services", "subsidy_rate", "subsidies_paid",
            "retention_effort", "transfers", "fiscal_balance", "cpi", "wage_real", "rent_real",
            "tax_revenue_real", "public_spending_real", "subsidies_paid_real", "transfers_real", "fiscal_balance_real",
        ]
        for prefix in ["capital_", "output_", "employment_"] { cityHeader += sectorColumns.map { prefix + $0 } }
        cityHeader += [
            "population_in", "population_out", "capital_in", "capital_out", "industry_in",
            "industry_out", "industry_external_in", "natural_growth", "urbanisation",
        ]
        XCTAssertEqual(cities.header, cityHeader)
        XCTAssertEqual(cities.rows.count, 4 * 3, "years 2020–2023 × 3 cities")
        XCTAssertEqual(try cities.column("year"), ["2020", "2020", "2020", "2021", "2021", "2021", "2022", "2022", "2022", "2023", "2023", "2023"])
        XCTAssertEqual(try cities.column("city").prefix(3), ["chengdu", "deyang", "chongqing"])
        XCTAssertEqual(try cities.column("tier").prefix(3), ["core", "regional_centre", "core"])
        for row in cities.rows { XCTAssertEqual(row.count, cityHeader.count) }

        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        XCTAssertEqual(region.header, [
            "year", "population", "urban_population", "gdp", "gdp_nominal", "gdp_growth", "gdp_per_capita",
            "cpi", "wage_real", "tax_revenue", "tax_revenue_real", "chengdu_gdp_share", "chongqing_gdp_share", "chengdu_population_share", "chongqing_population_share",
            "gdp_chengdu_plain", "gdp_chongqing", "population_chengdu_plain", "population_chongqing",
            "theil_gdp_per_capita", "cv_gdp_per_capita", "migrants", "capital_flows", "industry_relocated",
            "conservation_worst",
        ])
        XCTAssertEqual(region.rows.count, 4)
        XCTAssertEqual(try region.column("gdp_growth").first, "", "no growth before the second year")
        XCTAssertEqual(try region.column("conservation_worst").first, "")
        for worst in try region.column("conservation_worst").dropFirst() {
            XCTAssertLessThan(try XCTUnwrap(Double(worst)), 1e-9)
        }

        for name in ["flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
            let flows = try CSVTable(contentsOf: out.appendingPathComponent(name))
            XCTAssertEqual(flows.header, ["year", "origin", "destination", "value"], name)
            XCTAssertFalse(try flows.column("year").contains("2020"), "\(name): no flows before the first interval")
            XCTAssertLessThanOrEqual(flows.rows.count, 3 * 6, name)
            for row in flows.rows {
                XCTAssertNotEqual(row[1], row[2], name)
                XCTAssertGreaterThan(try XCTUnwrap(Double(row[3])), 0, name)
            }
        }
        // Logit migration moves some people along every pair, every interval.
        XCTAssertEqual(try CSVTable(contentsOf: out.appendingPathComponent("flows_population.csv")).rows.count, 3 * 6)
    }

    func testFirstYearFlowsAreZeroAndFirstYearGDPIsTheData() throws {
        let folder = try scratchFolder(self)
        let (out, _) = try writeRun(into: folder)
        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        for column in ["population_in", "population_out", "capital_in", "capital_out", "industry_in",
                       "industry_out", "industry_external_in", "natural_growth", "urbanisation", "subsidies_paid"] {
            XCTAssertEqual(try cities.column(column).prefix(3), ["0", "0", "0"], column)
        }
        let roster = try threeCityRoster()
        assertClose(Array(try cities.numbers("gdp").prefix(3)), roster.cities.map(\.gdp2020), relative: 1e-8)
        assertClose(Array(try cities.numbers("gdp_nominal").prefix(3)), roster.cities.map(\.gdp2020), relative: 1e-8)
        assertClose(Array(try cities.numbers("population").prefix(3)), roster.cities.map { $0.population2020 / 1e4 }, relative: 1e-12)
        // GDP per capita in yuan: 亿元 · 10^8 / persons.
        assertClose(Array(try cities.numbers("gdp_per_capita").prefix(3)), roster.cities.map { $0.gdp2020 * 1e8 / $0.population2020 }, relative: 1e-8)
    }

    func testPopulationColumnsAddUpToTheStateTotals() throws {
        let folder = try scratchFolder(self)
        let (out, totals) = try writeRun(into: folder)
        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        let population = try cities.numbers("population")
        let byYear = stride(from: 0, to: population.count, by: 3).map { population[$0..<($0 + 3)].reduce(0, +) }
        assertClose(byYear, totals, relative: 1e-13)
        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        assertClose(try region.numbers("population"), totals, relative: 1e-13)
        let urban = try cities.numbers("urban_population"), rural = try cities.numbers("rural_population")
        assertClose(zip(urban, rural).map { $0 + $1 }, population, relative: 1e-13)
        let zones = zip(try region.numbers("population_chengdu_plain"), try region.numbers("population_chongqing")).map { $0 + $1 }
        assertClose(zones, totals, relative: 1e-13)
    }

    func testRealColumnsAreTheNominalOnesDeflatedByTheCityPriceIndex() throws {
        let folder = try scratchFolder(self)
        let (out, _) = try writeRun(into: folder)
        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        let cpi = try cities.numbers("cpi")
        // The index is 1 in the base year (to the calibration's accuracy) and moves after it.
        assertClose(Array(cpi.prefix(3)), [1, 1, 1], relative: 1e-8)
        XCTAssertTrue(cpi.dropFirst(3).contains { abs($0 - 1) > 1e-6 }, "the price index moves after 2020: \(cpi)")
        for (real, nominal) in [("wage_real", "wage"), ("rent_real", "rent"), ("tax_revenue_real", "tax_revenue"),
                                ("public_spending_real", "public_spending"), ("subsidies_paid_real", "subsidies_paid"),
                                ("transfers_real", "transfers"), ("fiscal_balance_real", "fiscal_balance")] {
            let deflated = zip(try cities.numbers(nominal), cpi).map { $0 / $1 }
            assertClose(try cities.numbers(real), deflated, relative: 1e-15, real)
        }
        // The region: tax summed over cities; its price index the consumption-weighted
        // (Paasche) mean of the cities', so between their smallest and largest; the real wage
        // the mean over urban workers.
        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        let yearCount = region.rows.count
        func byYear(_ values: [Double]) -> [[Double]] { (0..<yearCount).map { Array(values[($0 * 3)..<($0 * 3 + 3)]) } }
        let tax = byYear(try cities.numbers("tax_revenue")), realTax = byYear(try cities.numbers("tax_revenue_real"))
        assertClose(try region.numbers("tax_revenue"), tax.map { $0.reduce(0, +) }, relative: 1e-13)
        assertClose(try region.numbers("tax_revenue_real"), realTax.map { $0.reduce(0, +) }, relative: 1e-13)
        let regionCPI = try region.numbers("cpi")
        for (year, cityCPI) in byYear(cpi).enumerated() {
            XCTAssertTrue(cityCPI.min()! - 1e-12 <= regionCPI[year] && regionCPI[year] <= cityCPI.max()! + 1e-12, "\(regionCPI[year]) in \(cityCPI)")
        }
        let workers = byYear(try cities.numbers("urban_population")), realWage = byYear(try cities.numbers("wage_real"))
        let meanWage = zip(realWage, workers).map { w, l in zip(w, l).reduce(0.0) { $0 + $1.0 * $1.1 } / l.reduce(0, +) }
        assertClose(try region.numbers("wage_real"), meanWage, relative: 1e-13)
    }

    func testODFlowsMatchTheCitiesMargins() throws {
        let folder = try scratchFolder(self)
        let (out, _) = try writeRun(into: folder)
        let cities = try CSVTable(contentsOf: out.appendingPathComponent("cities.csv"))
        let region = try CSVTable(contentsOf: out.appendingPathComponent("region.csv"))
        let keys = zip(try cities.column("year"), try cities.column("city")).map { "\($0)/\($1)" }
        for (file, inColumn, outColumn, total) in [
            ("flows_population.csv", "population_in", "population_out", "migrants"),
            ("flows_capital.csv", "capital_in", "capital_out", "capital_flows"),
            ("flows_industry.csv", "industry_in", "industry_out", "industry_relocated"),
        ] {
            let flows = try CSVTable(contentsOf: out.appendingPathComponent(file))
            var arrived = [String: Double](), left = [String: Double](), byYear = [String: Double]()
            for row in flows.rows {
                let value = try XCTUnwrap(Double(row[3]))
                arrived["\(row[0])/\(row[2])", default: 0] += value
                left["\(row[0])/\(row[1])", default: 0] += value
                byYear[row[0], default: 0] += value
            }
            assertClose(keys.map { arrived[$0] ?? 0 }, try cities.numbers(inColumn), relative: 1e-12, file)
            assertClose(keys.map { left[$0] ?? 0 }, try cities.numbers(outColumn), relative: 1e-12, file)
            assertClose(try region.column("year").map { byYear[$0] ?? 0 }, try region.numbers(total), relative: 1e-12, file)
        }
    }

    func testManifestRecordsTheRun() throws {
        let folder = try scratchFolder(self)
        let (out, _) = try writeRun(into: folder, seed: 42)
        let data = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(manifest.keys), [
            "twincity_version", "scenario", "seed", "start_year", "end_year", "dt", "cities", "sectors",
            "files", "wall_time_seconds", "created", "gsl_version", "replications", "seeds", "city_names",
            "city_coordinates",
        ])
        XCTAssertEqual(Set(try documentedColumns(under: "## `manifest.json`").map(\.0)), Set(manifest.keys),
                       "docs/OUTPUTS.md documents every key of manifest.json")
        XCTAssertEqual(manifest["replications"] as? Int, 1)
        XCTAssertEqual(manifest["seeds"] as? [Int], [42], "a single run uses the master seed itself")
        XCTAssertEqual(manifest["city_names"] as? [String: String], ["chengdu": "Chengdu", "deyang": "Deyang", "chongqing": "Chongqing"])
        let coordinates = try XCTUnwrap(manifest["city_coordinates"] as? [String: [String: Double]])
        XCTAssertEqual(coordinates["deyang"], ["latitude": 31.13, "longitude": 104.40])
        XCTAssertEqual(Set(coordinates.keys), ["chengdu", "deyang", "chongqing"])
        XCTAssertEqual(manifest["twincity_version"] as? String, "9.9.9-test")
        XCTAssertEqual(manifest["gsl_version"] as? String, "2.x-test")
        XCTAssertEqual(manifest["seed"] as? Int, 42)
        XCTAssertEqual((manifest["scenario"] as? [String: Any])?["name"] as? String, "three-city test")
        XCTAssertEqual(manifest["cities"] as? [String], ["chengdu", "deyang", "chongqing"])
        XCTAssertEqual(manifest["sectors"] as? [String], sectorColumns)
        XCTAssertEqual(Set((manifest["files"] as? [String: String])?.keys ?? [:].keys), Set(RunDirectoryWriter.files.map(\.name)))
        XCTAssertEqual(manifest["wall_time_seconds"] as? Double, 0.25)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"start_year\" : 2020,"), "whole years are written as integers:\n\(text)")
        XCTAssertTrue(text.contains("\"end_year\" : 2023,"), text)
        let created = try XCTUnwrap(manifest["created"] as? String)
        XCTAssertNotNil(created.firstMatch(of: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), created)
    }

    func testAbortLeavesNothing() throws {
        let folder = try scratchFolder(self)
        let (simulation, cities, sectors) = try threeCitySimulation()
        let out = folder.appendingPathComponent("run")
        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        struct Stop: Error {}
        XCTAssertThrowsError(try simulation.run { record in
            try writer.consume(record)
            if record.tick == 1 { throw Stop() }
        })
        XCTAssertEqual(try contents(of: folder), [".run.partial-\(getpid())"])
        writer.abort()
        XCTAssertEqual(try contents(of: folder), [], "abort removes the temporary directory")
        XCTAssertThrowsError(try writer.finish(wallTime: 0)) { error in
            XCTAssertEqual(error as? RunDirectoryError, .closed(path: out.path))
        }
        XCTAssertEqual(try contents(of: folder), [])
    }

    func testDroppedWriterLeavesNothing() throws {
        let folder = try scratchFolder(self)
        let (simulation, cities, sectors) = try threeCitySimulation()
        do {
            let writer = try RunDirectoryWriter(
                path: folder.appendingPathComponent("run").path, cities: cities, sectors: sectors,
                manifest: testManifest(settings: simulation.settings))
            XCTAssertEqual(try contents(of: folder).count, 1)
            _ = writer
        }
        XCTAssertEqual(try contents(of: folder), [])
    }

    func testAMismatchedTickFailsAndCleansUp() throws {
        let folder = try scratchFolder(self)
        let (simulation, cities, _) = try threeCitySimulation()
        let writer = try RunDirectoryWriter(
            path: folder.appendingPathComponent("run").path, cities: cities, sectors: ["only_one"],
            manifest: testManifest(settings: simulation.settings))
        XCTAssertThrowsError(try simulation.run { try writer.consume($0) }) { error in
            guard case .shapeMismatch(let message)? = error as? RunDirectoryError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertTrue(message.contains("3 cities × 1 sectors"), message)
        }
        XCTAssertEqual(try contents(of: folder), [])
    }

    func testExistingDirectoryIsRefusedUnlessOverwriting() throws {
        let folder = try scratchFolder(self)
        let out = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try Data("earlier".utf8).write(to: out.appendingPathComponent("old.txt"))
        let (simulation, cities, sectors) = try threeCitySimulation()
        XCTAssertThrowsError(try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        ) { error in
            XCTAssertEqual(error as? RunDirectoryError, .exists(path: out.path))
            XCTAssertEqual("\(error)", "output directory '\(out.path)' already exists")
        }
        XCTAssertEqual(try contents(of: folder), ["run"], "nothing else was created")
        XCTAssertEqual(try contents(of: out), ["old.txt"], "the existing directory is untouched")

        // Overwriting replaces only a directory twincity wrote: this one lacks the marker.
        XCTAssertThrowsError(try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings), overwrite: true)
        ) { error in
            XCTAssertEqual("\(error)", "output directory '\(out.path)' was not written by twincity (it has no .twincity-run marker); --force replaces only a run directory twincity wrote — remove it yourself or choose another --out")
        }
        XCTAssertEqual(try contents(of: out), ["old.txt"], "the existing directory is untouched")
        try Data(RunDirectoryMarker.contents.utf8).write(to: out.appendingPathComponent(RunDirectoryMarker.fileName))

        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings),
            overwrite: true)
        try simulation.run { record in
            try writer.consume(record)
            XCTAssertEqual(try contents(of: out), [RunDirectoryMarker.fileName, "old.txt"], "the old run stays until the new one is complete")
        }
        try writer.finish(wallTime: 1)
        XCTAssertEqual(try contents(of: folder), ["run"], "neither the temporary nor the replaced directory remains")
        XCTAssertEqual(try contents(of: out), ([RunDirectoryMarker.fileName] + RunDirectoryWriter.files.map(\.name)).sorted())
    }

    func testMissingParentFoldersAreCreated() throws {
        let folder = try scratchFolder(self)
        let out = folder.appendingPathComponent("runs/nested/base")
        let (simulation, cities, sectors) = try threeCitySimulation(endYear: 2021)
        let writer = try RunDirectoryWriter(
            path: out.path, cities: cities, sectors: sectors, manifest: testManifest(settings: simulation.settings))
        try simulation.run { try writer.consume($0) }
        try writer.finish(wallTime: 0)
        XCTAssertEqual(try CSVTable(contentsOf: out.appendingPathComponent("region.csv")).rows.count, 2)
    }

    func testSectorNamesThatClashWithColumnsAreRefused() throws {
        let folder = try scratchFolder(self)
        let (simulation, cities, _) = try threeCitySimulation()
        XCTAssertThrowsError(try RunDirectoryWriter(
            path: folder.appendingPathComponent("run").path, cities: cities, sectors: ["in", "services"],
            manifest: testManifest(settings: simulation.settings))
        ) { error in
            XCTAssertEqual(error as? RunDirectoryError, .duplicateColumn(file: "cities.csv", column: "capital_in"))
        }
        XCTAssertEqual(try contents(of: folder), [])
    }
}
