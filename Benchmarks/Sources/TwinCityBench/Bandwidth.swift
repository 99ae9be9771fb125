// The machine's memory bandwidth, STREAM-style (McCalpin): copy c = a and triad
// c = a + q·b over arrays far larger than the caches, best of several passes, on one thread
// and on every core. STREAM's convention counts the bytes named in the kernel (16 per element
// for copy, 24 for triad), not the write-allocate traffic.
import Foundation

struct BandwidthResult: Codable {
    var arrayBytes: Double
    var threads: Int
    var copyOneThread, triadOneThread, copyAllThreads, triadAllThreads: Double
}

enum Bandwidth {
    static func measure(elements n: Int = 1 << 25, passes: Int = 6) -> BandwidthResult {
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        let c = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        nonisolated(unsafe) let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
        // First touch from the same split the kernels use, so pages are mapped before timing.
        DispatchQueue.concurrentPerform(iterations: threads) { k in
            for i in (k * n / threads)..<((k + 1) * n / threads) { pa[i] = 1; pb[i] = 2; pc[i] = 0 }
        }
        let q = 3.0
        func best(_ parts: Int, _ kernel: @escaping @Sendable (Int, Int) -> Void) -> Double {
            var fastest = Double.infinity
            for _ in 0..<passes {
                let (_, s) = Measure.time {
                    if parts == 1 { kernel(0, n) } else {
                        DispatchQueue.concurrentPerform(iterations: parts) { k in kernel(k * n / parts, (k + 1) * n / parts) }
                    }
                }
                fastest = min(fastest, s)
            }
            return fastest
        }
        let copy: @Sendable (Int, Int) -> Void = { lo, hi in for i in lo..<hi { pc[i] = pa[i] } }
        let triad: @Sendable (Int, Int) -> Void = { lo, hi in for i in lo..<hi { pc[i] = pa[i] + q * pb[i] } }
        let bytes = Double(n * 8)
        let result = BandwidthResult(
            arrayBytes: bytes, threads: threads,
            copyOneThread: 2 * bytes / best(1, copy), triadOneThread: 3 * bytes / best(1, triad),
            copyAllThreads: 2 * bytes / best(threads, copy), triadAllThreads: 3 * bytes / best(threads, triad))
        if c[n / 2] == 42 { print("") }  // keep the stores observable
        return result
    }
}
