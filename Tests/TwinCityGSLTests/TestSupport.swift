// Helpers shared by the GSL layer's tests; tolerances (`assertRelativelyClose`) come from
// TwinCityTestSupport.
@_exported import TwinCityTestSupport
import XCTest

/// An error with identity, so a test can tell that the very instance thrown inside a GSL callback
/// is the one that came back out.
final class SentinelError: Error, CustomStringConvertible {
    let label: String
    init(_ label: String) { self.label = label }
    var description: String { "SentinelError(\(label))" }
}
