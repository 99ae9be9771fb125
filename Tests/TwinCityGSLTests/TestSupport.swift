// Helpers shared by the GSL layer's tests.
import XCTest

/// An error with identity, so a test can tell that the very instance thrown inside a GSL callback
/// is the one that came back out.
final class SentinelError: Error, CustomStringConvertible {
    let label: String
    init(_ label: String) { self.label = label }
    var description: String { "SentinelError(\(label))" }
}

/// Asserts |actual − expected| ≤ tolerance·|expected| (a relative bound).
func assertRelativelyClose(_ actual: Double, _ expected: Double, tolerance: Double,
                           _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let error = abs(actual - expected) / abs(expected)
    XCTAssertLessThanOrEqual(error, tolerance,
                             "relative error \(error) of \(actual) vs \(expected) exceeds \(tolerance). \(message)",
                             file: file, line: line)
}
