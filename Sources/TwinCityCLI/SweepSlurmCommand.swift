// `twincity sweep slurm FILE --out DIR`: batch scripts that run a sweep as a Slurm array job
// and merge its shards when every task has succeeded.
import ArgumentParser
import Foundation
import TwinCitySweep

/// Writes `sweep.sbatch`, `merge.sbatch` and `submit.sh` for a sweep.
struct SweepSlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write Slurm batch scripts that run a sweep as an array job and merge it.",
        discussion: """
            Checks the sweep file as 'twincity sweep' does, then writes DIR/sweep.sbatch (an \
            array job 0..n−1, each task running one shard with this twincity executable), \
            DIR/merge.sbatch (merging the shards into DIR/sweep.sqlite) and DIR/submit.sh, \
            which submits the array and the merge job with --dependency=afterok on it. Paths \
            in the scripts are absolute, so the folder must be on a file system the compute \
            nodes share.
            """
    )

    /// The sweep file.
    @Argument(help: ArgumentHelp("Sweep file (TOML, docs/SWEEPS.md).", valueName: "file"))
    var file: String

    /// Output folder of the sweep and the scripts.
    @Option(help: ArgumentHelp("Folder for the scripts, the shard databases and the merged database.", valueName: "dir"))
    var out: String

    /// Array tasks.
    @Option(help: ArgumentHelp("Number of shards, one array task each.", valueName: "n"))
    var shards = 4

    /// Slurm partition.
    @Option(help: ArgumentHelp("Slurm partition. Default: the cluster's default.", valueName: "p"))
    var partition: String?

    /// Time limit per task.
    @Option(help: ArgumentHelp("Time limit of each task, HH:MM:SS. Default: the partition's.", valueName: "hh:mm:ss"))
    var time: String?

    /// CPUs per task, also the task's --jobs.
    @Option(help: ArgumentHelp("CPUs per task; each task runs that many runs at once.", valueName: "c"))
    var cpusPerTask = 1

    func validate() throws {
        if shards < 1 { throw ValidationError("--shards must be at least 1, got \(shards)") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
        if let time, !SlurmScripts.isTimeLimit(time) {
            throw ValidationError("--time expects HH:MM:SS, e.g. --time 02:00:00, got '\(time)'")
        }
        if let partition, partition.isEmpty || partition.contains(where: \.isWhitespace) {
            throw ValidationError("--partition expects a partition name without spaces, got '\(partition)'")
        }
    }

    func run() throws {
        let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        // Before anything is read: a path that cannot go into a batch script is the first error.
        try ShellQuoting.check(absolute(out), argument: "--out")
        try ShellQuoting.check(absolute(file), argument: "the sweep file")
        let plan = try SweepPlan.load(path: file)
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? absolute(CommandLine.arguments[0])
        // Task names in squeue: the sweep's name, kept to characters Slurm shows plainly.
        let jobName = "sweep-" + String(plan.definition.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let scripts = SlurmScripts(
            executable: executable, sweepFile: absolute(file), directory: absolute(out), shards: shards,
            partition: partition, timeLimit: time, cpusPerTask: cpusPerTask, jobName: jobName)
        let written = try scripts.write()
        let points = plan.design.pointCount
        var text = "Wrote Slurm scripts for sweep '\(plan.definition.name)' (\(points) points × \(plan.definition.replications) replication\(plan.definition.replications == 1 ? "" : "s") over \(shards) shard\(shards == 1 ? "" : "s")):\n"
        text += written.map { "  \($0)\n" }.joined()
        text += "Submit with: \(absolute(out))/submit.sh\n"
        TerminalText.write(text, to: .standardOutput)
    }
}
