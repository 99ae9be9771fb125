// One swept parameter: the scenario key it sets and the values it may take, and how a point
// of the unit hypercube maps onto them.
import Foundation

/// A value a sweep parameter or lever takes: a number, a text choice such as
/// `model.decision_rule = "fixed"`, or a switch such as `policy[2].enabled = false`.
public enum ParameterValue: Sendable, Hashable, Codable {
    /// A number, in the unit of the scenario key it sets.
    case number(Double)
    /// A string value of the scenario key.
    case text(String)
    /// A boolean value of the scenario key (levers only).
    case bool(Bool)

    /// VALUE of the `KEY=VALUE` override that sets it, as TOML: a whole number without a
    /// fraction (`2030`, so keys that take TOML integers accept it), any other number in the
    /// shortest form that reads back as the same `Double` (`0.05`, `1e-05`), text as a quoted
    /// TOML string.
    public var overrideText: String {
        switch self {
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .bool(let value):
            return value ? "true" : "false"
        case .text(let text):
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        escaped += String(format: "\\u%04X", scalar.value)
                    } else {
                        escaped.unicodeScalars.append(scalar)
                    }
                }
            }
            return "\"" + escaped + "\""
        }
    }

    /// The value as shown in tables and CSV cells: numbers as in `overrideText`, text bare.
    public var label: String {
        switch self {
        case .number, .bool: return overrideText
        case .text(let text): return text
        }
    }

    /// The number, or `nil` for text.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// Reads a JSON boolean as `.bool`, a JSON number as `.number`, a JSON string as `.text`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    /// Writes the bare number or string, untagged.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let text): try container.encode(text)
        case .bool(let value): try container.encode(value)
        }
    }
}

/// How a range of numbers is spread over the unit interval.
public enum ParameterScale: String, Sendable, Codable, CaseIterable {
    /// Evenly: `min + u · (max − min)`.
    case linear
    /// Evenly in the logarithm: `min · (max / min)^u`, for positive ranges spanning orders
    /// of magnitude.
    case log
}

/// A parameter of a sweep: a scenario key path (`model.migration_rate`,
/// `model.sectors.services.elasticity`, `policy[1].share`, `time.end`) and its domain.
public struct SweepParameter: Sendable, Equatable, Codable {
    /// The domain of a parameter.
    public enum Domain: Sendable, Equatable {
        /// A list of values, in the order given (at least one).
        case values([ParameterValue])
        /// Numbers from `min` to `max` (min < max, both in the key's unit), spread by `scale`;
        /// a grid takes `levels` evenly spread values including both ends.
        case range(min: Double, max: Double, scale: ParameterScale, levels: Int?)
    }

    /// The scenario key path the parameter sets, as accepted by `--set KEY=VALUE`.
    public var path: String
    /// The values the parameter may take.
    public var domain: Domain

    /// A parameter setting `path` over `domain`.
    public init(path: String, domain: Domain) {
        self.path = path
        self.domain = domain
    }

    /// The value at the unit coordinate `u` in [0, 1]: for a range, `min + u (max − min)`
    /// (linear) or `min (max/min)^u` (log), with u = 1 giving `max` exactly; for a list,
    /// element ⌊u · count⌋, the last one for u = 1, so each element takes an equal share of
    /// the interval.
    public func value(atUnit u: Double) -> ParameterValue {
        switch domain {
        case .values(let values):
            return values[min(Int(u * Double(values.count)), values.count - 1)]
        case .range(let low, let high, let scale, _):
            if u >= 1 { return .number(high) }
            switch scale {
            case .linear: return .number(low + u * (high - low))
            case .log: return .number(low * Foundation.pow(high / low, u))
            }
        }
    }

    /// The values of a grid: the list as given, or `levels` values from `min` to `max`
    /// (both included) at equal steps of u = k / (levels − 1).
    public var gridLevels: [ParameterValue] {
        switch domain {
        case .values(let values):
            return values
        case .range(let low, _, _, let levels):
            guard let levels, levels >= 2 else { return [.number(low)] }
            return (0..<levels).map { value(atUnit: Double($0) / Double(levels - 1)) }
        }
    }

    /// How many values `gridLevels` holds, without building them: a file may ask for more
    /// levels than memory can hold, and such a sweep is refused on its point count before
    /// any level is built.
    var gridLevelCount: Int {
        switch domain {
        case .values(let values): return values.count
        case .range(_, _, _, let levels): return levels.map { $0 >= 2 ? $0 : 1 } ?? 1
        }
    }

    /// The distinct values a test override should try to check the whole domain: every
    /// listed value, or both ends of a range.
    var boundaryValues: [ParameterValue] {
        switch domain {
        case .values(let values): return values
        case .range(let low, let high, _, _): return [.number(low), .number(high)]
        }
    }

    // MARK: - Codable, as in the canonical form of a sweep

    private enum CodingKeys: String, CodingKey {
        case path, values, min, max, scale, levels
    }

    /// Reads `{path, values}` or `{path, min, max, scale, levels?}`, as `encode(to:)` writes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        path = try container.decode(String.self, forKey: .path)
        if let values = try container.decodeIfPresent([ParameterValue].self, forKey: .values) {
            domain = .values(values)
        } else {
            domain = .range(
                min: try container.decode(Double.self, forKey: .min),
                max: try container.decode(Double.self, forKey: .max),
                scale: try container.decode(ParameterScale.self, forKey: .scale),
                levels: try container.decodeIfPresent(Int.self, forKey: .levels))
        }
    }

    /// Writes `{path, values}` for a list, `{path, min, max, scale, levels?}` for a range.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        switch domain {
        case .values(let values):
            try container.encode(values, forKey: .values)
        case .range(let low, let high, let scale, let levels):
            try container.encode(low, forKey: .min)
            try container.encode(high, forKey: .max)
            try container.encode(scale, forKey: .scale)
            try container.encodeIfPresent(levels, forKey: .levels)
        }
    }
}
