// Dense matrix–vector and matrix–matrix products through GSL's CBLAS (gslcblas).
import CGSL

/// Level 1–3 BLAS on row-major dense `Double` matrices, via GSL's CBLAS interface.
///
/// Sizes are element counts; they must fit in `Int32`, the CBLAS index type. Zero-sized products
/// follow the reference BLAS quick returns.
package enum BLAS {
    /// y ← alpha·op(A)·x + beta·y (`cblas_dgemv`, `CblasRowMajor`), where A is `rows`×`columns`
    /// row-major and op(A) is A, or Aᵀ when `transpose` is true.
    ///
    /// `x` has `columns` elements (`rows` when transposed) and `y` has `rows` (`columns` when
    /// transposed). When `beta` is 0, `y` need not be initialized. `y` must not overlap `a` or `x`.
    package static func gemv(transpose: Bool = false, rows: Int, columns: Int, alpha: Double = 1,
                            a: UnsafePointer<Double>, x: UnsafePointer<Double>,
                            beta: Double = 0, y: UnsafeMutablePointer<Double>) {
        precondition(rows >= 0 && columns >= 0, "matrix sizes must be non-negative, got \(rows)×\(columns)")
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                    alpha, a, Int32(max(columns, 1)), x, 1, beta, y, 1)
    }

    /// y ← alpha·op(A)·x + beta·y on arrays (`cblas_dgemv`); see the pointer form. Traps when the
    /// array sizes do not match `rows` and `columns`.
    package static func gemv(transpose: Bool = false, rows: Int, columns: Int, alpha: Double = 1,
                            a: [Double], x: [Double], beta: Double = 0, y: inout [Double]) {
        precondition(rows >= 0 && columns >= 0, "matrix sizes must be non-negative, got \(rows)×\(columns)")
        precondition(a.count == rows * columns, "A has \(a.count) elements, expected \(rows)×\(columns)")
        precondition(x.count == (transpose ? rows : columns), "x has \(x.count) elements, expected \(transpose ? rows : columns)")
        precondition(y.count == (transpose ? columns : rows), "y has \(y.count) elements, expected \(transpose ? columns : rows)")
        // Reference BLAS leaves y untouched when A is empty; empty arrays may have no base address.
        guard rows > 0 && columns > 0 else { return }
        a.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { y in
                    gemv(transpose: transpose, rows: rows, columns: columns, alpha: alpha,
                         a: a.baseAddress!, x: x.baseAddress!, beta: beta, y: y.baseAddress!)
                }
            }
        }
    }

    /// C ← alpha·op(A)·op(B) + beta·C (`cblas_dgemm`, `CblasRowMajor`), where op(A) is `m`×`k`,
    /// op(B) is `k`×`n` and C is `m`×`n`, all row-major.
    ///
    /// A is stored `m`×`k` (`k`×`m` when `transposeA`), B `k`×`n` (`n`×`k` when `transposeB`).
    /// When `beta` is 0, `c` need not be initialized. `c` must not overlap `a` or `b`.
    package static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Double = 1, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                            beta: Double = 0, c: UnsafeMutablePointer<Double>) {
        precondition(m >= 0 && n >= 0 && k >= 0, "matrix sizes must be non-negative, got m \(m), n \(n), k \(k)")
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)),
                    beta, c, Int32(max(n, 1)))
    }

    /// C ← alpha·op(A)·op(B) + beta·C on arrays (`cblas_dgemm`); see the pointer form. Traps when
    /// the array sizes do not match `m`, `n` and `k`.
    package static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Double = 1, a: [Double], b: [Double], beta: Double = 0, c: inout [Double]) {
        precondition(m >= 0 && n >= 0 && k >= 0, "matrix sizes must be non-negative, got m \(m), n \(n), k \(k)")
        precondition(a.count == m * k, "A has \(a.count) elements, expected \(m * k)")
        precondition(b.count == k * n, "B has \(b.count) elements, expected \(k * n)")
        precondition(c.count == m * n, "C has \(c.count) elements, expected \(m * n)")
        guard m > 0 && n > 0 else { return }
        guard k > 0 else {
            // An empty inner dimension makes op(A)·op(B) zero; as in BLAS, beta 0 clears C outright.
            for i in c.indices { c[i] = beta == 0 ? 0 : beta * c[i] }
            return
        }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: a.baseAddress!, b: b.baseAddress!, beta: beta, c: c.baseAddress!)
                }
            }
        }
    }

    /// The dot product Σ xᵢ·yᵢ (`cblas_ddot`); 0 for empty vectors.
    package static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot product of vectors of lengths \(x.count) and \(y.count)")
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                cblas_ddot(Int32(x.count), x.baseAddress, 1, y.baseAddress, 1)
            }
        }
    }
}
