// The drift estimator on panels the model itself generates, with known drifts.
import XCTest
@testable import TwinCityModel
import TwinCityGSL

final class DriftEstimationTests: XCTestCase {
    private func setup() throws -> (SimulationSetup, ModelParameters, [EstimationUnit]) {
        let roster = try realRoster()
        let parameters = ModelParameters()
        let calibrated = try Calibration.calibrate(roster: roster, parameters: parameters)
        return (SimulationSetup(calibrated: calibrated, cities: roster.cities, links: roster.links), parameters,
                EstimationUnit.units(of: roster))
    }

    /// Known drifts, centred on their 2020-GDP-weighted mean.
    private func trueDrifts(_ setup: SimulationSetup, _ units: [EstimationUnit], seed: UInt64) -> [Double] {
        let rng = RandomGenerator(seed: seed)
        let d = units.map { _ in rng.gaussian(standardDeviation: 0.008) }
        let w = units.map { $0.members.reduce(0) { $0 + setup.cities[$1].gdp2020 } }
        let mean = zip(d, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
        return d.map { $0 - mean }
    }

    /// Without noise and without shrinkage the estimator returns the drifts that generated
    /// the moments, to 1e-7 log points (the Newton tolerance is 1e-9 on the step).
    func testRecoversDriftsFromModelGeneratedMoments() throws {
        let (setup, parameters, pooled) = try setup()
        let units = pooled.map { EstimationUnit(id: $0.id, members: $0.members, pool: nil) }
        let truth = trueDrifts(setup, units, seed: 7)
        let moments = try DriftEstimator.meanRelativeGrowth(setup: setup, parameters: parameters, units: units, drift: truth, horizon: 5)
        // Two years per unit around the mean, so that each series has a standard error.
        let series = zip(units, moments).map { RelativeGrowth(unit: $0.id, years: [2019, 2020], values: [$1 - 0.1, $1 + 0.1]) }
        let fit = try DriftEstimator.estimate(setup: setup, parameters: parameters, units: units, moments: series, horizon: 5)
        for (k, estimate) in fit.units.enumerated() {
            XCTAssertEqual(estimate.drift, truth[k], accuracy: 1e-7, estimate.unit)
            XCTAssertEqual(estimate.modelMoment, moments[k], accuracy: 1e-6, estimate.unit)
        }
        XCTAssertLessThan(fit.largestGap, 1e-6)
        // Each group member carries its group's drift.
        XCTAssertEqual(fit.driftByCity["chongqing_core"], fit.driftByCity["chongqing_rest"])
    }

    /// With noise of 1 pp a year on 11 years of relative growth, the 95 % intervals cover the
    /// true drifts in at least 85 % of unit-repetitions (22 units × 6 panels; the nominal 95 %
    /// less the shrinkage bias and the small-sample t factor the normal interval ignores).
    func testIntervalsCoverTheTruth() throws {
        let (setup, parameters, units) = try setup()
        var covered = 0, total = 0
        for repetition in 0..<6 {
            let truth = trueDrifts(setup, units, seed: 100 + UInt64(repetition))
            let moments = try DriftEstimator.meanRelativeGrowth(setup: setup, parameters: parameters, units: units, drift: truth, horizon: 5)
            let rng = RandomGenerator(seed: 500 + UInt64(repetition))
            let years = Array(2012...2022)
            let series = zip(units, moments).map { unit, m in
                RelativeGrowth(unit: unit.id, years: years, values: years.map { _ in m + rng.gaussian(standardDeviation: 1) })
            }
            let fit = try DriftEstimator.estimate(setup: setup, parameters: parameters, units: units, moments: series, horizon: 5)
            for (k, estimate) in fit.units.enumerated() {
                total += 1
                if abs(estimate.drift - truth[k]) <= 1.96 * estimate.standardError { covered += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(Double(covered) / Double(total), 0.85, "\(covered) of \(total) intervals cover the truth")
    }

    /// Relative growth by hand: two units, GDP 100 and 300 in 2019, growth 5 % and 9 % in
    /// 2020: ḡ = (100·5 + 300·9)/400 = 8, so r = −3 and +1.
    func testRelativeGrowthByHand() throws {
        let panel = try HistoryPanel(cityIDs: ["a", "b"], observations: [
            HistoryObservation(city: "a", year: 2019, gdpCurrent: 100),
            HistoryObservation(city: "b", year: 2019, gdpCurrent: 300),
            HistoryObservation(city: "a", year: 2020, gdpCurrent: 105, realGrowthPercent: 5),
            HistoryObservation(city: "b", year: 2020, gdpCurrent: 327, realGrowthPercent: 9),
        ])
        let series = HistoryMoments.relativeGrowth(panel: panel, units: ["a", "b"], years: 2011...2022)
        XCTAssertEqual(series[0].years, [2020])
        XCTAssertEqual(series[0].values[0], -3, accuracy: 1e-12)
        XCTAssertEqual(series[1].values[0], 1, accuracy: 1e-12)
    }

    /// Shrinkage by hand: a pool of three with means 0, 1, 2 and equal variances v = 0.25:
    /// τ² = Var(m) − v = 1 − 0.25 = 0.75, w = 0.75, pool mean 1, so 0.25, 1, 1.75.
    func testShrinkageByHand() {
        let units = (0..<3).map { EstimationUnit(id: "u\($0)", members: [$0], pool: "p") }
        // Two values m ± h: s = h√2, standard error s/√2 = h = 0.5.
        let h = 0.5
        let moments = [0.0, 1, 2].enumerated().map { k, m in
            RelativeGrowth(unit: "u\(k)", years: [1, 2], values: [m - h, m + h])
        }
        XCTAssertEqual(moments[0].standardError, 0.5, accuracy: 1e-12)
        let shrunk = DriftEstimator.shrink(units: units, moments: moments)
        XCTAssertEqual(shrunk.poolVariance["p"]!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(shrunk.moment[0], 0.25, accuracy: 1e-12)
        XCTAssertEqual(shrunk.moment[1], 1, accuracy: 1e-12)
        XCTAssertEqual(shrunk.moment[2], 1.75, accuracy: 1e-12)
        XCTAssertEqual(shrunk.standardError[0], (0.75 * 0.25).squareRoot(), accuracy: 1e-12)
    }

    func testUnknownDriftCityIsRefused() throws {
        let (setup, parameters, _) = try setup()
        var p = parameters
        p.productivityDrift = ["chengduu": 0.01]
        XCTAssertThrowsError(try Simulation(setup: setup, parameters: p, settings: SimulationSettings())) { error in
            XCTAssertEqual("\(error)", "parameter 'productivity_drift': city 'chengduu' is not in the roster")
        }
    }

    /// A drift adds d·dt to ln Abar of every sector of its city and nothing elsewhere.
    func testDriftEntersProductivityGrowth() {
        var p = ModelParameters()
        p.productivityShockSD = 0
        p.spilloverRate = 0
        let process = ProductivityProcess(cities: 2, sectors: 1, travelTimes: [0, 1, 1, 0], parameters: p, seed: 1, drift: [0.01, -0.02])
        var a = [1.0, 2.0]
        process.advance(&a, dt: 0.5)
        XCTAssertEqual(log(a[0]), (p.productivityGrowth + 0.01) * 0.5, accuracy: 1e-14)
        XCTAssertEqual(log(a[1]), log(2) + (p.productivityGrowth - 0.02) * 0.5, accuracy: 1e-14)
    }

    /// Draws d̂ + se·z: over 4000 seeds the mean lies within 4 standard errors of the mean
    /// (4·se/√4000) of d̂ and the sample s.d. within 5 % of se; a group's members share a
    /// draw; a seed gives the same draw every time.
    func testParameterDrawsFollowTheirDistribution() {
        let units = [
            EstimatedDrift(id: "chengdu", cities: ["chengdu"], drift: 0.004, standardError: 0.002),
            EstimatedDrift(id: "chongqing", cities: ["chongqing_core", "chongqing_rest"], drift: -0.01, standardError: 0.003),
        ]
        var chengdu: [Double] = []
        for seed in 0..<4000 {
            let draw = ParameterUncertainty.drawDrifts(units, seed: UInt64(seed))
            XCTAssertEqual(draw["chongqing_core"], draw["chongqing_rest"])
            chengdu.append(draw["chengdu"]!)
        }
        let mean = Statistics.mean(chengdu)
        XCTAssertEqual(mean, 0.004, accuracy: 4 * 0.002 / 4000.0.squareRoot())
        XCTAssertEqual(Statistics.standardDeviation(chengdu), 0.002, accuracy: 0.05 * 0.002)
        XCTAssertEqual(ParameterUncertainty.drawDrifts(units, seed: 9), ParameterUncertainty.drawDrifts(units, seed: 9))
        XCTAssertNotEqual(ParameterUncertainty.drawDrifts(units, seed: 9), ParameterUncertainty.drawDrifts(units, seed: 10))
    }

    /// The factor of a rank-2 3×3 covariance A Aᵀ reproduces it to 1e-15, and draws with a
    /// covariance of correlation −0.8 have that sample correlation (±0.03 over 4000 seeds,
    /// about 4 standard errors of a correlation estimate there).
    func testDrawsFollowTheCovariance() {
        let a: [Double] = [1, 0, 0.5, 1, -1.5, -1]  // 3×2
        var sigma = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { sigma[i * 3 + j] = a[i * 2] * a[j * 2] + a[i * 2 + 1] * a[j * 2 + 1] } }
        let l = ParameterUncertainty.choleskyFactor(sigma, n: 3)
        for i in 0..<3 { for j in 0..<3 {
            let product = (0..<3).reduce(0) { $0 + l[i * 3 + $1] * l[j * 3 + $1] }
            XCTAssertEqual(product, sigma[i * 3 + j], accuracy: 1e-15)
        } }
        let units = [
            EstimatedDrift(id: "a", cities: ["a"], drift: 0, standardError: 0.002),
            EstimatedDrift(id: "b", cities: ["b"], drift: 0, standardError: 0.001),
        ]
        let covariance = [4e-6, -0.8 * 2e-6, -0.8 * 2e-6, 1e-6]
        var x: [Double] = [], y: [Double] = []
        for seed in 0..<4000 {
            let draw = ParameterUncertainty.drawDrifts(units, seed: UInt64(seed), covariance: covariance)
            x.append(draw["a"]!)
            y.append(draw["b"]!)
        }
        let mx = Statistics.mean(x), my = Statistics.mean(y)
        let cov = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / Double(x.count - 1)
        XCTAssertEqual(cov / (Statistics.standardDeviation(x) * Statistics.standardDeviation(y)), -0.8, accuracy: 0.03)
        XCTAssertEqual(Statistics.standardDeviation(x), 0.002, accuracy: 0.05 * 0.002)
    }

    func testAUnitWithOneYearIsRefusedByName() throws {
        let (setup, parameters, units) = try setup()
        var series = units.map { RelativeGrowth(unit: $0.id, years: [2019, 2020], values: [0, 1]) }
        series[18] = RelativeGrowth(unit: units[18].id, years: [2020], values: [0.5])
        XCTAssertThrowsError(try DriftEstimator.estimate(setup: setup, parameters: parameters, units: units, moments: series)) { error in
            XCTAssertEqual("\(error)", "unit '\(units[18].id)': 1 year(s) of relative growth in the fitting window; at least 2 are needed for a mean and its standard error")
        }
    }
}
