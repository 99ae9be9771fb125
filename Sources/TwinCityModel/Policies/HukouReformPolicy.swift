/// 戶籍便捷遷徙、居住証互通互認 (decision 三(十五)): registration barriers on moves into the
/// listed cities (all when empty) are multiplied by `barrierFactor`.
public struct HukouReformPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "hukou_reform"
    /// Years in force.
    public var window: PolicyWindow
    /// Destination cities whose barriers fall (empty: all).
    public var cities: [String]
    /// Multiplier of the barriers, in [0, 1].
    public var barrierFactor: Double

    public init(window: PolicyWindow, cities: [String] = [], barrierFactor: Double = 0.5) {
        self.window = window
        self.cities = cities
        self.barrierFactor = barrierFactor
    }

    public var namedCities: [String] { cities }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let n = context.cityCount
        for j in context.indices(cities) { for i in 0..<n where i != j { effects.barrierScale[i * n + j] *= barrierFactor } }
    }
}
