// Logit destination choice of urban residents (MODEL.md §3.3, population flows).
import Foundation
import TwinCityGSL

/// Moving choice: each year a share ν of urban residents reconsiders where to live, and a
/// share u of rural residents moves into an urban area; a mover from i chooses the urban
/// area of j with probability `π_ij = exp(δ_j − c_ij) / Σ_k exp(δ_k − c_ik)`, where
/// `δ_j = θ ln V_j + λ ln L_j` (utility and the gravity size term) and
/// `c_ij = m_L t_ij + s_ij (b_j + b_P·[province_i ≠ province_j])` for j ≠ i, zero for i
/// itself: b_j is the registration wedge of entering j (`hukou_barrier` for a city of at
/// least `hukou_threshold` urban residents, `small_city_hukou_barrier` below), b_P the
/// provincial barrier, s_ij the policies' scale.
///
/// With `W_ij = exp(−c_ij)`, inflows are `e^δ ⊙ Wᵀ((νL + uR) ⊘ W e^δ)`: two matrix–vector
/// products.
public struct Migration: Sendable {
    /// `W_ij = exp(−c_ij)`, N×N row-major.
    public private(set) var accessibility: [Double]
    let n: Int
    let rate: Double
    let ruralRate: Double
    let elasticity: Double
    let sizeElasticity: Double
    /// Whether W equals its transpose (travel times and barriers symmetric): its products
    /// then read only the upper triangle (`SymmetricProduct`).
    let symmetric: Bool
    /// For a large roster whose barriers no policy scales, W split as `W = S diag(d)`:
    /// `S_ij = exp(−m_L t_ij − b_P·[province_i ≠ province_j])` is symmetric, `d_j = e^(−b_j)`
    /// carries the entry wedge, and `S_ii = 1 / d_i` keeps `W_ii = 1`. Products then read
    /// S's upper triangle, half of W, on every core (`W x = S (d ⊙ x)`, `Wᵀx = d ⊙ (S x)`).
    /// W is kept beside S (another N² doubles, 72 MB at N = 3000) for the entries the
    /// origin–destination accounts and the choice probabilities read one by one.
    let factors: (s: [Double], d: [Double])?
    /// Whether the products go through `factors`.
    package var isFactored: Bool { factors != nil }

    /// Rosters from which W is split into `S diag(d)` when it can be: below it the
    /// matrix is small enough for one core, and the products keep W's own rounding.
    static let factoredLimit = SymmetricProduct.parallelThreshold

    public init(structure: EconomyStructure, cities: [City], parameters: ModelParameters) {
        self.init(
            travelTimes: structure.travelTimes, provinces: cities.map(\.province), parameters: parameters,
            barrierScale: Array(repeating: 1, count: cities.count * cities.count),
            entryBarriers: structure.entryBarriers)
    }

    /// The registration wedge of entering each city: `hukou_barrier` where the urban
    /// population is at least `hukou_threshold`, `small_city_hukou_barrier` elsewhere.
    package static func entryBarriers(urbanPopulation: [Double], parameters: ModelParameters) -> [Double] {
        urbanPopulation.map { $0 >= parameters.hukouThreshold ? parameters.hukouBarrier : parameters.smallCityHukouBarrier }
    }

    /// `barrierScale[i*N+j]` multiplies the registration barriers of the move i→j (policies
    /// that ease registration set it below 1); `entryBarriers` gives b_j (nil: `hukou_barrier`
    /// for every city).
    package init(travelTimes: [Double], provinces: [String], parameters: ModelParameters, barrierScale: [Double], entryBarriers: [Double]? = nil) {
        let n = provinces.count
        self.n = n
        self.rate = parameters.migrationRate
        self.ruralRate = parameters.urbanisationRate
        self.elasticity = parameters.migrationElasticity
        self.sizeElasticity = parameters.destinationSizeElasticity
        let entry = entryBarriers ?? Array(repeating: parameters.hukouBarrier, count: n)
        var w = [Double](repeating: 1, count: n * n)
        if n >= Self.factoredLimit, barrierScale.allSatisfy({ $0 == 1 }),
           let (s, d) = Self.split(travelTimes: travelTimes, provinces: provinces, entry: entry, parameters: parameters) {
            for i in 0..<n { for j in 0..<n where j != i { w[i * n + j] = s[i * n + j] * d[j] } }
            accessibility = w
            symmetric = false
            factors = (s, d)
            return
        }
        for i in 0..<n {
            for j in 0..<n where j != i {
                var barrier = entry[j]
                if provinces[i] != provinces[j] { barrier += parameters.provincialBarrier }
                let cost = parameters.migrationCostPerHour * travelTimes[i * n + j] + barrier * barrierScale[i * n + j]
                w[i * n + j] = Foundation.exp(-cost)
            }
        }
        accessibility = w
        symmetric = SymmetricProduct.isSymmetric(w, n: n)
        factors = nil
    }

    /// `S` and `d` of `factors`, or nil when S is not symmetric (travel times that differ by
    /// direction), every city has the same wedge (W is then symmetric itself), or a wedge is
    /// so large that `e^(±b)` leaves the normal range of a double (W's own `e^(−c)` then
    /// underflows to 0 cleanly, where `S_ii d_i` would be ∞ · 0).
    private static func split(travelTimes: [Double], provinces: [String], entry: [Double], parameters: ModelParameters) -> (s: [Double], d: [Double])? {
        let n = provinces.count
        guard Set(entry).count > 1, entry.allSatisfy({ abs($0) < 700 }) else { return nil }
        let d = entry.map { Foundation.exp(-$0) }
        var s = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            s[i * n + i] = Foundation.exp(entry[i])
            for j in 0..<n where j != i {
                let barrier = provinces[i] != provinces[j] ? parameters.provincialBarrier : 0
                s[i * n + j] = Foundation.exp(-(parameters.migrationCostPerHour * travelTimes[i * n + j] + barrier))
            }
        }
        return SymmetricProduct.isSymmetric(s, n: n) ? (s, d) : nil
    }

    /// y ← W x (`transpose` false) or Wᵀ x; `scratch` holds `SymmetricProduct.scratchCount(n:)` doubles.
    func product(transpose: Bool = false, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        if let (s, d) = factors {
            s.withUnsafeBufferPointer { s in
                if transpose {
                    SymmetricProduct.multiply(s.baseAddress!, n: n, x: x, y: y, scratch: scratch)
                    for j in 0..<n { y[j] *= d[j] }
                } else {
                    // d ⊙ x in a buffer of its own: `multiply` needs its input apart from y.
                    let scaled = UnsafeMutablePointer<Double>.allocate(capacity: n)
                    defer { scaled.deallocate() }
                    for j in 0..<n { scaled[j] = d[j] * x[j] }
                    SymmetricProduct.multiply(s.baseAddress!, n: n, x: scaled, y: y, scratch: scratch)
                }
            }
            return
        }
        accessibility.withUnsafeBufferPointer { w in
            if symmetric {
                SymmetricProduct.multiply(w.baseAddress!, n: n, x: x, y: y, scratch: scratch)
            } else {
                BLAS.gemv(transpose: transpose, rows: n, columns: n, a: w.baseAddress!, x: x, y: y)
            }
        }
    }

    /// y ← Wᵀ x; `scratch` as for `product`.
    func transposedProduct(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        product(transpose: true, x, into: y, scratch: scratch)
    }

    /// W x or Wᵀ x on arrays.
    package func product(transpose: Bool = false, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: n)
        var scratch = [Double](repeating: 0, count: SymmetricProduct.scratchCount(n: n))
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                scratch.withUnsafeMutableBufferPointer { product(transpose: transpose, x.baseAddress!, into: y.baseAddress!, scratch: $0.baseAddress!) }
            }
        }
        return y
    }

    /// `e^(δ − max δ)` and the denominators `D_i = Σ_k W_ik e^(δ_k − max δ)`.
    package func choiceWeights(delta: [Double]) -> (attraction: [Double], denominators: [Double]) {
        let top = delta.max() ?? 0
        let attraction = delta.map { Foundation.exp($0 - top) }
        return (attraction, product(attraction))
    }

    /// The choice index δ_j = θ ln V_j + λ ln L_j.
    package func delta(utility: [Double], urbanPopulation: [Double]) -> [Double] {
        (0..<n).map { elasticity * Foundation.log(utility[$0]) + sizeElasticity * Foundation.log(urbanPopulation[$0]) }
    }

    /// Movers a year from each city: ν L_i + u R_i.
    package func movers(urbanPopulation: [Double], ruralPopulation: [Double]) -> [Double] {
        (0..<n).map { rate * urbanPopulation[$0] + ruralRate * ruralPopulation[$0] }
    }

    /// Expected utility (inclusive value) of a mover from each city, `ln Σ_k W_ik e^δ_k`, in
    /// logit units: it rises whenever a cost of moving falls.
    package func inclusiveValue(delta: [Double]) -> [Double] {
        let denominators = choiceWeights(delta: delta).denominators
        let top = delta.max() ?? 0
        return denominators.map { Foundation.log($0) + top }
    }

    /// The probability `π_ii = e^δ_i / Σ_k W_ik e^δ_k` that a mover from each city stays
    /// (W_ii = 1): with `c_ii = 0` the inclusive value is `δ_i − ln π_ii`, so the value of the
    /// choice beyond staying put, in log real utility, is `(λ ln L_i − ln π_ii) / θ`
    /// (docs/MODEL.md §4.1).
    package func stayProbability(delta: [Double]) -> [Double] {
        let (attraction, denominators) = choiceWeights(delta: delta)
        return (0..<n).map { accessibility[$0 * n + $0] * attraction[$0] / denominators[$0] }
    }

    /// Yearly arrivals in each city's urban area (staying included) at choice index δ.
    package func inflows(delta: [Double], urbanPopulation: [Double], ruralPopulation: [Double]) -> [Double] {
        let (attraction, denominators) = choiceWeights(delta: delta)
        return inflows(attraction: attraction, denominators: denominators, movers: movers(urbanPopulation: urbanPopulation, ruralPopulation: ruralPopulation))
    }

    /// Arrivals with frozen choice weights: linear in the movers, as in the flow integration.
    package func inflows(attraction: [Double], denominators: [Double], movers: [Double]) -> [Double] {
        let ratio = (0..<n).map { movers[$0] / denominators[$0] }
        let through = product(transpose: true, ratio)
        return (0..<n).map { attraction[$0] * through[$0] }
    }

    /// Choice probability π_ij with frozen weights.
    @inline(__always)
    package func probability(from i: Int, to j: Int, attraction: [Double], denominators: [Double]) -> Double {
        accessibility[i * n + j] * attraction[j] / denominators[i]
    }
}
