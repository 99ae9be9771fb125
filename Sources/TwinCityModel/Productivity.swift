// Productivity growth (MODEL.md §3.5): base growth, spillovers that decay with travel time,
// and Gaussian shocks drawn from one GSL stream per city.
import Foundation
import TwinCityGSL

/// Evolution of exogenous productivity Abar_i^s over a tick of dt years:
///
///     ln Abar_i^s += (g + d_i)·dt + ψ·dt·Σ_j ω_ij max(0, ln Abar_j^s − ln Abar_i^s) + boost_i^s·dt
///                    + σ_A·√dt·ε_i^s,     ω_ij = exp(−t_ij/t_A) / Σ_{k≠i} exp(−t_ik/t_A)
///
/// d_i is the city's estimated relative drift (`ModelParameters.productivityDrift`, 0 unless
/// an estimates file sets it). Spillovers let a city catch up with better-connected, more productive cities; they never
/// pull a leader down. ε_i^s are standard normal draws from city i's own generator, seeded
/// `RandomGenerator.streamSeed(master: seed, index: i)`, drawn in sector order each tick —
/// so results do not depend on thread count or evaluation order.
package final class ProductivityProcess {
    let n: Int
    let sCount: Int
    let parameters: ModelParameters
    /// Spillover weights ω_ij, N×N row-major, zero diagonal, rows summing to 1.
    package private(set) var weights: [Double]
    /// The streams `advance(_:dt:boost:)` draws from (a simulation passes its state's own).
    let ownStreams: ShockStreams
    /// Relative drift d_i of each city, log points per year.
    package let drift: [Double]

    /// `drift` gives d_i per city in roster order (nil: all 0).
    package init(
        cities n: Int, sectors sCount: Int, travelTimes: [Double], parameters: ModelParameters, seed: UInt64,
        drift: [Double]? = nil
    ) {
        precondition(drift == nil || drift!.count == n, "one drift per city")
        self.n = n
        self.sCount = sCount
        self.parameters = parameters
        self.drift = drift ?? Array(repeating: 0, count: n)
        weights = Self.spilloverWeights(travelTimes: travelTimes, cities: n, decayHours: parameters.spilloverDecayHours)
        ownStreams = ShockStreams(cities: n, seed: seed)
    }

    /// Recomputes the spillover weights after travel times change.
    package func setTravelTimes(_ travelTimes: [Double]) {
        weights = Self.spilloverWeights(travelTimes: travelTimes, cities: n, decayHours: parameters.spilloverDecayHours)
    }

    static func spilloverWeights(travelTimes: [Double], cities n: Int, decayHours: Double) -> [Double] {
        var w = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            var total = 0.0
            for j in 0..<n where j != i {
                w[i * n + j] = Foundation.exp(-travelTimes[i * n + j] / decayHours)
                total += w[i * n + j]
            }
            if total > 0 { for j in 0..<n { w[i * n + j] /= total } }
        }
        return w
    }

    /// Advances `productivity` (by variety `i*S + s`) over dt years. `boost` adds a yearly
    /// log growth per variety (innovation hubs).
    package func advance(_ productivity: inout [Double], dt: Double, boost: [Double]? = nil) {
        advance(&productivity, dt: dt, boost: boost, shocks: ownStreams)
    }

    /// `advance(_:dt:boost:)` drawing city i's shocks from `shocks.generators[i]`.
    func advance(_ productivity: inout [Double], dt: Double, boost: [Double]?, shocks: ShockStreams) {
        let generators = shocks.generators
        let p = parameters
        let logs = productivity.map { Foundation.log($0) }
        let shockScale = p.productivityShockSD * dt.squareRoot()
        for i in 0..<n {
            for s in 0..<sCount {
                let v = i * sCount + s
                var catchUp = 0.0
                if p.spilloverRate > 0 {
                    for j in 0..<n where j != i {
                        let gap = logs[j * sCount + s] - logs[v]
                        if gap > 0 { catchUp += weights[i * n + j] * gap }
                    }
                }
                var change = (p.productivityGrowth + drift[i]) * dt + p.spilloverRate * dt * catchUp + (boost?[v] ?? 0) * dt
                // Always draw, even with a zero scale, so one parameter does not shift the streams.
                let shock = generators[i].gaussian()
                change += shockScale * shock
                productivity[v] = Foundation.exp(logs[v] + change)
            }
        }
    }
}
