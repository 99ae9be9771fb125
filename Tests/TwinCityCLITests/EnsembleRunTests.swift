// `twincity run --replications R --jobs J` as a user runs it: the same directory whatever J,
// summary.csv against statistics recomputed from cities.csv, the scenario's replications as
// the default, progress over all replications, and a failing replication.
import Foundation
import XCTest

final class EnsembleRunTests: XCTestCase {
    let root = TwinCityProcess.packageRoot

    /// A fresh scratch folder, removed when the test ends.
    func scratch() throws -> URL {
        try scratchFolder()
    }

    /// The baseline shortened to 2020–`end`, rewritten into `folder` with the roster path made
    /// absolute and `edit` applied to its text.
    func shortBaseline(in folder: URL, end: Int = 2024, edit: (String) -> String = { $0 }) throws -> URL {
        var text = try String(contentsOf: root.appendingPathComponent("scenarios/baseline.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../seeds/cities.csv\"", with: "\"\(root.appendingPathComponent("seeds/cities.csv").path)\"")
        text = text.replacingOccurrences(of: "\"../seeds/estimates-2022.toml\"", with: "\"\(root.appendingPathComponent("seeds/estimates-2022.toml").path)\"")
        XCTAssertTrue(text.contains("\nend = 2035"), "the baseline's end year is where the test expects it")
        text = text.replacingOccurrences(of: "\nend = 2035", with: "\nend = \(end)")
        let url = folder.appendingPathComponent("short.toml")
        try edit(text).write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func manifest(_ run: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: run.appendingPathComponent("manifest.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testTheDirectoryIsTheSameWhateverTheNumberOfJobs() throws {
        let folder = try scratch()
        let scenario = try shortBaseline(in: folder)
        let one = folder.appendingPathComponent("one"), three = folder.appendingPathComponent("three")
        let first = try TwinCityProcess.run(["run", scenario.path, "--replications", "3", "--jobs", "1", "--out", one.path, "--quiet"])
        XCTAssertEqual(first.status, 0, first.standardError)
        let second = try TwinCityProcess.run(["run", scenario.path, "--replications", "3", "--jobs", "3", "--out", three.path, "--quiet"])
        XCTAssertEqual(second.status, 0, second.standardError)

        let files = [".twincity-run", "cities.csv", "datapackage.json", "flows_capital.csv", "flows_industry.csv", "flows_population.csv", "manifest.json", "region.csv", "summary.csv"]
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: one.path).sorted(), files)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: three.path).sorted(), files)
        for file in files where file != "manifest.json" {
            XCTAssertEqual(try Data(contentsOf: one.appendingPathComponent(file)), try Data(contentsOf: three.appendingPathComponent(file)),
                           "\(file) is byte for byte the same with 1 and 3 jobs")
        }
        // The manifests differ only in when the run finished and how long it took.
        var manifests = try [one, three].map { try manifest($0) }
        for k in manifests.indices {
            manifests[k]["created"] = nil
            manifests[k]["wall_time_seconds"] = nil
        }
        XCTAssertEqual(NSDictionary(dictionary: manifests[0]), NSDictionary(dictionary: manifests[1]))
        XCTAssertEqual(manifests[0]["replications"] as? Int, 3)
        XCTAssertEqual((manifests[0]["seeds"] as? [Any])?.count, 3)
        XCTAssertEqual(manifests[0]["seed"] as? Int, 20200710, "the master seed")
        XCTAssertTrue(first.standardOutput.hasPrefix("Ensemble 'baseline': 2020–2024, 3 replications of master seed 20200710, 1 at a time"),
                      first.standardOutput)
        XCTAssertTrue(first.standardOutput.contains("  summary.csv\n"), first.standardOutput)

        // summary.csv's statistics recomputed from cities.csv: mean, sd (n − 1) and the
        // linearly interpolated percentiles, to 1e-13 of the sample's magnitude.
        let cities = parseCSV(try String(contentsOf: one.appendingPathComponent("cities.csv"), encoding: .utf8))
        let summary = parseCSV(try String(contentsOf: one.appendingPathComponent("summary.csv"), encoding: .utf8))
        XCTAssertEqual(cities[0].prefix(3), ["replication", "year", "city"])
        var samples: [String: [Double]] = [:]
        for row in cities.dropFirst() {
            for k in 5..<row.count { samples["\(row[1])|\(row[2])|\(cities[0][k])", default: []].append(Double(row[k]) ?? .nan) }
        }
        var checked = 0
        for row in summary.dropFirst() where row[1] == "city" {
            let sample = try XCTUnwrap(samples["\(row[0])|\(row[2])|\(row[3])"], "\(row)")
            XCTAssertEqual(sample.count, 3)
            guard sample.allSatisfy(\.isFinite) else { continue }
            let sorted = sample.sorted()
            let mean = sample.reduce(0, +) / 3
            let sd = (sample.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
            // n = 3: p05 at 0.1 of the way from x0 to x1, p50 = x1, p95 at 0.9 from x1 to x2.
            let expected = [mean, sd, 0.9 * sorted[0] + 0.1 * sorted[1], sorted[1], 0.1 * sorted[1] + 0.9 * sorted[2]]
            let written = try row[4...].map { try XCTUnwrap(Double($0), "\(row)") }
            let scale = max(sorted.map(abs).max() ?? 0, .leastNormalMagnitude)
            for (w, e) in zip(written, expected) { XCTAssertLessThanOrEqual(abs(w - e), 1e-13 * scale, "\(row)") }
            checked += 1
        }
        XCTAssertEqual(checked, 5 * 23 * (cities[0].count - 5), "every year, city and variable of cities.csv")
    }

    func testTheScenarioSetsTheDefaultAndOneReplicationIsASingleRun() throws {
        let folder = try scratch()
        let scenario = try shortBaseline(in: folder, end: 2022) {
            $0.replacingOccurrences(of: "\nreplications = 1", with: "\nreplications = 2")
        }
        let ensemble = folder.appendingPathComponent("ensemble")
        let result = try TwinCityProcess.run(["run", scenario.path, "--out", ensemble.path, "--quiet"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try manifest(ensemble)["replications"] as? Int, 2, "[run].replications is the default")
        XCTAssertTrue(FileManager.default.fileExists(atPath: ensemble.appendingPathComponent("summary.csv").path))

        let single = folder.appendingPathComponent("single")
        let one = try TwinCityProcess.run(["run", scenario.path, "--replications", "1", "--out", single.path, "--quiet"])
        XCTAssertEqual(one.status, 0, one.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: single.appendingPathComponent("summary.csv").path))
        let header = try String(contentsOf: single.appendingPathComponent("cities.csv"), encoding: .utf8).prefix { $0 != "\n" }
        XCTAssertTrue(header.hasPrefix("year,city,"), "no replication column in a single run: \(header)")
        XCTAssertEqual(try manifest(single)["seeds"] as? [Int], [20200710], "a single run uses the master seed itself")
        XCTAssertTrue(one.standardOutput.hasPrefix("Run 'baseline'"), one.standardOutput)
    }

    func testProgressCountsTheTicksOfEveryReplication() throws {
        let folder = try scratch()
        let scenario = try shortBaseline(in: folder, end: 2024)
        let result = try TwinCityProcess.run(["run", scenario.path, "--replications", "3", "--jobs", "2", "--out", folder.appendingPathComponent("e").path])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("twincity: ") }
        XCTAssertEqual(lines.count, 10, result.standardError)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("twincity: ticks ") && $0.contains("of 3 replications") }, result.standardError)
        XCTAssertTrue(lines.last?.hasPrefix("twincity: ticks 12/12 (100%) of 3 replications, 3 done, elapsed ") == true, result.standardError)
    }

    func testInvalidCountsAreRefused() throws {
        for arguments in [["--replications", "0"], ["--jobs", "0"]] {
            let result = try TwinCityProcess.run(["run", "scenarios/baseline.toml", "--quiet"] + arguments)
            XCTAssertEqual(result.status, 2, "a usage error")
            XCTAssertTrue(result.standardError.contains("\(arguments[0]) must be at least 1"), result.standardError)
            XCTAssertEqual(result.standardOutput, "")
        }
    }

    func testAFailingReplicationIsNamedAndNothingIsWritten() throws {
        let folder = try scratch()
        // One iteration cannot reach the equilibrium of the second tick.
        let scenario = try shortBaseline(in: folder, end: 2022) {
            $0.replacingOccurrences(of: "\ndecision_rule = \"tournament\"", with: "\ndecision_rule = \"tournament\"\nequilibrium_max_iterations = 1")
        }
        // Every replication fails; the one named is the lowest, however many run at once.
        for jobs in ["1", "2", "3"] {
            let result = try TwinCityProcess.run(
                ["run", scenario.path, "--replications", "3", "--jobs", jobs, "--out", folder.appendingPathComponent("out").path, "--quiet"])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertEqual(result.standardOutput, "")
            XCTAssertNotNil(
                result.standardError.firstMatch(of: try Regex(#"^twincity: error: replication 0 \(seed \d+\): tick \d+ \(year \d+\)"#)),
                "--jobs \(jobs) names replication 0, its seed, the tick and year: \(result.standardError)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["short.toml"], "no run or temporary directory is left")
        }
    }

    func testAnInterruptedEnsembleLeavesNothing() throws {
        let folder = try scratch()
        // Long enough that both replications are still running when the signal arrives: the
        // baseline over the longest horizon a run may have (1000 ticks, docs/RELIABILITY.md,
        // "Limits"), many seconds a replication.
        let text = "schema = 1\nextends = \"\(root.appendingPathComponent("scenarios/baseline.toml").path)\"\nname = \"long\"\n[time]\nend = 3020\n"
        let scenario = folder.appendingPathComponent("long.toml")
        try text.write(to: scenario, atomically: true, encoding: .utf8)

        let running = try startTwinCity(["run", scenario.path, "--replications", "2", "--jobs", "2", "--out", folder.appendingPathComponent("out").path, "--quiet"])
        let process = running.process
        let partial = ".out.partial-\(process.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        while try !FileManager.default.contentsOfDirectory(atPath: folder.path).contains(partial), process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        Thread.sleep(forTimeInterval: 0.2)
        kill(process.processIdentifier, SIGINT)
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { kill(pid, SIGKILL) } }
        let message = try running.wait().standardError
        XCTAssertEqual(process.terminationStatus, 130, message)
        XCTAssertTrue(message.contains("interrupted by SIGINT; nothing written to"), message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["long.toml"])
    }

    /// `--parameter-uncertainty`: each replication draws its drifts from its own seed, so the
    /// directory is byte for byte the same with 1 and 2 jobs, and differs from the ensemble
    /// with the point estimates.
    func testParameterUncertaintyIsTheSameWhateverTheNumberOfJobs() throws {
        let folder = try scratch()
        let scenario = try shortBaseline(in: folder, end: 2023)
        let runs = ["one", "two", "point"].map { folder.appendingPathComponent($0) }
        for (run, extra) in zip(runs, [["--parameter-uncertainty", "--jobs", "1"], ["--parameter-uncertainty", "--jobs", "2"], ["--jobs", "2"]]) {
            let result = try TwinCityProcess.run(["run", scenario.path, "--replications", "3", "--out", run.path, "--quiet"] + extra)
            XCTAssertEqual(result.status, 0, result.standardError)
        }
        for file in ["cities.csv", "region.csv", "summary.csv", "flows_population.csv"] {
            XCTAssertEqual(try Data(contentsOf: runs[0].appendingPathComponent(file)), try Data(contentsOf: runs[1].appendingPathComponent(file)),
                           "\(file) is byte for byte the same with 1 and 2 jobs")
        }
        XCTAssertNotEqual(try Data(contentsOf: runs[0].appendingPathComponent("cities.csv")), try Data(contentsOf: runs[2].appendingPathComponent("cities.csv")),
                          "drawn drifts change the run")
        XCTAssertEqual(((try manifest(runs[0]))["scenario"] as? [String: Any])?["parameter_uncertainty"] as? Bool, true)
    }

    func testParameterUncertaintyNeedsAnEstimatesFile() throws {
        let folder = try scratch()
        let scenario = try shortBaseline(in: folder) { text in
            text.components(separatedBy: "\n").filter { !$0.hasPrefix("estimates = ") }.joined(separator: "\n")
        }
        let result = try TwinCityProcess.run(["run", scenario.path, "--parameter-uncertainty", "--out", folder.appendingPathComponent("r").path, "--quiet"])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardError, "twincity: error: \(scenario.path): --parameter-uncertainty draws the drifts of an estimates file, and this scenario names none (key estimates, docs/SCENARIOS.md)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("r").path))
    }
}

/// The shipped estimates file is what `twincity estimate` writes from the shipped panel and
/// baseline: a change to the model or the panel that moves the fit shows up here, and the
/// file is regenerated with the command in seeds/README.md.
final class ShippedEstimatesTests: XCTestCase {
    func testTheShippedEstimatesAreWhatTheCommandWrites() throws {
        let root = TwinCityProcess.packageRoot
        let folder = try scratchFolder()
        let out = folder.appendingPathComponent("estimates-2022.toml")
        let result = try TwinCityProcess.run(
            ["estimate", "--history", "seeds/history.csv", "--scenario", "scenarios/baseline.toml", "--through", "2022", "--out", out.path],
            in: root)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8),
                       try String(contentsOf: root.appendingPathComponent("seeds/estimates-2022.toml"), encoding: .utf8))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("estimates-2022-residuals.csv"), encoding: .utf8),
                       try String(contentsOf: root.appendingPathComponent("seeds/estimates-2022-residuals.csv"), encoding: .utf8))
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("estimates-2022-covariance.csv"), encoding: .utf8),
                       try String(contentsOf: root.appendingPathComponent("seeds/estimates-2022-covariance.csv"), encoding: .utf8))
        XCTAssertTrue(result.standardOutput.contains("liangshan  "), result.standardOutput)
    }
}

/// The baseline's regional inequality with and without the fitted drifts, as docs/MODEL.md §10
/// states it: the Theil index of GDP per capita 0.047 in 2020, 0.028 in 2035 with the drifts
/// and 0.018 without (each ±0.0005, the digits the page gives).
final class DriftInequalityTests: XCTestCase {
    func testTheDriftsSlowTheConvergenceAsDocumented() throws {
        let root = TwinCityProcess.packageRoot
        let folder = try scratchFolder()
        var text = try String(contentsOf: root.appendingPathComponent("scenarios/baseline.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../seeds/cities.csv\"", with: "\"\(root.appendingPathComponent("seeds/cities.csv").path)\"")
        text = text.replacingOccurrences(of: "\"../seeds/estimates-2022.toml\"", with: "\"\(root.appendingPathComponent("seeds/estimates-2022.toml").path)\"")
        let without = text.components(separatedBy: "\n").filter { !$0.hasPrefix("estimates = ") }.joined(separator: "\n")
        XCTAssertNotEqual(without, text, "the baseline names an estimates file")
        var theil: [[String: Double]] = []
        for (name, body) in [("with", text), ("without", without)] {
            let scenario = folder.appendingPathComponent("\(name).toml")
            try body.write(to: scenario, atomically: true, encoding: .utf8)
            let out = folder.appendingPathComponent(name)
            let result = try TwinCityProcess.run(["run", scenario.path, "--out", out.path, "--quiet"])
            XCTAssertEqual(result.status, 0, result.standardError)
            let records = parseCSV(try String(contentsOf: out.appendingPathComponent("region.csv"), encoding: .utf8)).filter { $0.count > 1 }
            let year = try XCTUnwrap(records[0].firstIndex(of: "year"))
            let column = try XCTUnwrap(records[0].firstIndex(of: "theil_gdp_per_capita"))
            theil.append(Dictionary(uniqueKeysWithValues: records.dropFirst().map { ($0[year], Double($0[column])!) }))
        }
        XCTAssertEqual(theil[0]["2020"]!, 0.047, accuracy: 0.0005)
        XCTAssertEqual(theil[0]["2020"], theil[1]["2020"], "the base year does not depend on the drifts")
        XCTAssertEqual(theil[0]["2035"]!, 0.028, accuracy: 0.0005)
        XCTAssertEqual(theil[1]["2035"]!, 0.018, accuracy: 0.0005)
    }
}

/// `twincity hindcast` as a user runs it: the error table, the CSV of every forecast, and the
/// refusal of a fitting window that would overlap the test years.
final class HindcastCommandTests: XCTestCase {
    static let columns = ["variable", "n", "model", "model_without_drift", "persistence", "own_trend", "region_mean"]

    func testTheTableAndTheCSVHoldEveryForecast() throws {
        let root = TwinCityProcess.packageRoot
        let out = try scratchFolder().appendingPathComponent("hindcast.csv")
        let picture = out.deletingLastPathComponent().appendingPathComponent("hindcast.png")
        let result = try TwinCityProcess.run(["hindcast", "--out", out.path, "--plot", picture.path], in: root)
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "mean absolute error, percentage points (fit 2011–2020, test 2021–2022):")
        XCTAssertEqual(lines[1].split(separator: " ").map(String.init),
                       ["variable", "n", "model", "model_without_drift", "persistence", "own_trend", "region_mean"])
        let records = parseCSV(try String(contentsOf: out, encoding: .utf8)).filter { $0 != [""] && !$0.isEmpty }
        let header = records[0]
        let rowsByName = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertEqual(header, ["unit", "year", "variable", "data", "model", "model_without_drift", "persistence", "own_trend", "region_mean"])
        // Every GDP share forecast adds up to 100 over the units of its year, like the data.
        for year in ["2021", "2022"] {
            let rows = rowsByName.filter { $0["year"] == year && $0["variable"] == "gdp_share_pct" }
            XCTAssertFalse(rows.isEmpty)
            for column in ["data", "model", "model_without_drift", "persistence", "own_trend"] {
                XCTAssertEqual(rows.reduce(0) { $0 + Double($1[column]!)! }, 100, accuracy: 1e-4, "\(column) \(year)")
            }
        }
        // The table's model error is the mean of the CSV's absolute errors.
        let shares = rowsByName.filter { $0["variable"] == "gdp_share_pct" }
        let mae = shares.reduce(0) { $0 + abs(Double($1["model"]!)! - Double($1["data"]!)!) } / Double(shares.count)
        // Below the headings and their rule, the first row.
        XCTAssertTrue(lines[2].allSatisfy { $0 == "-" || $0 == " " }, lines[2])
        let cells = lines[3].split(separator: " ").map(String.init)
        XCTAssertEqual(cells[0], "gdp_share_pct")
        XCTAssertEqual(Double(cells[2])!, mae, accuracy: 1e-4)
        // docs/VALIDATION.md's table is this output, to the digits it prints.
        let doc = try String(contentsOf: root.appendingPathComponent("docs/VALIDATION.md"), encoding: .utf8)
        for (variable, label) in [("gdp_share_pct", "GDP share"), ("real_growth_pct", "real growth"), ("population_share_pct", "population share")] {
            let printed = try XCTUnwrap(lines.first { $0.hasPrefix(variable + " ") }).split(separator: " ").map(String.init)
            let documented = try XCTUnwrap(doc.components(separatedBy: "\n").first { $0.hasPrefix("| \(label) |") })
                .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(documented[1], printed[1], "\(label): n")
            for k in 2..<printed.count {
                guard let value = Double(printed[k]) else { XCTAssertEqual(documented[k], printed[k]); continue }
                let digits = documented[k].split(separator: ".").last.map(\.count) ?? 0
                XCTAssertEqual(documented[k], String(format: "%.\(digits)f", value), "\(label), \(Self.columns[k])")
            }
        }
        // The picture is a PNG (gnuplot is installed by .ci/run).
        XCTAssertEqual(Array(try Data(contentsOf: picture).prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testAFitReachingTheTestYearsIsRefused() throws {
        let result = try TwinCityProcess.run(["hindcast", "--fit", "2011-2021"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--fit: the model forecasts from its 2020 calibration, so the fitting window must end by 2020"), result.standardError)
        let early = try TwinCityProcess.run(["hindcast", "--test", "2019-2022"])
        XCTAssertEqual(early.status, 2)
        XCTAssertTrue(early.standardError.contains("--test: the model starts in 2020, so test years begin in 2021 at the earliest; found '2019-2022'"), early.standardError)
        let picture = try TwinCityProcess.run(["hindcast", "--plot", "errors.jpg"])
        XCTAssertEqual(picture.status, 2)
        XCTAssertTrue(picture.standardError.contains("--plot: expected a file ending in .png or .svg, found 'errors.jpg'"), picture.standardError)
        let late = try TwinCityProcess.run(["estimate", "--through", "2023", "--out", "/tmp/never-written.toml"])
        XCTAssertEqual(late.status, 2)
        XCTAssertTrue(late.standardError.contains("statistics after 2022 are held back"), late.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never-written.toml"))
    }
}
