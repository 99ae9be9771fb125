/// 建設用地資源向重點區域傾斜 (decision 三(十三)): the housing and land stock of the listed
/// cities grows faster by `extraGrowth` a year, lowering rents there.
public struct LandSupplyPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "land_supply"
    /// Years in force.
    public var window: PolicyWindow
    public var cities: [String]
    /// Extra yearly growth of H (> −1).
    public var extraGrowth: Double

    public init(window: PolicyWindow, cities: [String], extraGrowth: Double = 0.01) {
        self.window = window
        self.cities = cities
        self.extraGrowth = extraGrowth
    }

    public var namedCities: [String] { cities }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        for i in context.indices(cities) { effects.housingGrowth[i] += extraGrowth }
    }
}
