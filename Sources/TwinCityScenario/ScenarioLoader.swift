// Reads a scenario file (TOML, schema 1, format in docs/SCENARIOS.md), checks every key, and
// turns a scenario into the setup a simulation starts from.
import Foundation
import TOMLKit
import TwinCityExport
import TwinCityModel

/// Loads scenario files and prepares their simulations.
public enum ScenarioLoader {
    /// The version of the scenario format this loader reads (`schema = 1`).
    package static let schemaVersion = 1

    /// The default roster, looked for in the scenario's folder and each folder above it, then
    /// in the current directory, when a region scenario names none.
    package static let defaultRoster = "seeds/cities.csv"

    /// Keys allowed at the top level of a scenario file.
    static let topLevelKeys = ["schema", "name", "description", "kind", "roster", "estimates", "extends", "time", "run", "model", "core_periphery", "policy"]
    static let kinds = ["region", "core_periphery"]
    static let timeKeys = ["start", "end", "dt"]
    static let runKeys = ["seed", "replications"]
    static let corePeripheryKeys = ["sigma", "mu", "trade_cost", "initial_share", "speed"]
    /// Keys of `[model]` that are not numbers of the catalogue.
    static let modelChoiceKeys = ["migration_rule", "decision_rule", "solver", "equilibrium_max_iterations", "sectors"]
    /// Largest `equilibrium_max_iterations`, as `ModelParameters.set` accepts.
    static let maxIterationLimit = 10_000_000

    // MARK: - Loading

    /// Loads and validates a scenario file.
    ///
    /// The file is read with the files it `extends` merged under it and the `overrides` laid
    /// on top, and every key of the result is checked before anything is computed: unknown
    /// keys (with the nearest valid one suggested), wrong types, values outside their range,
    /// NaN and infinities, and the relations between values (end ≥ start, base mixes summing
    /// to 1). When the scenario has policies, the roster is read to check the cities, zones
    /// and links they name. A file of another schema version is refused without checking its
    /// keys against this version's.
    ///
    /// - Parameters:
    ///   - path: The scenario file; errors name it as given.
    ///   - seed: Replaces `[run].seed` when given (the command line's `--seed`); it takes
    ///     precedence over an override of `run.seed`.
    ///   - overrides: `KEY=VALUE` texts of the command line's `--set` options, applied in
    ///     order (format in docs/SCENARIOS.md, "Overrides"); errors in their values name
    ///     `--set` as their source.
    /// - Throws: `InputError` for one problem, `InputErrors` for several (file by file, top to
    ///   bottom, `--set` last), each with the file, line and column of the key where known,
    ///   and the key path.
    public static func load(path: String, seed: UInt64? = nil, overrides: [String] = []) throws -> Scenario {
        try load(path: path, seed: seed, overrides: overrides, readsRoster: false, files: nil)
    }

    /// `load(path:seed:overrides:)` with the scenario's files taken from `files`, read there
    /// the first time: the runs of a sweep share one store.
    package static func load(path: String, seed: UInt64?, overrides: [String], files: ScenarioFiles) throws -> Scenario {
        try load(path: path, seed: seed, overrides: overrides, readsRoster: false, files: files)
    }

    /// Checks a scenario file as `load` does and reads its roster too, even when no policy
    /// needs it, so that every error of the scenario and its roster files is reported; it
    /// calibrates nothing. This is `twincity validate`.
    ///
    /// - Throws: as `load`, with the roster files' own errors (`InputError`s naming the CSV
    ///   file) after the scenario's.
    @discardableResult
    public static func validate(path: String, overrides: [String] = []) throws -> Scenario {
        try load(path: path, seed: nil, overrides: overrides, readsRoster: true, files: nil)
    }

    /// What a scenario's kind-specific sections give: the model, its parameters and policies.
    /// `kind` is `nil` when an error was recorded instead.
    private struct ModelPart {
        var kind: ScenarioKind?
        var parameters = ModelParameters()
        var policies: [any Policy] = []
        /// The policies as the manifest records them.
        var resolvedPolicies: [ScenarioValue] = []
        /// Errors of the files a scenario names (roster, estimates), reported after its own.
        var fileErrors: [InputError] = []
        var estimates: Estimates?
    }

    /// The steps of `load`: the files and overrides, the keys every scenario has, the
    /// sections of its kind, then the scenario with the tree its manifest records.
    private static func load(path: String, seed: UInt64?, overrides: [String], readsRoster: Bool, files: ScenarioFiles?) throws -> Scenario {
        var source = try files?.source(path) ?? ScenarioSource.read(path)
        // Policies are checked against the years the files give, so that `--set time.end=…`
        // can shorten a run without making its later policies an error (docs/SCENARIOS.md).
        let fileYears = runYears(source.root["time"])
        let overrideErrors = source.apply(overrides: overrides)
        let root = source.root
        var reader = TableReader(file: path, positions: source.locations)

        readSchema(root["schema"], &reader)
        reader.rejectUnknownKeys(root, at: [], allowed: topLevelKeys, context: "the scenario file")
        let name: String?
        if let node = root["name"] {
            name = reader.string(node, at: ["name"], nonEmpty: true)
        } else {
            name = nil
            reader.fail(["name"], "missing; every scenario needs a non-empty name, e.g. name = \"baseline\"")
        }
        let description = root["description"].flatMap { reader.string($0, at: ["description"]) } ?? ""
        let kindName: String? = root["kind"].map { reader.choice($0, at: ["kind"], among: kinds) } ?? "region"
        let time = readTime(root["time"], &reader)
        let run = readRun(root["run"], &reader)

        var model = ModelPart()
        switch kindName {
        case "region":
            model = try readRegion(root, path: path, years: fileYears, readsRoster: readsRoster, files: files, &reader)
        case "core_periphery":
            model = try readCorePeripheryKind(root, solves: overrideErrors.isEmpty, &reader)
        default:
            checkWithoutKind(root, years: fileYears, &reader)
        }

        try InputErrors.throwIfAny(sortedByPosition(reader.errors + overrideErrors, files: source.files) + model.fileErrors)
        guard let name, let kind = model.kind, let start = time.start, let end = time.end, let dt = time.dt,
              let fileSeed = run.seed, let replications = run.replications
        else {
            // Every nil above comes with a recorded error, so this is unreachable; refuse
            // rather than run with a value the file did not give.
            throw InputError(file: path, message: "the scenario could not be read")
        }
        let settings = SimulationSettings(startYear: start, endYear: end, dt: dt, seed: seed ?? UInt64(fileSeed))
        var resolved = resolvedTree(
            name: name, description: description, kind: kind, settings: settings,
            parameters: model.parameters, replications: replications)
        if case .region = kind { resolved[ScenarioSource.policyKey] = .array(model.resolvedPolicies) }
        if let estimates = model.estimates {
            resolved["estimates"] = .string(URL(fileURLWithPath: estimates.path).standardizedFileURL.path)
            resolved["productivity_drift"] = .table(estimates.drift.mapValues(ScenarioValue.number))
        }
        resolved["overrides"] = .array(overrides.map(ScenarioValue.string))
        resolved["extends"] = .array(source.parents.map(ScenarioValue.string))
        return Scenario(
            path: path, name: name, description: description, kind: kind, settings: settings,
            parameters: model.parameters, replications: replications, resolved: resolved, policies: model.policies,
            estimates: model.estimates)
    }

    /// A region scenario's roster, `[model]`, policies and estimates. The roster is read when
    /// policies or estimates need its cities, or when `readsRoster` (`validate`).
    private static func readRegion(
        _ root: [String: TOMLNode], path: String, years: (start: Double, end: Double)?, readsRoster: Bool, files: ScenarioFiles?,
        _ reader: inout TableReader
    ) throws -> ModelPart {
        var part = ModelPart()
        if root["core_periphery"] != nil {
            reader.fail(["core_periphery"], "applies to kind = \"core_periphery\" only; this scenario is a region (the default kind)")
        }
        let roster = readRoster(root["roster"], scenarioPath: path, &reader)
        part.parameters = readModel(root["model"], &reader)
        part.kind = roster.map { .region(rosterPath: $0) }
        let policyNode = root[ScenarioSource.policyKey]
        var checks = PolicyChecks(cities: nil, zones: nil, sectors: part.parameters.sectors.map(\.id), years: years)
        let estimatesNode = root["estimates"]
        var loadedRoster: Roster?
        if let rosterPath = roster, readsRoster || policyNode != nil || estimatesNode != nil {
            do {
                let loaded = try files?.roster(rosterPath) ?? RosterLoader.load(cities: rosterPath)
                loadedRoster = loaded
                let cities = loaded.cities
                if let problem = InputLimits.rosterProblem(cities: cities.count, sectors: part.parameters.sectors.count) {
                    reader.fail(["roster"], "roster \(rosterPath): " + problem)
                }
                checks.cities = cities.map(\.id)
                checks.zones = cities.reduce(into: []) { zones, city in if !zones.contains(city.zone) { zones.append(city.zone) } }
                checks.groups = Dictionary(uniqueKeysWithValues: loaded.groups.map { ($0.id, $0.members) })
            } catch let error as InputError {
                part.fileErrors = [error]
            } catch let errors as InputErrors {
                part.fileErrors = errors.errors
            } catch let error as RosterError {
                reader.fail(["roster"], "roster \(rosterPath): \(error)")
            }
        }
        if let policyNode {
            (part.policies, part.resolvedPolicies) = readPolicies(policyNode, checks: checks, &reader)
        }
        if let estimatesNode, let estimatesPath = readEstimatesPath(estimatesNode, &reader), let loadedRoster {
            do {
                let read = try files?.estimates(estimatesPath, roster: loadedRoster, rosterPath: roster ?? "")
                    ?? EstimatesFile.read(estimatesPath, roster: loadedRoster)
                part.parameters.productivityDrift = read.drift
                part.estimates = read
            } catch let error as InputError {
                part.fileErrors.append(error)
            } catch let errors as InputErrors {
                part.fileErrors.append(contentsOf: errors.errors)
            }
        }
        return part
    }

    /// A core–periphery scenario's `[core_periphery]`, refusing the region's sections. Its
    /// parameters are derived (`CorePeriphery.setup`) only when nothing else is wrong and
    /// `solves` (no override failed), so a derivation error is not reported for bad input.
    private static func readCorePeripheryKind(_ root: [String: TOMLNode], solves: Bool, _ reader: inout TableReader) throws -> ModelPart {
        var part = ModelPart()
        if root["roster"] != nil {
            reader.fail(["roster"], "applies to kind = \"region\" only; a core_periphery scenario has two model cities, not a roster")
        }
        if root["model"] != nil {
            reader.fail(["model"], "applies to kind = \"region\" only; a core_periphery scenario derives its model parameters from [core_periphery]")
        }
        if root["estimates"] != nil {
            reader.fail(["estimates"], "applies to kind = \"region\" only; the core_periphery model has no roster to estimate drifts for")
        }
        if root[ScenarioSource.policyKey] != nil {
            reader.fail([ScenarioSource.policyKey], "policies apply to kind = \"region\" only; the core_periphery model has no city governments or roster for them to act on")
        }
        if let settings = readCorePeriphery(root["core_periphery"], &reader), reader.errors.isEmpty, solves {
            do {
                part.parameters = try CorePeriphery.setup(settings).1
                part.kind = .corePeriphery(settings)
            } catch let error as ParameterError {
                let key = error.parameter.split(separator: ".").map(String.init)
                reader.fail(key, error.message)
            }
        }
        return part
    }

    /// A scenario whose kind is misspelt: what can be checked on its own still is.
    private static func checkWithoutKind(_ root: [String: TOMLNode], years: (start: Double, end: Double)?, _ reader: inout TableReader) {
        if let node = root["model"] { _ = readModel(node, &reader) }
        if let node = root["core_periphery"] { _ = readCorePeriphery(node, &reader) }
        if let node = root[ScenarioSource.policyKey] {
            let checks = PolicyChecks(cities: nil, zones: nil, sectors: ModelParameters.defaultSectors.map(\.id), years: years)
            _ = readPolicies(node, checks: checks, &reader)
        }
    }

    /// The `estimates` file as an absolute path, relative paths taken from the folder of the
    /// file that writes the key (the current directory for `--set`), as `roster`.
    private static func readEstimatesPath(_ node: TOMLNode, _ reader: inout TableReader) -> String? {
        guard let given = reader.string(node, at: ["estimates"], nonEmpty: true) else { return nil }
        let base = reader.positions[["estimates"]]?.folder ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let path = URL(fileURLWithPath: given, relativeTo: base).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else {
            reader.fail(["estimates"], "estimates file not found: \(path) (a relative path is taken from the folder of the file that sets it)")
            return nil
        }
        return path
    }

    /// `[time].start` and `.end` as the files give them (defaults for what they leave out), or
    /// `nil` when either is not a finite number or end precedes start (reported under `[time]`).
    private static func runYears(_ node: TOMLNode?) -> (start: Double, end: Double)? {
        let defaults = SimulationSettings()
        var table: [String: TOMLNode] = [:]
        if let node {
            guard case .table(let written) = node else { return nil }
            table = written
        }
        func year(_ key: String, _ fallback: Double) -> Double? {
            switch table[key] {
            case nil: return fallback
            case .integer(let n)?: return Double(n)
            case .float(let x)? where x.isFinite: return x
            default: return nil
            }
        }
        guard let start = year("start", defaults.startYear), let end = year("end", defaults.endYear), end >= start else { return nil }
        return (start, end)
    }

    /// Orders errors file by file (the file given, then those it extends, then `--set`), top
    /// to bottom; errors about missing keys (no line) come first in their file.
    private static func sortedByPosition(_ errors: [InputError], files: [String]) -> [InputError] {
        var rank: [String: Int] = [SourceLocation.commandLine: Int.max]
        for (n, file) in files.enumerated() where rank[file] == nil { rank[file] = n }
        return errors.enumerated().sorted { a, b in
            let pa = (rank[a.element.file] ?? 0, a.element.line ?? 0, a.element.column ?? 0)
            let pb = (rank[b.element.file] ?? 0, b.element.line ?? 0, b.element.column ?? 0)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: - Sections

    /// `schema`: present and a whole number. A file of another version never gets here
    /// (`ScenarioSource.read` refuses it alone); `--set schema=…` can.
    private static func readSchema(_ node: TOMLNode?, _ reader: inout TableReader) {
        guard let node else {
            reader.fail(["schema"], "missing; a scenario file states its format version, schema = \(schemaVersion)")
            return
        }
        guard case .integer(let version) = node else {
            reader.fail(["schema"], "expected the whole number \(schemaVersion), found \(node.found)")
            return
        }
        if version != schemaVersion {
            reader.fail(["schema"], "unsupported schema version \(version); this version of twincity reads schema \(schemaVersion)")
        }
    }

    /// `[time]`: start and end year and tick length; each `nil` when invalid.
    private static func readTime(_ node: TOMLNode?, _ reader: inout TableReader) -> (start: Double?, end: Double?, dt: Double?) {
        let defaults = SimulationSettings()
        guard let node else { return (defaults.startYear, defaults.endYear, defaults.dt) }
        guard let table = reader.table(node, at: ["time"]) else { return (nil, nil, nil) }
        let path = ["time"]
        reader.rejectUnknownKeys(table, at: path, allowed: timeKeys, context: "[time]")
        let start = reader.number(in: table, "start", at: path, default: defaults.startYear, expected: "(year)")
        var end = reader.number(in: table, "end", at: path, default: defaults.endYear, expected: "(year)")
        let dt = reader.number(in: table, "dt", at: path, default: defaults.dt, expected: "> 0 (years)") { $0 > 0 }
        if let start, let found = end, found < start {
            let given = table["end"] == nil ? " (the default)" : ""
            reader.fail(["time", "end"], "expected a year ≥ start (\(TOMLNode.format(start))), found \(TOMLNode.format(found))\(given)")
            end = nil
        }
        // Checked here, before anything computes the tick count as an Int.
        if let start, let found = end, let dt, let problem = InputLimits.tickProblem(start: start, end: found, dt: dt) {
            reader.fail(["time"], problem)
            end = nil
        }
        return (start, end, dt)
    }

    /// `[run]`: seed and number of replications; each `nil` when invalid.
    private static func readRun(_ node: TOMLNode?, _ reader: inout TableReader) -> (seed: Int?, replications: Int?) {
        let defaultSeed = Int(SimulationSettings().seed)
        guard let node else { return (defaultSeed, 1) }
        guard let table = reader.table(node, at: ["run"]) else { return (nil, nil) }
        let path = ["run"]
        reader.rejectUnknownKeys(table, at: path, allowed: runKeys, context: "[run]")
        let seed = reader.integer(in: table, "seed", at: path, default: defaultSeed, range: 0...Int.max)
        let replications = reader.integer(in: table, "replications", at: path, default: 1, range: 1...Int.max)
        return (seed, replications)
    }

    /// The roster's cities table as an absolute path, or `nil` (with an error) when it is not
    /// there. A relative `roster` is taken from the folder of the file that writes it (the
    /// current directory for `--set`), so a scenario works from any current directory and a
    /// scenario extending another finds the roster its parent names.
    private static func readRoster(_ node: TOMLNode?, scenarioPath: String, _ reader: inout TableReader) -> String? {
        let folder = URL(fileURLWithPath: scenarioPath).absoluteURL.deletingLastPathComponent().standardizedFileURL
        let files = FileManager.default
        if let node {
            guard let given = reader.string(node, at: ["roster"], nonEmpty: true) else { return nil }
            let base = reader.positions[["roster"]]?.folder ?? folder
            let path = URL(fileURLWithPath: given, relativeTo: base).standardizedFileURL.path
            var isFolder: ObjCBool = false
            let whose = reader.positions[["roster"]]?.file == SourceLocation.commandLine
                ? "a relative path is taken from the current directory" : "a relative path is taken from the scenario file's folder"
            guard files.fileExists(atPath: path, isDirectory: &isFolder) else {
                reader.fail(["roster"], "roster file not found: \(path) (\(whose))")
                return nil
            }
            guard !isFolder.boolValue else {
                reader.fail(["roster"], "\(path) is a folder; expected the cities table, e.g. \(defaultRoster)")
                return nil
            }
            return path
        }
        var candidateFolder: URL? = folder
        while let current = candidateFolder {
            let candidate = current.appendingPathComponent(defaultRoster).path
            if files.fileExists(atPath: candidate) { return candidate }
            let parent = current.deletingLastPathComponent().standardizedFileURL
            candidateFolder = parent.path == current.path ? nil : parent
        }
        let inCurrent = URL(fileURLWithPath: defaultRoster).absoluteURL.standardizedFileURL.path
        if files.fileExists(atPath: inCurrent) { return inCurrent }
        reader.fail(["roster"], "missing, and no \(defaultRoster) in \(folder.path), any folder above it, or the current directory; set roster = \"path/to/cities.csv\"")
        return nil
    }

    // MARK: - Model parameters

    /// Every key `[model]` accepts, in catalogue order, then the choices and `sectors`.
    static var modelKeys: [String] { ModelParameters.catalog.map(\.name) + modelChoiceKeys }

    /// The default parameters with the `[model]` overrides applied; each bad value is
    /// reported and left at its default.
    private static func readModel(_ node: TOMLNode?, _ reader: inout TableReader) -> ModelParameters {
        var parameters = ModelParameters()
        let path = ["model"]
        if let node, let table = reader.table(node, at: path) {
            reader.rejectUnknownKeys(
                table, at: path, allowed: modelKeys, context: "[model]",
                hint: "the keys are listed in docs/SCENARIOS.md")
            for key in reader.orderedKeys(table, at: path) {
                guard let value = table[key] else { continue }
                readModelValue(key, value, into: &parameters, &reader)
            }
        }
        // Relations between values (mixes summing to 1, a_H + a_A < 1): the model states them.
        do {
            try parameters.validate()
        } catch {
            let at = relationPath(of: error.parameter, in: parameters, reader: reader)
            reader.fail(at, error.message, key: "model." + error.parameter)
        }
        return parameters
    }

    private static func readModelValue(
        _ key: String, _ value: TOMLNode, into parameters: inout ModelParameters, _ reader: inout TableReader
    ) {
        let path = ["model", key]
        if let info = ModelParameters.info(named: key) {
            guard let number = reader.number(
                value, at: path, expected: "in \(info.rangeDescription) (\(info.unit))", admits: info.admits)
            else { return }
            apply(key, number, to: &parameters, at: path, &reader)
            return
        }
        switch key {
        case "migration_rule":
            if let text = reader.choice(value, at: path, among: MigrationRule.allCases.map(\.rawValue)),
               let rule = MigrationRule(rawValue: text) { parameters.migrationRule = rule }
        case "decision_rule":
            if let text = reader.choice(value, at: path, among: DecisionRuleKind.allCases.map(\.rawValue)),
               let rule = DecisionRuleKind(rawValue: text) { parameters.decisionRule = rule }
        case "solver":
            if let text = reader.choice(value, at: path, among: EquilibriumSolverKind.allCases.map(\.rawValue)),
               let solver = EquilibriumSolverKind(rawValue: text) { parameters.solver = solver }
        case "equilibrium_max_iterations":
            if let limit = reader.integer(value, at: path, in: 1...maxIterationLimit) {
                apply(key, Double(limit), to: &parameters, at: path, &reader)
            }
        case "sectors":
            readSectors(value, into: &parameters, &reader)
        default:
            break  // reported by rejectUnknownKeys
        }
    }

    /// `[model.sectors.<id>]` tables: overrides of the default sectors' fields.
    private static func readSectors(_ node: TOMLNode, into parameters: inout ModelParameters, _ reader: inout TableReader) {
        let path = ["model", "sectors"]
        guard let table = reader.table(node, at: path) else { return }
        let ids = parameters.sectors.map(\.id)
        let fields = ModelParameters.sectorFields
        for id in reader.orderedKeys(table, at: path) {
            guard ids.contains(id) else {
                let suggestion = Spelling.suggestion(for: id, among: ids)
                reader.fail(path + [id], "unknown sector" + (suggestion.isEmpty
                    ? "; the sectors are " + TableReader.list(ids.map { "'\($0)'" }) : suggestion))
                continue
            }
            guard let node = table[id], let sector = reader.table(node, at: path + [id]) else { continue }
            reader.rejectUnknownKeys(sector, at: path + [id], allowed: fields.map(\.name), context: "[model.sectors.\(id)]")
            for field in reader.orderedKeys(sector, at: path + [id]) {
                guard let value = sector[field], let info = fields.first(where: { $0.name == field }) else { continue }
                let name = "sectors.\(id).\(field)"
                let probe = parameters
                let (unit, range) = splitUnit(info.unit)
                guard let number = reader.number(value, at: path + [id, field], expected: "in \(range) (\(unit))", admits: { x in
                    var trial = probe
                    return (try? trial.set(name, to: x)) != nil
                }) else { continue }
                apply(name, number, to: &parameters, at: path + [id, field], &reader)
            }
        }
    }

    /// Sets a parameter through the model, which has the last word on what it accepts.
    private static func apply(
        _ name: String, _ value: Double, to parameters: inout ModelParameters, at path: [String], _ reader: inout TableReader
    ) {
        do {
            try parameters.set(name, to: value)
        } catch {
            reader.fail(path, error.message)
        }
    }

    /// `("share of value added", "[0, 1)")` from a sector field's `"share of value added, [0, 1)"`.
    static func splitUnit(_ text: String) -> (unit: String, range: String) {
        guard let start = text.firstIndex(where: { $0 == "[" || $0 == "(" }) else { return (text, "its range") }
        let unit = text[..<start].trimmingCharacters(in: CharacterSet(charactersIn: ", "))
        return (unit, String(text[start...]))
    }

    /// Where to point an error about a relation between parameters: the first key of the
    /// relation written in the file, else the table holding them, else `[model]`.
    private static func relationPath(of parameter: String, in parameters: ModelParameters, reader: TableReader) -> [String] {
        let keys: [[String]]
        let table: [String]
        if parameter == "sectors.*.base_mix" {
            keys = parameters.sectors.map { ["model", "sectors", $0.id, "base_mix"] }
            table = ["model", "sectors"]
        } else if parameter == "housing_share" {
            keys = [["model", "housing_share"], ["model", "agriculture_share"]]
            table = ["model"]
        } else {
            keys = [["model"] + parameter.split(separator: ".").map(String.init)]
            table = ["model"]
        }
        let written = keys.compactMap { key in reader.positions[key].map { (key, $0) } }
        return written.min { $0.1.order < $1.1.order }?.0 ?? table
    }

    // MARK: - Core–periphery

    /// `[core_periphery]`: the model's settings, defaults where keys are absent; `nil` when a
    /// value is invalid.
    private static func readCorePeriphery(_ node: TOMLNode?, _ reader: inout TableReader) -> CorePeripherySettings? {
        var settings = CorePeripherySettings()
        guard let node else { return settings }
        let path = ["core_periphery"]
        guard let table = reader.table(node, at: path) else { return nil }
        reader.rejectUnknownKeys(table, at: path, allowed: corePeripheryKeys, context: "[core_periphery]")
        let sigma = reader.number(
            in: table, "sigma", at: path, default: settings.elasticity,
            expected: "in (1, ∞) (elasticity of substitution σ)") { $0 > 1 }
        let mu = reader.number(
            in: table, "mu", at: path, default: settings.manufacturingShare,
            expected: "in (0, 1) (expenditure share μ on manufactures)") { $0 > 0 && $0 < 1 }
        let tradeCost = reader.number(
            in: table, "trade_cost", at: path, default: settings.tradeCost,
            expected: "in [1, ∞) (iceberg trade cost T)") { $0 >= 1 }
        let share = reader.number(
            in: table, "initial_share", at: path, default: settings.initialShare,
            expected: "in (0, 1) (initial share λ of workers in city 1)") { $0 > 0 && $0 < 1 }
        let speed = reader.number(
            in: table, "speed", at: path, default: settings.speed,
            expected: "in [0, ∞) (replicator speed γ, per year)") { $0 >= 0 }
        guard let sigma, let mu, let tradeCost, let share, let speed else { return nil }
        settings = CorePeripherySettings(
            elasticity: sigma, manufacturingShare: mu, tradeCost: tradeCost, initialShare: share, speed: speed)
        return settings
    }

    // MARK: - Resolved scenario

    /// The scenario with every default filled in, as written to manifest.json.
    private static func resolvedTree(
        name: String, description: String, kind: ScenarioKind, settings: SimulationSettings,
        parameters: ModelParameters, replications: Int
    ) -> [String: ScenarioValue] {
        // A seed above Int.max (possible from the command line) stays exact as text.
        let seed = Int(exactly: settings.seed).map(ScenarioValue.integer) ?? .string(String(settings.seed))
        var tree: [String: ScenarioValue] = [
            "schema": .integer(schemaVersion),
            "name": .string(name),
            "description": .string(description),
            "time": .table(["start": .number(settings.startYear), "end": .number(settings.endYear), "dt": .number(settings.dt)]),
            "run": .table(["seed": seed, "replications": .integer(replications)]),
            "model": modelTree(parameters),
        ]
        switch kind {
        case .region(let rosterPath):
            tree["kind"] = .string("region")
            tree["roster"] = .string(rosterPath)
        case .corePeriphery(let s):
            tree["kind"] = .string("core_periphery")
            tree["core_periphery"] = .table([
                "sigma": .number(s.elasticity), "mu": .number(s.manufacturingShare),
                "trade_cost": .number(s.tradeCost), "initial_share": .number(s.initialShare),
                "speed": .number(s.speed),
            ])
        }
        return tree
    }

    /// Every `[model]` key with its value, sectors included.
    static func modelTree(_ parameters: ModelParameters) -> ScenarioValue {
        var model: [String: ScenarioValue] = [:]
        for info in ModelParameters.catalog { model[info.name] = .number(info.value(in: parameters)) }
        model["migration_rule"] = .string(parameters.migrationRule.rawValue)
        model["decision_rule"] = .string(parameters.decisionRule.rawValue)
        model["solver"] = .string(parameters.solver.rawValue)
        model["equilibrium_max_iterations"] = .integer(parameters.equilibriumMaxIterations)
        var sectors: [String: ScenarioValue] = [:]
        for sector in parameters.sectors {
            var fields: [String: ScenarioValue] = [:]
            for field in ModelParameters.sectorFields {
                fields[field.name] = parameters.value(of: "sectors.\(sector.id).\(field.name)").map(ScenarioValue.number)
            }
            sectors[sector.id] = .table(fields)
        }
        model["sectors"] = .table(sectors)
        return .table(model)
    }

    // MARK: - Preparing a run

    /// The simulation setup of a scenario.
    ///
    /// For a region, loads the roster (`RosterLoader`, roles and links from beside the cities
    /// table) and calibrates the base year (`Calibration.calibrate`); for a core–periphery
    /// scenario, builds the two-city economy (`CorePeriphery.setup`).
    ///
    /// - Returns: the setup, the parameters to run it with, and the roster (`nil` for a
    ///   core–periphery scenario).
    /// - Throws: the roster files' `InputError`/`InputErrors` as they are, and a
    ///   `ScenarioError` naming the scenario file (and the city or parameter) when the model
    ///   refuses the roster, the parameters or the calibration.
    public static func prepare(_ scenario: Scenario) throws -> (setup: SimulationSetup, parameters: ModelParameters, roster: Roster?) {
        try prepare(scenario, files: nil)
    }

    /// `prepare(_:)` with the roster taken from `files`, read there the first time, and the
    /// calibration of an earlier run with the same roster and parameters reused.
    package static func prepare(
        _ scenario: Scenario, files: ScenarioFiles?
    ) throws -> (setup: SimulationSetup, parameters: ModelParameters, roster: Roster?) {
        switch scenario.kind {
        case .region(let rosterPath):
            let roster: Roster
            do {
                roster = try files?.roster(rosterPath) ?? RosterLoader.load(cities: rosterPath)
            } catch let error as RosterError {
                throw ScenarioError(file: scenario.path, message: "roster \(rosterPath): \(error)", underlying: error)
            }
            // Before calibrating, whose matrices grow with the square of the roster.
            if let problem = InputLimits.rosterProblem(cities: roster.cities.count, sectors: scenario.parameters.sectors.count) {
                throw ScenarioError(file: scenario.path, message: "roster \(rosterPath): " + problem, underlying: InputError(file: rosterPath, message: problem))
            }
            do {
                try scenario.parameters.validate()
                func calibrate() throws -> SimulationSetup {
                    let calibrated = try Calibration.calibrate(roster: roster, parameters: scenario.parameters)
                    return SimulationSetup(calibrated: calibrated, cities: roster.cities, links: roster.links)
                }
                let setup = try files?.setup(rosterPath: rosterPath, parameters: scenario.parameters, calibrate: calibrate) ?? calibrate()
                return (setup, scenario.parameters, roster)
            } catch let error as ParameterError {
                throw ScenarioError(file: scenario.path, message: "\(error)", underlying: error)
            } catch let error as CalibrationError {
                throw ScenarioError(
                    file: scenario.path, message: "calibration to the roster \(rosterPath) failed: \(error)", underlying: error)
            }
        case .corePeriphery(let settings):
            do {
                let (setup, parameters) = try CorePeriphery.setup(settings)
                return (setup, parameters, nil)
            } catch {
                throw ScenarioError(file: scenario.path, message: "\(error)", underlying: error)
            }
        }
    }
}
