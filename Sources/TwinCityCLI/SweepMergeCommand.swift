// `twincity sweep merge OUT_DIR SHARD...`: combines the shard databases of one sweep.
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCitySweep

/// Merges shard databases into `OUT_DIR/sweep.sqlite`.
struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the shard databases of a sweep into OUT_DIR/sweep.sqlite.",
        discussion: """
            Each source is a shard database or a folder, whose shard-k-of-n.sqlite files are \
            all taken. Every source must record the same sweep file (content hash) and no run \
            may appear twice; otherwise nothing is written and the exit status is 2. An \
            existing OUT_DIR/sweep.sqlite is refused.
            """
    )

    /// Folder of the merged database.
    @Argument(help: ArgumentHelp("Folder for the merged sweep.sqlite.", valueName: "out-dir"))
    var outDirectory: String

    /// Shard databases or folders holding them.
    @Argument(help: ArgumentHelp("Shard databases, or folders holding shard-k-of-n.sqlite files.", valueName: "shard-db-or-dir"))
    var sources: [String]

    func validate() throws {
        if sources.isEmpty { throw ValidationError("give at least one shard database or folder to merge") }
    }

    func run() throws {
        var files: [String] = []
        for source in sources {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder) else {
                throw SweepDatabaseError.missing(path: source, hint: "give shard databases (shard-k-of-n.sqlite) or folders holding them")
            }
            if isFolder.boolValue {
                let found = try SweepCommand.shardDatabases(in: source)
                if found.isEmpty {
                    throw SweepDatabaseError.missing(path: source, hint: "the folder holds no shard-k-of-n.sqlite file")
                }
                files += found
            } else {
                files.append(source)
            }
        }
        var seen = Set<String>()
        files = files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        let path = URL(fileURLWithPath: outDirectory).appendingPathComponent(SweepDatabase.fileName).path
        let report = try SweepDatabase.merge(sources: files, into: path, twinCityVersion: twinCityVersion)
        var text = "Merged \(report.sources.count) shard databases into \(path):\n"
        text += "  \(report.counts.ok + report.counts.failed) of \(report.totalRuns) runs (\(report.counts.ok) ok, \(report.counts.failed) failed)\n"
        let missing = report.totalRuns - report.counts.ok - report.counts.failed
        if missing > 0 {
            text += "  \(missing) runs are missing; 'twincity sweep SWEEP_FILE --out \(outDirectory) --resume' runs them\n"
        }
        TerminalText.write(text, to: .standardOutput)
    }
}
