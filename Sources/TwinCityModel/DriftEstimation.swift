// Estimation of each city's relative productivity drift from the history panel (MODEL.md §10):
// the published real growth rates, net of the region's growth each year, are the moments; the
// drifts are the values with which the model's own relative growth matches them.
import Foundation
import TwinCityGSL

/// One unit of the panel the estimator matches: a city of the roster, or a group (Chongqing
/// municipality) whose members share one drift because the panel has only their total.
package struct EstimationUnit: Sendable, Equatable {
    /// Roster id of the city or group.
    package var id: String
    /// Roster indices of the cities it covers.
    package var members: [Int]
    /// Shrinkage pool: units of one pool are shrunk towards the pool's mean; `nil` keeps the
    /// unit's own estimate (a pool of one has no spread to estimate).
    package var pool: String?

    package init(id: String, members: [Int], pool: String?) {
        self.id = id
        self.members = members
        self.pool = pool
    }

    /// The units of a roster: each city outside a group, then each group. Regional centres
    /// and node cities are pooled by tier; the two cores (Chengdu, Chongqing) are their own.
    package static func units(of roster: Roster) -> [EstimationUnit] {
        var units: [EstimationUnit] = []
        for (i, city) in roster.cities.enumerated() where city.group == nil {
            units.append(EstimationUnit(id: city.id, members: [i], pool: city.tier == .core ? nil : city.tier.rawValue))
        }
        for group in roster.groups {
            let members = group.members.compactMap { id in roster.cities.firstIndex { $0.id == id } }
            let tiers = Set(members.map { roster.cities[$0].tier })
            let pool: String? = tiers == [.core] || tiers.count != 1 ? nil : tiers.first!.rawValue
            units.append(EstimationUnit(id: group.id, members: members, pool: pool))
        }
        return units
    }
}

/// A unit's relative real growth in the panel: r_u,t = g_u,t − ḡ_t, per cent a year, where
/// g_u,t is the published real growth and ḡ_t = Σ_v w_v,t−1 g_v,t / Σ_v w_v,t−1 the mean over
/// the units with a rate in year t, weighted by their GDP at current prices of year t − 1.
package struct RelativeGrowth: Sendable, Equatable {
    package var unit: String
    /// Years with a relative growth, ascending.
    package var years: [Int]
    /// r_u,t, percentage points.
    package var values: [Double]

    /// Mean r̄_u, percentage points a year.
    package var mean: Double { values.reduce(0, +) / Double(values.count) }
    /// Standard error of the mean, s_u/√T_u (sample standard deviation s_u), percentage points.
    package var standardError: Double {
        values.count >= 2 ? Statistics.standardDeviation(values) / Double(values.count).squareRoot() : .nan
    }
}

/// Relative growth of each unit in a history panel.
package enum HistoryMoments {
    /// r_u,t for every unit and every year t in `years` in which the unit has a rate and the
    /// previous year's GDP, the mean ḡ_t taken over exactly those units. A year in which fewer
    /// than half of the units have a rate gives no relative growth (its mean would describe a
    /// different region).
    package static func relativeGrowth(panel: HistoryPanel, units: [String], years: ClosedRange<Int>) -> [RelativeGrowth] {
        var series = units.map { RelativeGrowth(unit: $0, years: [], values: []) }
        for year in years {
            let rates = publishedRates(panel: panel, units: units, year: year)
            guard rates.count * 2 >= units.count, let mean = regionGrowth(rates) else { continue }
            for (u, rate, _) in rates {
                series[u].years.append(year)
                series[u].values.append(rate - mean)
            }
        }
        return series
    }

    /// The region's growth in `year`, ḡ_t = Σ_v GDP_v,t−1 g_v,t / Σ_v GDP_v,t−1 over the units
    /// with a rate in t and GDP in t − 1, per cent; `nil` when no unit has both.
    package static func regionGrowth(panel: HistoryPanel, units: [String], year: Int) -> Double? {
        regionGrowth(publishedRates(panel: panel, units: units, year: year))
    }

    /// (unit index, g_u,t, GDP_u,t−1) of the units with both in `year`.
    static func publishedRates(panel: HistoryPanel, units: [String], year: Int) -> [(Int, Double, Double)] {
        units.enumerated().compactMap { u, id in
            guard let rate = panel.observation(city: id, year: year)?.realGrowthPercent,
                  let weight = panel.observation(city: id, year: year - 1)?.gdpCurrent, weight > 0 else { return nil }
            return (u, rate, weight)
        }
    }

    static func regionGrowth(_ rates: [(Int, Double, Double)]) -> Double? {
        let total = rates.reduce(0) { $0 + $1.2 }
        guard total > 0 else { return nil }
        return rates.reduce(0) { $0 + $1.1 * $1.2 } / total
    }
}

/// The estimated drift of one unit.
package struct DriftEstimate: Sendable, Equatable {
    package var unit: String
    /// Number of years of relative growth, T_u.
    package var years: Int
    /// Data moment r̄_u, percentage points a year.
    package var rawMoment: Double
    /// Its standard error s_u/√T_u.
    package var rawStandardError: Double
    /// Weight w_u of the unit's own moment after shrinkage (1: not shrunk).
    package var shrinkageWeight: Double
    /// The moment matched: w_u r̄_u + (1 − w_u) m̄_pool, percentage points a year.
    package var moment: Double
    /// Standard error of the matched moment, √w_u · s_u/√T_u (posterior standard deviation
    /// of the normal–normal model behind the shrinkage).
    package var momentStandardError: Double
    /// Drift d_u, log points a year.
    package var drift: Double
    /// Standard error of d_u: the moment's standard error over the model's response
    /// ∂r_u/∂d_u (delta method).
    package var standardError: Double
    /// ∂r_u/∂d_u of the model at the estimate, percentage points of relative growth per log
    /// point of drift.
    package var response: Double
    /// The model's mean relative growth at the estimate, percentage points a year.
    package var modelMoment: Double
}

/// Everything `DriftEstimator.estimate` finds.
package struct DriftEstimation: Sendable {
    package var units: [DriftEstimate]
    /// The drift of every roster city (a group's members get the group's), log points a year.
    package var driftByCity: [String: Double]
    /// Shrinkage pools: τ² (between-unit variance of the true moments), pp².
    package var poolVariance: [String: Double]
    /// Pooled standard deviation of the yearly residuals r_u,t − r̄_u, percentage points.
    package var residualSD: Double
    /// σ_A implied by `residualSD`: residualSD / mean response (log points).
    package var productivityShockSD: Double
    /// First-order autocorrelation of the residuals (pooled OLS of e_u,t on e_u,t−1), and its
    /// standard error; the model's random-walk productivity has i.i.d. growth, ρ = 0.
    package var residualAutocorrelation: Double
    package var residualAutocorrelationSE: Double
    /// Iterations of the moment matching, and the largest remaining |model − data| moment gap
    /// after removing the common component the normalisation leaves unmatched, pp.
    package var iterations: Int
    package var largestGap: Double
    /// Covariance of the drifts, units × units row-major, log points²: J⁺ diag(se²) J⁺ᵀ with J
    /// the model's Jacobian ∂r̄/∂d and se the matched moments' standard errors (delta
    /// method; the moments of different units are taken as independent).
    package var covariance: [Double]
    /// Yearly residuals by unit: (year, r_u,t, r_u,t − r̄_u).
    package var residuals: [String: [(year: Int, relativeGrowth: Double, residual: Double)]]
}

/// Why an estimation could not be done; names the unit or the step.
package struct EstimationError: Error, CustomStringConvertible, Sendable, Equatable {
    package var message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}

/// Estimates per-city productivity drifts by matching the model's relative growth to the
/// panel's (a method of simulated moments with as many moments as drifts).
///
/// For drifts d (log points a year, 2020-GDP-weighted mean 0 so that g keeps the region's
/// common growth), the model runs from the calibrated base year over `horizon` ticks
/// (`meanRelativeGrowth`: shocks off, instruments fixed); its relative growth r_u^m(d) is
/// defined as the data's, with GDP at base-year prices for growth and nominal GDP for the
/// weights. The drifts solve r̄^m(d) = m (matched moments m, `shrink`) by a damped chord
/// Newton method: J = ∂r̄^m/∂d by forward differences (one run per unit), steps
/// Δ = argmin ‖J Δ − (m − r̄^m)‖² with the extra row Σ w (d + Δ) = 0 (a common shift of all
/// drifts changes no relative growth, so J is singular along it), solved by SVD least
/// squares (`gsl_multifit_linear`), no step longer than `maxStep`, J measured again every
/// six steps. Standard errors by the delta method: Cov(d) = J⁺ diag(se_m²) J⁺ᵀ.
package enum DriftEstimator {
    /// - Parameters:
    ///   - moments: the panel's relative growth per unit (`HistoryMoments.relativeGrowth`),
    ///     in the order of `units`; a unit needs at least 2 years.
    ///   - horizon: ticks of the model over which its mean relative growth is taken.
    ///   - tolerance: iteration stops when no drift changes by more than this, log points.
    package static func estimate(
        setup: SimulationSetup, parameters: ModelParameters, units: [EstimationUnit], moments: [RelativeGrowth],
        horizon: Int = 10, tolerance: Double = 1e-9, maxIterations: Int = 200, jacobianStep: Double = 1e-3, maxStep: Double = 0.01
    ) throws -> DriftEstimation {
        precondition(units.count == moments.count, "one moment series per unit")
        for (unit, series) in zip(units, moments) where series.values.count < 2 {
            throw EstimationError(message: "unit '\(unit.id)': \(series.values.count) year(s) of relative growth in the fitting window; at least 2 are needed for a mean and its standard error")
        }
        guard horizon >= 1 else { throw EstimationError(message: "the model horizon must be at least one tick") }
        let shrunk = shrink(units: units, moments: moments)
        let target = shrunk.moment
        let baseGDP = setup.cities.map(\.gdp2020)
        var weight = [Double](repeating: 0, count: units.count)
        for (u, unit) in units.enumerated() { weight[u] = unit.members.reduce(0) { $0 + baseGDP[$1] } }
        let totalWeight = weight.reduce(0, +)

        func model(_ d: [Double]) throws -> [Double] {
            try meanRelativeGrowth(setup: setup, parameters: parameters, units: units, drift: d, horizon: horizon)
        }
        let count = units.count
        // Jacobian J_uv = ∂r̄_u/∂d_v by forward differences at d, one model run per unit.
        func jacobian(at d: [Double], base: [Double]) throws -> [Double] {
            var j = [Double](repeating: 0, count: count * count)
            for v in 0..<count {
                var probe = d
                probe[v] += jacobianStep
                let m = try model(probe)
                for u in 0..<count { j[u * count + v] = (m[u] - base[u]) / jacobianStep }
            }
            return j
        }
        // Solves J x ≈ b with Σ w x = c: the common shift of all drifts changes no relative
        // growth, so J is singular along it, and the extra row pins it (SVD least squares).
        func solve(_ j: [Double], _ b: [Double], constraint c: Double) throws -> [Double] {
            let scale = 100.0
            var design = j
            design += weight.map { scale * $0 / totalWeight }
            let fit = try LeastSquares.fit(design: design, columns: count, observations: b + [scale * c])
            return fit.coefficients
        }
        var d = [Double](repeating: 0, count: count)
        var current = try model(d)
        var iterations = 1
        var j = try jacobian(at: d, base: current)
        iterations += count
        var converged = false
        var chordSteps = 0
        while iterations < maxIterations {
            let gap = (0..<count).map { target[$0] - current[$0] }
            let mean = zip(d, weight).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
            var step = try solve(j, gap, constraint: -mean)
            // A step longer than the drifts themselves can be is cut back (damped Newton).
            let longest = step.map(abs).max() ?? 0
            if longest > maxStep { step = step.map { $0 * maxStep / longest } }
            d = zip(d, step).map { $0 + $1 }
            current = try model(d)
            iterations += 1
            chordSteps += 1
            let change = step.map(abs).max() ?? 0
            if change < tolerance { converged = true; break }
            // The chord method reuses J; when it stalls, J is measured again at the new point.
            if chordSteps >= 6, iterations + count < maxIterations {
                j = try jacobian(at: d, base: current)
                iterations += count
                chordSteps = 0
            }
        }
        guard converged else {
            throw EstimationError(message: "the moment matching did not converge in \(maxIterations) model runs")
        }
        let response = (0..<count).map { j[$0 * count + $0] }
        // Covariance of the drifts by the delta method: Cov(d) = J⁺ diag(se_m²) J⁺ᵀ.
        var columns: [[Double]] = []
        for k in 0..<count {
            var b = [Double](repeating: 0, count: count)
            b[k] = shrunk.standardError[k]
            columns.append(try solve(j, b, constraint: 0))
        }
        var covariance = [Double](repeating: 0, count: count * count)
        for u in 0..<count { for v in 0..<count {
            covariance[u * count + v] = (0..<count).reduce(0) { $0 + columns[$1][u] * columns[$1][v] }
        } }
        let gaps = (0..<units.count).map { current[$0] - target[$0] }
        let common = zip(gaps, weight).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        let largestGap = gaps.map { abs($0 - common) }.max() ?? 0

        var estimates: [DriftEstimate] = []
        var driftByCity: [String: Double] = [:]
        for (u, unit) in units.enumerated() {
            let series = moments[u]
            estimates.append(DriftEstimate(
                unit: unit.id, years: series.values.count, rawMoment: series.mean,
                rawStandardError: series.standardError, shrinkageWeight: shrunk.weight[u], moment: target[u],
                momentStandardError: shrunk.standardError[u], drift: d[u],
                standardError: covariance[u * count + u].squareRoot(), response: response[u], modelMoment: current[u]))
            for i in unit.members { driftByCity[setup.cities[i].id] = d[u] }
        }

        // Residuals, their spread and persistence.
        var residuals: [String: [(year: Int, relativeGrowth: Double, residual: Double)]] = [:]
        var squares = 0.0
        var dof = 0
        var lagged: [Double] = []
        var leading: [Double] = []
        for series in moments {
            let mean = series.mean
            var rows: [(year: Int, relativeGrowth: Double, residual: Double)] = []
            for (k, year) in series.years.enumerated() {
                let e = series.values[k] - mean
                rows.append((year, series.values[k], e))
                squares += e * e
                if k > 0, series.years[k - 1] == year - 1 {
                    lagged.append(series.values[k - 1] - mean)
                    leading.append(e)
                }
            }
            dof += series.values.count - 1
            residuals[series.unit] = rows
        }
        let residualSD = (squares / Double(max(dof, 1))).squareRoot()
        var rho = Double.nan
        var rhoSE = Double.nan
        if lagged.count > 2, let fit = try? LeastSquares.fit(design: lagged, columns: 1, observations: leading) {
            rho = fit.coefficients[0]
            rhoSE = fit.standardError(0)
        }
        let meanResponse = response.reduce(0, +) / Double(response.count)
        return DriftEstimation(
            units: estimates, driftByCity: driftByCity, poolVariance: shrunk.poolVariance, residualSD: residualSD,
            productivityShockSD: residualSD / meanResponse, residualAutocorrelation: rho,
            residualAutocorrelationSE: rhoSE, iterations: iterations, largestGap: largestGap, covariance: covariance,
            residuals: residuals)
    }

    /// Empirical-Bayes shrinkage of the unit moments towards their pool's mean: with the
    /// pool's moments m_u and squared standard errors v_u, τ² = max(0, Var(m) − mean(v))
    /// (method of moments), w_u = τ²/(τ² + v_u), m_u* = w_u m_u + (1 − w_u) m̄ with m̄ the
    /// precision-weighted pool mean, standard error √w_u · √v_u. A unit without a pool, or
    /// in a pool of fewer than 3, keeps w_u = 1.
    static func shrink(units: [EstimationUnit], moments: [RelativeGrowth])
        -> (moment: [Double], weight: [Double], standardError: [Double], poolVariance: [String: Double])
    {
        var moment = moments.map(\.mean)
        var weight = [Double](repeating: 1, count: units.count)
        var standardError = moments.map(\.standardError)
        var poolVariance: [String: Double] = [:]
        let pools = Set(units.compactMap(\.pool)).sorted()
        for pool in pools {
            let members = units.indices.filter { units[$0].pool == pool }
            guard members.count >= 3 else { continue }
            let m = members.map { moments[$0].mean }
            let v = members.map { moments[$0].standardError * moments[$0].standardError }
            let tau2 = max(0, Statistics.variance(m) - v.reduce(0, +) / Double(v.count))
            poolVariance[pool] = tau2
            let precision = v.map { 1 / ($0 + tau2) }
            let poolMean = zip(m, precision).reduce(0) { $0 + $1.0 * $1.1 } / precision.reduce(0, +)
            for (k, u) in members.enumerated() {
                let w = tau2 / (tau2 + v[k])
                weight[u] = w
                moment[u] = w * m[k] + (1 - w) * poolMean
                standardError[u] = (w * v[k]).squareRoot()
            }
        }
        return (moment, weight, standardError, poolVariance)
    }

    /// The model's mean relative growth r̄_u^m(d) per unit, percentage points a year, over
    /// `horizon` ticks from the base year, as the estimator sees it: productivity shocks off,
    /// governments' instruments fixed at their base-year values (the tournament moves
    /// subsidies by rank, a step function of the drifts that no derivative-based matching can
    /// follow), and unit u's drift `drift[u]` given to each of its members.
    package static func meanRelativeGrowth(
        setup: SimulationSetup, parameters base: ModelParameters, units: [EstimationUnit], drift: [Double], horizon: Int
    ) throws -> [Double] {
        var parameters = base
        parameters.productivityShockSD = 0
        parameters.decisionRule = .fixed
        parameters.productivityDrift = [:]
        for (u, unit) in units.enumerated() { for i in unit.members { parameters.productivityDrift[setup.cities[i].id] = drift[u] } }
        let settings = SimulationSettings(startYear: 2020, endYear: 2020 + Double(horizon), dt: 1, seed: 1)
        let simulation = try Simulation(setup: setup, parameters: parameters, settings: settings)
        var previousReal: [Double]?
        var previousNominal: [Double]?
        var sums = [Double](repeating: 0, count: units.count)
        try simulation.run { record in
            let real = units.map { $0.members.reduce(0) { $0 + record.realGDP[$1] } }
            let nominal = units.map { $0.members.reduce(0) { $0 + record.equilibrium.gdp[$1] } }
            if let before = previousReal, let weights = previousNominal {
                let growth = (0..<units.count).map { 100 * (real[$0] / before[$0] - 1) }
                let mean = zip(growth, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
                for u in 0..<units.count { sums[u] += growth[u] - mean }
            }
            previousReal = real
            previousNominal = nominal
        }
        return sums.map { $0 / Double(horizon) }
    }
}
