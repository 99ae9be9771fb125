// `twincity report`: one self-contained HTML file of a run directory (docs/DASHBOARD.md).
import ArgumentParser
import Foundation
import TwinCityServe

/// Writes the HTML report of a run, optionally against a comparison run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML report of a run directory.",
        discussion: """
            The file holds a map with the prefecture outlines, charts of the region as inline \
            SVG, a table of the cities, the scenario as resolved and the manifest's \
            provenance. It needs no network and no other file. It is written only once \
            complete. Exit status 2 when RUN_DIR or --compare is not a run directory.
            """
    )

    @Argument(help: ArgumentHelp("Run directory written by `twincity run`.", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: ArgumentHelp("Run directory to compare with (e.g. the baseline).", valueName: "base-run"))
    var compare: String?

    @Option(help: ArgumentHelp("HTML file to write.", valueName: "file"))
    var out: String = "report.html"

    func run() throws {
        let run = try RunTables(path: runDirectory)
        let base = try compare.map { try RunTables(path: $0) }
        let boundaries = DefaultPaths.locate("seeds/prefectures.geojson").flatMap { FileManager.default.contents(atPath: $0) }
        let html = RunReport.html(run: run, base: base, boundaries: boundaries)
        // Written to a temporary file beside the target, then renamed: never half a report.
        try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        FileHandle.standardOutput.write(Data("twincity report: wrote \(out)\n".utf8))
    }
}
