// Tests that need a tool outside Swift (gnuplot, Slurm, python3 with pandas, R, a browser,
// SALib) skip themselves on a developer's machine that lacks it, saying how to install it. On
// CI (CI=true) .ci/run has installed every such tool, so a missing one is an error of the CI
// machine: the test fails, naming the tool and the install step, instead of passing silently.
import Foundation
import XCTest

/// True when the environment variable CI is `true`, as CI services and `.ci/run` set it.
public var runningOnCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

/// Thrown instead of `XCTSkip` on CI: XCTest records it as the test's failure, with this text.
public struct MissingOnCI: Error, CustomStringConvertible {
    public let description: String
}

/// The error to throw when `tool` is not there: `XCTSkip` normally, `MissingOnCI` on CI.
/// `reason` says what is missing or failed; `installStep` is what installs it.
public func toolUnavailable(_ tool: String, reason: String, installStep: String, onCI: Bool = runningOnCI) -> Error {
    if onCI {
        return MissingOnCI(description: "\(tool) is required on CI (CI=true) but \(reason); install step: \(installStep)")
    }
    return XCTSkip("\(tool): \(reason) (install: \(installStep)); test skipped")
}

/// Requires the executable `name` on the search path (or in /usr/sbin, /sbin) and
/// returns it; skips the test without it, or fails it on CI.
@discardableResult
public func requireTool(_ name: String, installStep: String) throws -> URL {
    guard let url = findExecutable(name) else {
        throw toolUnavailable(name, reason: "'\(name)' is not on the search path", installStep: installStep)
    }
    return url
}

/// Requires `tool` by a check other than a look-up on the search path (a Python module, an R
/// package, a daemon that started): skips the test when `available` is false, or fails it on CI.
public func requireTool(_ tool: String, installStep: String, available: Bool, reason: @autoclosure () -> String = "it is not available") throws {
    guard available else { throw toolUnavailable(tool, reason: reason(), installStep: installStep) }
}

/// Requires python3 on the search path able to import every module of `modules`; returns it.
@discardableResult
public func requirePythonModules(_ modules: [String], installStep: String) throws -> URL {
    let tool = "python3 with " + modules.joined(separator: ", ")
    guard let python = findExecutable("python3") else {
        throw toolUnavailable(tool, reason: "'python3' is not on the search path", installStep: installStep)
    }
    let probe = try runProgram(python, ["-c", "import " + modules.joined(separator: ", ")], in: FileManager.default.temporaryDirectory)
    try requireTool(tool, installStep: installStep, available: probe.status == 0,
                    reason: "python3 cannot import them: \(probe.standardError.split(separator: "\n").last ?? "")")
    return python
}

/// Requires Rscript on the search path with every package of `packages` installed; returns it.
@discardableResult
public func requireRPackages(_ packages: [String], installStep: String) throws -> URL {
    let tool = "R with " + packages.joined(separator: ", ")
    guard let rscript = findExecutable("Rscript") else {
        throw toolUnavailable(tool, reason: "'Rscript' is not on the search path", installStep: installStep)
    }
    let list = packages.map { "'\($0)'" }.joined(separator: ", ")
    let probe = try runProgram(rscript, [
        "-e", "missing <- Filter(function(p) !requireNamespace(p, quietly = TRUE), c(\(list))); if (length(missing)) { cat(missing); quit(status = 1) }",
    ], in: FileManager.default.temporaryDirectory)
    try requireTool(tool, installStep: installStep, available: probe.status == 0,
                    reason: "R lacks \(probe.standardOutput.split(separator: " ").joined(separator: ", "))")
    return rscript
}
