// Starts servers for the tests, in this process or as the `twincity serve` executable, and
// talks HTTP to them with Foundation's URLSession.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TwinCityTestSupport
import XCTest
@testable import TwinCityServe

enum ServeSupport {
    /// The package root and the folder of the built products (shared test support).
    static var packageRoot: URL { Checkout.root }
    static var productsDirectory: URL { Checkout.productsDirectory }

    static var executable: URL { productsDirectory.appendingPathComponent("twincity") }

    /// A fresh empty folder under the temporary directory.
    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("twincity-serve-tests-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A configuration on a free loopback port with the shipped scenarios and roster.
    static func configuration(runs: URL, maxRuns: Int = 2, maxBodyBytes: Int = 64 * 1024) -> ServeConfiguration {
        ServeConfiguration(
            host: "127.0.0.1", port: 0, scenariosDirectory: packageRoot.appendingPathComponent("scenarios").path,
            runsDirectory: runs.path, rosterPath: packageRoot.appendingPathComponent("seeds/cities.csv").path,
            boundariesPath: packageRoot.appendingPathComponent("seeds/prefectures.geojson").path,
            maxConcurrentRuns: maxRuns, maxBodyBytes: maxBodyBytes, maxReplications: 5, version: "test")
    }

    /// Runs `server` in a task, waits until it listens and returns its base URL and the task
    /// (cancel it to stop the server).
    static func start(_ server: DashboardServer) async throws -> (URL, Task<Void, any Error>) {
        let port = PortBox()
        let task = Task { try await server.run { port.set($0) } }
        for _ in 0..<400 {
            if let p = port.value { return (URL(string: "http://127.0.0.1:\(p)")!, task) }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        task.cancel()
        throw TestFailure("server did not start listening within 10 s")
    }

    /// One HTTP exchange.
    static func request(
        _ base: URL, _ path: String, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.httpBody = body
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, fields, data)
    }

    static func json(_ data: Data) throws -> Any { try JSONSerialization.jsonObject(with: data) }

    /// Polls GET /api/runs/ID until its state is not `running`; returns the last status.
    static func waitForRun(_ base: URL, _ id: String) async throws -> [String: Any] {
        for _ in 0..<2400 {
            let (_, _, body) = try await request(base, "/api/runs/\(id)")
            let status = try json(body) as! [String: Any]
            if status["state"] as? String != "running" { return status }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw TestFailure("run \(id) still running after 120 s")
    }

    /// Runs the `twincity` executable with `arguments` from the package root.
    @discardableResult
    static func runTwinCity(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// A short scenario with one policy, as the page would send it.
    static let shortScenario = """
        schema = 1
        name = "short"
        description = "2020–2024 with tax sharing"
        kind = "region"

        [time]
        start = 2020
        end = 2024
        dt = 1

        [run]
        seed = 7
        replications = 1

        [model]
        decision_rule = "tournament"

        [[policy]]
        kind = "tax_sharing"
        start = 2021
        share = 0.3

        """
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The port a server reports once it listens.
final class PortBox: @unchecked Sendable {
    // @unchecked: `port` is read and written under `lock`.
    private let lock = NSLock()
    private var port: Int?
    func set(_ value: Int) { lock.withLock { port = value } }
    var value: Int? { lock.withLock { port } }
}
