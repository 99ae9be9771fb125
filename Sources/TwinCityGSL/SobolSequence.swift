// Sobol low-discrepancy points for quasi-Monte Carlo sampling of parameter spaces.
import CGSL

/// A Sobol quasi-random sequence in the unit hypercube [0, 1)^dimension (`gsl_qrng_sobol`).
///
/// Deterministic: there is no seed. Not `Sendable`; one instance per task.
package final class SobolSequence {
    /// The largest dimension GSL's Sobol generator supports: the `max_dimension` field of
    /// `gsl_qrng_sobol` (40 in GSL 2.7).
    package static let maximumDimension = Int(cgsl_qrng_sobol().pointee.max_dimension)

    /// The number of coordinates in each point.
    package let dimension: Int

    private let qrng: UnsafeMutablePointer<gsl_qrng>
    private var scratch: [Double]

    /// A Sobol sequence of points with `dimension` coordinates (`gsl_qrng_alloc`).
    ///
    /// Throws `GSLError` (routine `gsl_qrng_alloc`, `GSL_EINVAL`) unless `dimension` is in
    /// `1...maximumDimension`: GSL itself accepts larger dimensions and then reads past its tables.
    package init(dimension: Int) throws(GSLError) {
        GSL.initialize()
        guard dimension >= 1 else {
            throw GSLError(routine: "gsl_qrng_alloc", status: GSLStatus.invalidArgument,
                           reason: "Sobol dimension \(dimension) is below 1")
        }
        guard dimension <= Self.maximumDimension else {
            throw GSLError(routine: "gsl_qrng_alloc", status: GSLStatus.invalidArgument,
                           reason: "Sobol dimension \(dimension) exceeds GSL's maximum of \(Self.maximumDimension)")
        }
        guard let qrng = gsl_qrng_alloc(cgsl_qrng_sobol(), UInt32(dimension)) else {
            throw GSLError(routine: "gsl_qrng_alloc", status: GSLStatus.outOfMemory)
        }
        self.qrng = qrng
        self.dimension = dimension
        self.scratch = [Double](repeating: 0, count: dimension)
    }

    deinit {
        gsl_qrng_free(qrng)
    }

    /// The next point, `dimension` coordinates in [0, 1) (`gsl_qrng_get`).
    ///
    /// GSL's Sobol tables hold 2³⁰ points; asking for more is a programming error and traps.
    package func next() -> [Double] {
        var point = [Double](repeating: 0, count: dimension)
        let status = point.withUnsafeMutableBufferPointer { gsl_qrng_get(qrng, $0.baseAddress) }
        precondition(status == GSLStatus.success, "gsl_qrng_get: the Sobol sequence is exhausted (2^30 points)")
        return point
    }

    /// Advances past `count` points without returning them (`gsl_qrng_get` `count` times, since
    /// GSL has no skip-ahead).
    package func skip(_ count: Int) {
        precondition(count >= 0, "cannot skip a negative number (\(count)) of Sobol points")
        let qrng = qrng
        scratch.withUnsafeMutableBufferPointer { buffer in
            for _ in 0..<count {
                let status = gsl_qrng_get(qrng, buffer.baseAddress)
                precondition(status == GSLStatus.success, "gsl_qrng_get: the Sobol sequence is exhausted (2^30 points)")
            }
        }
    }
}
