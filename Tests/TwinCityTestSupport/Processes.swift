// Programs run as a user runs them: the built `twincity` and the external tools some tests
// drive (Rscript, python3, Slurm's clients). Their output goes to files rather than pipes, so
// that neither stream can fill a pipe's buffer and block the program.
import Foundation
import XCTest

/// What one run of a program produced.
public struct ProcessOutput: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String

    public init(status: Int32, standardOutput: String, standardError: String) {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// The name the CLI tests give `ProcessOutput`.
public typealias ProcessResult = ProcessOutput

/// A program started by `startProgram` or `startTwinCity`, still running or finished.
public struct RunningTwinCity {
    public let process: Process
    /// The files its standard output and error go to, in a folder of their own.
    public let out: URL
    public let err: URL

    /// Waits for the process and reads what it printed, then removes the files.
    public func wait() throws -> ProcessOutput {
        process.waitUntilExit()
        let result = ProcessOutput(
            status: process.terminationStatus,
            standardOutput: try String(contentsOf: out, encoding: .utf8),
            standardError: try String(contentsOf: err, encoding: .utf8))
        try? FileManager.default.removeItem(at: out.deletingLastPathComponent())
        return result
    }
}

/// Starts `program arguments` in `directory` (the package root by default) with `environment`
/// (this process's when `nil`).
public func startProgram(
    _ program: URL, _ arguments: [String], in directory: URL = packageRoot, environment: [String: String]? = nil
) throws -> RunningTwinCity {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-process-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.currentDirectoryURL = directory
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    return RunningTwinCity(process: process, out: out, err: err)
}

/// Runs `program arguments` in `directory` with `environment` and waits for it.
public func runProgram(
    _ program: URL, _ arguments: [String], in directory: URL = packageRoot, environment: [String: String]? = nil
) throws -> ProcessOutput {
    try startProgram(program, arguments, in: directory, environment: environment).wait()
}

/// The executable `name` on this process's search path, then in /usr/sbin and /sbin (where
/// Debian puts daemons such as slurmctld, which an ordinary user's path lacks), or `nil`.
public func findExecutable(_ name: String) -> URL? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin"
    return path.split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// The built `twincity`, run from the package root unless told otherwise.
public enum TwinCityProcess {
    public static var packageRoot: URL { TwinCityTestSupport.packageRoot }
    public static var productsDirectory: URL { Checkout.productsDirectory }
    public static var executable: URL { Checkout.twincity }

    /// Runs `twincity arguments` in `directory` with `environment` (this process's when `nil`)
    /// and waits for it.
    public static func run(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String]? = nil
    ) throws -> ProcessResult {
        try runProgram(Checkout.twincity, arguments, in: directory, environment: environment)
    }
}

extension TestCaseHelpers where Self: XCTestCase {
    /// Starts `twincity arguments` in `directory`; `wait()` on the result gives what it printed.
    public func startTwinCity(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String]? = nil
    ) throws -> RunningTwinCity {
        try startProgram(Checkout.twincity, arguments, in: directory, environment: environment)
    }

    /// Runs `twincity arguments` in `directory` with `environment` and waits for it.
    public func twincity(
        _ arguments: [String], in directory: URL = packageRoot, environment: [String: String]? = nil
    ) throws -> ProcessOutput {
        try TwinCityProcess.run(arguments, in: directory, environment: environment)
    }
}
