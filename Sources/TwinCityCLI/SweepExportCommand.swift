// `twincity sweep export DIR`: the sweep database as runs.csv and outputs.csv.
import ArgumentParser
import Foundation
import TwinCitySweep

/// Writes a sweep's runs and outputs as CSV.
struct SweepExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write runs.csv and outputs.csv from a sweep's database.",
        discussion: """
            runs.csv has one row per run: point, replication, seed, status, error, wall_seconds, \
            shard and the point's value of each parameter. outputs.csv has one row per run: \
            point, replication and one column per output of the sweep file (empty when not \
            defined or not recorded). Both are in order of point and replication.
            """
    )

    /// The sweep's folder, or its database file.
    @Argument(help: ArgumentHelp("The sweep's --out folder (with sweep.sqlite), or a sweep database file.", valueName: "dir"))
    var directory: String

    /// Where to write the CSV files; the sweep's folder by default.
    @Option(help: ArgumentHelp("Folder for runs.csv and outputs.csv. Default: the sweep's folder.", valueName: "dir"))
    var out: String?

    func run() throws {
        let database = try SweepCommand.databasePath(directory)
        let folder = out ?? URL(fileURLWithPath: database).deletingLastPathComponent().path
        // Checked before the database is read, so nothing is written to a file or a device.
        try OutputPath.checkFolder(folder, option: out == nil ? "the sweep's folder" : "--out")
        for name in SweepExport.files {
            try OutputPath.checkFile(URL(fileURLWithPath: folder).appendingPathComponent(name).path, option: out == nil ? "the sweep's folder" : "--out")
        }
        let count = try SweepExport.write(database: database, to: folder)
        let files = SweepExport.files.map { "  " + URL(fileURLWithPath: folder).appendingPathComponent($0).path + "\n" }.joined()
        TerminalText.write("Exported \(count) runs:\n\(files)", to: .standardOutput)
    }
}
