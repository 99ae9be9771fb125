/// 生態功能區 with 生態補償 (decision 三(十二)): industry in the protected cities is capped
/// at `cap` times its base-year level — a capped variety takes no new capital — and the
/// payers compensate the protected cities with `compensation` 亿元 a year, paid in proportion
/// to their GDP and received in equal parts.
public struct EcoProtectionPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "eco_protection"
    /// Years in force.
    public var window: PolicyWindow
    /// Protected cities.
    public var cities: [String]
    /// Capped sectors (empty: all).
    public var sectors: [String]
    /// Cap as a multiple of base-year capital (≥ 0).
    public var cap: Double
    /// Yearly compensation, 亿元 (≥ 0).
    public var compensation: Double
    /// Cities that pay (empty: every city not protected).
    public var payers: [String]

    public init(window: PolicyWindow, cities: [String], sectors: [String] = ["manufacturing"], cap: Double = 1,
                compensation: Double = 0, payers: [String] = []) {
        self.window = window
        self.cities = cities
        self.sectors = sectors
        self.cap = cap
        self.compensation = compensation
        self.payers = payers
    }

    public var namedCities: [String] { cities + payers }
    public var namedSectors: [String] { sectors }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        let protected = context.indices(cities)
        for i in protected { for s in context.sectorIndices(sectors) {
            let v = i * sCount + s
            let level = cap * context.baseCapital[v]
            effects.capitalCap[v] = min(effects.capitalCap[v], level)
            if context.state.capital[v] >= level { effects.investmentBlocked[v] = true }
        } }
        guard compensation > 0 else { return }
        let protectedSet = Set(protected)
        let paying = payers.isEmpty ? Array(context.cities.indices).filter { !protectedSet.contains($0) } : context.indices(payers)
        let base = paying.reduce(0.0) { $0 + context.lastGDP[$1] }
        for i in paying { effects.transfers[i] -= compensation * context.lastGDP[i] / base }
        for i in protected { effects.transfers[i] += compensation / Double(protected.count) }
    }
}
