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
            nodes share. The jobs run --binary (default: this executable), after the --setup \
            lines (e.g. --setup 'module load gsl'); docs/SWEEPS.md says how to build a binary \
            that runs on compute nodes without Swift.
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

    /// Slurm account.
    @Option(help: ArgumentHelp("Slurm account charged for the jobs. Default: the user's default.", valueName: "a"))
    var account: String?

    /// Memory per job.
    @Option(help: ArgumentHelp("Memory of each job, as sbatch's --mem: megabytes, or with K, M, G or T (e.g. 4G). Default: the partition's.", valueName: "m"))
    var mem: String?

    /// The twincity binary the jobs run.
    @Option(help: ArgumentHelp("The twincity executable the jobs run, on a path the compute nodes see. Default: this executable.", valueName: "path"))
    var binary: String?

    /// Shell lines run before twincity in each job.
    @Option(help: ArgumentHelp("A shell line each job runs before twincity, e.g. 'module load gsl'; repeat for several, run in order.", valueName: "line"))
    var setup: [String] = []

    /// CPUs per task, also the task's --jobs.
    @Option(help: ArgumentHelp("CPUs per task; each task runs that many runs at once.", valueName: "c"))
    var cpusPerTask = 1

    func validate() throws {
        if shards < 1 { throw ValidationError("--shards must be at least 1, got \(shards)") }
        if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask)") }
        if let time, !SlurmScripts.isTimeLimit(time) {
            throw ValidationError("--time expects HH:MM:SS, e.g. --time 02:00:00, got '\(time)'")
        }
        if let partition, !SlurmScripts.isSlurmName(partition) {
            throw ValidationError("--partition expects a partition name (letters, digits, '-', '_', '.', ',' between several), got '\(partition)'")
        }
        if let account, !SlurmScripts.isSlurmName(account) {
            throw ValidationError("--account expects an account name (letters, digits, '-', '_', '.'), got '\(account)'")
        }
        if let mem, !SlurmScripts.isMemory(mem) {
            throw ValidationError("--mem expects megabytes or a number with K, M, G or T, e.g. --mem 4G, got '\(mem)'")
        }
        for line in setup where line.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--setup expects a shell line such as 'module load gsl', got '\(line)'")
        }
    }

    func run() throws {
        let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        // Before anything is read: a path that cannot go into a batch script is the first error.
        try ShellQuoting.check(absolute(out), argument: "--out")
        try ShellQuoting.check(absolute(file), argument: "the sweep file")
        let plan = try SweepPlan.load(path: file)
        let executable: String
        if let binary {
            executable = absolute(binary)
            try ShellQuoting.check(executable, argument: "--binary")
            // A mistyped path would fail every task of the array; say so before submitting.
            guard FileManager.default.isExecutableFile(atPath: executable) else {
                throw SweepUsageError("--binary \(binary): no executable file there; give the twincity binary the compute nodes run (docs/SWEEPS.md, \"Slurm\")")
            }
        } else {
            executable = Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? absolute(CommandLine.arguments[0])
        }
        // Task names in squeue: the sweep's name, kept to characters Slurm shows plainly.
        let jobName = "sweep-" + String(plan.definition.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let scripts = SlurmScripts(
            executable: executable, sweepFile: absolute(file), directory: absolute(out), shards: shards,
            partition: partition, timeLimit: time, cpusPerTask: cpusPerTask, jobName: jobName, account: account,
            memory: mem, setup: setup)
        let written = try scripts.write()
        let points = plan.design.pointCount
        var text = "Wrote Slurm scripts for sweep '\(plan.definition.name)' (\(points) points × \(plan.definition.replications) replication\(plan.definition.replications == 1 ? "" : "s") over \(shards) shard\(shards == 1 ? "" : "s")):\n"
        text += written.map { "  \($0)\n" }.joined()
        text += "Submit with: \(absolute(out))/submit.sh\n"
        TerminalText.write(text, to: .standardOutput)
    }
}
