// SobolSequence against GSL's documented points and its dimension limit.
import TwinCityGSL
import XCTest

final class SobolSequenceTests: XCTestCase {
    func testFirstTwoDimensionalPointsMatchGSLManual() throws {
        // GSL manual, "Quasi-Random Sequences" example output. The values are dyadic rationals,
        // exactly representable, so the bound is exact equality.
        let sobol = try SobolSequence(dimension: 2)
        XCTAssertEqual(sobol.dimension, 2)
        XCTAssertEqual(sobol.next(), [0.5, 0.5])
        XCTAssertEqual(sobol.next(), [0.75, 0.25])
        XCTAssertEqual(sobol.next(), [0.25, 0.75])
    }

    func testSkipMatchesDrawing() throws {
        let drawn = try SobolSequence(dimension: 5)
        let skipped = try SobolSequence(dimension: 5)
        for _ in 0..<17 { _ = drawn.next() }
        skipped.skip(17)
        XCTAssertEqual(drawn.next(), skipped.next(), "dyadic points: exact")
    }

    func testMaximumDimensionIsFortyInGSL27() throws {
        XCTAssertEqual(SobolSequence.maximumDimension, 40)  // gsl_qrng_sobol->max_dimension, GSL 2.7 source
        let sobol = try SobolSequence(dimension: SobolSequence.maximumDimension)
        XCTAssertTrue(sobol.next().allSatisfy { $0 >= 0 && $0 < 1 })
    }

    func testDimensionAboveMaximumOrBelowOneThrows() {
        for dimension in [SobolSequence.maximumDimension + 1, 0, -3] {
            do {
                _ = try SobolSequence(dimension: dimension)
                XCTFail("dimension \(dimension) was accepted")
            } catch {
                XCTAssertEqual(error.routine, "gsl_qrng_alloc")
                XCTAssertEqual(error.status, GSLStatus.invalidArgument)
                XCTAssertTrue(error.reason.contains("\(dimension)"), error.reason)
            }
        }
    }
}
