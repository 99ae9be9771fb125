// `twincity sweep`: parameter sweeps of a scenario — run (the default), export, merge, analyze,
// and batch scripts for a Slurm cluster (docs/SWEEPS.md).
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCitySweep

/// The `sweep` command group; `twincity sweep FILE` runs a sweep.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a parameter sweep of a scenario, then export, merge or analyse it.",
        discussion: """
            A sweep file (TOML, docs/SWEEPS.md) names a base scenario, a sampler (grid, random, \
            lhs, sobol, morris), the parameters to vary — or policy levers crossed with sampled \
            uncertainties — and the outputs to record. \
            'twincity sweep FILE' runs every point and replication and streams the results into \
            DIR/sweep.sqlite; the other subcommands work on that database. Exit status: 0 on \
            success, 2 for an error in the sweep file, its scenario, the options or a database, \
            1 for other failures, 130/143 when interrupted (continue with --resume).
            """,
        subcommands: [
            SweepRunCommand.self,
            SweepExportCommand.self,
            SweepMergeCommand.self,
            SweepAnalyzeCommand.self,
            SweepSlurmCommand.self,
        ],
        defaultSubcommand: SweepRunCommand.self
    )

    /// Default output folder of a sweep: `runs/sweeps/<sweep name as a slug>` (`PathSlug`),
    /// so that a name from the file picks only a folder inside runs/sweeps/.
    static func defaultDirectory(for definition: SweepDefinition) -> String {
        PathSlug.path(in: "runs/sweeps", for: definition.name)
    }

    /// The database a command reads: `path` itself when it is a file, else `path/sweep.sqlite`.
    /// A folder holding only shard databases gets a hint to merge them first.
    static func databasePath(_ path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw SweepDatabaseError.missing(path: path, hint: "give the --out folder of a sweep or its .sqlite file")
        }
        guard isFolder.boolValue else { return path }
        let database = URL(fileURLWithPath: path).appendingPathComponent(SweepDatabase.fileName).path
        if !FileManager.default.fileExists(atPath: database), !(try shardDatabases(in: path)).isEmpty {
            throw SweepDatabaseError.missing(
                path: database, hint: "\(path) holds shard databases; merge them first with 'twincity sweep merge \(path) \(path)'")
        }
        return database
    }

    /// The shard databases (`shard-k-of-n.sqlite`) in `folder`, ordered by n, then k.
    static func shardDatabases(in folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        let shards: [(count: Int, index: Int, name: String)] = names.compactMap { name in
            guard name.hasPrefix("shard-"), name.hasSuffix(".sqlite") else { return nil }
            let middle = name.dropFirst("shard-".count).dropLast(".sqlite".count)
            let parts = middle.components(separatedBy: "-of-")
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
            return (n, k, name)
        }
        return shards.sorted { ($0.count, $0.index) < ($1.count, $1.index) }
            .map { URL(fileURLWithPath: folder).appendingPathComponent($0.name).path }
    }

    /// `seconds` as `h:mm:ss` or `m:ss`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}
