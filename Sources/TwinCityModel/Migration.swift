// Logit destination choice of urban residents (MODEL.md §3.3, population flows).
import Foundation
import TwinCityGSL

/// Moving choice of urban residents: each year a share ν reconsiders, and a resident of i
/// chooses j with probability `π_ij = exp(δ_j − c_ij) / Σ_k exp(δ_k − c_ik)`, where
/// `δ_j = θ ln V_j` and `c_ij = m_L t_ij + b_ij` (zero for staying; `b_ij` the registration
/// barrier, plus the provincial barrier across a provincial line).
///
/// With `W_ij = exp(−c_ij)`, inflows are `ν e^δ ⊙ Wᵀ(L ⊘ W e^δ)`: two matrix–vector products.
public struct Migration: Sendable {
    /// `W_ij = exp(−c_ij)`, N×N row-major.
    public private(set) var accessibility: [Double]
    let n: Int
    let rate: Double
    /// Whether W equals its transpose (travel times and barriers symmetric): its products
    /// then read only the upper triangle (`SymmetricProduct`).
    let symmetric: Bool

    public init(structure: EconomyStructure, cities: [City], parameters: ModelParameters) {
        self.init(
            travelTimes: structure.travelTimes, provinces: cities.map(\.province), parameters: parameters,
            barrierScale: Array(repeating: 1, count: cities.count * cities.count))
    }

    /// `barrierScale[i*N+j]` multiplies the registration barriers of the move i→j (policies
    /// that ease registration set it below 1).
    public init(travelTimes: [Double], provinces: [String], parameters: ModelParameters, barrierScale: [Double]) {
        let n = provinces.count
        self.n = n
        self.rate = parameters.migrationRate
        var w = [Double](repeating: 1, count: n * n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                var barrier = parameters.hukouBarrier
                if provinces[i] != provinces[j] { barrier += parameters.provincialBarrier }
                let cost = parameters.migrationCostPerHour * travelTimes[i * n + j] + barrier * barrierScale[i * n + j]
                w[i * n + j] = Foundation.exp(-cost)
            }
        }
        accessibility = w
        symmetric = SymmetricProduct.isSymmetric(w, n: n)
    }

    /// y ← W x (`transpose` false) or Wᵀ x; `scratch` holds `SymmetricProduct.scratchCount(n:)` doubles.
    func product(transpose: Bool = false, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
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
    func product(transpose: Bool = false, _ x: [Double]) -> [Double] {
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
    public func choiceWeights(delta: [Double]) -> (attraction: [Double], denominators: [Double]) {
        let top = delta.max() ?? 0
        let attraction = delta.map { Foundation.exp($0 - top) }
        return (attraction, product(attraction))
    }

    /// Yearly inflows (movers arriving, staying included) to each city at log-utility index δ.
    public func inflows(delta: [Double], urbanPopulation: [Double]) -> [Double] {
        let (attraction, denominators) = choiceWeights(delta: delta)
        return inflows(attraction: attraction, denominators: denominators, urbanPopulation: urbanPopulation)
    }

    /// Inflows with frozen choice weights: linear in L, as in the flow integration.
    public func inflows(attraction: [Double], denominators: [Double], urbanPopulation: [Double]) -> [Double] {
        let ratio = (0..<n).map { urbanPopulation[$0] / denominators[$0] }
        let through = product(transpose: true, ratio)
        return (0..<n).map { rate * attraction[$0] * through[$0] }
    }

    /// Choice probability π_ij with frozen weights.
    @inline(__always)
    public func probability(from i: Int, to j: Int, attraction: [Double], denominators: [Double]) -> Double {
        accessibility[i * n + j] * attraction[j] / denominators[i]
    }
}
