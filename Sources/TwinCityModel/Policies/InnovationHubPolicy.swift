/// 成渝綿創新金三角 / 科學城 (decision 二(五), 三(十一)): productivity in the hubs grows
/// faster by `boost` a year; spillovers carry part of it to well-connected cities.
public struct InnovationHubPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "innovation_hub"
    /// Years in force.
    public var window: PolicyWindow
    public var cities: [String]
    /// Sectors boosted (empty: all).
    public var sectors: [String]
    /// Extra log growth of productivity per year (≥ 0).
    public var boost: Double

    public init(window: PolicyWindow, cities: [String], sectors: [String] = [], boost: Double = 0.01) {
        self.window = window
        self.cities = cities
        self.sectors = sectors
        self.boost = boost
    }

    public var namedCities: [String] { cities }
    public var namedSectors: [String] { sectors }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        for i in context.indices(cities) { for s in context.sectorIndices(sectors) { effects.productivityBoost[i * sCount + s] += boost } }
    }
}
