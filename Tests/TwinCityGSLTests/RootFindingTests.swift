// Brent's method against the GSL manual's example.
import TwinCityGSL
import XCTest

final class RootFindingTests: XCTestCase {
    func testSquareRootOfFiveFromGSLManual() throws {
        // GSL manual, "One Dimensional Root-Finding" example: x² − 5 on [0, 5]; root √5, bound 1e-10.
        let root = try RootFinding.brent(lower: 0, upper: 5) { x in x * x - 5 }
        XCTAssertEqual(root, 5.0.squareRoot(), accuracy: 1e-10)
    }

    func testSameSignBracketThrowsFromFsolverSet() {
        XCTAssertThrowsError(try RootFinding.brent(lower: 3, upper: 5) { x in x * x - 5 }) { error in
            let gslError = error as? GSLError
            XCTAssertEqual(gslError?.routine, "gsl_root_fsolver_set")
            XCTAssertEqual(gslError?.status, GSLStatus.invalidArgument)
        }
    }

    func testErrorThrownInFunctionComesBackUnchanged() {
        let sentinel = SentinelError("brent")
        var calls = 0
        XCTAssertThrowsError(try RootFinding.brent(lower: 0, upper: 5) { x in
            calls += 1
            if calls > 3 { throw sentinel }
            return x * x - 5
        }) { error in
            XCTAssertTrue((error as? SentinelError) === sentinel, "got \(error)")
        }
    }

    func testNonFiniteFunctionValueIsBadFunction() {
        XCTAssertThrowsError(try RootFinding.brent(lower: -1, upper: 1) { x in x > 0.2 ? .nan : x }) { error in
            XCTAssertEqual((error as? GSLError)?.status, GSLStatus.badFunction)
        }
    }

    func testIterationLimit() {
        XCTAssertThrowsError(try RootFinding.brent(lower: 0, upper: 5, maxIterations: 1) { x in x * x - 5 }) { error in
            XCTAssertEqual((error as? GSLError)?.status, GSLStatus.maximumIterations)
        }
    }
}
