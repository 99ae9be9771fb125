// The options of `twincity run` that turn one run into an ensemble of replications.
import ArgumentParser
import Foundation
import TwinCityScenario

/// `--replications R` and `--jobs J` of `twincity run`.
struct EnsembleOptions: ParsableArguments {
    /// Number of replications; `nil` means the scenario's `[run].replications`.
    @Option(help: ArgumentHelp(
        "Number of replications, each with its own random stream of the master seed. Default: the scenario's [run].replications.",
        valueName: "r"))
    var replications: Int?

    /// Replications run at the same time; `nil` means one per core.
    @Option(help: ArgumentHelp(
        "Replications run at the same time. Default: the number of cores (\(ProcessInfo.processInfo.activeProcessorCount)).",
        valueName: "j"))
    var jobs: Int?

    mutating func validate() throws {
        if let replications, replications < 1 {
            throw ValidationError("--replications must be at least 1, got \(replications)")
        }
        if let jobs, jobs < 1 {
            throw ValidationError("--jobs must be at least 1, got \(jobs)")
        }
    }

    /// How many replications to run for `scenario`: `--replications`, else the scenario's.
    func replicationCount(for scenario: Scenario) -> Int {
        replications ?? scenario.replications
    }

    /// How many replications run at once: `--jobs`, else the number of active cores.
    var jobCount: Int {
        jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
