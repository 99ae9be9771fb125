// Separate GSL wrapper instances per task give the same bits as a serial run.
import TwinCityGSL
import XCTest

/// One task's worth of GSL work, seeded by stream `index`: random draws, an ODE whose parameters
/// come from them, a nonlinear solve, a root, BLAS and a Sobol point. Returns every result's bits.
private func gslWorkload(index: Int) throws -> [UInt64] {
    let rng = RandomGenerator(master: 20_240_601, stream: UInt64(index))
    var bits = (0..<2000).map { _ in rng.gaussian(standardDeviation: 1.5).bitPattern }
    bits += (0..<100).map { _ in UInt64(rng.poisson(mean: 4)) }

    let growth = 0.2 + rng.uniform()
    let ode = try ODEIntegrator(dimension: 2) { t, y, dydt in
        dydt[0] = growth * y[0] * (1 - y[0])
        dydt[1] = -y[1] + sin(t)
    }
    var y = [0.05, 1.0]
    try ode.integrate(&y, from: 0, to: 15)
    bits += y.map(\.bitPattern)

    let target = 1 + 4 * rng.uniform()
    let solver = try MultirootSolver(dimension: 2) { x, f in
        f[0] = x[0] * x[0] - target
        f[1] = x[1] - 0.1 * x[0] * x[1] - 1
    }
    let solution = try solver.solve(from: [1, 1], residualTolerance: 1e-12)
    bits += solution.x.map(\.bitPattern) + [UInt64(solution.iterations)]

    bits.append(try RootFinding.brent(lower: 0, upper: 10) { x in x * x * x - target }.bitPattern)

    let matrix = (0..<64).map { _ in rng.uniform() }
    var product = [Double](repeating: 0, count: 8)
    BLAS.gemv(rows: 8, columns: 8, a: matrix, x: Array(matrix[0..<8]), y: &product)
    bits += product.map(\.bitPattern)

    let sobol = try SobolSequence(dimension: 3)
    sobol.skip(index)
    bits += sobol.next().map(\.bitPattern)
    return bits
}

final class ConcurrencyDeterminismTests: XCTestCase {
    func testTaskGroupMatchesSerialRunBitwise() async throws {
        let taskCount = 8
        let serial = try (0..<taskCount).map { try gslWorkload(index: $0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, [UInt64]).self) { group in
            for index in 0..<taskCount {
                group.addTask { (index, try gslWorkload(index: index)) }
            }
            var results = [[UInt64]](repeating: [], count: taskCount)
            for try await (index, bits) in group { results[index] = bits }
            return results
        }
        // Bit patterns, not tolerances: the same seed must give the very same doubles.
        for index in 0..<taskCount {
            XCTAssertEqual(parallel[index], serial[index], "task \(index)")
        }
        XCTAssertNotEqual(serial[0], serial[1], "different streams must give different work")
    }
}
