/// 同城化 (decision 二(五): 成德眉資同城化): within the set, travel times shrink by
/// `timeFactor` (so do trade and moving costs) and registration barriers by `barrierFactor`.
public struct MetroIntegrationPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "metro_integration"
    /// Years in force.
    public var window: PolicyWindow
    /// The integrated cities (at least two).
    public var cities: [String]
    /// Multiplier of travel times between members, in (0, 1].
    public var timeFactor: Double
    /// Multiplier of registration barriers between members, in [0, 1].
    public var barrierFactor: Double

    public init(window: PolicyWindow, cities: [String], timeFactor: Double = 0.8, barrierFactor: Double = 0.3) {
        self.window = window
        self.cities = cities
        self.timeFactor = timeFactor
        self.barrierFactor = barrierFactor
    }

    public var namedCities: [String] { cities }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let n = context.cityCount
        let members = context.indices(cities)
        for i in members { for j in members where j != i {
            effects.travelTimeFactor[i * n + j] *= timeFactor
            effects.barrierScale[i * n + j] *= barrierFactor
        } }
    }
}
