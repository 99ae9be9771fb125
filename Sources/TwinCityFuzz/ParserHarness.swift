// Feeds arbitrary bytes to the input parsers (scenario files, roster tables, sweep files) the
// way the command line reads them — from a file on disk — and checks that each answers with a
// result or an error the user can act on, never a crash or an error of another kind.
import Foundation
import TwinCityScenario
import TwinCitySweep

/// Which parser an input goes to.
enum ParserTarget: String, CaseIterable {
    /// `ScenarioLoader.validate`: a scenario file, with the real roster beside it and the
    /// baseline to extend.
    case scenario
    /// `RosterLoader.load`: a cities table, optionally followed by roles and links tables.
    case roster
    /// `SweepFileReader.read`: a sweep file.
    case sweep

    /// The target named by `TWINCITY_FUZZ_TARGET`, `scenario` when the variable is unset.
    static func fromEnvironment() -> ParserTarget? {
        guard let name = ProcessInfo.processInfo.environment["TWINCITY_FUZZ_TARGET"] else { return .scenario }
        return ParserTarget(rawValue: name)
    }
}

/// What one input did to a parser.
enum ParserOutcome {
    /// The parser accepted the input.
    case accepted
    /// The parser refused the input with an error written for the user (its description).
    case refused(String)
}

/// A parser's answer that breaks its contract: an error that is not a `UserInputError`, an
/// empty message, or an accepted input whose result cannot be written out. The fuzzer turns
/// it into a crash, so it is kept and reported like one.
struct ContractViolation: Error, CustomStringConvertible {
    /// What went wrong, with the parser named.
    let description: String
}

/// A private folder laid out like a checkout — `seeds/` with the real roster,
/// `scenarios/baseline.toml`, and a folder for each parser's input — so that an input can
/// name the roster or extend the baseline with the relative paths the shipped files and the
/// test fixtures use, and the parser gets past the paths to the checks behind them.
///
/// Layout (`root` is a fresh folder under the temporary directory):
///
///     seeds/{cities,roles,links,groups}.csv       the roster read from the checkout, and the
///     seeds/estimates-2022.toml                   estimates the baseline names (also under scenarios/seeds/)
///     scenarios/baseline.toml                     the baseline, extended as "../baseline.toml"
///     scenarios/seeds/{cities,roles,links,groups}.csv  the roster as "../seeds/cities.csv" from policies/
///     scenarios/valid/*.csv                       the scenario tests' small roster ("../valid/cities.csv")
///     scenarios/policies/input.toml               a scenario input
///     scenarios/policies/baseline.toml            the baseline, extended as "baseline.toml"
///     scenarios/policies/parents/*.toml           the scenario tests' parent files ("parents/base.toml")
///     roster/{cities,roles,links}.csv             a roster input
///     sweeps/input.toml                           a sweep input
final class ParserHarness: Sendable {
    /// The sandbox folder; removed by `removeSandbox()`.
    let root: URL
    private let scenarioFile: URL
    private let rosterFolder: URL
    private let sweepFile: URL

    /// Separates the cities, roles and links tables of a roster input: the form feed, which
    /// no roster file uses, so that one byte string can carry all three files.
    static let tableSeparator = UInt8(0x0C)

    /// Prefix of a scenario input's lines that also become `--set` overrides (`#set KEY=VALUE`),
    /// so the override parser is fuzzed with the file it applies to; to TOML they are comments.
    static let overridePrefix = "#set "

    /// Builds the sandbox from the checkout at `checkout`, which must hold `seeds/cities.csv`
    /// and `scenarios/baseline.toml` (roles and links are copied when present).
    init(checkout: URL) throws {
        let files = FileManager.default
        root = files.temporaryDirectory.appendingPathComponent("twincity-fuzz-\(getpid())-\(UUID().uuidString)")
        for folder in ["seeds", "scenarios/seeds", "scenarios/policies", "roster", "sweeps"] {
            try files.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for name in ["cities.csv", "roles.csv", "links.csv", "groups.csv", "estimates-2022.toml"] {
            let source = checkout.appendingPathComponent("seeds/\(name)")
            guard files.fileExists(atPath: source.path) else {
                if name == "cities.csv" { throw ContractViolation(description: "no roster at \(source.path); run from the package root or set TWINCITY_FUZZ_ROOT") }
                continue
            }
            for folder in ["seeds", "scenarios/seeds"] {
                try files.copyItem(at: source, to: root.appendingPathComponent("\(folder)/\(name)"))
            }
        }
        for folder in ["scenarios", "scenarios/policies"] {
            try files.copyItem(
                at: checkout.appendingPathComponent("scenarios/baseline.toml"),
                to: root.appendingPathComponent("\(folder)/baseline.toml"))
        }
        // The test fixtures' own roster and parents, where the checkout has them.
        let fixtures = checkout.appendingPathComponent("Tests/TwinCityScenarioTests/Fixtures")
        for (source, destination) in [("valid", "scenarios/valid"), ("malformed-scenarios/parents", "scenarios/policies/parents")] {
            let from = fixtures.appendingPathComponent(source)
            if files.fileExists(atPath: from.path) {
                try files.copyItem(at: from, to: root.appendingPathComponent(destination))
            }
        }
        scenarioFile = root.appendingPathComponent("scenarios/policies/input.toml")
        rosterFolder = root.appendingPathComponent("roster")
        sweepFile = root.appendingPathComponent("sweeps/input.toml")
    }

    /// The checkout named by `TWINCITY_FUZZ_ROOT`, or the current directory.
    static func checkoutFromEnvironment() -> URL {
        let path = ProcessInfo.processInfo.environment["TWINCITY_FUZZ_ROOT"] ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Removes the sandbox and everything in it.
    func removeSandbox() {
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: - Running one input

    /// Writes `bytes` where `target`'s parser reads it and runs the parser.
    ///
    /// - Throws: `ContractViolation` when the parser's answer breaks its contract; a Swift
    ///   runtime trap inside the parser ends the process, which is what the fuzzer looks for.
    func run(_ target: ParserTarget, bytes: [UInt8]) throws -> ParserOutcome {
        switch target {
        case .scenario: return try runScenario(bytes)
        case .roster: return try runRoster(bytes)
        case .sweep: return try runSweep(bytes)
        }
    }

    private func runScenario(_ bytes: [UInt8]) throws -> ParserOutcome {
        try Data(bytes).write(to: scenarioFile)
        // Lines `#set KEY=VALUE` of a readable input become overrides as well.
        let overrides = String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .filter { $0.hasPrefix(Self.overridePrefix) }
            .map { String($0.dropFirst(Self.overridePrefix.count)) }
        return try outcome(of: "scenario") {
            let scenario = try ScenarioLoader.validate(path: scenarioFile.path, overrides: overrides)
            // The resolved scenario goes into manifest.json: it must encode, which JSON
            // refuses for NaN and infinities.
            do {
                _ = try JSONEncoder().encode(scenario.resolved)
            } catch {
                throw ContractViolation(description: "scenario: accepted, but its resolved form does not encode as JSON: \(error)")
            }
            if case .region = scenario.kind {
                do {
                    try scenario.parameters.validate()
                } catch {
                    // A range error is reported at load time with its line; finding it only
                    // when the run starts would lose the position.
                    throw ContractViolation(description: "scenario: accepted, but its parameters are invalid: \(error)")
                }
            }
        }
    }

    private func runRoster(_ bytes: [UInt8]) throws -> ParserOutcome {
        let parts = bytes.split(separator: Self.tableSeparator, maxSplits: 2, omittingEmptySubsequences: false)
        for (k, name) in ["cities.csv", "roles.csv", "links.csv"].enumerated() {
            let url = rosterFolder.appendingPathComponent(name)
            if k < parts.count {
                try Data(parts[k]).write(to: url)
            } else if FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.removeItem(at: url)
            }
        }
        return try outcome(of: "roster") {
            let roster = try RosterLoader.load(cities: rosterFolder.appendingPathComponent("cities.csv").path)
            if roster.cities.isEmpty { throw ContractViolation(description: "roster: accepted with no cities") }
        }
    }

    private func runSweep(_ bytes: [UInt8]) throws -> ParserOutcome {
        try Data(bytes).write(to: sweepFile)
        return try outcome(of: "sweep") {
            let sweep = try SweepFileReader.read(path: sweepFile.path)
            // What a database records and a resume compares: the canonical form must read
            // back as the same sweep, and the design's size must be computable.
            let definition = sweep.definition
            _ = SamplingDesign.pointCount(definition)
            let again: SweepDefinition
            do {
                again = try SweepDefinition(canonicalJSON: definition.canonicalJSON)
            } catch {
                throw ContractViolation(description: "sweep: accepted, but its canonical form does not read back: \(error)")
            }
            if again.contentHash != definition.contentHash {
                throw ContractViolation(description: "sweep: the canonical form reads back as another sweep")
            }
        }
    }

    /// Runs `body`, classifying what it throws.
    private func outcome(of parser: String, _ body: () throws -> Void) throws -> ParserOutcome {
        do {
            try body()
            return .accepted
        } catch let violation as ContractViolation {
            throw violation
        } catch let error as UserInputError {
            let text = error.description
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw ContractViolation(description: "\(parser): refused with an empty message (\(type(of: error)))")
            }
            return .refused(text)
        } catch {
            // The command line would report this as an internal failure (exit 1), not as a
            // mistake in the file (exit 2): a parser must not throw it.
            throw ContractViolation(description: "\(parser): threw \(type(of: error)), not an input error: \(error)")
        }
    }
}
