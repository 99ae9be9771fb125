/// 承接產業轉移 / 功能疏解和產業外溢 (decision 二(六), 三(十)): industry arriving from outside
/// the region goes preferentially to designated cities, extra inflow is directed to them, and
/// relocation from the cores to them is subsidised.
///
/// Hooks: `externalDesignation[i] = designationWeight` for designated i; `externalInflow`
/// += inflow spread over designated cities and the chosen sectors in proportion to their
/// capital; `relocationBonus[o→d] += relocationBonus` for o in `from`, d designated.
public struct IndustryTransferPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "industry_transfer"
    /// Years in force.
    public var window: PolicyWindow
    /// Designated receiving cities.
    public var cities: [String]
    /// Sectors concerned (empty: all).
    public var sectors: [String]
    /// Extra industry from outside the region, 亿元 per year (≥ 0).
    public var inflow: Double
    /// Weight of designated cities in the allocation of industry from outside (≥ 1).
    public var designationWeight: Double
    /// Cities whose industry is encouraged to move out (功能疏解), by default the two cores.
    public var from: [String]
    /// Log points added to the return gap of a move from `from` to a designated city (≥ 0).
    public var relocationBonus: Double

    public init(window: PolicyWindow, cities: [String], sectors: [String] = [], inflow: Double = 0,
                designationWeight: Double = 2, from: [String] = ["chengdu", "chongqing"], relocationBonus: Double = 0.05) {
        self.window = window
        self.cities = cities
        self.sectors = sectors
        self.inflow = inflow
        self.designationWeight = designationWeight
        self.from = from
        self.relocationBonus = relocationBonus
    }

    public var namedCities: [String] { cities + from }
    public var namedSectors: [String] { sectors }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let n = context.cityCount, sCount = context.sectorCount
        let designated = context.indices(cities)
        let chosen = context.sectorIndices(sectors)
        for i in designated { effects.externalDesignation[i] *= designationWeight }
        var base = 0.0
        for i in designated { for s in chosen where !effects.investmentBlocked[i * sCount + s] { base += context.state.capital[i * sCount + s] } }
        if inflow > 0, base > 0 {
            for i in designated { for s in chosen where !effects.investmentBlocked[i * sCount + s] {
                effects.externalInflow[i * sCount + s] += inflow * context.state.capital[i * sCount + s] / base
            } }
        }
        let origins = context.indices(from)
        for o in origins { for d in designated where d != o { effects.relocationBonus[o * n + d] += relocationBonus } }
    }
}
