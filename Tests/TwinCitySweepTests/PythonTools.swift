// Python packages some cross-checks run against (SALib, EMA Workbench): where the interpreter
// is, and what a test does when a package is missing — skip on a developer's machine, fail
// in CI (CI=true), naming the install step.
import Foundation
import XCTest

enum PythonTools {
    /// The interpreter: $TWINCITY_PYTHON, else the virtual environment `.ci/install-deps
    /// --with-python` creates (.venv-ci in the package root), else python3 on the PATH.
    static var interpreter: String {
        if let chosen = ProcessInfo.processInfo.environment["TWINCITY_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = SweepTestSupport.packageRoot.appendingPathComponent(".venv-ci/bin/python3").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return "python3"
    }

    /// The install step named in a failure.
    static let installStep = ".ci/install-deps --with-python (a virtual environment .venv-ci with pip install SALib ema-workbench)"

    /// Runs `python -c script` with `arguments`; status and both streams.
    static func run(_ script: String, arguments: [String] = []) throws -> ProcessOutput {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, "-c", script] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, standardOutput: try String(contentsOf: out, encoding: .utf8),
            standardError: try String(contentsOf: err, encoding: .utf8))
    }

    /// Returns when `module` imports; otherwise skips the test, or fails it when CI=true.
    static func require(_ module: String, package: String) throws {
        let probe = try? run("import \(module)")
        guard probe?.status != 0 else { return }
        let message = "\(package) is not installed for \(interpreter) (import \(module) failed); install it with \(installStep)"
        // In CI the test fails: a cross-check that silently does not run checks nothing.
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw MissingTool(message: message) }
        throw XCTSkip(message)
    }
}

/// A tool a test needs is missing where it must be present (CI=true).
struct MissingTool: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
