// Batch scripts that run a sweep on a Slurm cluster: an array job with one shard per task,
// and a merge job that waits for the whole array to succeed.
import Foundation

/// The files `twincity sweep slurm` writes (docs/SWEEPS.md, "Slurm").
public struct SlurmScripts: Sendable, Equatable {
    /// Absolute path of the twincity executable the jobs run.
    public var executable: String
    /// Absolute path of the sweep file.
    public var sweepFile: String
    /// Absolute path of the output folder (shard databases, merged database, job logs).
    public var directory: String
    /// Tasks of the array job, each running one shard (≥ 1).
    public var shards: Int
    /// Slurm partition, `nil` for the cluster's default.
    public var partition: String?
    /// Time limit per task, `HH:MM:SS`, `nil` for the partition's default.
    public var timeLimit: String?
    /// CPUs per task; each task runs that many workers (`--jobs`).
    public var cpusPerTask: Int
    /// Name of the jobs, from the sweep's name.
    public var jobName: String
    /// Slurm account charged for the jobs, `nil` for the user's default.
    public var account: String?
    /// Memory per node of each job, in sbatch's `--mem` form (`4G`, `500M`), `nil` for the
    /// partition's default.
    public var memory: String?
    /// Shell lines run in every job before twincity (`module load gsl`, `export …`), in order.
    public var setup: [String]

    /// Scripts for a sweep; all paths must be absolute, since jobs run elsewhere.
    public init(
        executable: String, sweepFile: String, directory: String, shards: Int, partition: String?,
        timeLimit: String?, cpusPerTask: Int, jobName: String, account: String? = nil, memory: String? = nil,
        setup: [String] = []
    ) {
        self.executable = executable
        self.sweepFile = sweepFile
        self.directory = directory
        self.shards = shards
        self.partition = partition
        self.timeLimit = timeLimit
        self.cpusPerTask = cpusPerTask
        self.jobName = jobName
        self.account = account
        self.memory = memory
        self.setup = setup
    }

    /// True for a `--mem` value sbatch reads: a whole number of megabytes, or one with the
    /// unit `K`, `M`, `G` or `T`.
    public static func isMemory(_ text: String) -> Bool {
        var digits = Substring(text)
        if let last = digits.last, "KMGT".contains(last) { digits = digits.dropLast() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// True for a partition or account name that can stand on an `#SBATCH` line as it is:
    /// letters, digits and `-_.,` (a comma separates several partitions).
    public static func isSlurmName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.,".contains($0)) }
    }

    /// True for a `--time` value Slurm reads as hours, minutes and seconds (`HH:MM:SS`,
    /// minutes and seconds below 60).
    public static func isTimeLimit(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let minutes = Int(parts[1]), let seconds = Int(parts[2]), parts[1].count == 2, parts[2].count == 2
        else { return false }
        return minutes < 60 && seconds < 60
    }

    /// `text` quoted for a POSIX shell (`ShellQuoting.quoted`).
    static func shellQuoted(_ text: String) -> String {
        ShellQuoting.quoted(text)
    }

    /// Refuses paths that no quoting makes safe in a script: a control character in any of
    /// them. No path goes on an `#SBATCH` line, which sbatch reads without shell quoting:
    /// the logs are named relative to the folder sbatch is called from, which `submit.sh`
    /// makes the output folder.
    ///
    /// - Throws: `ScriptPathError` naming the argument.
    public func checkPaths() throws {
        try ShellQuoting.check(directory, argument: "--out")
        try ShellQuoting.check(sweepFile, argument: "the sweep file")
        try ShellQuoting.check(executable, argument: "the twincity executable")
        try ShellQuoting.check(jobName, argument: "the job name")
        for line in setup { try ShellQuoting.check(line, argument: "--setup") }
    }

    private var commonDirectives: [String] {
        var lines: [String] = []
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let timeLimit { lines.append("#SBATCH --time=\(timeLimit)") }
        if let account { lines.append("#SBATCH --account=\(account)") }
        if let memory { lines.append("#SBATCH --mem=\(memory)") }
        return lines
    }

    /// `set -euo pipefail`, then the `--setup` lines: a failing set-up line fails the job
    /// before twincity starts.
    private var preamble: [String] {
        ["set -euo pipefail"] + setup
    }

    /// `sweep.sbatch`: the array job `0..n−1`. Slurm sets `SLURM_ARRAY_TASK_ID` and
    /// `SLURM_ARRAY_TASK_COUNT`, from which `twincity sweep` takes its shard; `--resume`
    /// lets a requeued or resubmitted task continue its shard's database.
    public var sweepScript: String {
        let lines = [
            "#!/bin/bash",
            "# Runs shard $SLURM_ARRAY_TASK_ID of \(shards) of the sweep \(sweepFile);",
            "# each task writes \(directory)/shard-<k>-of-\(shards).sqlite. Written by twincity sweep slurm.",
            "#SBATCH --job-name=\(jobName)",
            "#SBATCH --array=0-\(shards - 1)",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=\(cpusPerTask)",
            "#SBATCH --output=slurm-%A_%a.out",
        ] + commonDirectives + preamble + [
            "exec \(Self.shellQuoted(executable)) sweep \(Self.shellQuoted(sweepFile)) --out \(Self.shellQuoted(directory)) --resume --jobs \"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The shard databases of the array, in shard order.
    public var shardDatabases: [String] {
        (0..<shards).map { "\(directory)/" + (ShardSelection(index: $0, count: shards)!.databaseName) }
    }

    /// `merge.sbatch`: merges the shards into `sweep.sqlite` once the array has succeeded.
    public var mergeScript: String {
        let lines = [
            "#!/bin/bash",
            "# Merges the \(shards) shard databases of the sweep \(sweepFile) into \(directory)/\(SweepDatabase.fileName).",
            "# Submitted by submit.sh with --dependency=afterok on the array job. Written by twincity sweep slurm.",
            "#SBATCH --job-name=\(jobName)-merge",
            "#SBATCH --ntasks=1",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --output=slurm-merge-%j.out",
        ] + commonDirectives + preamble + [
            "exec \(Self.shellQuoted(executable)) sweep merge \(Self.shellQuoted(directory)) "
                + shardDatabases.map(Self.shellQuoted).joined(separator: " "),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `submit.sh`: submits the array, then the merge job depending on its success, and
    /// prints both job ids.
    public var submitScript: String {
        """
        #!/bin/bash
        # Submits the sweep's array job, then the merge job, which starts only when every task
        # of the array has succeeded (afterok). Written by twincity sweep slurm.
        set -euo pipefail
        cd \(Self.shellQuoted(directory))
        # --parsable prints "jobid" or "jobid;cluster".
        array=$(sbatch --parsable sweep.sbatch)
        array=${array%%;*}
        merge=$(sbatch --parsable --dependency=afterok:"$array" merge.sbatch)
        merge=${merge%%;*}
        echo "array job $array (\(shards) tasks), merge job $merge"

        """
    }

    /// Writes `sweep.sbatch`, `merge.sbatch` and `submit.sh` (executable) into `directory`,
    /// creating it, once `checkPaths()` has passed.
    ///
    /// - Returns: the paths written.
    public func write() throws -> [String] {
        try checkPaths()
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in [("sweep.sbatch", sweepScript), ("merge.sbatch", mergeScript), ("submit.sh", submitScript)] {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            written.append(url.path)
        }
        return written
    }
}
