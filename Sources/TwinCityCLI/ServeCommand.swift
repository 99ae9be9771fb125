// `twincity serve`: the page in a browser — scenario panel, runs, charts, map (docs/DASHBOARD.md).
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCityServe

/// Serves the page on loopback until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the interactive page: build a scenario, run it, chart and map the results.",
        discussion: """
            Binds to 127.0.0.1 (this machine only) unless --host names another address, \
            which also needs --allow-remote. Every run from the page is an ordinary run \
            directory in --runs (the same files as `twincity run`). SIGINT or SIGTERM stops \
            the server; runs still going are abandoned and leave nothing behind. \
            docs/DASHBOARD.md describes the page.
            """
    )

    @Option(help: ArgumentHelp("TCP port; 0 picks a free one.", valueName: "n"))
    var port: Int = 8080

    @Option(help: ArgumentHelp("Address to bind.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Flag(help: "Allow a --host other machines can reach (the page has no login).")
    var allowRemote = false

    @Option(help: ArgumentHelp("Folder of scenario files offered on the page. Default: scenarios/.", valueName: "dir"))
    var scenarios: String?

    @Option(help: ArgumentHelp("Run folder: each run from the page is a run directory in it.", valueName: "dir"))
    var runs: String = "runs/serve"

    @Option(help: ArgumentHelp("Roster (cities table) the page's scenarios run on. Default: seeds/cities.csv.", valueName: "file"))
    var roster: String?

    @Option(help: ArgumentHelp("Most runs at once; more get HTTP 429.", valueName: "n"))
    var maxRuns: Int = 2

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, found \(port)") }
        guard maxRuns >= 1 else { throw ValidationError("--max-runs must be at least 1, found \(maxRuns)") }
        if !ServeConfiguration.isLoopback(host) && !allowRemote {
            throw ValidationError("--host \(host) lets other machines reach the page, which has no login; add --allow-remote to mean it")
        }
    }

    func run() async throws {
        let rosterPath = try DefaultPaths.resolve(roster, default: DefaultPaths.roster, option: "--roster")
        let scenariosPath = scenarios ?? DefaultPaths.locate("scenarios")
        let configuration = ServeConfiguration(
            host: host, port: port, scenariosDirectory: scenariosPath, runsDirectory: runs, rosterPath: rosterPath,
            boundariesPath: DefaultPaths.locate("seeds/prefectures.geojson"), maxConcurrentRuns: maxRuns,
            version: twinCityVersion)
        let server = try DashboardServer(configuration: configuration)
        if !ServeConfiguration.isLoopback(host) {
            FileHandle.standardError.write(Data(
                "twincity serve: warning: listening on \(host), reachable from other machines; the page has no login\n".utf8))
        }
        let host = host
        try await server.run { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            let scope = ServeConfiguration.isLoopback(host) ? " (this machine only)" : ""
            FileHandle.standardOutput.write(Data(
                "twincity serve: listening on \(shown):\(port)\(scope); open http://\(shown):\(port)/\n".utf8))
        }
        FileHandle.standardError.write(Data("twincity serve: stopped; runs not finished were abandoned and left nothing\n".utf8))
    }
}
