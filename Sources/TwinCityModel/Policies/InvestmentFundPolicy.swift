/// 成渝協同發展投資基金 (decision 四(十七)): the contributing governments put `amount` 亿元
/// a year, in proportion to their revenue, into capital of the listed cities and sectors,
/// allocated in proportion to capital installed there.
///
/// Hooks: `transfers[c] −= contribution_c` (money leaves local spending) and
/// `fundInvestment[v] += amount · K_v / ΣK`, so Σ transfers = −Σ injections.
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

    public init(window: PolicyWindow, amount: Double, cities: [String], sectors: [String] = [], contributors: [String] = []) {
        self.window = window
        self.amount = amount
        self.cities = cities
        self.sectors = sectors
        self.contributors = contributors
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
        let payers = context.indices(contributors)
        let revenue = payers.reduce(0.0) { $0 + context.lastGDP[$1] }
        for i in payers { effects.transfers[i] -= amount * context.lastGDP[i] / revenue }
    }
}
