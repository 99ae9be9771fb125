// BLAS products against naive loops on small integer matrices (exact in Double).
import TwinCityGSL
import XCTest

final class BLASTests: XCTestCase {
    /// Element (i, j) of a row-major matrix with `columns` columns, or of its transpose.
    private func element(_ m: [Double], columns: Int, _ i: Int, _ j: Int, transposed: Bool) -> Double {
        transposed ? m[j * columns + i] : m[i * columns + j]
    }

    private func integers(_ count: Int, seed: Int) -> [Double] {
        (0..<count).map { Double(($0 * 7 + seed * 13) % 11 - 5) }
    }

    func testGemvBothTransposesAgainstNaiveLoop() {
        let rows = 3, columns = 4
        let a = integers(rows * columns, seed: 1)
        for transpose in [false, true] {
            let (outLength, inLength) = transpose ? (columns, rows) : (rows, columns)
            let x = integers(inLength, seed: 2)
            let y0 = integers(outLength, seed: 3)
            var expected = y0
            for i in 0..<outLength {
                var sum = 0.0
                for j in 0..<inLength { sum += element(a, columns: columns, i, j, transposed: transpose) * x[j] }
                expected[i] = 2 * sum + 3 * y0[i]
            }
            var y = y0
            BLAS.gemv(transpose: transpose, rows: rows, columns: columns, alpha: 2, a: a, x: x, beta: 3, y: &y)
            // Small integers: every product and sum is exact, so equality is the right bound.
            XCTAssertEqual(y, expected, "transpose \(transpose)")
        }
    }

    func testGemvPointerFormIgnoresUninitializedYWhenBetaIsZero() {
        let a: [Double] = [1, 2, 3, 4]
        let x: [Double] = [1, 1]
        var y: [Double] = [.nan, .nan]
        a.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    BLAS.gemv(rows: 2, columns: 2, a: a.baseAddress!, x: x.baseAddress!, y: y.baseAddress!)
                }
            }
        }
        XCTAssertEqual(y, [3, 7], "exact integer arithmetic")
    }

    func testGemmAllTransposeCombinationsAgainstNaiveLoop() {
        let m = 3, n = 2, k = 4
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = integers(m * k, seed: 4)  // stored m×k, or k×m when transposed
                let b = integers(k * n, seed: 5)  // stored k×n, or n×k when transposed
                let c0 = integers(m * n, seed: 6)
                var expected = c0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            sum += element(a, columns: transposeA ? m : k, i, p, transposed: transposeA)
                                * element(b, columns: transposeB ? k : n, p, j, transposed: transposeB)
                        }
                        expected[i * n + j] = -1 * sum + 2 * c0[i * n + j]
                    }
                }
                var c = c0
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          alpha: -1, a: a, b: b, beta: 2, c: &c)
                XCTAssertEqual(c, expected, "transposeA \(transposeA), transposeB \(transposeB): exact integer arithmetic")
            }
        }
    }

    func testGemmEmptyInnerDimensionScalesC() {
        var c: [Double] = [1, 2, 3, 4]
        BLAS.gemm(m: 2, n: 2, k: 0, a: [], b: [], beta: 0.5, c: &c)
        XCTAssertEqual(c, [0.5, 1, 1.5, 2], "halving is exact")
    }

    func testDot() {
        XCTAssertEqual(BLAS.dot([1, 2, 3], [4, -5, 6]), 12, "1·4 − 2·5 + 3·6, exact")
        XCTAssertEqual(BLAS.dot([], []), 0)
    }
}
