// Reads a sweep file (TOML, schema 1, docs/SWEEPS.md) and checks every key that can be checked
// without the base scenario; `SweepValidator` then checks parameter paths and outputs against it.
import Foundation
import TwinCityExport
import TwinCityModel
import TwinCityScenario

/// A sweep file as read: the sweep, its base scenario and where its keys are written.
public struct SweepFile: Sendable {
    /// The sweep file, as the user gave its path.
    public let path: String
    /// The sweep.
    public let definition: SweepDefinition
    /// Absolute path of the base scenario.
    public let scenarioPath: String
    /// Where the file's keys are written, for errors found after reading.
    let positions: [[String]: SourceLocation]

    /// An error about the key path `keyPath` of the file (`["parameter", "[1]", "path"]`),
    /// at its key, or at the start of its line with `atLineStart` (`TableReader.fail`).
    func error(_ keyPath: [String], _ message: String, atLineStart: Bool = false) -> InputError {
        var reader = TableReader(file: path, positions: positions)
        reader.fail(keyPath, message, atLineStart: atLineStart)
        return reader.errors[0]
    }
}

/// Reads sweep files.
public enum SweepFileReader {
    static let topLevelKeys = ["schema", "name", "description", "scenario", "seed", "replications", "common_random_numbers", "set", "sampler", "parameter", "lever", "uncertainty", "outputs"]
    static let samplerKeys = ["kind", "samples", "levels", "combinations"]
    static let parameterKeys = ["path", "values", "min", "max", "scale", "levels"]
    static let leverKeys = ["name", "path", "options"]
    /// Morris levels when `[sampler]` gives none: the usual choice p = 4 (Saltelli et al.
    /// 2008, §3.3).
    public static let defaultMorrisLevels = 4

    /// Reads and checks a sweep file.
    ///
    /// Checked here: TOML syntax (with line and column), the schema version, unknown keys
    /// (with the nearest valid one suggested), types, the sampler and its sizes, each
    /// parameter's domain (a list, or `min < max` with `min > 0` for a log scale), duplicate
    /// parameters or outputs, the syntax of every output, and the Sobol dimension against
    /// GSL's limit. The base scenario and the meaning of paths and outputs are checked by
    /// `SweepValidator`.
    ///
    /// - Returns: the sweep, the absolute path of its base scenario, and where its keys are
    ///   written (for later errors).
    /// - Throws: `InputError` or `InputErrors` (every problem found, top to bottom), each
    ///   naming the file, line and key (`parameter[1].max`).
    public static func read(path: String) throws -> SweepFile {
        let document = try TOMLDocument.read(path, what: "sweep file")
        let folder = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent()
        // An error about a whole table ([sampler], [[parameter]], or a key missing from it)
        // points at the start of its header line, where the user looks for the table.
        var reader = TableReader(file: path, positions: document.locations(file: path, folder: folder, tablesAtHeaders: true))
        let definition = parse(document.root, &reader)
        try InputErrors.throwIfAny(reader.sortedErrors)
        guard let definition else { throw InputError(file: path, message: "the sweep could not be read") }
        let scenarioPath = URL(fileURLWithPath: definition.scenario, relativeTo: folder).standardizedFileURL.path
        return SweepFile(path: path, definition: definition, scenarioPath: scenarioPath, positions: reader.positions)
    }

    /// The sweep in `root`, or `nil` when something is missing or wrong (then recorded in
    /// `reader`).
    static func parse(_ root: [String: TOMLNode], _ reader: inout TableReader) -> SweepDefinition? {
        guard let schema = root["schema"] else {
            reader.fail(["schema"], "missing; a sweep file states its format version, schema = \(SweepDefinition.schemaVersion)")
            return nil
        }
        guard case .integer(let version) = schema, version == SweepDefinition.schemaVersion else {
            reader.fail(["schema"], "unsupported schema \(schema.foundAsTyped); this version of twincity reads sweep files of schema \(SweepDefinition.schemaVersion)")
            return nil
        }
        reader.rejectUnknown(root, at: [], allowed: topLevelKeys, context: "the sweep file")

        let name = reader.string(root["name"], ["name"], required: true)
        let description = reader.string(root["description"], ["description"], required: false) ?? ""
        let scenario = reader.string(root["scenario"], ["scenario"], required: true)
        var seed: UInt64?
        switch root["seed"] {
        case nil:
            reader.fail(["seed"], "missing; a sweep states its seed (a whole number ≥ 0), e.g. seed = 20200710")
        case .integer(let value)? where value >= 0:
            seed = UInt64(value)
        case let value?:
            reader.fail(["seed"], "expected a whole number ≥ 0, found \(value.foundAsTyped)")
        }
        var replications: Int? = 1
        if let value = root["replications"] {
            replications = nil
            if case .integer(let count) = value, count >= 1 { replications = count } else {
                reader.fail(["replications"], "expected a whole number ≥ 1 (runs per point), found \(value.foundAsTyped)")
            }
        }
        var commonRandomNumbers: Bool?
        if let value = root["common_random_numbers"] {
            if case .bool(let flag) = value { commonRandomNumbers = flag } else {
                reader.fail(["common_random_numbers"], "expected true (the same seeds at every point) or false (each point its own), found \(value.foundAsTyped)")
            }
        }
        var fixed: [String] = []
        if let value = root["set"] {
            let texts: [String]? = {
                guard case .array(let items) = value else { return nil }
                let texts = items.compactMap { item -> String? in
                    guard case .string(let text) = item, text.contains("=") else { return nil }
                    return text
                }
                return texts.count == items.count ? texts : nil
            }()
            if let texts {
                fixed = texts
            } else {
                reader.fail(["set"], "expected a list of \"KEY=VALUE\" overrides of the base scenario, e.g. set = [\"time.end=2025\"]")
            }
        }
        let sampler = readSampler(root["sampler"], &reader)
        // A plain sweep lists [[parameter]] tables; an exploratory one [[uncertainty]] tables
        // and [[lever]] tables (Levers.swift), the uncertainties read like parameters.
        let exploratory = root["lever"] != nil || root["uncertainty"] != nil
        if exploratory, root["parameter"] != nil {
            reader.fail(["parameter"], "a sweep with [[lever]] or [[uncertainty]] tables lists the keys it samples as [[uncertainty]], not [[parameter]]")
        }
        let table = exploratory ? "uncertainty" : "parameter"
        let parameters = readParameters(root[table], key: table, sampler: sampler, &reader)
        let levers = exploratory ? readLevers(root["lever"], uncertainties: parameters ?? [], &reader) : []
        let outputs = readOutputs(root["outputs"], &reader)
        if let wanted = sampler?.combinations {
            let all = LeverCombinations.count(levers ?? [])
            if !exploratory {
                reader.fail(["sampler", "combinations"], "applies to a sweep with [[lever]] tables: the number of lever combinations to run")
            } else if let levers, !levers.isEmpty, wanted >= all {
                reader.fail(["sampler", "combinations"], "the levers have \(all) combinations, so combinations = \(wanted) runs them all; leave it out, or give fewer than \(all)")
            }
        }

        if let sampler, sampler.kind == .sobol, let parameters, 2 * parameters.count > SweepSupport.sobolMaximumDimension {
            reader.fail(["sampler", "kind"],
                "a Sobol design over \(parameters.count) parameters needs \(2 * parameters.count) Sobol dimensions (matrices A and B side by side); GSL's Sobol sequence has at most \(SweepSupport.sobolMaximumDimension), so at most \(SweepSupport.sobolMaximumDimension / 2) parameters")
        }
        guard let name, let scenario, let seed, let replications, let sampler, let parameters, let levers, let outputs else { return nil }
        let definition = SweepDefinition(
            name: name, description: description, scenario: scenario, seed: seed, sampler: sampler,
            replications: replications, commonRandomNumbers: commonRandomNumbers, fixed: fixed, parameters: parameters,
            levers: levers, outputs: outputs)
        if reader.errors.isEmpty {
            let points = SamplingDesign.pointCount(definition)
            let runs = points.multipliedReportingOverflow(by: replications)
            if let problem = InputLimits.sweepProblem(runs: runs.overflow ? nil : runs.partialValue, parameters: parameters.count) {
                reader.fail(["sampler"], problem)
            }
        }
        return definition
    }

    private static func readSampler(_ node: TOMLNode?, _ reader: inout TableReader) -> SamplerSpec? {
        guard let node else {
            reader.fail(["sampler"], "missing; a sweep needs a [sampler] table, e.g. [sampler] kind = \"grid\"")
            return nil
        }
        guard case .table(let table) = node else {
            reader.fail(["sampler"], "expected a table, found \(node.foundAsTyped)")
            return nil
        }
        reader.rejectUnknown(table, at: ["sampler"], allowed: samplerKeys, context: "[sampler]")
        guard let kindNode = table["kind"] else {
            reader.fail(["sampler", "kind"], "missing; one of " + SamplerKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
            return nil
        }
        guard case .string(let kindText) = kindNode, let kind = SamplerKind(rawValue: kindText) else {
            let hint = { if case .string(let t) = kindNode { return Spelling.suggestion(for: t, among: SamplerKind.allCases.map(\.rawValue)) } else { return "" } }()
            reader.fail(["sampler", "kind"], "expected one of " + SamplerKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + ", found \(kindNode.foundAsTyped)" + hint)
            return nil
        }
        var spec = SamplerSpec(kind: kind)
        var valid = true
        switch (kind, table["samples"]) {
        case (.grid, nil):
            break
        case (.grid, _?):
            reader.fail(["sampler", "samples"], "a grid runs every combination of the parameters' levels; give levels per parameter instead of samples")
            valid = false
        case (_, nil):
            let meaning = kind == .sobol ? "base rows N (the design runs N·(d + 2) points)" : kind == .morris ? "trajectories r (the design runs r·(d + 1) points)" : "points"
            reader.fail(["sampler", "samples"], "missing; a \(kind.rawValue) sampler needs samples = the number of \(meaning)")
            valid = false
        case (_, .integer(let count)?) where count >= (kind == .sobol || kind == .morris ? 2 : 1):
            spec.samples = count
        case (_, let value?):
            let least = kind == .sobol || kind == .morris ? 2 : 1
            reader.fail(["sampler", "samples"], "expected a whole number ≥ \(least), found \(value.foundAsTyped)")
            valid = false
        }
        switch (kind, table["levels"]) {
        case (.morris, nil):
            spec.levels = defaultMorrisLevels
        case (.morris, .integer(let levels)?) where levels >= 2 && levels % 2 == 0:
            spec.levels = levels
        case (.morris, let value?):
            reader.fail(["sampler", "levels"], "expected an even whole number ≥ 2 (Morris grid levels p; the step Δ = p / (2(p − 1)) is then a whole number of levels), found \(value.foundAsTyped)")
            valid = false
        case (_, nil):
            break
        case (_, _?):
            reader.fail(["sampler", "levels"], "applies to kind = \"morris\" only; a grid takes levels per [[parameter]]")
            valid = false
        }
        if let node = table["combinations"] {
            if case .integer(let count) = node, count >= 1 { spec.combinations = count } else {
                reader.fail(["sampler", "combinations"], "expected a whole number ≥ 1 (lever combinations to run, drawn at random), found \(node.foundAsTyped)")
                valid = false
            }
        }
        return valid ? spec : nil
    }

    private static func readParameters(
        _ node: TOMLNode?, key: String, sampler: SamplerSpec?, _ reader: inout TableReader
    ) -> [SweepParameter]? {
        guard let node else {
            reader.fail([key], "missing; a sweep needs at least one [[\(key)]] table with a path and values or min/max")
            return nil
        }
        guard case .array(let items) = node, !items.isEmpty else {
            reader.fail([key], "expected one or more [[\(key)]] tables, found \(node.foundAsTyped)")
            return nil
        }
        var parameters: [SweepParameter] = []
        var valid = true
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let at = [key, "[\(index)]"]
            guard case .table(let table) = item else {
                reader.fail(at, "expected a table, found \(item.foundAsTyped)")
                valid = false
                continue
            }
            reader.rejectUnknown(table, at: at, allowed: parameterKeys, context: "[[\(key)]]")
            guard let parameter = readParameter(table, at: at, sampler: sampler, &reader) else {
                valid = false
                continue
            }
            if let first = seen[parameter.path] {
                reader.fail(at + ["path"], "'\(parameter.path)' is already swept by \(key)[\(first)]; each key path may be swept once")
                valid = false
            }
            seen[parameter.path] = index
            parameters.append(parameter)
        }
        return valid ? parameters : nil
    }

    private static func readParameter(
        _ table: [String: TOMLNode], at: [String], sampler: SamplerSpec?, _ reader: inout TableReader
    ) -> SweepParameter? {
        guard let path = reader.string(table["path"], at + ["path"], required: true) else { return nil }
        guard TOMLKeyPath.parse(path) != nil else {
            reader.fail(at + ["path"], "'\(path)' is not a scenario key path; expected dotted keys with indices from 0, e.g. model.migration_rate or policy[1].share")
            return nil
        }
        let hasRange = table["min"] != nil || table["max"] != nil
        if let valuesNode = table["values"] {
            if hasRange {
                reader.fail(at + ["values"], "give either values = [...] or min and max, not both")
                return nil
            }
            for key in ["scale", "levels"] where table[key] != nil {
                reader.fail(at + [key], "applies to a min/max range only; a list of values is used as given")
                return nil
            }
            guard case .array(let items) = valuesNode, !items.isEmpty else {
                reader.fail(at + ["values"], "expected a non-empty list of numbers or strings, found \(valuesNode.foundAsTyped)")
                return nil
            }
            var values: [ParameterValue] = []
            for (k, item) in items.enumerated() {
                if let number = item.number {
                    values.append(.number(number))
                } else if case .string(let text) = item {
                    values.append(.text(text))
                } else {
                    reader.fail(at + ["values", "[\(k)]"], "expected a finite number or a string, found \(item.foundAsTyped)")
                    return nil
                }
            }
            let numbers = values.filter { $0.number != nil }.count
            guard numbers == 0 || numbers == values.count else {
                reader.fail(at + ["values"], "mixes numbers and strings; a parameter's values are all numbers or all strings")
                return nil
            }
            if Set(values).count != values.count {
                reader.fail(at + ["values"], "lists a value twice; each value is one level of the parameter")
                return nil
            }
            return SweepParameter(path: path, domain: .values(values))
        }
        guard hasRange else {
            reader.fail(at, "needs values = [...] or both min and max")
            return nil
        }
        var bounds: [Double] = []
        for key in ["min", "max"] {
            guard let node = table[key] else {
                reader.fail(at + [key], "missing; a range needs both min and max")
                return nil
            }
            guard let number = node.number else {
                reader.fail(at + [key], "expected a finite number, found \(node.foundAsTyped)")
                return nil
            }
            bounds.append(number)
        }
        let (low, high) = (bounds[0], bounds[1])
        guard low < high else {
            reader.fail(at + ["max"], low == high
                ? "the range is empty: min = max = \(ParameterValue.number(low).label); give a wider range, or values = [\(ParameterValue.number(low).label)] for a fixed value"
                : "the range is inverted: max (\(ParameterValue.number(high).label)) is below min (\(ParameterValue.number(low).label))")
            return nil
        }
        var scale = ParameterScale.linear
        if let node = table["scale"] {
            guard case .string(let text) = node, let chosen = ParameterScale(rawValue: text) else {
                reader.fail(at + ["scale"], "expected \"linear\" or \"log\", found \(node.foundAsTyped)")
                return nil
            }
            scale = chosen
        }
        if scale == .log, low <= 0 {
            reader.fail(at + ["min"], "a log scale needs min > 0, found \(ParameterValue.number(low).label)")
            return nil
        }
        var levels: Int?
        if let node = table["levels"] {
            guard sampler?.kind == .grid else {
                reader.fail(at + ["levels"], "applies to kind = \"grid\" only; other samplers spread the range themselves")
                return nil
            }
            guard case .integer(let count) = node, count >= 2 else {
                reader.fail(at + ["levels"], "expected a whole number ≥ 2 (grid values from min to max, both included), found \(node.foundAsTyped)")
                return nil
            }
            levels = count
        } else if sampler?.kind == .grid {
            reader.fail(at + ["levels"], "missing; a grid over a min/max range needs levels = the number of values from min to max (≥ 2), or give values = [...]")
            return nil
        }
        return SweepParameter(path: path, domain: .range(min: low, max: high, scale: scale, levels: levels))
    }

    /// The `[[lever]]` tables: `path`, `options` (two or more numbers, strings or booleans,
    /// no repeats) and an optional `name`; a lever's path may not be an uncertainty's too.
    private static func readLevers(
        _ node: TOMLNode?, uncertainties: [SweepParameter], _ reader: inout TableReader
    ) -> [SweepLever]? {
        guard let node else {
            reader.fail(["lever"], "missing; a sweep with [[uncertainty]] tables crosses them with at least one [[lever]] table (path and options), or lists [[parameter]] tables instead")
            return nil
        }
        guard case .array(let items) = node, !items.isEmpty else {
            reader.fail(["lever"], "expected one or more [[lever]] tables, found \(node.foundAsTyped)")
            return nil
        }
        var levers: [SweepLever] = []
        var valid = true
        for (index, item) in items.enumerated() {
            let at = ["lever", "[\(index)]"]
            guard case .table(let table) = item else {
                reader.fail(at, "expected a table, found \(item.foundAsTyped)")
                valid = false
                continue
            }
            reader.rejectUnknown(table, at: at, allowed: leverKeys, context: "[[lever]]")
            guard let path = reader.string(table["path"], at + ["path"], required: true) else {
                valid = false
                continue
            }
            guard TOMLKeyPath.parse(path) != nil else {
                reader.fail(at + ["path"], "'\(path)' is not a scenario key path; expected dotted keys with indices from 0, e.g. policy[2].enabled or policy[1].share")
                valid = false
                continue
            }
            let name = table["name"] == nil ? path : reader.string(table["name"], at + ["name"], required: false)
            guard let optionsNode = table["options"] else {
                reader.fail(at + ["options"], "missing; a lever needs options = [...], e.g. options = [false, true] for a policy switched off and on")
                valid = false
                continue
            }
            guard case .array(let elements) = optionsNode, elements.count >= 2 else {
                reader.fail(at + ["options"], "expected a list of two or more options (numbers, strings or booleans), found \(optionsNode.foundAsTyped)")
                valid = false
                continue
            }
            var options: [ParameterValue] = []
            for (k, element) in elements.enumerated() {
                if let number = element.number {
                    options.append(.number(number))
                } else if case .string(let text) = element {
                    options.append(.text(text))
                } else if case .bool(let value) = element {
                    options.append(.bool(value))
                } else {
                    reader.fail(at + ["options", "[\(k)]"], "expected a finite number, a string or a boolean, found \(element.foundAsTyped)")
                    valid = false
                }
            }
            guard options.count == elements.count else { continue }
            let kinds = Set(options.map { value -> Int in
                switch value { case .number: 0; case .text: 1; case .bool: 2 }
            })
            guard kinds.count == 1 else {
                reader.fail(at + ["options"], "mixes numbers, strings and booleans; a lever's options are all of one type")
                valid = false
                continue
            }
            guard Set(options).count == options.count else {
                reader.fail(at + ["options"], "lists an option twice; each option is one setting of the lever")
                valid = false
                continue
            }
            if let first = levers.firstIndex(where: { $0.path == path }) {
                reader.fail(at + ["path"], "'\(path)' is already set by lever[\(first)]; each key path may be a lever once")
                valid = false
                continue
            }
            if let u = uncertainties.firstIndex(where: { $0.path == path }) {
                reader.fail(at + ["path"], "'\(path)' is also uncertainty[\(u)]; a key is either a lever (set by policy) or an uncertainty (sampled), not both")
                valid = false
                continue
            }
            guard let name else {
                valid = false
                continue
            }
            levers.append(SweepLever(name: name, path: path, options: options))
        }
        return valid ? levers : nil
    }

    private static func readOutputs(_ node: TOMLNode?, _ reader: inout TableReader) -> [String]? {
        guard let node else {
            reader.fail(["outputs"], "missing; list the outputs to record, e.g. outputs = [\"region.gdp@2035\"]")
            return nil
        }
        guard case .array(let items) = node, !items.isEmpty else {
            reader.fail(["outputs"], "expected a non-empty list of outputs such as \"region.gdp@2035\", found \(node.foundAsTyped)")
            return nil
        }
        var outputs: [String] = []
        var valid = true
        // Errors about outputs point at the start of the line, so that those of a list
        // written on one line come out in the list's order.
        for (index, item) in items.enumerated() {
            let at = ["outputs", "[\(index)]"]
            guard case .string(let text) = item else {
                reader.fail(at, "expected a string such as \"region.gdp@2035\", found \(item.foundAsTyped)", atLineStart: true)
                valid = false
                continue
            }
            do {
                _ = try OutputMetric(parsing: text)
            } catch {
                reader.fail(at, error.message, atLineStart: true)
                valid = false
                continue
            }
            if outputs.contains(text) {
                reader.fail(at, "'\(text)' is listed twice", atLineStart: true)
                valid = false
            }
            outputs.append(text)
        }
        return valid ? outputs : nil
    }
}

extension TableReader {
    /// The errors top to bottom; those without a line (missing keys) first.
    var sortedErrors: [InputError] {
        errors.enumerated().sorted { a, b in
            let pa = (a.element.line ?? 0, a.element.column ?? 0), pb = (b.element.line ?? 0, b.element.column ?? 0)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    /// Records an error for every key of the table at `path` not in `allowed`, suggesting
    /// the nearest allowed one; `context` completes "unknown key in …" (e.g. `[sampler]`).
    mutating func rejectUnknown(_ table: [String: TOMLNode], at path: [String], allowed: [String], context: String) {
        for key in orderedKeys(table, at: path) where !allowed.contains(key) {
            if !path.isEmpty, SweepFileReader.topLevelKeys.contains(key) {
                // The easiest TOML slip: a top-level key written after a table header.
                fail(path + [key], "'\(key)' is a top-level key, but TOML puts every key written after a table header into that table; move it above [sampler]")
                continue
            }
            fail(path + [key], "unknown key in \(context)" + Spelling.suggestion(for: key, among: allowed))
        }
    }

    /// A non-empty string, or `nil` (with an error when it is wrong, or missing and
    /// `required`).
    mutating func string(_ node: TOMLNode?, _ path: [String], required: Bool) -> String? {
        guard let node else {
            if required { fail(path, "missing; expected a non-empty string") }
            return nil
        }
        guard case .string(let text) = node, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(path, "expected a non-empty string, found \(node.foundAsTyped)")
            return nil
        }
        return text
    }
}

extension TOMLNode {
    /// A finite number written as a TOML integer or float.
    fileprivate var number: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .float(let value): return value.isFinite ? value : nil
        default: return nil
        }
    }
}
