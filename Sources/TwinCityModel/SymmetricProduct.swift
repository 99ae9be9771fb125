// The product y = A x of a symmetric N×N matrix (trade weights, migration accessibility) that
// reads only the upper triangle: half the memory traffic of a general matrix–vector product.
import Dispatch

/// y = A x for a symmetric N×N row-major matrix A, reading only the upper triangle (j ≥ i).
/// A matrix symmetric to rounding (`isSymmetric`) is multiplied as if its lower triangle
/// mirrored the upper one exactly, an error of the order of that rounding.
///
/// Cost: N²/2 elements read, N² multiply–adds. Rosters of `parallelThreshold` cities or more
/// spread blocks of rows over the cores; results do not depend on the number of cores.
enum SymmetricProduct {
    /// Matrices of at least this many rows are split over tasks.
    static let parallelThreshold = 512

    /// Largest relative difference between a_ij and a_ji, in units of the machine epsilon,
    /// for a matrix to count as symmetric: travel times routed through link ends
    /// (`TravelTimes.relaxThroughLinkEnds`) add the same legs in either order, so the two
    /// directions may differ by rounding, which exp((1−σ)κt) amplifies by |(1−σ)κt| (about
    /// 9ε for a 10-hour trip in services).
    static let symmetryUlps = 16.0

    /// True when `a` (N×N row-major) equals its transpose to within `symmetryUlps`.
    static func isSymmetric(_ a: [Double], n: Int) -> Bool {
        precondition(a.count == n * n)
        let block = 64
        let limit = symmetryUlps * Double.ulpOfOne
        return a.withUnsafeBufferPointer { a in
            for bi in stride(from: 0, to: n, by: block) {
                for bj in stride(from: bi, to: n, by: block) {
                    for i in bi..<min(bi + block, n) {
                        for j in max(bj, i + 1)..<max(max(bj, i + 1), min(bj + block, n)) {
                            let u = a[i * n + j], l = a[j * n + i]
                            guard u == l || abs(u - l) <= limit * max(abs(u), abs(l)) else { return false }
                        }
                    }
                }
            }
            return true
        }
    }

    /// Pointers handed to the tasks of one product.
    private struct Operands: @unchecked Sendable {
        let a: UnsafePointer<Double>
        let x: UnsafePointer<Double>
        let y: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
    }

    /// Rows per block when the product is split over tasks.
    static let blockRows = 128

    /// Doubles of scratch `multiply` needs for an N×N matrix: each block of rows adds into
    /// its own partial output, from its first row to the end.
    static func scratchCount(n: Int) -> Int {
        guard n >= parallelThreshold else { return 1 }
        let blocks = (n + blockRows - 1) / blockRows
        return partialOffset(block: blocks, n: n)
    }

    /// Start of block b's partial output in the scratch: Σ_{c<b} (n − c·blockRows).
    private static func partialOffset(block b: Int, n: Int) -> Int {
        b * n - blockRows * b * (b - 1) / 2
    }

    /// y ← A x. `scratch` holds `scratchCount(n:)` doubles; `y` must not overlap `x`.
    ///
    /// Blocks of `blockRows` rows are handed to the cores as they free up
    /// (`DispatchQueue.concurrentPerform`), each adding into its own partial output; the
    /// partials are then summed in block order, so the result does not depend on which core
    /// took which block, nor on how many there are.
    static func multiply(_ a: UnsafePointer<Double>, n: Int, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        guard n >= parallelThreshold else {
            y.update(repeating: 0, count: n)
            upperRows(a, n: n, x: x, from: 0, to: n, into: y)
            return
        }
        let blocks = (n + blockRows - 1) / blockRows
        let ops = Operands(a: a, x: x, y: y, scratch: scratch)
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let lo = block * blockRows
            // out[j] for j in lo..<n: rows of the block reach only columns at or after lo.
            let out = ops.scratch + (partialOffset(block: block, n: n) - lo)
            (out + lo).update(repeating: 0, count: n - lo)
            upperRows(ops.a, n: n, x: ops.x, from: lo, to: min(lo + blockRows, n), into: out)
        }
        y.update(repeating: 0, count: n)
        for block in 0..<blocks {
            let lo = block * blockRows
            let out = scratch + (partialOffset(block: block, n: n) - lo)
            for j in lo..<n { y[j] += out[j] }
        }
    }

    private typealias Pair = SIMD2<Double>

    @inline(__always)
    private static func load(_ p: UnsafePointer<Double>) -> Pair { UnsafeRawPointer(p).loadUnaligned(as: Pair.self) }

    @inline(__always)
    private static func store(_ v: Pair, _ p: UnsafeMutablePointer<Double>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Pair.self) }

    /// out_i += Σ_{j≥i} A_ij x_j and out_j += A_ij x_i (j > i) for rows [lo, hi), four rows at a
    /// time so that each x_j and out_j is loaded once per four matrix elements.
    private static func upperRows(_ a: UnsafePointer<Double>, n: Int, x: UnsafePointer<Double>, from lo: Int, to hi: Int, into out: UnsafeMutablePointer<Double>) {
        var i = lo
        while i + 4 <= hi {
            let r0 = a + i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n
            let x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3]
            // The 4×4 diagonal block, by symmetry from its upper half.
            var y0 = r0[i] * x0 + r0[i + 1] * x1 + r0[i + 2] * x2 + r0[i + 3] * x3
            var y1 = r0[i + 1] * x0 + r1[i + 1] * x1 + r1[i + 2] * x2 + r1[i + 3] * x3
            var y2 = r0[i + 2] * x0 + r1[i + 2] * x1 + r2[i + 2] * x2 + r2[i + 3] * x3
            var y3 = r0[i + 3] * x0 + r1[i + 3] * x1 + r2[i + 3] * x2 + r3[i + 3] * x3
            let c0 = Pair(repeating: x0), c1 = Pair(repeating: x1), c2 = Pair(repeating: x2), c3 = Pair(repeating: x3)
            var s0 = Pair(), s1 = Pair(), s2 = Pair(), s3 = Pair()
            var j = i + 4
            while j + 2 <= n {
                let xj = load(x + j)
                let t0 = load(r0 + j), t1 = load(r1 + j), t2 = load(r2 + j), t3 = load(r3 + j)
                s0 += t0 * xj
                s1 += t1 * xj
                s2 += t2 * xj
                s3 += t3 * xj
                var o = load(out + j)
                o += t0 * c0
                o += t1 * c1
                o += t2 * c2
                o += t3 * c3
                store(o, out + j)
                j += 2
            }
            while j < n {
                let xj = x[j]
                y0 += r0[j] * xj
                y1 += r1[j] * xj
                y2 += r2[j] * xj
                y3 += r3[j] * xj
                out[j] += r0[j] * x0 + r1[j] * x1 + r2[j] * x2 + r3[j] * x3
                j += 1
            }
            out[i] += y0 + s0.sum()
            out[i + 1] += y1 + s1.sum()
            out[i + 2] += y2 + s2.sum()
            out[i + 3] += y3 + s3.sum()
            i += 4
        }
        while i < hi {
            let r = a + i * n
            let xi = x[i]
            var s = r[i] * xi
            for j in (i + 1)..<max(i + 1, n) {
                s += r[j] * x[j]
                out[j] += r[j] * xi
            }
            out[i] += s
            i += 1
        }
    }
}
