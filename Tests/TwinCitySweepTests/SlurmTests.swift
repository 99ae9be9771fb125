// A real single-node Slurm cluster (private munge, slurmctld, slurmd, configuration in a
// temporary folder) runs the array job and merge job that `twincity sweep slurm` writes; the
// merged database must equal the same sweep run locally. Skipped where Slurm cannot start,
// and failed for that on CI (CI=true).
import Foundation
@testable import TwinCitySweep
import XCTest

final class SlurmTests: XCTestCase {
    func testArrayJobAndMergeJobReproduceALocalSweep() throws {
        let cluster = try SlurmCluster.start(in: try scratchFolder())
        defer { cluster.stop() }

        let folder = try scratchFolder()
        let sweep = try write("""
            schema = 1
            name = "slurm"
            scenario = "\(SweepTestSupport.baseline)"
            seed = 11
            replications = 2
            set = ["time.end=2022"]
            outputs = ["region.gdp@2022", "city.chongqing_core.population@2022"]

            [sampler]
            kind = "random"
            samples = 5

            [[parameter]]
            path = "model.hukou_barrier"
            min = 0.5
            max = 1.5
            """, to: "slurm.toml", in: folder)
        // Spaces, a quote and a '#' in the folder: the scripts must quote it for the shell and
        // for sbatch's own reading of the #SBATCH lines (docs/SWEEPS.md, "Slurm").
        let out = folder.appendingPathComponent("cluster out 'a' #1")
        let environment = cluster.environment
        let written = try twincity(["sweep", "slurm", sweep, "--out", out.path, "--shards", "3", "--time", "00:05:00"], environment: environment)
        XCTAssertEqual(written.status, 0, written.standardError)

        let submit = try cluster.run(out.appendingPathComponent("submit.sh").path, [])
        XCTAssertEqual(submit.status, 0, submit.standardError)
        // "array job A (3 tasks), merge job M"
        let ids = submit.standardOutput.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        XCTAssertEqual(ids.count, 3, submit.standardOutput)
        let (array, merge) = (ids[0], ids[2])
        try cluster.waitUntilDone(jobs: [array, merge], timeout: 90)
        let mergeLog = (try? String(contentsOf: out.appendingPathComponent("slurm-merge-\(merge).out"), encoding: .utf8)) ?? "no log"
        XCTAssertEqual(try cluster.state(of: merge), "COMPLETED", mergeLog)
        for task in 0..<3 {
            let log = out.appendingPathComponent("slurm-\(array)_\(task).out")
            XCTAssertTrue(try String(contentsOf: log, encoding: .utf8).contains("Sweep 'slurm', shard \(task)/3"), "task \(task)")
        }

        let local = folder.appendingPathComponent("local")
        try runSweep(sweep, into: local, jobs: 2)
        let merged = try DatabaseContent(out.appendingPathComponent("sweep.sqlite").path)
        XCTAssertEqual(merged.runs.count, 10)
        XCTAssertTrue(merged.sameResults(as: try DatabaseContent(local.appendingPathComponent("sweep.sqlite").path)))
        XCTAssertEqual(merged.meta["shard"], "merged")
    }
}

/// A private single-node Slurm cluster (docs/SWEEPS.md, "Slurm"; the recipe of SLURM.md):
/// munged with its own key and socket, slurm.conf in a temporary folder named by SLURM_CONF,
/// slurmctld and slurmd on free ports.
final class SlurmCluster {
    let folder: URL
    let environment: [String: String]
    private var started: [String] = []

    static let daemons = ["munged", "slurmctld", "slurmd"]
    static let clients = ["sbatch", "squeue", "sinfo", "scontrol", "scancel"]

    private init(folder: URL) {
        self.folder = folder
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CONF"] = folder.appendingPathComponent("slurm.conf").path
        // Jobs of this cluster must not take their shard from an enclosing Slurm job.
        environment["SLURM_ARRAY_TASK_ID"] = nil
        environment["SLURM_ARRAY_TASK_COUNT"] = nil
        self.environment = environment
    }

    /// Starts the cluster, or skips the test saying why it cannot.
    static func start(in folder: URL) throws -> SlurmCluster {
        guard getuid() == 0 else {
            throw unavailable("slurmctld and slurmd need root on this machine (running as uid \(getuid()))")
        }
        for program in daemons + clients where find(program) == nil {
            throw unavailable("'\(program)' is not installed")
        }
        let cluster = SlurmCluster(folder: folder)
        do {
            try cluster.boot()
        } catch let error as XCTSkip {
            cluster.stop()
            throw error
        } catch let error as MissingOnCI {
            cluster.stop()
            throw error
        } catch {
            cluster.stop()
            throw unavailable("the cluster did not start: \(error)")
        }
        return cluster
    }

    /// Why the cluster is not there: a skip, or on CI a failure naming Slurm and its install step.
    static func unavailable(_ reason: String) -> Error {
        toolUnavailable(
            "Slurm", reason: reason,
            installStep: "apt-get install slurmctld slurmd slurm-client munge (.ci/install-deps --with-slurm), tests run as root")
    }

    static func find(_ program: String) -> String? {
        findExecutable(program)?.path
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func boot() throws {
        let files = FileManager.default
        // munged needs the socket's folder to be searchable by everyone.
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        for sub in ["state", "spool", "log"] { try files.createDirectory(atPath: path(sub), withIntermediateDirectories: true) }
        var key = [UInt8](repeating: 0, count: 1024)
        for i in key.indices { key[i] = UInt8.random(in: 0...255) }
        files.createFile(atPath: path("munge.key"), contents: Data(key), attributes: [.posixPermissions: 0o400])
        let munge = try launch(Self.find("munged")!, [
            "--force", "--socket=\(path("munge.socket"))", "--key-file=\(path("munge.key"))",
            "--pid-file=\(path("munged.pid"))", "--log-file=\(path("munged.log"))", "--seed-file=\(path("munge.seed"))",
        ])
        guard munge == 0 else { throw Self.unavailable("munged failed: \(log("launch.log"))") }
        started.append("munged")

        let layout = try run(Self.find("slurmd")!, ["-C"]).standardOutput
        func field(_ name: String) -> String? {
            layout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
        }
        guard let cpus = field("CPUs"), let memory = field("RealMemory").flatMap(Int.init) else {
            throw Self.unavailable("cannot read the node's layout from slurmd -C: \(layout)")
        }
        let cpuLayout = ["Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore"].compactMap { name in field(name).map { "\(name)=\($0)" } }
        let (controllerPort, nodePort) = (try Self.freePort(), try Self.freePort())
        // Configuration as SLURM.md found to work on these machines; RealMemory below what
        // slurmd reports, since more than the machine has drains the node.
        let configuration = """
            ClusterName=twincity-test
            SlurmctldHost=localhost
            SlurmUser=root
            AuthType=auth/munge
            AuthInfo=socket=\(path("munge.socket"))
            CredType=cred/munge
            SlurmctldPort=\(controllerPort)
            SlurmdPort=\(nodePort)
            StateSaveLocation=\(path("state"))
            SlurmdSpoolDir=\(path("spool"))
            SlurmctldPidFile=\(path("slurmctld.pid"))
            SlurmdPidFile=\(path("slurmd.pid"))
            SlurmctldLogFile=\(path("log/slurmctld.log"))
            SlurmdLogFile=\(path("log/slurmd.log"))
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            DependencyParameters=kill_invalid_depend
            SchedulerParameters=batch_sched_delay=0
            MinJobAge=600
            JobCompType=jobcomp/filetxt
            JobCompLoc=\(path("log/jobcomp.txt"))
            ReturnToService=2
            NodeName=localhost NodeAddr=127.0.0.1 CPUs=\(cpus) \(cpuLayout.joined(separator: " ")) RealMemory=\(memory * 95 / 100) State=UNKNOWN
            PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP

            """
        try configuration.write(toFile: path("slurm.conf"), atomically: true, encoding: .utf8)
        let controller = try launch(Self.find("slurmctld")!, ["-f", path("slurm.conf"), "-c"])
        guard controller == 0 else { throw Self.unavailable("slurmctld failed: \(log("launch.log"))") }
        started.append("slurmctld")
        let node = try launch(Self.find("slurmd")!, ["-f", path("slurm.conf"), "-N", "localhost"])
        guard node == 0 else { throw Self.unavailable("slurmd failed: \(log("launch.log"))") }
        started.append("slurmd")
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if try run(Self.find("sinfo")!, ["-h", "-N", "-o", "%T"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "idle" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Self.unavailable("the node did not become idle within 15 s")
    }

    private func log(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    /// Starts a daemon and waits for the launching process, which exits once the daemon has
    /// forked away; returns its exit status.
    ///
    /// posix_spawn rather than Foundation's Process: Process learns that a child ended when a
    /// descriptor it shares with the child closes, and a daemon keeps that descriptor open
    /// for ever. For the same reason every descriptor above 2 is closed in the child, and its
    /// output goes to launch.log.
    private func launch(_ program: String, _ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path("launch.log"), O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for descriptor in open.sorted() where descriptor > 2 && fcntl(descriptor, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// A TCP port nothing listens on now: the one the kernel gives a socket bound to port 0.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program with the cluster's environment and waits for it.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws -> ProcessOutput {
        try runProgram(URL(fileURLWithPath: program), arguments, in: folder, environment: environment)
    }

    /// Polls squeue every 0.2 s until none of `jobs` is queued or running.
    func waitUntilDone(jobs: [Int], timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        let list = jobs.map(String.init).joined(separator: ",")
        while Date() < deadline {
            let queue = try run(Self.find("squeue")!, ["-h", "-j", list, "-o", "%i %T"])
            if queue.status == 0, queue.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("jobs \(list) still queued after \(timeout) s")
    }

    /// `JobState` of a job, from `scontrol -o show job`.
    func state(of job: Int) throws -> String {
        let text = try run(Self.find("scontrol")!, ["-o", "show", "job", String(job)]).standardOutput
        return text.split(separator: " ").first { $0.hasPrefix("JobState=") }.map { String($0.dropFirst("JobState=".count)) } ?? text
    }

    /// Cancels every job, then sends TERM to exactly the daemons this cluster started (by
    /// the PIDs in their PID files) and waits until each has exited.
    func stop() {
        if started.contains("slurmctld") { _ = try? run(Self.find("scancel")!, ["-u", "root"]) }
        var pids: [Int32] = []
        for daemon in started.reversed() {
            guard let text = try? String(contentsOfFile: path("\(daemon).pid"), encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { continue }
            kill(pid, SIGTERM)
            pids.append(pid)
        }
        started = []
        let deadline = Date().addingTimeInterval(10)
        // An exited daemon may linger as a zombie: its state in /proc/PID/stat is Z.
        while Date() < deadline, pids.contains(where: Self.isRunning) { Thread.sleep(forTimeInterval: 0.05) }
    }

    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        return state != "Z" && state != "X"
    }
}
