// `twincity run`: simulates one scenario and writes its run directory (docs/OUTPUTS.md).
import ArgumentParser
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// Loads a scenario, runs its simulation and streams every tick into a run directory that
/// appears only when the run is complete.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario and write its results to a run directory.",
        discussion: """
            Writes cities.csv, region.csv, flows_population.csv, flows_capital.csv, \
            flows_industry.csv and manifest.json (docs/OUTPUTS.md describes every column). \
            With more than one replication (--replications, or the scenario's \
            [run].replications) every table gains a leading replication column, replication k \
            runs with stream k of the master seed, and summary.csv gives mean, sd and \
            percentiles across replications. The directory appears only once the run is \
            complete: a failed or interrupted run leaves nothing behind. Exit status: 0 on success, 2 for an error in the scenario \
            or the options, 1 when the simulation fails, 130/143 when interrupted by \
            SIGINT/SIGTERM.
            """
    )

    /// The scenario file (TOML, docs/SCENARIOS.md).
    @Argument(help: ArgumentHelp("Scenario file (TOML).", valueName: "scenario"))
    var scenario: String

    /// Run directory; `nil` means `runs/<scenario name as a slug>` in the current directory.
    @Option(help: ArgumentHelp("Run directory to create. Default: runs/<scenario name>, the name with every character other than letters, digits, - and _ replaced by _.", valueName: "dir"))
    var out: String?

    /// Replaces the scenario's `[run].seed`.
    @Option(help: ArgumentHelp("Master seed, replacing the scenario's [run].seed.", valueName: "n"))
    var seed: UInt64?

    /// `KEY=VALUE` overrides of scenario keys, applied in order before the scenario is checked.
    @Option(name: .customLong("set"), parsing: .singleValue, help: ArgumentHelp(
        "Override a scenario key, e.g. --set time.end=2030 or --set policy[1].share=0.3 (repeatable; docs/SCENARIOS.md).",
        valueName: "key=value"))
    var overrides: [String] = []

    /// Replace an existing run directory once the new run is complete.
    @Flag(help: "Replace the run directory if it exists (only once the new run is complete).")
    var force = false

    /// No progress on standard error.
    @Flag(help: "Do not report progress on standard error.")
    var quiet = false

    /// Draw each replication's productivity drifts from the estimates' standard errors.
    @Flag(help: "Draw each replication's productivity drifts from the standard errors of the scenario's estimates file (docs/MODEL.md §10).")
    var parameterUncertainty = false

    /// `--replications` and `--jobs`: more than one replication makes an ensemble.
    @OptionGroup(title: "Ensembles")
    var ensemble: EnsembleOptions

    /// The drifts `--parameter-uncertainty` draws from: the scenario's estimates.
    static func uncertainDrifts(of scenario: Scenario) throws -> DriftDistribution {
        guard let estimates = scenario.estimates else {
            throw HistoryInputError(message: "\(scenario.path): --parameter-uncertainty draws the drifts of an estimates file, and this scenario names none (key estimates, docs/SCENARIOS.md)")
        }
        return DriftDistribution(units: estimates.units, covariance: estimates.covariance)
    }

    func run() throws {
        var scenario = try ScenarioLoader.load(path: self.scenario, seed: seed, overrides: overrides)
        let uncertainDrifts = try parameterUncertainty ? Self.uncertainDrifts(of: scenario) : nil
        if uncertainDrifts != nil { scenario.resolved["parameter_uncertainty"] = .bool(true) }
        // A name from the file picks only a folder inside runs/ (PathSlug).
        let directory = out ?? PathSlug.path(in: "runs", for: scenario.name)
        let replications = ensemble.replicationCount(for: scenario)
        // Refuse before calibrating, which can take a while on a large roster.
        if !force, Self.itemExists(directory) { throw OutputDirectoryExists(path: directory) }
        if force { try RunDirectoryMarker.checkReplaceable(directory) }
        let (setup, parameters, _) = try ScenarioLoader.prepare(scenario)
        Self.announceEstimate(
            ticks: scenario.settings.tickCount * replications, cities: setup.cities.count,
            sectors: parameters.sectors.count, quiet: quiet)
        if replications > 1 {
            try EnsembleRun(
                scenario: scenario, setup: setup, parameters: parameters, replications: replications,
                jobs: ensemble.jobCount, directory: directory, force: force, quiet: quiet,
                uncertainDrifts: uncertainDrifts
            ).run()
            return
        }
        let settings = scenario.settings
        var runParameters = parameters
        if let uncertainDrifts {
            runParameters.productivityDrift = uncertainDrifts.draw(seed: settings.seed)
        }
        let simulation = try Simulation(setup: setup, parameters: runParameters, settings: settings, policies: scenario.policies)

        let interrupts = InterruptMonitor()
        defer { interrupts.uninstall() }
        let writer: RunDirectoryWriter
        do {
            writer = try RunDirectoryWriter(
                path: directory, cities: setup.cities, sectors: parameters.sectors.map(\.id),
                manifest: RunManifest(
                    twinCityVersion: twinCityVersion, gslVersion: Numerics.gslVersion,
                    scenario: scenario.resolved, settings: settings),
                overwrite: force)
        } catch RunDirectoryError.exists(let path) {
            throw OutputDirectoryExists(path: path)
        }
        let temporary = writer.temporaryPath
        interrupts.onForcedExit { try? FileManager.default.removeItem(atPath: temporary) }

        let start = Date()
        var progress = ProgressReporter(total: settings.tickCount, enabled: !quiet, start: start)
        var first: RunSummary.Year?
        var last: RunSummary.Year?
        do {
            try simulation.run { record in
                let region = try writer.consume(record)
                let year = RunSummary.Year(year: record.year, region: region, cityGDP: record.realGDP)
                if first == nil { first = year }
                last = year
                progress.update(tick: record.tick, year: RunSummary.year(record.year))
                if let signal = interrupts.received { throw Interrupted(signal: signal) }
            }
            if let signal = interrupts.received { throw Interrupted(signal: signal) }
            try writer.finish(wallTime: Date().timeIntervalSince(start))
        } catch let interrupted as Interrupted {
            writer.abort()
            progress.end()
            TerminalText.write(
                "twincity: interrupted by \(InterruptMonitor.name(of: interrupted.signal)); nothing written to \(directory)\n", to: .standardError)
            throw ExitCode(128 + interrupted.signal)
        } catch RunDirectoryError.exists(let path) {
            // Someone else created the directory while the run was going.
            progress.end()
            throw OutputDirectoryExists(path: path)
        } catch {
            writer.abort()
            progress.end()
            throw error
        }
        progress.end()

        guard let first, let last else { return }
        let summary = RunSummary(
            scenario: scenario.name, cityIDs: setup.cities.map(\.id),
            cores: RunDirectoryWriter.coreMembers(in: setup.cities), first: first, last: last,
            seed: settings.seed, shockSD: parameters.productivityShockSD, wallTime: Date().timeIntervalSince(start),
            directory: directory)
        TerminalText.write(summary.render(), to: .standardOutput)
    }

    /// Prints, for a run expected to take more than ten seconds, how long and how much memory
    /// it should take (`InputLimits`' scaling of the benchmarks), so a long run is not
    /// mistaken for a hung one; the progress line follows.
    static func announceEstimate(ticks: Int, cities: Int, sectors: Int, quiet: Bool) {
        let seconds = Double(ticks) * InputLimits.tickSeconds(cities: cities, sectors: sectors)
        guard !quiet, seconds > 10 else { return }
        TerminalText.write(
            "twincity: \(ticks) ticks of \(cities) cities: at least \(InputLimits.duration(seconds)) with a release build, "
                + "\(InputLimits.bytes(InputLimits.memoryBytes(cities: cities, sectors: sectors))) of memory\n",
            to: .standardError)
    }

    /// True when anything (directory, file, link) is at `path`.
    static func itemExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// Thrown from the tick observer to stop a run after a signal.
private struct Interrupted: Error {
    let signal: Int32
}
