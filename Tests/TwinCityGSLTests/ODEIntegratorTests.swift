// ODEIntegrator against closed-form solutions.
import TwinCityGSL
import XCTest

final class ODEIntegratorTests: XCTestCase {
    func testLogisticGrowthMatchesClosedForm() throws {
        // y' = r·y·(1 − y) has y(t) = 1 / (1 + (1/y₀ − 1)·e^(−r·t)).
        let r = 0.7, y0 = 0.1
        let integrator = try ODEIntegrator(dimension: 1, stepType: .rk8pd) { _, y, dydt in
            dydt[0] = r * y[0] * (1 - y[0])
        }
        for t1 in [1.0, 5.0, 20.0] {
            var y = [y0]
            try integrator.integrate(&y, from: 0, to: t1)
            let exact = 1 / (1 + (1 / y0 - 1) * exp(-r * t1))
            assertRelativelyClose(y[0], exact, tolerance: 1e-10, "logistic at t = \(t1), rk8pd, tolerances 1e-10")
            XCTAssertGreaterThan(integrator.lastStepCount, 0)
        }
    }

    func testHarmonicOscillatorKeepsClosedFormAndEnergy() throws {
        // x'' = −ω²x with x(0) = 1, x'(0) = 0 has x = cos ωt, x' = −ω sin ωt, energy ω²x² + x'² = ω².
        let omega = 2.0
        let integrator = try ODEIntegrator(dimension: 2) { _, y, dydt in
            dydt[0] = y[1]
            dydt[1] = -omega * omega * y[0]
        }
        var y = [1.0, 0.0]
        let t1 = 10.0
        try integrator.integrate(&y, from: 0, to: t1)
        // Absolute bound 1e-8 over ~3 periods at local tolerances 1e-10.
        XCTAssertEqual(y[0], cos(omega * t1), accuracy: 1e-8)
        XCTAssertEqual(y[1], -omega * sin(omega * t1), accuracy: 1e-8)
        assertRelativelyClose(omega * omega * y[0] * y[0] + y[1] * y[1], omega * omega, tolerance: 1e-8, "energy")

        // Integrating backwards must return to the initial state (same bound).
        try integrator.integrate(&y, from: t1, to: 0)
        XCTAssertEqual(y[0], 1, accuracy: 1e-8)
        XCTAssertEqual(y[1], 0, accuracy: 1e-8)
    }

    func testExponentialDecayWithRKF45() throws {
        // y' = −k·y has y(t) = y₀·e^(−k·t). rkf45 is 5th order: relative bound 1e-8 at tolerances 1e-10.
        let k = 0.3
        let integrator = try ODEIntegrator(dimension: 1, stepType: .rkf45) { _, y, dydt in
            dydt[0] = -k * y[0]
        }
        var y = [4.0]
        try integrator.integrate(&y, from: 0, to: 5)
        assertRelativelyClose(y[0], 4 * exp(-k * 5), tolerance: 1e-8, "rkf45 decay")
    }

    func testEveryStepTypeSolvesDecay() throws {
        for stepType in ODEStepType.allCases {
            let integrator = try ODEIntegrator(dimension: 1, stepType: stepType,
                                               absoluteTolerance: 1e-9, relativeTolerance: 1e-9) { _, y, dydt in
                dydt[0] = -y[0]
            }
            var y = [1.0]
            try integrator.integrate(&y, from: 0, to: 2)
            // Local tolerances 1e-9 over ~100 steps: relative bound 1e-6 for every stepper.
            assertRelativelyClose(y[0], exp(-2.0), tolerance: 1e-6, "\(stepType)")
        }
    }

    func testRepeatedCallsDoNotDependOnHistory() throws {
        let integrator = try ODEIntegrator(dimension: 1) { t, y, dydt in dydt[0] = cos(t) * y[0] }
        var first = [1.0]
        try integrator.integrate(&first, from: 0, to: 3)
        let steps = integrator.lastStepCount
        var other = [2.0]
        try integrator.integrate(&other, from: 0, to: 7)
        var again = [1.0]
        try integrator.integrate(&again, from: 0, to: 3)
        XCTAssertEqual(first[0].bitPattern, again[0].bitPattern, "each call starts afresh: bitwise equal")
        XCTAssertEqual(integrator.lastStepCount, steps)

        var unchanged = [1.5]
        try integrator.integrate(&unchanged, from: 2, to: 2)
        XCTAssertEqual(unchanged, [1.5], "an empty interval leaves y exactly as it was")
        XCTAssertEqual(integrator.lastStepCount, 0)
    }

    func testErrorThrownInDerivativeComesBackUnchanged() throws {
        let sentinel = SentinelError("derivative")
        var calls = 0
        let integrator = try ODEIntegrator(dimension: 1) { t, y, dydt in
            calls += 1
            if t > 0.5 { throw sentinel }
            dydt[0] = y[0]
        }
        var y = [1.0]
        XCTAssertThrowsError(try integrator.integrate(&y, from: 0, to: 1)) { error in
            XCTAssertTrue((error as? SentinelError) === sentinel, "got \(error), expected the same instance")
        }
        // The integrator is usable again afterwards, and the stored error does not leak.
        let callsBefore = calls
        var z = [1.0]
        try integrator.integrate(&z, from: 0, to: 0.25)
        XCTAssertGreaterThan(calls, callsBefore)
        assertRelativelyClose(z[0], exp(0.25), tolerance: 1e-10, "after an error")
    }

    func testStepLimitThrowsGSLError() throws {
        let integrator = try ODEIntegrator(dimension: 1) { _, y, dydt in dydt[0] = -y[0] }
        XCTAssertEqual(integrator.maximumSteps, 1_000_000)
        integrator.maximumSteps = 3
        XCTAssertEqual(integrator.maximumSteps, 3)
        var y = [1.0]
        XCTAssertThrowsError(try integrator.integrate(&y, from: 0, to: 1000)) { error in
            let gslError = error as? GSLError
            XCTAssertEqual(gslError?.routine, "gsl_odeiv2_driver_apply")
            XCTAssertEqual(gslError?.status, GSLStatus.maximumIterations)
        }
    }

    func testInvalidArgumentsThrow() {
        XCTAssertThrowsError(try ODEIntegrator(dimension: 0) { _, _, _ in }) { error in
            XCTAssertEqual((error as? GSLError)?.status, GSLStatus.invalidArgument)
        }
        XCTAssertThrowsError(try ODEIntegrator(dimension: 1, initialStep: 0) { _, _, _ in })
        XCTAssertThrowsError(try ODEIntegrator(dimension: 1, absoluteTolerance: -1) { _, _, _ in })
    }
}
