// `twincity serve` and `twincity report` as a user runs them: the executable on a free
// loopback port, a real headless Chromium on the page and on the report, and the signals
// that stop the server.
import Foundation
import XCTest
@testable import TwinCityServe

final class ServeProcessTests: XCTestCase {
    /// A running `twincity serve` and the address it printed.
    private final class ServeProcess {
        let process = Process()
        let base: URL
        let standardError = Pipe()
        let runs: URL

        init(arguments: [String] = []) throws {
            runs = try ServeSupport.temporaryFolder("serve-process")
            process.executableURL = ServeSupport.executable
            process.arguments = ["serve", "--port", "0", "--runs", runs.path] + arguments
            process.currentDirectoryURL = ServeSupport.packageRoot
            let output = Pipe()
            process.standardOutput = output
            process.standardError = standardError
            try process.run()
            var text = ""
            let reader = output.fileHandleForReading
            while !text.contains("/\n") {
                let chunk = reader.availableData
                if chunk.isEmpty { throw TestFailure("twincity serve ended before printing its address: \(text)") }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
                throw TestFailure("no address in \(text)")
            }
            XCTAssertTrue(text.hasPrefix("twincity serve: listening on 127.0.0.1:"), text)
            XCTAssertTrue(text.contains("(this machine only)"), text)
            base = URL(string: String(text[range]))!
        }

        func stop() -> (status: Int32, error: String) {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let error = String(decoding: standardError.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, error)
        }

        deinit {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
            try? FileManager.default.removeItem(at: runs)
        }
    }

    func testNonLoopbackHostNeedsAnExplicitFlag() throws {
        let refused = try ServeSupport.runTwinCity(["serve", "--host", "0.0.0.0", "--port", "0"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.error.contains(
            "--host 0.0.0.0 lets other machines reach the page, which has no login; add --allow-remote to mean it"), refused.error)
        let server = try ServeProcess(arguments: []) // loopback: no flag needed
        XCTAssertEqual(server.stop().status, 0)
    }

    func testReportOfSomethingThatIsNotARunDirectoryIsAnInputError() throws {
        let folder = try ServeSupport.temporaryFolder("not-a-run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("report.html")
        let result = try ServeSupport.runTwinCity(["report", folder.path, "--out", out.path])
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.error, "twincity: error: \(folder.path)/cities.csv: not found; expected a run directory written by `twincity run`\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
    }

    func testRemoteHostPrintsAWarning() throws {
        let runs = try ServeSupport.temporaryFolder("remote")
        defer { try? FileManager.default.removeItem(at: runs) }
        let process = Process()
        process.executableURL = ServeSupport.executable
        process.arguments = ["serve", "--host", "0.0.0.0", "--allow-remote", "--port", "0", "--runs", runs.path]
        process.currentDirectoryURL = ServeSupport.packageRoot
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        var text = ""
        while !text.contains("/\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        process.terminate()
        process.waitUntilExit()
        let warnings = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(warnings.hasPrefix(
            "twincity serve: warning: listening on 0.0.0.0, reachable from other machines; the page has no login\n"), warnings)
        XCTAssertFalse(text.contains("this machine only"), text)
    }

    /// SIGTERM while a run is going: the server stops, and the run folder holds no run
    /// directory and no temporary directory.
    func testStoppingTheServerLeavesNoHalfWrittenRun() async throws {
        for signal in [SIGTERM, SIGINT] {
            let server = try ServeProcess()
            let long = ServeSupport.shortScenario.replacingOccurrences(of: "end = 2024", with: "end = 2035")
                .replacingOccurrences(of: "replications = 1", with: "replications = 20")
            let posted = try await ServeSupport.request(server.base, "/api/runs", method: "POST", body: Data(long.utf8))
            XCTAssertEqual(posted.status, 202)
            let id = (try ServeSupport.json(posted.body) as! [String: Any])["id"] as! String
            var done = 0
            for _ in 0..<1200 where done == 0 {
                let status = try ServeSupport.json(try await ServeSupport.request(server.base, "/api/runs/\(id)").body) as! [String: Any]
                XCTAssertEqual(status["state"] as? String, "running")
                done = status["done"] as? Int ?? 0
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            XCTAssertGreaterThan(done, 0)
            kill(server.process.processIdentifier, signal)
            let (status, error) = server.stop()
            XCTAssertEqual(status, 0, error)
            XCTAssertTrue(error.contains("twincity serve: stopped; runs not finished were abandoned and left nothing"), error)
            let left = try FileManager.default.contentsOfDirectory(atPath: server.runs.path)
            XCTAssertEqual(left, [".scenarios"], "signal \(signal)")
        }
    }

    /// The page in a real browser: switch a policy on, change a parameter and the horizon,
    /// run, and compare the numbers the chart plots with `twincity run` of the TOML the page
    /// shows. Then the report of that run, opened the same way.
    func testPageInHeadlessChromiumMatchesTheCommandLine() async throws {
        let browserPath = try Chromium.required()
        let server = try ServeProcess()
        let browser = try Chromium(executable: browserPath)
        try browser.open(server.base.absoluteString, until: "document.body && document.body.dataset.ready === 'true'")
        let result = try browser.evaluate(#"""
            (async () => {
              const $ = (id) => document.getElementById(id);
              const set = (node, value) => { node.value = value; node.dispatchEvent(new Event("input")); };
              set($("time-end"), "2024");
              const on = document.querySelector('input[data-kind="tax_sharing"]');
              on.click();
              set($(on.id.replace(/-on$/, "-share")), "0.3");
              set($(on.id.replace(/-on$/, "-start")), "2021");
              $("run").click();
              for (let k = 0; k < 1200 && !document.body.dataset.run && !$("errors").textContent; k++) await new Promise((ok) => setTimeout(ok, 100));
              return JSON.stringify({ run: document.body.dataset.run || null, errors: $("errors").textContent, toml: $("toml").textContent,
                points: [...document.querySelectorAll("#chart circle.point")].map((c) => [c.dataset.series, Number(c.dataset.year), c.dataset.value]),
                divisions: document.querySelectorAll("#map path.division").length, cities: document.querySelectorAll("#map circle.city").length,
                flows: document.querySelectorAll("#map line.flow").length });
            })()
            """#) as! String
        let page = try JSONSerialization.jsonObject(with: Data(result.utf8)) as! [String: Any]
        XCTAssertEqual(page["errors"] as? String, "")
        let run = try XCTUnwrap(page["run"] as? String)
        let toml = page["toml"] as! String
        XCTAssertTrue(toml.contains("[[policy]]\nkind = \"tax_sharing\"\nstart = 2021\nshare = 0.3\n"), toml)
        XCTAssertTrue(toml.contains("[time]\nstart = 2020\nend = 2024\n"), toml)
        XCTAssertEqual(page["divisions"] as? Int, 22, "21 prefectures of Sichuan and Chongqing")
        XCTAssertEqual(page["cities"] as? Int, 23, "Chongqing in two parts")
        XCTAssertGreaterThan(page["flows"] as? Int ?? 0, 0)

        // The same TOML through the command line.
        let folder = try ServeSupport.temporaryFolder("browser-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.toml")
        try Data(toml.utf8).write(to: file)
        let cli = try ServeSupport.runTwinCity(["run", file.path, "--out", folder.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(cli.status, 0, cli.error)
        let lines = try String(contentsOf: folder.appendingPathComponent("out/cities.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let year = header.firstIndex(of: "year")!, city = header.firstIndex(of: "city")!, gdp = header.firstIndex(of: "gdp")!
        let points = page["points"] as! [[Any]]
        XCTAssertEqual(points.count, 2 * 5, "Chengdu and Chongqing, 2020–2024")
        for point in points {
            let (name, y, text) = (point[0] as! String, point[1] as! Double, point[2] as! String)
            let row = try XCTUnwrap(lines.first { $0.count > gdp && $0[city] == name && Double($0[year]) == y }, "\(name) \(y)")
            // The page plots the decimal text of the same file: the same double, no tolerance.
            XCTAssertEqual(Double(text), Double(row[gdp]), "\(name) \(y)")
        }

        let shots = Self.screenshotFolder()
        let png = try browser.screenshot()
        try png.write(to: shots.appendingPathComponent("dashboard.png"))
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertGreaterThan(png.count, 20_000, "a screenshot of a drawn page, not a blank one")

        // The report of the command-line run against the page's run: offline, one file.
        let report = folder.appendingPathComponent("report.html")
        let made = try ServeSupport.runTwinCity([
            "report", folder.appendingPathComponent("out").path, "--compare", server.runs.appendingPathComponent(run).path,
            "--out", report.path])
        XCTAssertEqual(made.status, 0, made.error)
        let html = try String(contentsOf: report, encoding: .utf8)
        let addresses = html.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
        XCTAssertEqual(addresses.filter { !$0.hasPrefix("http://www.w3.org/2000/svg") }, [], "the report refers to nothing outside itself")
        XCTAssertFalse(html.contains("<script"), "the report needs no script")
        try browser.open(report.absoluteString, until: "document.readyState === 'complete'")
        let counts = try browser.evaluate(#"""
            JSON.stringify({ divisions: document.querySelectorAll("path.division").length, cities: document.querySelectorAll("circle.city").length,
              charts: document.querySelectorAll(".charts svg").length, rows: document.querySelectorAll("table tr").length,
              gdp: [...document.querySelectorAll('.charts svg')[0].querySelectorAll('circle[data-series="run"]')].map((c) => c.dataset.value) })
            """#) as! String
        let shown = try JSONSerialization.jsonObject(with: Data(counts.utf8)) as! [String: Any]
        XCTAssertEqual(shown["divisions"] as? Int, 22)
        XCTAssertEqual(shown["cities"] as? Int, 23)
        XCTAssertEqual(shown["charts"] as? Int, RunReport.regionCharts.count)
        XCTAssertEqual(shown["rows"] as? Int, 24, "a header and 23 cities")
        let region = try String(contentsOf: folder.appendingPathComponent("out/region.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let regionGDP = region[0].firstIndex(of: "gdp")!
        XCTAssertEqual((shown["gdp"] as! [String]).map { Double($0) }, region.dropFirst().map { Double($0[regionGDP]) })
        let reportPNG = try browser.screenshot()
        try reportPNG.write(to: shots.appendingPathComponent("report.png"))
        XCTAssertGreaterThan(reportPNG.count, 20_000)
        XCTAssertEqual(server.stop().status, 0)
    }

    /// Where screenshots go: $TWINCITY_SCREENSHOTS, else a folder in the temporary directory.
    static func screenshotFolder() -> URL {
        let path = ProcessInfo.processInfo.environment["TWINCITY_SCREENSHOTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("twincity-screenshots").path
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
