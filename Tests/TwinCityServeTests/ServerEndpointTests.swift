// Every endpoint of `twincity serve`, its bad requests and its limits, against a server
// running in this process on a free loopback port.
import Foundation
import XCTest
import TwinCityModel
import TwinCityScenario
@testable import TwinCityServe
import TwinCityTestSupport
import ZIPFoundation

final class ServerEndpointTests: XCTestCase {
    private var runs: URL!
    private var base: URL!
    private var task: Task<Void, any Error>!
    private var server: DashboardServer!

    private func startServer(maxRuns: Int = 2, maxBodyBytes: Int = 64 * 1024) async throws {
        runs = try ServeSupport.temporaryFolder("runs")
        server = try DashboardServer(configuration: ServeSupport.configuration(runs: runs, maxRuns: maxRuns, maxBodyBytes: maxBodyBytes))
        (base, task) = try await ServeSupport.start(server)
    }

    override func tearDown() async throws {
        task?.cancel()
        _ = await task?.result
        if let runs { try? FileManager.default.removeItem(at: runs) }
    }

    func testPageAndAssetsAreServedFromTheBinaryWithoutOtherOrigins() async throws {
        try await startServer()
        let page = try await ServeSupport.request(base, "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertEqual(String(decoding: page.body, as: UTF8.self), PageAssets.html)
        XCTAssertTrue(page.headers["content-security-policy"]?.hasPrefix("default-src 'self'") ?? false)
        let script = try await ServeSupport.request(base, "/app.js")
        XCTAssertEqual(script.status, 200)
        XCTAssertEqual(String(decoding: script.body, as: UTF8.self), PageAssets.script)
        let style = try await ServeSupport.request(base, "/app.css")
        XCTAssertEqual(String(decoding: style.body, as: UTF8.self), PageAssets.style)
        // Nothing the page loads names another origin.
        for text in [PageAssets.html, PageAssets.script, PageAssets.style] {
            let addresses = text.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
            XCTAssertEqual(addresses.filter { !$0.hasPrefix("http://www.w3.org/2000/svg") }, [])
        }
        let map = try await ServeSupport.request(base, "/prefectures.geojson")
        XCTAssertEqual(map.body, try Data(contentsOf: ServeSupport.packageRoot.appendingPathComponent("seeds/prefectures.geojson")))
        let missing = try await ServeSupport.request(base, "/nothing-here")
        XCTAssertEqual(missing.status, 404)
    }

    func testCatalogIsThePolicyCatalogueAndTheRoster() async throws {
        try await startServer()
        let response = try await ServeSupport.request(base, "/api/catalog")
        let catalog = try ServeSupport.json(response.body) as! [String: Any]
        let kinds = catalog["kinds"] as! [[String: Any]]
        XCTAssertEqual(kinds.map { $0["name"] as! String }, PolicyCatalog.kinds.map(\.name))
        let tax = kinds.first { $0["name"] as? String == "tax_sharing" }!["keys"] as! [[String: Any]]
        let share = tax.first { $0["name"] as? String == "share" }!
        XCTAssertEqual(share["range"] as? String, "[0, 1]")
        XCTAssertEqual(share["defaultValue"] as? Double, TaxSharingPolicy(window: PolicyWindow(start: 0)).share)
        XCTAssertEqual(share["optional"] as? Bool, false)
        let weight = tax.first { $0["name"] as? String == "bargaining_weight" }!
        XCTAssertEqual(weight["optional"] as? Bool, true)
        XCTAssertNil(weight["defaultValue"], "an optional key has no default")
        let metro = kinds.first { $0["name"] as? String == "metro_integration" }!["keys"] as! [[String: Any]]
        let cities = metro.first { $0["name"] as? String == "cities" }!
        XCTAssertEqual(cities["minimum"] as? Int, 2)
        XCTAssertNil(cities["defaultValue"], "a required key has no default")
        let roster = try RosterLoader.load(cities: ServeSupport.packageRoot.appendingPathComponent("seeds/cities.csv").path)
        XCTAssertEqual((catalog["cities"] as! [[String: Any]]).map { $0["id"] as! String }, roster.cities.map(\.id))
    }

    func testShippedScenariosAreOfferedResolved() async throws {
        try await startServer()
        let response = try await ServeSupport.request(base, "/api/scenarios")
        let list = try ServeSupport.json(response.body) as! [[String: Any]]
        let files = list.map { $0["file"] as! String }
        XCTAssertEqual(files.first, "baseline.toml")
        XCTAssertTrue(files.contains("decision-2020.toml"))
        XCTAssertTrue(files.contains("policies/tax-sharing.toml"))
        XCTAssertFalse(files.contains { $0.hasPrefix("theory/") }, "core–periphery scenarios have no cities to map")
        let baseline = list[0]["resolved"] as! [String: Any]
        XCTAssertEqual((baseline["model"] as! [String: Any])["decision_rule"] as? String, "tournament")
        XCTAssertNil(baseline["roster"], "the roster is the server's, not part of the page's scenario")
        let decision = list.first { $0["file"] as? String == "decision-2020.toml" }!["resolved"] as! [String: Any]
        let expected = try ScenarioLoader.load(path: ServeSupport.packageRoot.appendingPathComponent("scenarios/decision-2020.toml").path)
        XCTAssertEqual((decision["policy"] as! [Any]).count, expected.policies.count)
    }

    /// A run from the page is the same run directory, byte for byte apart from the manifest,
    /// as `twincity run` of the same text.
    func testRunWritesTheSameFilesAsTheCommandLine() async throws {
        try await startServer()
        let posted = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(ServeSupport.shortScenario.utf8))
        XCTAssertEqual(posted.status, 202)
        let id = (try ServeSupport.json(posted.body) as! [String: Any])["id"] as! String
        XCTAssertEqual(id, "short-1")
        let status = try await ServeSupport.waitForRun(base, id)
        XCTAssertEqual(status["state"] as? String, "done", "\(status)")
        XCTAssertEqual(status["done"] as? Int, 4)
        XCTAssertEqual(status["total"] as? Int, 4)

        let folder = try ServeSupport.temporaryFolder("cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("short.toml")
        try Data(ServeSupport.shortScenario.utf8).write(to: file)
        let cli = try ServeSupport.runTwinCity(["run", file.path, "--out", folder.appendingPathComponent("out").path, "--quiet"])
        XCTAssertEqual(cli.status, 0, cli.error)
        for name in ["cities.csv", "region.csv", "flows_population.csv", "flows_capital.csv", "flows_industry.csv"] {
            let served = try await ServeSupport.request(base, "/api/runs/\(id)/files/\(name)")
            XCTAssertEqual(served.status, 200)
            XCTAssertEqual(served.body, try Data(contentsOf: folder.appendingPathComponent("out/\(name)")), name)
        }
        let manifest = try await ServeSupport.request(base, "/api/runs/\(id)/files/manifest.json")
        let seed = (try ServeSupport.json(manifest.body) as! [String: Any])["seed"] as? Int
        XCTAssertEqual(seed, 7)
        let summary = try await ServeSupport.request(base, "/api/runs/\(id)/files/summary.csv")
        XCTAssertEqual(summary.status, 404, "a single run has no summary.csv")
        // The run directory is an ordinary one in the run folder, the scenario kept beside it.
        XCTAssertTrue(FileManager.default.fileExists(atPath: runs.appendingPathComponent("short-1/cities.csv").path))
        XCTAssertEqual(try String(contentsOf: runs.appendingPathComponent(".scenarios/short-1.toml"), encoding: .utf8), ServeSupport.shortScenario)
        let list = try ServeSupport.json(try await ServeSupport.request(base, "/api/runs").body) as! [[String: Any]]
        XCTAssertEqual(list.map { $0["id"] as! String }, ["short-1"])

        // The zip holds the run's files under the run's name.
        let zip = try await ServeSupport.request(base, "/api/runs/\(id)/zip")
        XCTAssertEqual(zip.status, 200)
        XCTAssertEqual(zip.headers["content-disposition"], "attachment; filename=\"short-1.zip\"")
        let archive = try Archive(data: zip.body, accessMode: .read)
        XCTAssertEqual(Set(archive.map(\.path)), Set(RunDirectoryWriterFiles.single.map { "short-1/\($0)" }))
        var cities = Data()
        _ = try archive.extract(archive["short-1/cities.csv"]!) { cities.append($0) }
        XCTAssertEqual(cities, try Data(contentsOf: folder.appendingPathComponent("out/cities.csv")))
    }

    func testTablesAreTheRunFilesReadBack() async throws {
        try await startServer()
        let posted = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(ServeSupport.shortScenario.utf8))
        let id = (try ServeSupport.json(posted.body) as! [String: Any])["id"] as! String
        _ = try await ServeSupport.waitForRun(base, id)
        for name in ["cities.csv", "region.csv", "flows_population.csv"] {
            let served = try await ServeSupport.request(base, "/api/runs/\(id)/tables/\(name)")
            XCTAssertEqual(served.status, 200, name)
            let table = try ServeSupport.json(served.body) as! [String: Any]
            let records = parseCSV(try String(contentsOf: runs.appendingPathComponent("\(id)/\(name)"), encoding: .utf8))
            XCTAssertEqual(table["header"] as? [String], records.first, name)
            XCTAssertEqual(table["rows"] as? [[String]], Array(records.dropFirst()), name)
        }
        let summary = try await ServeSupport.request(base, "/api/runs/\(id)/tables/summary.csv")
        XCTAssertEqual(summary.status, 404, "a single run has no summary.csv")
        let manifest = try await ServeSupport.request(base, "/api/runs/\(id)/tables/manifest.json")
        XCTAssertEqual(manifest.status, 404, "not a table")
        // A row of the wrong length is refused with its file and line.
        let region = runs.appendingPathComponent("\(id)/region.csv")
        let lines = try String(contentsOf: region, encoding: .utf8).split(separator: "\n").count
        let handle = try FileHandle(forWritingTo: region)
        handle.seekToEndOfFile()
        handle.write(Data("2099\n".utf8))
        try handle.close()
        let broken = try await ServeSupport.request(base, "/api/runs/\(id)/tables/region.csv")
        XCTAssertEqual(broken.status, 422)
        let message = (try ServeSupport.json(broken.body) as! [String: Any])["error"] as? String ?? ""
        XCTAssertTrue(message.hasPrefix("run \(id): region.csv:\(lines + 1): 1 cells for "), message)
    }

    func testEnsembleFromThePageEqualsTheCommandLineEnsemble() async throws {
        try await startServer()
        let text = ServeSupport.shortScenario.replacingOccurrences(of: "replications = 1", with: "replications = 2")
            .replacingOccurrences(of: "end = 2024", with: "end = 2022")
        let posted = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(text.utf8))
        let id = (try ServeSupport.json(posted.body) as! [String: Any])["id"] as! String
        let status = try await ServeSupport.waitForRun(base, id)
        XCTAssertEqual(status["state"] as? String, "done", "\(status)")
        XCTAssertEqual(status["total"] as? Int, 4, "2 replications × 2 ticks")
        let folder = try ServeSupport.temporaryFolder("cli-ensemble")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(text.utf8).write(to: folder.appendingPathComponent("e.toml"))
        let cli = try ServeSupport.runTwinCity(["run", folder.appendingPathComponent("e.toml").path, "--out", folder.appendingPathComponent("out").path, "--quiet", "--jobs", "2"])
        XCTAssertEqual(cli.status, 0, cli.error)
        for name in ["cities.csv", "region.csv", "summary.csv"] {
            let served = try await ServeSupport.request(base, "/api/runs/\(id)/files/\(name)")
            XCTAssertEqual(served.body, try Data(contentsOf: folder.appendingPathComponent("out/\(name)")), name)
        }
    }

    /// A malformed scenario gets HTTP 400 and the loader's own text, as `twincity validate`
    /// prints it for the same file.
    func testMalformedScenarioGetsTheLoadersMessage() async throws {
        try await startServer()
        let bad = ServeSupport.shortScenario.replacingOccurrences(of: "share = 0.3", with: "share = 1.5")
            .replacingOccurrences(of: "decision_rule = \"tournament\"", with: "migraton_rate = 0.1")
        let response = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(bad.utf8))
        XCTAssertEqual(response.status, 400)
        let message = (try ServeSupport.json(response.body) as! [String: Any])["error"] as! String
        let folder = try ServeSupport.temporaryFolder("bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.toml")
        try Data(bad.utf8).write(to: file)
        var expected = ""
        do {
            _ = try ScenarioLoader.load(path: file.path)
            XCTFail("the scenario should be refused")
        } catch let error as any UserInputError {
            expected = error.description
        }
        let served = message.replacingOccurrences(
            of: #"[^\s:]*scenario-[0-9a-f-]+\.toml"#, with: file.path, options: .regularExpression)
        XCTAssertEqual(served, expected)
        XCTAssertTrue(served.contains("key 'model.migraton_rate': unknown key in [model]; did you mean 'migration_rate'?"), served)
        XCTAssertTrue(served.contains("key 'policy[0].share'"), served)
        // Nothing was kept of the refused scenario.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.appendingPathComponent(".scenarios").path), [])
    }

    func testScenarioThatExtendsAnotherFileIsRefused() async throws {
        try await startServer()
        let text = "schema = 1\nextends = \"../../etc/passwd\"\nname = \"x\"\n"
        let response = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(text.utf8))
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual((try ServeSupport.json(response.body) as! [String: Any])["error"] as? String,
                       "extends: not accepted from the page; send the scenario with every key it needs")
    }

    func testTooManyReplicationsAreRefused() async throws {
        try await startServer()
        let text = ServeSupport.shortScenario.replacingOccurrences(of: "replications = 1", with: "replications = 6")
        let response = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(text.utf8))
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual((try ServeSupport.json(response.body) as! [String: Any])["error"] as? String,
                       "run.replications: at most 5 on the page, found 6")
    }

    func testBodyLargerThanTheLimitGets413() async throws {
        try await startServer(maxBodyBytes: 1024)
        let big = Data(repeating: UInt8(ascii: "#"), count: 1025)
        let response = try await ServeSupport.request(base, "/api/runs", method: "POST", body: big)
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual((try ServeSupport.json(response.body) as! [String: Any])["error"] as? String,
                       "request body larger than 1024 bytes")
        let fits = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(repeating: UInt8(ascii: "#"), count: 1024))
        XCTAssertEqual(fits.status, 400, "a body at the limit is read (and refused by the loader as an empty scenario)")
    }

    func testRunsBeyondTheLimitGet429() async throws {
        try await startServer(maxRuns: 1)
        let long = ServeSupport.shortScenario.replacingOccurrences(of: "end = 2024", with: "end = 2035")
            .replacingOccurrences(of: "replications = 1", with: "replications = 5")
        let first = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(long.utf8))
        XCTAssertEqual(first.status, 202)
        let second = try await ServeSupport.request(base, "/api/runs", method: "POST", body: Data(long.utf8))
        XCTAssertEqual(second.status, 429)
        XCTAssertEqual((try ServeSupport.json(second.body) as! [String: Any])["error"] as? String,
                       "1 runs are going on, the most this server runs at once; try again when one has finished")
    }

    /// No request reads outside the run folder: ids and file names are checked before any path
    /// is made, and a link inside the folder is not followed.
    func testPathTraversalIsRefused() async throws {
        try await startServer()
        let outside = try ServeSupport.temporaryFolder("outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("secret".utf8).write(to: outside.appendingPathComponent("manifest.json"))
        try FileManager.default.createSymbolicLink(at: runs.appendingPathComponent("linked"), withDestinationURL: outside)
        let relative = "../" + outside.lastPathComponent
        for path in [
            "/api/runs/linked/files/manifest.json",
            "/api/runs/\(relative.replacingOccurrences(of: "/", with: "%2F"))/files/manifest.json",
            "/api/runs/..%2F..%2F..%2Fetc/files/manifest.json",
            "/api/runs/%2E%2E/files/manifest.json",
            "/api/runs/../files/manifest.json",
            "/api/runs/linked/zip",
            "/api/runs/x/files/..%2F..%2Fetc%2Fpasswd",
            "/api/runs/x/files/%2Fetc%2Fpasswd",
            "/../../etc/passwd",
            "/api/runs/%2E%2E",
        ] {
            let response = try await ServeSupport.request(base, path)
            XCTAssertTrue([400, 404].contains(response.status), "\(path): \(response.status)")
            XCTAssertFalse(String(decoding: response.body, as: UTF8.self).contains("secret"), path)
            XCTAssertFalse(String(decoding: response.body, as: UTF8.self).contains("root:"), path)
        }
        XCTAssertTrue(RunStore.isValidID("baseline-1"))
        for id in ["", "..", ".hidden", "a/b", "a..b", "-x", String(repeating: "a", count: 101), "a\u{0}b", "a%2Fb"] {
            XCTAssertFalse(RunStore.isValidID(id), id)
        }
    }

    func testRequestsNamingAnotherHostAreRefused() async throws {
        try await startServer()
        let response = try await ServeSupport.request(base, "/api/catalog", headers: ["Host": "attacker.example:80"])
        XCTAssertEqual(response.status, 403)
        let local = try await ServeSupport.request(base, "/api/catalog", headers: ["Host": "localhost:1"])
        XCTAssertEqual(local.status, 200)
    }

    func testUnknownRunIs404() async throws {
        try await startServer()
        let response = try await ServeSupport.request(base, "/api/runs/nothing-1")
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual((try ServeSupport.json(response.body) as! [String: Any])["error"] as? String, "no run nothing-1")
        let file = try await ServeSupport.request(base, "/api/runs/nothing-1/files/cities.csv")
        XCTAssertEqual(file.status, 404)
        let other = try await ServeSupport.request(base, "/api/runs/nothing-1/files/secret.txt")
        XCTAssertEqual((try ServeSupport.json(other.body) as! [String: Any])["error"] as? String, "no file secret.txt in a run directory")
    }
}

/// The files of a single run's directory.
enum RunDirectoryWriterFiles {
    static let single = ["cities.csv", "region.csv", "flows_population.csv", "flows_capital.csv", "flows_industry.csv", "datapackage.json", "manifest.json"]
}
