// Statistics against hand-computed values and the GSL manual's example.
import Foundation
import TwinCityGSL
import XCTest

final class StatisticsTests: XCTestCase {
    func testMeanVarianceStandardDeviationByHand() {
        // Mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, so variance 32/7. Bound 1e-14 relative.
        let data: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        assertRelativelyClose(Statistics.mean(data), 5, tolerance: 1e-14)
        assertRelativelyClose(Statistics.variance(data), 32.0 / 7, tolerance: 1e-14)
        assertRelativelyClose(Statistics.standardDeviation(data), (32.0 / 7).squareRoot(), tolerance: 1e-14)
    }

    func testWeightedMeanByHand() {
        // (3·1 + 1·2 + 0·3) / (3 + 1 + 0) = 1.25.
        assertRelativelyClose(Statistics.weightedMean([1, 2, 3], weights: [3, 1, 0]), 1.25, tolerance: 1e-14)
    }

    func testQuantilesFromGSLManualExample() {
        // GSL manual, "Statistics" examples: for 17.2, 18.1, 16.5, 18.3, 12.6 the median is 17.2,
        // the upper quartile 18.1 and the lower quartile 16.5. Bound 1e-12 absolute.
        let data = [17.2, 18.1, 16.5, 18.3, 12.6]
        XCTAssertEqual(Statistics.quantile(data, fraction: 0.5), 17.2, accuracy: 1e-12)
        XCTAssertEqual(Statistics.quantile(data, fraction: 0.75), 18.1, accuracy: 1e-12)
        XCTAssertEqual(Statistics.quantile(data, fraction: 0.25), 16.5, accuracy: 1e-12)
        XCTAssertEqual(Statistics.quantile(data, fraction: 0), 12.6, accuracy: 1e-12)
        XCTAssertEqual(Statistics.quantile(data, fraction: 1), 18.3, accuracy: 1e-12)
        // Linear interpolation: (n − 1)·0.1 = 0.4 of the way from 12.6 to 16.5 is 14.16.
        XCTAssertEqual(Statistics.quantile(data, fraction: 0.1), 14.16, accuracy: 1e-12)
    }

    func testStudentTQuantileAgainstClosedForms() {
        // One degree of freedom is the Cauchy distribution, t = tan(π(p − ½)); two give
        // t = (2p − 1)/√(2p(1 − p)). Bound 1e-10 relative.
        for p in [0.6, 0.9, 0.975, 0.995] {
            assertRelativelyClose(Statistics.studentTQuantile(p, degreesOfFreedom: 1), Foundation.tan(Double.pi * (p - 0.5)), tolerance: 1e-10)
            assertRelativelyClose(Statistics.studentTQuantile(p, degreesOfFreedom: 2), (2 * p - 1) / (2 * p * (1 - p)).squareRoot(), tolerance: 1e-10)
        }
        // Many degrees of freedom approach the normal: z(0.975) = 1.959963984540054.
        assertRelativelyClose(Statistics.studentTQuantile(0.975, degreesOfFreedom: 1e7), 1.959963984540054, tolerance: 1e-6)
    }
}
