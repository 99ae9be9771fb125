// `twincity serve`: the page and its JSON endpoints on Hummingbird. Every run goes through
// the scenario loader and `ScenarioRunner`, into the server's run folder.
import Foundation
import Hummingbird
import Logging
import NIOCore
import TOMLKit
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// Settings of a server.
public struct ServeConfiguration: Sendable {
    /// Address to bind, `127.0.0.1` by default.
    public var host: String
    /// TCP port; 0 takes a free one (the address printed names it).
    public var port: Int
    /// Folder of shipped scenarios offered on the page (searched recursively for region
    /// scenarios), or `nil` for none.
    public var scenariosDirectory: String?
    /// The run folder: every run is a run directory inside it.
    public var runsDirectory: String
    /// The roster (cities table) every scenario from the page runs on.
    public var rosterPath: String
    /// The prefecture outlines drawn on the map (GeoJSON, seeds/prefectures.geojson), or `nil`.
    public var boundariesPath: String?
    /// Most runs at once; a run request beyond it gets 429.
    public var maxConcurrentRuns: Int
    /// Largest request body accepted, bytes; a larger one gets 413.
    public var maxBodyBytes: Int
    /// Most replications of a run from the page.
    public var maxReplications: Int
    /// The tool's version, for manifest.json.
    public var version: String

    public init(
        host: String = "127.0.0.1", port: Int = 8080, scenariosDirectory: String? = nil, runsDirectory: String,
        rosterPath: String, boundariesPath: String? = nil, maxConcurrentRuns: Int = 2,
        maxBodyBytes: Int = 256 * 1024, maxReplications: Int = 50, version: String
    ) {
        self.host = host
        self.port = port
        self.scenariosDirectory = scenariosDirectory
        self.runsDirectory = runsDirectory
        self.rosterPath = rosterPath
        self.boundariesPath = boundariesPath
        self.maxConcurrentRuns = maxConcurrentRuns
        self.maxBodyBytes = maxBodyBytes
        self.maxReplications = maxReplications
        self.version = version
    }

    /// True for addresses only this machine can reach: `127.0.0.0/8`, `::1`, `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// The files of a run directory a client may fetch, by name; nothing else is served from it.
public let servedRunFiles: [String] = RunDirectoryWriter.files.map(\.name) + ["summary.csv"]

/// The web application of `twincity serve`.
public final class DashboardServer: Sendable {
    /// Its settings.
    public let configuration: ServeConfiguration
    /// Its runs.
    public let store: RunStore
    private let rosterAbsolute: String
    private let catalogJSON: Data
    private let boundaries: Data
    private let shipped: [ShippedScenario]

    /// A shipped scenario offered on the page.
    struct ShippedScenario: Encodable, Sendable {
        /// Path relative to the scenarios folder, the scenario's handle in requests.
        let file: String
        let name: String
        let description: String
        let resolved: [String: ScenarioValue]
    }

    /// Reads the roster and boundaries, loads the shipped scenarios and opens the run folder.
    ///
    /// - Throws: the roster's `InputError`s; file-system errors of the run folder.
    public init(configuration: ServeConfiguration) throws {
        self.configuration = configuration
        store = try RunStore(folder: configuration.runsDirectory, maxConcurrentRuns: configuration.maxConcurrentRuns)
        rosterAbsolute = URL(fileURLWithPath: configuration.rosterPath).absoluteURL.standardizedFileURL.path
        let roster = try RosterLoader.load(cities: rosterAbsolute)
        boundaries = try configuration.boundariesPath.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            ?? Data(#"{"type":"FeatureCollection","features":[]}"#.utf8)
        shipped = Self.loadShipped(configuration.scenariosDirectory, roster: rosterAbsolute)
        catalogJSON = try PageCatalog.json(roster: roster, limits: .init(
            maxReplications: configuration.maxReplications, maxBodyBytes: configuration.maxBodyBytes))
    }

    /// The region scenarios below `directory` that load without error, by path.
    private static func loadShipped(_ directory: String?, roster: String) -> [ShippedScenario] {
        guard let directory else { return [] }
        let base = URL(fileURLWithPath: directory).absoluteURL.standardizedFileURL
        guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var found: [ShippedScenario] = []
        for case let relative as String in walker where relative.hasSuffix(".toml") {
            let path = base.appendingPathComponent(relative).path
            guard let scenario = try? ScenarioLoader.load(path: path, overrides: [rosterOverride(roster)]),
                  case .region = scenario.kind
            else { continue }
            var resolved = scenario.resolved
            for key in ["roster", "overrides", "extends"] { resolved[key] = nil }
            found.append(ShippedScenario(file: relative, name: scenario.name, description: scenario.description, resolved: resolved))
        }
        return found.sorted { ($0.file.contains("/") ? 1 : 0, $0.file) < ($1.file.contains("/") ? 1 : 0, $1.file) }
    }

    /// The `--set` text that makes a scenario run on `roster`.
    static func rosterOverride(_ roster: String) -> String {
        "roster=\"" + roster.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Running

    /// Serves until SIGINT or SIGTERM, then stops every run (each removes its temporary
    /// directory) before returning.
    ///
    /// - Parameter onRunning: Called with the bound port once the server listens.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "twincity"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: {
                var logger = Logger(label: "twincity-serve")
                logger.logLevel = .warning
                return logger
            }())
        do {
            try await app.runService()
        } catch {
            store.stopAll()
            throw error
        }
        store.stopAll()
    }

    /// The routes of the page and its API.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: GuardMiddleware(
            maxBodyBytes: configuration.maxBodyBytes,
            loopbackOnly: ServeConfiguration.isLoopback(configuration.host)))
        router.get("/") { _, _ in Self.text(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/app.js") { _, _ in Self.text(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/app.css") { _, _ in Self.text(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/prefectures.geojson") { [boundaries] _, _ in Self.data(boundaries, type: "application/geo+json") }
        router.get("/api/catalog") { [catalogJSON] _, _ in Self.data(catalogJSON, type: "application/json") }
        router.get("/api/scenarios") { [shipped] _, _ in try Self.json(shipped) }
        router.get("/api/runs") { [store] _, _ in try Self.json(store.all()) }
        router.post("/api/runs") { [self] request, _ in try await startRun(request) }
        router.get("/api/runs/:id") { [store] _, context in
            let id = context.parameters.get("id") ?? ""
            guard let status = store.status(id) else { return Self.error(.notFound, "no run \(id)") }
            return try Self.json(status)
        }
        router.get("/api/runs/:id/files/:name") { [store] _, context in
            let id = context.parameters.get("id") ?? "", name = context.parameters.get("name") ?? ""
            guard servedRunFiles.contains(name) else { return Self.error(.notFound, "no file \(name) in a run directory") }
            guard let directory = store.existingDirectory(id) else { return Self.error(.notFound, "no run directory \(id)") }
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                return Self.error(.notFound, "run \(id) has no \(name)")
            }
            return Self.data(data, type: name.hasSuffix(".json") ? "application/json" : "text/csv; charset=utf-8")
        }
        // The page's tables, read by the one reader of run directories (RunDirectoryReader), so
        // that the page, `plot`, `compare` and `report` understand the files the same way.
        router.get("/api/runs/:id/tables/:name") { [store] _, context in
            let id = context.parameters.get("id") ?? "", name = context.parameters.get("name") ?? ""
            guard servedRunFiles.contains(name), name.hasSuffix(".csv") else { return Self.error(.notFound, "no table \(name) in a run directory") }
            guard let directory = store.existingDirectory(id) else { return Self.error(.notFound, "no run directory \(id)") }
            do {
                let table = try RunDirectoryReader.table(name, in: directory.path)
                return try Self.json(TableJSON(header: table.header, rows: table.rows))
            } catch let error as RunFileError {
                if error.problem == .missing { return Self.error(.notFound, "run \(id) has no \(name)") }
                return Self.error(.unprocessableContent, "run \(id): \(error.place): \(error.reason)")
            }
        }
        router.get("/api/runs/:id/zip") { [store] _, context in
            let id = context.parameters.get("id") ?? ""
            guard let directory = store.existingDirectory(id) else { return Self.error(.notFound, "no run directory \(id)") }
            let archive = try RunArchive.zip(directory: directory, names: servedRunFiles)
            var response = Self.data(archive, type: "application/zip")
            response.headers[.contentDisposition] = "attachment; filename=\"\(id).zip\""
            return response
        }
        return router
    }

    /// POST /api/runs: the body is a scenario file's text. 202 with the run's status; 400
    /// with the loader's messages; 413 for a body too large; 429 when too many runs go on.
    private func startRun(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            return Self.error(.contentTooLarge, "request body larger than \(configuration.maxBodyBytes) bytes")
        }
        let text = String(buffer: body)
        // A scenario from the page is self-contained: `extends` would read files outside the
        // run folder, and the roster is the server's.
        if let table = try? TOMLTable(string: text), table.contains(key: "extends") {
            return Self.error(.badRequest, "extends: not accepted from the page; send the scenario with every key it needs")
        }
        let incoming = store.folder.appendingPathComponent(".scenarios", isDirectory: true)
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
        let file = incoming.appendingPathComponent("scenario-\(UUID().uuidString.lowercased()).toml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let scenario: Scenario
        do {
            scenario = try ScenarioLoader.load(path: file.path, overrides: [Self.rosterOverride(rosterAbsolute)])
        } catch {
            return Self.error(.badRequest, RunStore.message(for: error))
        }
        guard scenario.replications <= configuration.maxReplications else {
            return Self.error(.badRequest, "run.replications: at most \(configuration.maxReplications) on the page, found \(scenario.replications)")
        }
        let version = configuration.version
        let runner = ScenarioRunner(scenario: scenario, directory: "", version: version)
        let id: String
        do {
            id = try store.start(scenarioName: scenario.name, replications: runner.replications, totalTicks: runner.totalTicks) {
                directory, store, id in
                let runner = ScenarioRunner(scenario: scenario, directory: directory, version: version)
                try runner.run(progress: { store.progress(id, ticks: $0) }, isStopped: { store.isStopping })
            }
        } catch RunStore.StartRefusal.busy(let limit) {
            return Self.error(.tooManyRequests, "\(limit) runs are going on, the most this server runs at once; try again when one has finished")
        } catch RunStore.StartRefusal.stopping {
            return Self.error(.serviceUnavailable, "the server is stopping")
        }
        try? FileManager.default.moveItem(at: file, to: store.scenarioFile(for: id))
        var response = try Self.json(store.status(id))
        response.status = .accepted
        return response
    }

    // MARK: - Responses

    static func data(_ data: Data, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        if type.hasPrefix("text/html") {
            // Everything the page uses comes from this server: no other origin is contacted.
            headers[.init("Content-Security-Policy")!] =
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, type: String) -> Response { data(Data(text.utf8), type: type) }

    /// A CSV table of a run directory as the page reads it: `{"header": [...], "rows": [[...]]}`,
    /// every row as long as the header.
    struct TableJSON: Encodable {
        var header: [String]
        var rows: [[String]]
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return data(try encoder.encode(value), type: "application/json")
    }

    /// `{"error": message}` with `status`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var response = (try? json(["error": message])) ?? Response(status: status)
        response.status = status
        return response
    }
}

/// Refuses, before routing, a declared body above the limit (413) and, on a loopback server,
/// a request whose Host is not a loopback name (403), so that a web page elsewhere cannot
/// reach the server through a DNS name rebound to 127.0.0.1.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBodyBytes: Int
    let loopbackOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            return DashboardServer.error(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes")
        }
        if loopbackOnly, let host = request.head.authority {
            let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.prefix { $0 != ":" })
            guard ServeConfiguration.isLoopback(name) else {
                return DashboardServer.error(.forbidden, "host \(host) refused: this server answers to 127.0.0.1 and localhost only")
            }
        }
        return try await next(request, context)
    }
}
