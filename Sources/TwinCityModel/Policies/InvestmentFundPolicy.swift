/// 成渝協同發展投資基金 (decision 四(十七)): the contributing governments put `amount` 亿元
/// a year, in proportion to their revenue, into capital of the listed cities and sectors,
/// allocated in proportion to capital installed there.
///
/// Hooks: `fundInvestment[v] += amount · K_v / ΣK` (spent on the recipients' investment
/// goods); of the amount, the share `outsideShare` is a capital inflow with the rest of
/// China as its counterpart (`outsideFunding`) and the rest is paid by the contributors,
/// `transfers[c] −= contribution_c`, so Σ transfers = −(1 − outsideShare) · amount.
public struct InvestmentFundPolicy: Policy {
    /// Name of this policy kind in scenario files.
    public static let kind = "investment_fund"
    /// Years in force.
    public var window: PolicyWindow
    /// Yearly injection, 亿元 (≥ 0).
    public var amount: Double
    /// Recipient cities.
    public var cities: [String]
    /// Recipient sectors (empty: all).
    public var sectors: [String]
    /// Contributing governments (empty: all).
    public var contributors: [String]
    /// Share of the fund financed from outside the region, in [0, 1]; the contributors pay
    /// the rest.
    public var outsideShare: Double

    public init(window: PolicyWindow, amount: Double, cities: [String], sectors: [String] = [], contributors: [String] = [], outsideShare: Double = 0) {
        self.window = window
        self.amount = amount
        self.cities = cities
        self.sectors = sectors
        self.contributors = contributors
        self.outsideShare = outsideShare
    }

    public var namedCities: [String] { cities + contributors }
    public var namedSectors: [String] { sectors }

    public func apply(to effects: inout PolicyEffects, context: PolicyContext) {
        let sCount = context.sectorCount
        var base = 0.0
        for i in context.indices(cities) { for s in context.sectorIndices(sectors) where !effects.investmentBlocked[i * sCount + s] {
            base += context.state.capital[i * sCount + s]
        } }
        guard amount > 0, base > 0 else { return }
        for i in context.indices(cities) { for s in context.sectorIndices(sectors) where !effects.investmentBlocked[i * sCount + s] {
            effects.fundInvestment[i * sCount + s] += amount * context.state.capital[i * sCount + s] / base
        } }
        effects.outsideFunding += amount * outsideShare
        let paid = amount * (1 - outsideShare)
        guard paid > 0 else { return }
        let payers = context.indices(contributors)
        let revenue = payers.reduce(0.0) { $0 + context.lastGDP[$1] }
        for i in payers { effects.transfers[i] -= paid * context.lastGDP[i] / revenue }
    }
}
