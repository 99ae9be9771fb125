// MultirootSolver against the GSL manual's example and known failure cases.
import TwinCityGSL
import XCTest

final class MultirootSolverTests: XCTestCase {
    func testRosenbrockExampleFromGSLManual() throws {
        // GSL manual, "Multidimensional Root-Finding" example: f₁ = a(1 − x₀), f₂ = b(x₁ − x₀²),
        // a = 1, b = 10, start (−10, −5), residual 1e-7; hybrids reaches (1, 1) in 11 iterations.
        let a = 1.0, b = 10.0
        let solver = try MultirootSolver(dimension: 2) { x, f in
            f[0] = a * (1 - x[0])
            f[1] = b * (x[1] - x[0] * x[0])
        }
        let result = try solver.solve(from: [-10, -5], residualTolerance: 1e-7)
        XCTAssertEqual(result.x[0], 1, accuracy: 1e-7)
        XCTAssertEqual(result.x[1], 1, accuracy: 1e-7)
        XCTAssertLessThan(abs(result.residual[0]) + abs(result.residual[1]), 1e-7)
        XCTAssertEqual(result.iterations, 11, "iteration count printed in the GSL manual")

        // A second solve on the same solver from the root itself needs no iteration.
        let again = try solver.solve(from: [1, 1], residualTolerance: 1e-7)
        XCTAssertEqual(again.iterations, 0)
    }

    func testErrorThrownInFunctionComesBackUnchanged() throws {
        let sentinel = SentinelError("multiroot")
        var evaluations = 0
        let solver = try MultirootSolver(dimension: 2) { x, f in
            evaluations += 1
            if evaluations > 4 { throw sentinel }
            f[0] = x[0] - 3
            f[1] = x[1] * x[1] - 4
        }
        XCTAssertThrowsError(try solver.solve(from: [0, 10], residualTolerance: 1e-10)) { error in
            XCTAssertTrue((error as? SentinelError) === sentinel, "got \(error), expected the same instance")
        }
        // Thrown during gsl_multiroot_fsolver_set, the first evaluation.
        let early = try MultirootSolver(dimension: 1) { _, _ in throw sentinel }
        XCTAssertThrowsError(try early.solve(from: [0], residualTolerance: 1e-10)) { error in
            XCTAssertTrue((error as? SentinelError) === sentinel)
        }
    }

    func testFunctionWithoutRootThrowsMultirootFailure() throws {
        // x² + 1 > 0 everywhere: the solver must give up, carrying where it got to.
        let solver = try MultirootSolver(dimension: 1) { x, f in f[0] = x[0] * x[0] + 1 }
        XCTAssertThrowsError(try solver.solve(from: [3], residualTolerance: 1e-10, maxIterations: 500)) { error in
            guard let failure = error as? MultirootFailure else {
                return XCTFail("expected MultirootFailure, got \(error)")
            }
            XCTAssertTrue([GSLStatus.noProgress, GSLStatus.noProgressJacobian, GSLStatus.maximumIterations]
                .contains(failure.status), "status \(failure.status)")
            XCTAssertGreaterThan(failure.iterations, 0)
            XCTAssertEqual(failure.x.count, 1)
            XCTAssertGreaterThanOrEqual(failure.residual[0], 1, "x² + 1 ≥ 1")
            XCTAssertFalse(failure.description.isEmpty)
        }
    }

    func testIterationLimitThrowsMultirootFailure() throws {
        let solver = try MultirootSolver(dimension: 2) { x, f in
            f[0] = 1 - x[0]
            f[1] = 10 * (x[1] - x[0] * x[0])
        }
        XCTAssertThrowsError(try solver.solve(from: [-10, -5], residualTolerance: 1e-7, maxIterations: 2)) { error in
            let failure = error as? MultirootFailure
            XCTAssertEqual(failure?.status, GSLStatus.maximumIterations)
            XCTAssertEqual(failure?.iterations, 2)
        }
    }
}
