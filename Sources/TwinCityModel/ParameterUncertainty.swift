// Parameter uncertainty in ensembles: each replication draws the estimated drifts from their
// sampling distribution (docs/MODEL.md §10), from its own seed, so an ensemble is the same
// whatever the number of workers.
import TwinCityGSL

/// One estimated drift and the cities it applies to (a group's members share one draw).
public struct EstimatedDrift: Sendable, Equatable {
    /// Roster id of the city or group, as the estimates file names it.
    public var id: String
    /// Roster cities the value applies to.
    public var cities: [String]
    /// Point estimate d̂, log points a year.
    public var drift: Double
    /// Standard error, log points a year (0: no uncertainty drawn).
    public var standardError: Double

    public init(id: String, cities: [String], drift: Double, standardError: Double) {
        self.id = id
        self.cities = cities
        self.drift = drift
        self.standardError = standardError
    }
}

package enum ParameterUncertainty {
    /// Stream of a replication's seed the draws come from: `RandomGenerator.streamSeed(master:
    /// seed, index: streamIndex)`, far above the indices 0..<N of the cities' shock streams, so
    /// drawing parameters shifts no shock.
    package static let streamIndex: UInt64 = 1 << 40

    /// d = d̂ + L z, z standard normal (`gsl_ran_gaussian`, one per unit in the order given)
    /// from the generator of `streamIndex` of `seed`, with L L^T = `covariance` (the units'
    /// covariance, row-major) when given, else L = diag(se): independent draws. Each member
    /// city of a unit gets the unit's draw; draws are kept inside the admissible [−0.5, 0.5].
    package static func drawDrifts(_ units: [EstimatedDrift], seed: UInt64, covariance: [Double]? = nil) -> [String: Double] {
        DriftDistribution(units: units, covariance: covariance).draw(seed: seed)
    }

    /// Lower-triangular L with L Lᵀ = Σ for a positive semidefinite Σ (n×n row-major). The
    /// drifts' covariance is singular by construction (their weighted mean is held at 0), which
    /// GSL's `gsl_linalg_cholesky_decomp1` refuses; here a pivot below 10⁻¹² of the largest
    /// diagonal element is taken as 0 and its column left empty, so that draws stay on the
    /// subspace the estimates live in.
    static func choleskyFactor(_ sigma: [Double], n: Int) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        let scale = (0..<n).map { sigma[$0 * n + $0] }.max() ?? 0
        for j in 0..<n {
            var pivot = sigma[j * n + j]
            for k in 0..<j { pivot -= l[j * n + k] * l[j * n + k] }
            guard pivot > 1e-12 * scale else { continue }
            let root = pivot.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var value = sigma[i * n + j]
                for k in 0..<j { value -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = value / root
            }
        }
        return l
    }
}

/// The sampling distribution of a set of estimated drifts, factored once so that every
/// replication's draw costs one matrix–vector product.
package struct DriftDistribution: Sendable {
    package let units: [EstimatedDrift]
    /// L, lower triangular, units × units row-major: the Cholesky factor of the covariance, or
    /// diag(se) without one.
    let factor: [Double]

    /// `covariance` (row-major, in the order of `units`) is used when it has one entry per
    /// pair of units; otherwise the draws are independent with the units' standard errors.
    package init(units: [EstimatedDrift], covariance: [Double]?) {
        self.units = units
        let n = units.count
        if let covariance, covariance.count == n * n {
            factor = ParameterUncertainty.choleskyFactor(covariance, n: n)
        } else {
            var diagonal = [Double](repeating: 0, count: n * n)
            for u in 0..<n { diagonal[u * n + u] = units[u].standardError }
            factor = diagonal
        }
    }

    /// One draw, by roster city (see `ParameterUncertainty.drawDrifts`).
    package func draw(seed: UInt64) -> [String: Double] {
        let generator = RandomGenerator(master: seed, stream: ParameterUncertainty.streamIndex)
        let n = units.count
        let z = units.map { _ in generator.gaussian() }
        var drifts: [String: Double] = [:]
        for (u, unit) in units.enumerated() {
            let shift = (0...u).reduce(0) { $0 + factor[u * n + $1] * z[$1] }
            let value = min(0.5, max(-0.5, unit.drift + shift))
            for city in unit.cities { drifts[city] = value }
        }
        return drifts
    }
}
