// City governments that choose their instruments strategically (MODEL.md §3.2): a Nash
// equilibrium of best responses each tick, or a regional planner's joint optimum.
import Foundation
import TwinCityGSL

/// The reduced-form game city governments play at the end of a tick (MODEL.md §3.2,
/// "Strategic governments"). It approximates the investment logit of the flows (§3.3)
/// without solving another equilibrium:
///
/// - Capital arriving from elsewhere (pooled investment of other cities' savers, relocated
///   capacity, industry from outside the region) is a pool `P` (亿元 per year, the last
///   interval's total arrivals) shared by the logit of the flows,
///   `π_i(sub) = a_i (1 − sub_i)^{−θ_K} / Σ_j a_j (1 − sub_j)^{−θ_K}`, where the base weight
///   `a_i = arrivals_i (1 − sub_i^last)^{θ_K}` is read off the last interval (so that π_i at
///   last interval's subsidies is its observed share). Pooled investment and industry from
///   outside follow this logit exactly (weight K_i^s (r_i^s/(1−sub_i))^θ_K, returns held at
///   the tick's equilibrium); relocation in, linear in the log return gap, only to first order.
/// - A yuan of capital carries value added `1/κ` a year (κ the capital–output ratio), taxed at
///   τ, for as long as it lasts: its value to a government is `v = τ / (κ (δ + ρ_g))`, with δ
///   the depreciation rate and ρ_g the governments' discount rate.
/// - Retention effort `e_i` lowers the share of capital lost to relocation each year as
///   `λ_i(e) = λ⁰_i e^{−e/ḡ}` (ḡ: `retention_scale`), with `λ⁰_i = λ_i^obs e^{e_i^last/ḡ}` read off
///   the last interval's loss (already net of tax sharing, which makes the government lose only
///   the share it does not keep), and costs `½ c_e K_i e²` a year (c_e: `retention_cost`).
///
/// Government i's objective, 亿元 per year:
/// `W_i = P π_i (v − sub_i) − v K_i λ⁰_i e^{−e_i/ḡ} − ½ c_e K_i e_i²`: the tax base it attracts
/// net of the subsidies it pays on it, less the tax base it loses to relocation and the cost
/// of retaining it. The region's joint objective counts relocation between its cities as the
/// transfer it is: `J = Σ_i [P π_i (v − sub_i) − ½ c_e K_i e_i²]`.
package struct GovernmentGame: Sendable, Equatable {
    /// The pool of arriving capital P, 亿元 per year.
    package var pool: Double
    /// Base logit weight a_i of each city, 亿元 per year (any common scale).
    package var baseWeight: [Double]
    /// θ_K.
    package var elasticity: Double
    /// Value v of a yuan of capital to the government where it is installed, 亿元 per 亿元.
    package var value: Double
    /// Capital K_i, 亿元.
    package var capital: [Double]
    /// Share λ⁰_i of capital lost to relocation each year without retention effort, per year.
    package var lossShare: [Double]
    /// ḡ, log return points.
    package var retentionScale: Double
    /// c_e, per year per (log point)².
    package var retentionCost: Double
    /// Largest subsidy of each city (max_subsidy, and the budget limit).
    package var subsidyLimit: [Double]
    /// Largest retention effort, log return points.
    package var retentionLimit: Double

    package init(
        pool: Double, baseWeight: [Double], elasticity: Double, value: Double, capital: [Double],
        lossShare: [Double], retentionScale: Double, retentionCost: Double, subsidyLimit: [Double], retentionLimit: Double
    ) {
        self.pool = pool
        self.baseWeight = baseWeight
        self.elasticity = elasticity
        self.value = value
        self.capital = capital
        self.lossShare = lossShare
        self.retentionScale = retentionScale
        self.retentionCost = retentionCost
        self.subsidyLimit = subsidyLimit
        self.retentionLimit = retentionLimit
    }

    package var cityCount: Int { baseWeight.count }

    /// The game governments face after an interval, from what they observed.
    package init(agents: [CityAgent], observation: AgentObservation, parameters p: ModelParameters) {
        let n = agents.count
        let theta = p.returnElasticity
        var weights = [Double](repeating: 0, count: n)
        var capital = [Double](repeating: 0, count: n)
        var loss = [Double](repeating: 0, count: n)
        var limits = [Double](repeating: p.maxSubsidy, count: n)
        for i in 0..<n {
            let arrivals = max(0, observation.arrivals[i])
            weights[i] = arrivals * Foundation.pow(1 - agents[i].subsidy, theta)
            capital[i] = p.taxRate > 0 ? p.capitalOutputRatio * observation.revenue[i] / p.taxRate : 0
            loss[i] = max(0, observation.relocationLossShare[i]) * Foundation.exp(agents[i].retention / p.retentionScale)
            if arrivals > 0 { limits[i] = max(0, min(limits[i], p.subsidyBudgetShare * observation.revenue[i] / arrivals)) }
        }
        self.init(
            pool: observation.arrivals.reduce(0) { $0 + max(0, $1) }, baseWeight: weights, elasticity: theta,
            value: p.taxRate / (p.capitalOutputRatio * (p.depreciation + p.governmentDiscountRate)),
            capital: capital, lossShare: loss, retentionScale: p.retentionScale, retentionCost: p.retentionCost,
            subsidyLimit: limits, retentionLimit: p.maxRetention)
    }

    /// π_i at the subsidies `subsidy`, with city i's own replaced by `own` when given.
    package func share(_ i: Int, _ subsidy: [Double], own: Double? = nil) -> Double {
        var total = 0.0
        var mine = 0.0
        for j in 0..<cityCount {
            let s = j == i ? (own ?? subsidy[j]) : subsidy[j]
            let w = baseWeight[j] * Foundation.pow(1 - s, -elasticity)
            total += w
            if j == i { mine = w }
        }
        return total > 0 ? mine / total : 0
    }

    /// P π_i (v − sub_i): the tax base attracted net of the subsidies paid on it, 亿元 per year.
    package func attractionPayoff(_ i: Int, _ subsidy: [Double], own: Double? = nil) -> Double {
        pool * share(i, subsidy, own: own) * (value - (own ?? subsidy[i]))
    }

    /// −v K_i λ⁰_i e^{−e/ḡ} − ½ c_e K_i e²: tax base lost to relocation and the cost of
    /// retention, 亿元 per year.
    package func retentionPayoff(_ i: Int, _ effort: Double) -> Double {
        -value * capital[i] * lossShare[i] * Foundation.exp(-effort / retentionScale) - retentionCostOf(i, effort)
    }

    /// ½ c_e K_i e², 亿元 per year.
    package func retentionCostOf(_ i: Int, _ effort: Double) -> Double { 0.5 * retentionCost * capital[i] * effort * effort }

    /// W_i, 亿元 per year.
    package func payoff(_ i: Int, subsidy: [Double], retention: [Double]) -> Double {
        attractionPayoff(i, subsidy) + retentionPayoff(i, retention[i])
    }

    /// J = Σ_i [P π_i (v − sub_i) − ½ c_e K_i e_i²], 亿元 per year.
    package func joint(subsidy: [Double], retention: [Double]) -> Double {
        (0..<cityCount).reduce(0.0) { $0 + attractionPayoff($1, subsidy) - retentionCostOf($1, retention[$1]) }
    }
}

/// Why a strategic decision could not be taken: names the city whose instrument still moved
/// most in the last round, and by how much.
package struct DecisionFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// Index of the city.
    package var city: Int
    package var rounds: Int
    /// Largest change of an instrument in the last round.
    package var lastChange: Double
    package var message: String

    package var description: String {
        "\(message) after \(rounds) rounds (last change \(String(format: "%.3g", lastChange)))"
    }
}

/// Instruments and how their search went.
package struct StrategicOutcome: Sendable, Equatable {
    package var subsidy: [Double]
    package var retention: [Double]
    /// Rounds of best responses (Nash) or of coordinate sweeps (planner).
    package var rounds: Int
    /// Largest change of an instrument in the last round.
    package var lastChange: Double
}

extension GovernmentGame {
    /// Rounds of best responses allowed before a decision fails.
    package static let maxRounds = 200
    /// Largest change of any instrument in a round at which the search has converged: ten
    /// times the accuracy of a best response (`Minimization.maximize`, whose bracket is at
    /// most 1e-8 + 5e-8·|x| wide).
    package static let tolerance = 1e-7

    /// City i's best subsidy against the others' `subsidy`, by Brent's method on its payoff.
    package func bestSubsidy(_ i: Int, against subsidy: [Double]) throws -> Double {
        try Minimization.maximize(lower: 0, upper: subsidyLimit[i]) { s in
            attractionPayoff(i, subsidy, own: s)
        }
    }

    /// City i's best retention effort (it does not depend on the others' instruments).
    package func bestRetention(_ i: Int) throws -> Double {
        try Minimization.maximize(lower: 0, upper: retentionLimit) { e in retentionPayoff(i, e) }
    }

    /// The Nash equilibrium: simultaneous best responses from `start` until no subsidy moves
    /// by more than `tolerance` in a round; retention efforts are each city's optimum.
    package func nash(start: [Double], maxRounds: Int = GovernmentGame.maxRounds) throws -> StrategicOutcome {
        let n = cityCount
        var subsidy = zip(start, subsidyLimit).map { min(max($0, 0), $1) }
        let retention = try (0..<n).map { i in try Self.searching(i, round: 0, change: .infinity) { try bestRetention(i) } }
        var change = Double.infinity
        var worst = 0
        for round in 1...maxRounds {
            let next = try (0..<n).map { i in
                try Self.searching(i, round: round, change: change) { try bestSubsidy(i, against: subsidy) }
            }
            change = 0
            for i in 0..<n where abs(next[i] - subsidy[i]) > change {
                change = abs(next[i] - subsidy[i])
                worst = i
            }
            subsidy = next
            if change <= Self.tolerance {
                return StrategicOutcome(subsidy: subsidy, retention: retention, rounds: round, lastChange: change)
            }
        }
        throw DecisionFailure(
            city: worst, rounds: maxRounds, lastChange: change,
            message: "the governments' best responses did not converge to a Nash equilibrium of attraction subsidies")
    }

    /// Runs one instrument's search for city i; a GSL failure of the search becomes a
    /// `DecisionFailure` naming the city, the round and the last change before it.
    static func searching(_ i: Int, round: Int, change: Double, _ search: () throws -> Double) throws -> Double {
        do {
            return try search()
        } catch let error as GSLError {
            throw DecisionFailure(city: i, rounds: round, lastChange: change, message: "the search for the government's best instrument failed: \(error)")
        }
    }

    /// The regional planner's choice: coordinate ascent on the joint objective J, city by city
    /// in roster order, each instrument by Brent's method, until no instrument moves by more
    /// than `tolerance` in a sweep.
    package func cooperative(start: [Double], retentionStart: [Double]) throws -> StrategicOutcome {
        let n = cityCount
        var subsidy = zip(start, subsidyLimit).map { min(max($0, 0), $1) }
        var retention = retentionStart.map { min(max($0, 0), retentionLimit) }
        var change = Double.infinity
        var worst = 0
        for round in 1...Self.maxRounds {
            change = 0
            for i in 0..<n {
                var trial = subsidy
                let s = try Self.searching(i, round: round, change: change) {
                    try Minimization.maximize(lower: 0, upper: subsidyLimit[i]) { x in
                        trial[i] = x
                        return joint(subsidy: trial, retention: retention)
                    }
                }
                var effort = retention
                let e = try Self.searching(i, round: round, change: change) {
                    try Minimization.maximize(lower: 0, upper: retentionLimit) { x in
                        effort[i] = x
                        return joint(subsidy: subsidy, retention: effort)
                    }
                }
                let moved = max(abs(s - subsidy[i]), abs(e - retention[i]))
                if moved > change { change = moved; worst = i }
                subsidy[i] = s
                retention[i] = e
            }
            if change <= Self.tolerance {
                return StrategicOutcome(subsidy: subsidy, retention: retention, rounds: round, lastChange: change)
            }
        }
        throw DecisionFailure(
            city: worst, rounds: Self.maxRounds, lastChange: change,
            message: "the regional planner's coordinate search did not converge")
    }
}

/// Every government plays its best response to the others' instruments until none gains by
/// changing (MODEL.md §3.2): the Nash equilibrium of `GovernmentGame`, each tick, from the
/// instruments in force.
package struct NashRule: DecisionRule {
    package init() {}

    package func decide(_ agents: inout [CityAgent], observation: AgentObservation, dt: Double, parameters: ModelParameters) throws {
        let game = GovernmentGame(agents: agents, observation: observation, parameters: parameters)
        let outcome = try game.nash(start: agents.map(\.subsidy))
        Self.install(outcome, in: &agents)
    }

    static func install(_ outcome: StrategicOutcome, in agents: inout [CityAgent]) {
        for i in agents.indices {
            agents[i].subsidy = outcome.subsidy[i]
            agents[i].retention = outcome.retention[i]
            agents[i].decisionRounds = outcome.rounds
            agents[i].decisionChange = outcome.lastChange
        }
    }
}

/// A regional planner sets every government's instruments to maximise the joint objective
/// of `GovernmentGame` (the decision's 「一盤棋」), each tick.
package struct CooperativeRule: DecisionRule {
    package init() {}

    package func decide(_ agents: inout [CityAgent], observation: AgentObservation, dt: Double, parameters: ModelParameters) throws {
        let game = GovernmentGame(agents: agents, observation: observation, parameters: parameters)
        let outcome = try game.cooperative(start: agents.map(\.subsidy), retentionStart: agents.map(\.retention))
        NashRule.install(outcome, in: &agents)
    }
}
