/// 經濟區和行政區適度分離 (decision 三(十三)): within the listed zones, attraction subsidies
/// are capped at `maxSubsidy`, so governments of one zone stop bidding against each other.
public struct SubsidyCoordinationPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "subsidy_coordination"
    /// Years in force.
    public var window: PolicyWindow
    /// Economic zones covered (empty: all).
    public var zones: [String]
    /// Largest subsidy inside them, in [0, 1).
    public var maxSubsidy: Double

    public init(window: PolicyWindow, zones: [String] = [], maxSubsidy: Double = 0.02) {
        self.window = window
        self.zones = zones
        self.maxSubsidy = maxSubsidy
    }

    public var namedCities: [String] { [] }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        for (i, city) in context.cities.enumerated() where zones.isEmpty || zones.contains(city.zone) {
            effects.subsidyCap[i] = min(effects.subsidyCap[i], maxSubsidy)
        }
    }
}
