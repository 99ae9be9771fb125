// The migration products W x and Wᵀx of a large roster, which split W into a symmetric
// matrix and the entry wedges (Migration.factors), against the sums written out from
// W_ij = exp(−m_L t_ij − b_j − b_P·[province_i ≠ province_j]) (MODEL.md §3.3).
import Foundation
import TwinCityModel
import XCTest

final class MigrationProductTests: XCTestCase {
    /// A roster of `n` cities on a line (t_ij = |i − j| / 40 hours), in two provinces by
    /// halves, the first 40 above the settlement line (full wedge), the rest below it.
    func roster(_ n: Int) -> (times: [Double], provinces: [String], entry: [Double]) {
        var times = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { times[i * n + j] = Double(abs(i - j)) / 40 } }
        for i in 0..<n { times[i * n + i] = 0.2 }
        let provinces = (0..<n).map { $0 < n / 2 ? "sichuan" : "chongqing" }
        let entry = (0..<n).map { $0 < 40 ? 1.0 : 0.2 }
        return (times, provinces, entry)
    }

    /// W_ij written out: exp of minus the cost, 1 on the diagonal.
    func weight(_ i: Int, _ j: Int, _ r: (times: [Double], provinces: [String], entry: [Double]), _ p: ModelParameters, scale: Double = 1) -> Double {
        let n = r.provinces.count
        guard i != j else { return 1 }
        let barrier = r.entry[j] + (r.provinces[i] != r.provinces[j] ? p.provincialBarrier : 0)
        return exp(-(p.migrationCostPerHour * r.times[i * n + j] + scale * barrier))
    }

    func testALargeRostersProductsEqualTheSumsWrittenOut() {
        let n = 600
        let p = ModelParameters()
        let r = roster(n)
        let migration = Migration(travelTimes: r.times, provinces: r.provinces, parameters: p, barrierScale: Array(repeating: 1, count: n * n), entryBarriers: r.entry)
        XCTAssertTrue(migration.isFactored, "600 cities, no policy: W = S diag(d)")
        let x = (0..<n).map { 1 + Double(($0 * 37) % 101) / 10 }
        let y = migration.product(x), yT = migration.product(transpose: true, x)
        var worst = 0.0, worstT = 0.0
        for i in 0..<n {
            var sum = 0.0, sumT = 0.0
            for j in 0..<n { sum += weight(i, j, r, p) * x[j]; sumT += weight(j, i, r, p) * x[j] }
            worst = max(worst, abs(y[i] / sum - 1))
            worstT = max(worstT, abs(yT[i] / sumT - 1))
        }
        // Each entry of S d differs from exp(−cost) by a few rounding errors, the sums by
        // their order: 1e-13 relative is some 500 ε.
        XCTAssertLessThan(worst, 1e-13, "W x")
        XCTAssertLessThan(worstT, 1e-13, "Wᵀx")
        for (i, j) in [(0, 1), (1, 0), (5, 400), (400, 5), (599, 598)] {
            XCTAssertEqual(migration.accessibility[i * n + j], weight(i, j, r, p), accuracy: 4 * Double.ulpOfOne * weight(i, j, r, p), "W[\(i), \(j)]")
        }
        XCTAssertEqual(migration.accessibility[7 * n + 7], 1, "staying costs nothing")
    }

    func testTravelTimesThatDifferByDirectionKeepW() {
        // S would not be symmetric: the products must be W's, read whole.
        let n = 600
        let p = ModelParameters()
        var r = roster(n)
        r.times[2 * n + 9] += 0.5
        let migration = Migration(travelTimes: r.times, provinces: r.provinces, parameters: p, barrierScale: Array(repeating: 1, count: n * n), entryBarriers: r.entry)
        XCTAssertFalse(migration.isFactored, "t_2,9 ≠ t_9,2")
        let x = (0..<n).map { Double($0 % 5) + 1 }
        let y = migration.product(x), yT = migration.product(transpose: true, x)
        for i in [2, 9] {
            var sum = 0.0, sumT = 0.0
            for j in 0..<n { sum += weight(i, j, r, p) * x[j]; sumT += weight(j, i, r, p) * x[j] }
            XCTAssertEqual(y[i], sum, accuracy: 1e-13 * sum, "W x at \(i)")
            XCTAssertEqual(yT[i], sumT, accuracy: 1e-13 * sumT, "Wᵀx at \(i)")
        }
    }

    func testAPolicysScaleOfTheBarriersIsHonoured() {
        // A scale on some moves breaks the split; the products must still be W's.
        let n = 600
        let p = ModelParameters()
        let r = roster(n)
        var scale = [Double](repeating: 1, count: n * n)
        for i in 0..<n where i != 3 { scale[i * n + 3] = 0.5 }
        let migration = Migration(travelTimes: r.times, provinces: r.provinces, parameters: p, barrierScale: scale, entryBarriers: r.entry)
        XCTAssertFalse(migration.isFactored, "a scaled barrier: W itself")
        let x = (0..<n).map { Double($0 % 7) + 0.5 }
        let yT = migration.product(transpose: true, x)
        var sum = 0.0
        for i in 0..<n { sum += weight(i, 3, r, p, scale: i == 3 ? 1 : 0.5) * x[i] }
        XCTAssertEqual(yT[3], sum, accuracy: 1e-13 * sum, "arrivals' weight into the city whose barrier halves")
    }
}
