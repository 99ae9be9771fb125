// Comparisons of computed numbers with their references, each with its stated tolerance.
import Foundation
import XCTest

/// |a − b| / max(|a|, |b|, tiny): symmetric, and defined when both are zero.
public func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), .leastNormalMagnitude)
}

/// The largest `relativeError` of corresponding elements.
public func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, relativeError($1.0, $1.1)) }
}

/// Fails unless `actual` and `expected` have the same length and agree to `tolerance` relative.
public func assertClose(_ actual: [Double], _ expected: [Double], relative tolerance: Double,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "lengths differ " + message, file: file, line: line)
    for (a, e) in zip(actual, expected) where relativeError(a, e) > tolerance {
        XCTFail("\(actual) differs from \(expected) by more than \(tolerance) relative " + message, file: file, line: line)
        return
    }
}

/// Asserts |actual − expected| ≤ tolerance·|expected| (a bound relative to the reference).
public func assertRelativelyClose(_ actual: Double, _ expected: Double, tolerance: Double,
                                  _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let error = abs(actual - expected) / abs(expected)
    XCTAssertLessThanOrEqual(error, tolerance,
                             "relative error \(error) of \(actual) vs \(expected) exceeds \(tolerance). \(message)",
                             file: file, line: line)
}
