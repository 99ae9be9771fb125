// Brent's minimiser against the GSL manual's example and closed forms.
import Foundation
import TwinCityGSL
import XCTest

final class MinimizationTests: XCTestCase {
    func testMinimumOfCosineFromGSLManual() throws {
        // GSL manual, "One Dimensional Minimization" example: cos(x) + 1 on [0, 6] from the
        // guess 2; minimum at π, converged with gsl_min_test_interval(0.001, 0).
        let x = try Minimization.brent(lower: 0, upper: 6, guess: 2, absoluteTolerance: 0.001) { x in Foundation.cos(x) + 1 }
        XCTAssertEqual(x, Double.pi, accuracy: 0.001)
        // Near a smooth minimum f is flat to second order: the bracket stalls near √ε·π ≈ 5e-8
        // wide (a tolerance of 1e-10 would never be met), while the estimate is closer still.
        let tight = try Minimization.brent(lower: 0, upper: 6, guess: 2, absoluteTolerance: 1e-7) { x in Foundation.cos(x) + 1 }
        XCTAssertEqual(tight, Double.pi, accuracy: 1e-7)
        XCTAssertThrowsError(try Minimization.brent(lower: 0, upper: 6, guess: 2, absoluteTolerance: 1e-10, maxIterations: 100) { x in Foundation.cos(x) + 1 })
    }

    func testGuessThatDoesNotBracketThrowsFromSet() {
        // cos x + 1 falls over [0, 1]: f(0.5) is above f(1), so 0.5 does not bracket a minimum.
        XCTAssertThrowsError(try Minimization.brent(lower: 0, upper: 1, guess: 0.5) { x in Foundation.cos(x) + 1 }) { error in
            XCTAssertEqual((error as? GSLError)?.routine, "gsl_min_fminimizer_set")
            XCTAssertEqual((error as? GSLError)?.status, GSLStatus.invalidArgument)
        }
    }

    func testIterationLimit() {
        XCTAssertThrowsError(try Minimization.brent(lower: 0, upper: 6, guess: 2, maxIterations: 1) { x in Foundation.cos(x) + 1 }) { error in
            XCTAssertEqual((error as? GSLError)?.status, GSLStatus.maximumIterations)
        }
    }

    func testMaximizeFindsInteriorPeakAndCorners() throws {
        // −(x − 0.3)² peaks at 0.3; x·e^{−x} on [0, 0.5] rises throughout (peak at x = 1, outside).
        XCTAssertEqual(try Minimization.maximize(lower: 0, upper: 1) { x in -(x - 0.3) * (x - 0.3) }, 0.3, accuracy: 1e-7)
        XCTAssertEqual(try Minimization.maximize(lower: 0, upper: 0.5) { x in x * Foundation.exp(-x) }, 0.5)
        XCTAssertEqual(try Minimization.maximize(lower: 0, upper: 1) { x in -x }, 0)
        // A peak inside the first cell, between the corner and the first sample (1/16).
        XCTAssertEqual(try Minimization.maximize(lower: 0, upper: 1) { x in -(x - 0.02) * (x - 0.02) }, 0.02, accuracy: 1e-7)
    }
}
