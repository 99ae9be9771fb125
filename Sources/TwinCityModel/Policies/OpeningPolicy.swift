/// 提升對外開放水平 (decision 三(十四): 中歐班列, international rail and ports): buyers outside the
/// region spend `exports` 亿元 a year on each listed city's variety of each listed sector.
/// The region pays for them with agriculture bought outside, so the agriculture market clears
/// with those imports (`a_A ΣE = Σ q R + Σ exports`).
public struct OpeningPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "opening"
    /// Years in force.
    public var window: PolicyWindow
    public var cities: [String]
    /// Sectors exported (empty: all).
    public var sectors: [String]
    /// Spending from outside on each listed variety, 亿元 per year (≥ 0).
    public var exports: Double

    public init(window: PolicyWindow, cities: [String], sectors: [String] = ["manufacturing"], exports: Double = 100) {
        self.window = window
        self.cities = cities
        self.sectors = sectors
        self.exports = exports
    }

    public var namedCities: [String] { cities }
    public var namedSectors: [String] { sectors }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        for i in context.indices(cities) { for s in context.sectorIndices(sectors) where context.state.capital[i * sCount + s] > 0 || context.sectors[s].capitalShare == 0 {
            effects.exports[i * sCount + s] += exports
        } }
    }
}
