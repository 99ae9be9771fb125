// Conditions on a sweep's outputs, as given on the command line: `region.gdp@2035 >= 130000`,
// joined by `and`. Satisficing criteria of `--robustness` and the cases of interest of
// `--discover` are both written this way.
import Foundation
import TwinCityExport
import TwinCityScenario

/// One comparison of a recorded output with a number.
public struct OutputCondition: Sendable, Equatable {
    /// The comparison operators.
    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">="
        case atMost = "<="
        case above = ">"
        case below = "<"

        /// Whether `value` satisfies `value <op> threshold`; false for NaN.
        func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .atLeast: return value >= threshold
            case .atMost: return value <= threshold
            case .above: return value > threshold
            case .below: return value < threshold
            }
        }
    }

    /// The output, as named in the sweep file's `outputs`.
    public var metric: String
    /// How it is compared.
    public var comparison: Comparison
    /// The number it is compared with, in the output's unit.
    public var threshold: Double

    /// True when `value` is defined and satisfies the comparison.
    public func holds(_ value: Double) -> Bool {
        value.isFinite && comparison.holds(value, threshold)
    }

    /// `metric op threshold`, as it would be written.
    public var text: String { "\(metric) \(comparison.rawValue) \(ParameterValue.number(threshold).label)" }
}

/// Conditions joined by `and`: `region.gdp@2035 >= 130000 and region.theil@2035 <= 0.03`.
public struct OutputConditions: Sendable, Equatable {
    /// The comparisons, all of which must hold.
    public var terms: [OutputCondition]
    /// The text as given.
    public var text: String

    /// Parses `text` given as `option` (for messages, e.g. `--satisfice`) against the
    /// sweep's `outputs`.
    ///
    /// - Throws: `SweepUsageError` naming the option and the text: a malformed expression
    ///   (what is expected), or an output the sweep does not record (with the nearest one).
    public init(parsing text: String, option: String, outputs: [String]) throws(SweepUsageError) {
        let example = "expected OUTPUT OP NUMBER with OP one of >=, <=, >, <, e.g. \"region.gdp@2035 >= 130000\", terms joined by 'and'"
        let parts = text.components(separatedBy: " and ")
        var terms: [OutputCondition] = []
        for part in parts {
            let term = part.trimmingCharacters(in: .whitespaces)
            // Two-character operators first, so ">=" is not read as ">".
            let found = OutputCondition.Comparison.allCases.compactMap { op -> (OutputCondition.Comparison, Range<String.Index>)? in
                term.range(of: op.rawValue).map { (op, $0) }
            }.min { $0.1.lowerBound < $1.1.lowerBound || ($0.1.lowerBound == $1.1.lowerBound && $0.0.rawValue.count > $1.0.rawValue.count) }
            guard let (op, range) = found else {
                throw SweepUsageError("\(option) '\(text)': no comparison in '\(term)'; \(example)")
            }
            let metric = term[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let number = term[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !metric.contains(where: { " \t<>=!".contains($0) }), !number.contains(where: { "<>=!".contains($0) }) else {
                throw SweepUsageError("\(option) '\(text)': malformed comparison '\(term)'; \(example)")
            }
            guard !metric.isEmpty else {
                throw SweepUsageError("\(option) '\(text)': no output before '\(op.rawValue)'; \(example)")
            }
            guard let threshold = Double(number), threshold.isFinite else {
                throw SweepUsageError("\(option) '\(text)': '\(number)' after '\(op.rawValue)' is not a finite number; \(example)")
            }
            guard outputs.contains(metric) else {
                let hint = Spelling.suggestion(for: metric, among: outputs)
                throw SweepUsageError("\(option) '\(text)': the sweep does not record '\(metric)'\(hint) (it records " + outputs.map { "'\($0)'" }.joined(separator: ", ") + ")")
            }
            terms.append(OutputCondition(metric: metric, comparison: op, threshold: threshold))
        }
        self.terms = terms
        self.text = text
    }

    /// Whether every term holds for the outputs `values` (by metric); `nil` when an output a
    /// term needs is not defined.
    public func holds(_ values: [String: Double]) -> Bool? {
        var all = true
        for term in terms {
            guard let value = values[term.metric], value.isFinite else { return nil }
            if !term.holds(value) { all = false }
        }
        return all
    }
}
