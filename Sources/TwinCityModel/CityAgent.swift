// City governments as agents: their instruments and the rules by which they set them
// (MODEL.md §3.2).

/// The local government of one city and its instruments.
public struct CityAgent: Sendable, Equatable {
    public let cityID: String
    public let province: String
    /// Attraction subsidy `sub_i`: share of the value of capital arriving from elsewhere that
    /// the government pays, in [0, max_subsidy]. It raises the return per yuan an investor
    /// puts in to `r_i^s / (1 − sub_i)`.
    public var subsidy: Double
    /// Retention effort `e_i`, log return points by which a firm's gain from leaving must
    /// exceed relocation cost before it leaves, in [0, max_retention].
    public var retention: Double
    /// Share of net revenue spent on the public-service stock, in [0, 1].
    public var publicSpendingShare: Double
    /// Rounds the last strategic decision took to converge (best responses under `nash`,
    /// coordinate sweeps under `cooperative`); 0 under rules without a search.
    public var decisionRounds: Int = 0
    /// Largest change of an instrument in that decision's last round (≤ 1e-7 once converged).
    public var decisionChange: Double = 0

    public init(cityID: String, province: String, subsidy: Double = 0, retention: Double = 0, publicSpendingShare: Double) {
        self.cityID = cityID
        self.province = province
        self.subsidy = subsidy
        self.retention = retention
        self.publicSpendingShare = publicSpendingShare
    }
}

/// What each government sees at the end of a tick before deciding.
package struct AgentObservation: Sendable {
    /// Growth of real GDP over the tick, per year.
    package var growth: [Double]
    /// Tax revenue, 亿元 per year.
    package var revenue: [Double]
    /// Capital arriving from other cities and from outside the region, 亿元 per year
    /// (the base on which attraction subsidies are paid).
    package var arrivals: [Double]
    /// Installed capacity lost to relocation, share of the city's capital per year.
    package var relocationLossShare: [Double]

    package init(growth: [Double], revenue: [Double], arrivals: [Double], relocationLossShare: [Double]) {
        self.growth = growth
        self.revenue = revenue
        self.arrivals = arrivals
        self.relocationLossShare = relocationLossShare
    }
}

/// A rule by which governments update their instruments once a tick.
package protocol DecisionRule: Sendable {
    /// Updates every agent's instruments from the observation of the tick just ended, for a
    /// tick of `dt` years. Throws `DecisionFailure` when a strategic search does not converge.
    func decide(_ agents: inout [CityAgent], observation: AgentObservation, dt: Double, parameters: ModelParameters) throws
}

/// Instruments never change.
package struct FixedRule: DecisionRule {
    package init() {}
    package func decide(_ agents: inout [CityAgent], observation: AgentObservation, dt: Double, parameters: ModelParameters) {}
}

/// The growth tournament (MODEL.md §3.2): local officials are ranked on growth against the
/// other cities of their province.
///
/// - A government whose growth is below its province's median raises its attraction subsidy
///   by `subsidy_step · dt`; one at or above it lowers it by the same step; the subsidy stays
///   in [0, max_subsidy] and its cost, `sub_i · arrivals_i`, within `subsidy_budget_share` of
///   revenue.
/// - Retention effort answers the tax base at stake: `e_i = min(max_retention,
///   retention_response · share of capital lost to relocation per year)`.
package struct TournamentRule: DecisionRule {
    package init() {}

    package func decide(_ agents: inout [CityAgent], observation: AgentObservation, dt: Double, parameters: ModelParameters) {
        var byProvince: [String: [Int]] = [:]
        for (i, agent) in agents.enumerated() { byProvince[agent.province, default: []].append(i) }
        for members in byProvince.values {
            let median = Self.median(members.map { observation.growth[$0] })
            for i in members {
                let step = parameters.subsidyStep * dt
                var subsidy = agents[i].subsidy + (observation.growth[i] < median ? step : -step)
                subsidy = min(max(subsidy, 0), parameters.maxSubsidy)
                let arrivals = observation.arrivals[i]
                if arrivals > 0 {
                    subsidy = min(subsidy, parameters.subsidyBudgetShare * observation.revenue[i] / arrivals)
                }
                agents[i].subsidy = subsidy
                agents[i].retention = min(parameters.maxRetention, parameters.retentionResponse * observation.relocationLossShare[i])
            }
        }
    }

    /// Median of a non-empty list (mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
    }
}

extension DecisionRuleKind {
    /// The rule this kind names.
    package var rule: any DecisionRule {
        switch self {
        case .fixed: return FixedRule()
        case .tournament: return TournamentRule()
        case .nash: return NashRule()
        case .cooperative: return CooperativeRule()
        }
    }
}
