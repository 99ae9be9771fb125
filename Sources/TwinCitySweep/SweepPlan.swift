// A sweep checked completely before anything runs: the file, the base scenario, every swept
// key path (each tried as an override through the scenario loader) and every output.
import Foundation
import TwinCityModel
import TwinCityScenario

/// A sweep ready to run: its definition, base scenario and design, all checked.
public struct SweepPlan: Sendable {
    /// The sweep file as read.
    public let file: SweepFile
    /// The design's points.
    public let design: SamplingDesign
    /// The base scenario with the sweep's `set` overrides (seed and policies as written).
    public let baseScenario: Scenario

    /// The sweep.
    public var definition: SweepDefinition { file.definition }

    /// What runs each point.
    public var executor: SweepRunExecutor {
        SweepRunExecutor(definition: definition, design: design, scenarioPath: file.scenarioPath)
    }

    /// Key paths a sweep may not set: the sweep itself decides each run's seed and count.
    static let reservedPaths = [
        "run.seed": "each run's seed derives from the sweep's seed (docs/SWEEPS.md, \"Seeds\"); change seed in the sweep file",
        "run.replications": "a sweep runs each point replications times; set replications in the sweep file",
    ]

    /// Reads the sweep file at `path` and checks everything a run depends on.
    ///
    /// In order: the sweep file itself (`SweepFileReader`); the base scenario with the
    /// sweep's `set` overrides (`ScenarioLoader.validate`, roster included) and its
    /// calibration; each parameter, by loading the base scenario with a test override for
    /// every listed value or both ends of its range, so that an unknown key path is refused
    /// with the loader's nearest valid key and a value outside the key's range with its
    /// range; and each output, against the roster's cities and zones, the sectors, the
    /// columns of region.csv and cities.csv and the years the base scenario records.
    ///
    /// - Throws: `InputError`/`InputErrors` naming the sweep file, line and key
    ///   (`parameter[0].path`, `outputs[2]`); `SweepValidationError` with the base scenario's
    ///   own errors after the sweep file's line; `ScenarioError` when the base scenario
    ///   cannot be calibrated.
    public static func load(path: String) throws -> SweepPlan {
        let file = try SweepFileReader.read(path: path)
        let definition = file.definition
        var errors: [InputError] = []

        for text in definition.fixed {
            if let reason = reservedPaths[key(of: text)] {
                errors.append(file.error(["set"], "'\(text)': \(reason)"))
            }
        }
        let table = definition.levers.isEmpty ? "parameter" : "uncertainty"
        for (k, parameter) in definition.parameters.enumerated() {
            if let reason = reservedPaths[parameter.path] {
                errors.append(file.error([table, "[\(k)]", "path"], "'\(parameter.path)': \(reason)"))
            }
        }
        for (k, lever) in definition.levers.enumerated() {
            if let reason = reservedPaths[lever.path] {
                errors.append(file.error(["lever", "[\(k)]", "path"], "'\(lever.path)': \(reason)"))
            }
        }

        let base: Scenario
        do {
            base = try ScenarioLoader.validate(path: file.scenarioPath, overrides: definition.fixed)
        } catch let error as UserInputError {
            // The scenario's own errors name its file; those of `set` name the sweep file.
            let lines = error.description.split(separator: "\n").map { line in
                line.hasPrefix("--set: ") ? "\(path): set: " + line.dropFirst("--set: ".count) : String(line)
            }
            throw SweepValidationError(lines: [
                file.error(["scenario"], "the base scenario \(file.scenarioPath) is refused (with the sweep's set overrides):").description,
            ] + lines)
        }
        let (setup, parameters, _) = try ScenarioLoader.prepare(base)

        for (k, parameter) in definition.parameters.enumerated() where reservedPaths[parameter.path] == nil {
            for value in parameter.boundaryValues {
                let override = "\(parameter.path)=\(value.overrideText)"
                do {
                    _ = try ScenarioLoader.load(path: file.scenarioPath, overrides: definition.fixed + [override])
                } catch let error as UserInputError {
                    let at: [String] = {
                        guard case .values = parameter.domain else { return [table, "[\(k)]", "path"] }
                        return [table, "[\(k)]", "values"]
                    }()
                    errors.append(file.error(at, "the base scenario refuses \(override): " + Self.reasons(error).joined(separator: "; ")))
                    break
                }
            }
        }

        // Each lever option must be a value its key takes: tried as an override, as above.
        for (k, lever) in definition.levers.enumerated() where reservedPaths[lever.path] == nil {
            for option in lever.options {
                let override = "\(lever.path)=\(option.overrideText)"
                do {
                    _ = try ScenarioLoader.load(path: file.scenarioPath, overrides: definition.fixed + [override])
                } catch let error as UserInputError {
                    errors.append(file.error(["lever", "[\(k)]", "options"],
                        "option \(option.label) is not a valid value of '\(lever.path)': the base scenario refuses \(override): "
                            + Self.reasons(error).joined(separator: "; ")))
                    break
                }
            }
        }

        let context = OutputContext(cities: setup.cities, sectors: parameters.sectors.map(\.id), dt: base.settings.dt)
        let years = (0...base.settings.tickCount).map { base.settings.startYear + Double($0) * base.settings.dt }
        for (k, text) in definition.outputs.enumerated() {
            // Checked when the file was read.
            let metric = try! OutputMetric(parsing: text)
            if case .failure(let error) = OutputExtractor.resolve(metric, in: context) {
                errors.append(file.error(["outputs", "[\(k)]"], error.message, atLineStart: true))
                continue
            }
            if !years.contains(where: { OutputCollector.sameYear($0, metric.year) }) {
                let shown = years.count > 4
                    ? "\(label(years[0])), \(label(years[1])), …, \(label(years[years.count - 1]))"
                    : years.map(label).joined(separator: ", ")
                errors.append(file.error(["outputs", "[\(k)]"],
                    "'\(text)': year \(label(metric.year)) is not recorded; the base scenario records \(shown)", atLineStart: true))
            }
        }
        try InputErrors.throwIfAny(errors.enumerated().sorted { a, b in
            let pa = a.element.line ?? 0, pb = b.element.line ?? 0
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element))
        let design = try SamplingDesign(definition)
        return SweepPlan(file: file, design: design, baseScenario: base)
    }

    /// The key of a `KEY=VALUE` text.
    static func key(of override: String) -> String {
        String(override.prefix { $0 != "=" }).trimmingCharacters(in: .whitespaces)
    }

    static func label(_ year: Double) -> String {
        ParameterValue.number((year * 1e9).rounded() / 1e9).label
    }

    /// The key and message of each error inside an input error; the whole description for
    /// an error that is not an `InputError` (a roster or calibration problem).
    static func reasons(_ error: UserInputError) -> [String] {
        switch error {
        case let error as InputError: return [reason(error)]
        case let errors as InputErrors: return errors.errors.map(reason)
        default: return [error.description]
        }
    }

    /// `key 'k': message`, with the loader's suggestion of a key (`did you mean 'x'?`, the
    /// last segment only) given as the whole key path a sweep parameter would use.
    static func reason(_ error: InputError) -> String {
        guard let key = error.key else { return error.message }
        var message = error.message
        let marker = "did you mean '"
        if let start = message.range(of: marker), let end = message[start.upperBound...].firstIndex(of: "'") {
            let suggested = String(message[start.upperBound..<end])
            var segments = key.split(separator: ".").map(String.init)
            if segments.count > 1, !suggested.contains(".") {
                segments[segments.count - 1] = suggested
                message.replaceSubrange(start.upperBound..<end, with: segments.joined(separator: "."))
            }
        }
        return "key '\(key)': " + message
    }
}

/// Problems found while checking a sweep against its base scenario, one per line: the
/// sweep file's line first, then the scenario's own errors as the loader reports them.
public struct SweepValidationError: UserInputError, Sendable {
    /// The lines of the report.
    public var lines: [String]

    /// The lines, joined by line breaks.
    public var description: String { lines.joined(separator: "\n") }
}
