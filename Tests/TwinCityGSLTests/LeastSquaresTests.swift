// Linear least squares against the closed form of simple regression.
import XCTest
@testable import TwinCityGSL

final class LeastSquaresTests: XCTestCase {
    /// y = a + b x: b = Sxy/Sxx, a = ȳ − b x̄, s² = RSS/(n − 2), se(b) = √(s²/Sxx),
    /// se(a) = √(s² (1/n + x̄²/Sxx)).
    func testSimpleRegressionMatchesClosedForm() throws {
        let x = [1.0, 2, 3, 4, 5, 6, 7]
        let y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8]
        let n = Double(x.count)
        let xBar = x.reduce(0, +) / n, yBar = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - xBar) * ($1 - xBar) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - xBar) * ($1.1 - yBar) }
        let b = sxy / sxx, a = yBar - b * xBar
        let rss = zip(x, y).reduce(0) { $0 + pow($1.1 - a - b * $1.0, 2) }
        let s2 = rss / (n - 2)
        let fit = try LeastSquares.fit(design: x.flatMap { [1, $0] }, columns: 2, observations: y)
        XCTAssertEqual(fit.coefficients[0], a, accuracy: 1e-12)
        XCTAssertEqual(fit.coefficients[1], b, accuracy: 1e-12)
        XCTAssertEqual(fit.chiSquare, rss, accuracy: 1e-12)
        XCTAssertEqual(fit.standardError(1), (s2 / sxx).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fit.standardError(0), (s2 * (1 / n + xBar * xBar / sxx)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fit.degreesOfFreedom, 5)
        for (k, r) in fit.residuals.enumerated() { XCTAssertEqual(r, y[k] - a - b * x[k], accuracy: 1e-12) }
    }

    /// Integer weights equal repeating observations: weight 2 on a point is that point twice.
    func testWeightsActAsRepetitions() throws {
        let x = [0.0, 1, 2, 3]
        let y = [1.0, 2.5, 2.9, 4.4]
        let weighted = try LeastSquares.fit(design: x.flatMap { [1, $0] }, columns: 2, observations: y, weights: [1, 2, 1, 1])
        let repeated = try LeastSquares.fit(
            design: (x + [1]).flatMap { [1, $0] }, columns: 2, observations: y + [2.5])
        XCTAssertEqual(weighted.coefficients[0], repeated.coefficients[0], accuracy: 1e-12)
        XCTAssertEqual(weighted.coefficients[1], repeated.coefficients[1], accuracy: 1e-12)
    }

    func testTooFewObservationsIsAnError() {
        XCTAssertThrowsError(try LeastSquares.fit(design: [1, 0, 1, 1], columns: 2, observations: [1, 2])) { error in
            XCTAssertEqual((error as? GSLError)?.reason,
                           "2 observations for 2 coefficients: a fit with a residual variance needs more observations than coefficients")
        }
    }
}
