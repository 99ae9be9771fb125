/// 基本公共服務與常住人口挂鉤 (decision 三(十三)): each government pays `poolShare` of its tax
/// revenue into a pool shared out by resident population, so public money follows residents.
///
/// Hook: `transfers[i] += poolShare · (Σ_k τ GDP_k) · P_i / Σ_k P_k − poolShare · τ GDP_i`
/// (revenue of the previous tick), which sums to zero.
public struct PublicServicesByResidentsPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "public_services_by_residents"
    /// Years in force.
    public var window: PolicyWindow
    /// Share of revenue pooled, in [0, 1].
    public var poolShare: Double
    /// Cities taking part (empty: all).
    public var cities: [String]

    public init(window: PolicyWindow, poolShare: Double = 0.1, cities: [String] = []) {
        self.window = window
        self.poolShare = poolShare
        self.cities = cities
    }

    public var namedCities: [String] { cities }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let members = context.indices(cities)
        let tax = context.parameters.taxRate
        let pool = members.reduce(0.0) { $0 + poolShare * tax * context.lastGDP[$1] }
        let residents = members.reduce(0.0) { $0 + context.state.urbanPopulation[$1] + context.state.ruralPopulation[$1] }
        for i in members {
            let people = context.state.urbanPopulation[i] + context.state.ruralPopulation[i]
            effects.transfers[i] += pool * people / residents - poolShare * tax * context.lastGDP[i]
        }
    }
}
