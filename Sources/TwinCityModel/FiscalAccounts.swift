// Local government budgets (MODEL.md §3.4).

/// One tick's fiscal accounts of every city, 亿元 per year unless stated.
///
///     revenue_i        = τ · GDP_i (nominal)
///     net resources_i  = revenue_i − expected subsidies_i + transfers_i + central_i
///     public spending  = φ_i · max(0, net resources_i)   (accumulates into G_i)
///     other spending   = (1 − φ_i) · max(0, net resources_i)
///     balance_i        = revenue_i + transfers_i + central_i − subsidies paid_i − public − other spending
///
/// Expected subsidies are the subsidy rate times the previous tick's arrivals; the balance is
/// what actual arrivals made them differ by. Transfers between the region's governments sum
/// to zero (or to minus what they pay into a fund); central transfers come from outside.
public struct FiscalAccounts: Sendable, Equatable {
    public var revenue: [Double]
    /// Net transfers between the region's governments received (negative: paid).
    public var transfers: [Double]
    /// Transfers received from the central government.
    public var centralTransfers: [Double]
    /// Public spending on the service stock G.
    public var publicSpending: [Double]
    /// Other current spending (spent locally, part of E).
    public var otherSpending: [Double]
    /// Subsidies expected for the coming tick, per year.
    public var expectedSubsidies: [Double]

    /// Sets the budget of a tick from revenue, transfers and the agents' instruments.
    public init(gdp: [Double], transfers: [Double], centralTransfers: [Double]? = nil, agents: [CityAgent], lastArrivals: [Double], taxRate: Double) {
        let n = gdp.count
        revenue = gdp.map { taxRate * $0 }
        self.transfers = transfers
        self.centralTransfers = centralTransfers ?? Array(repeating: 0, count: n)
        expectedSubsidies = (0..<n).map { agents[$0].subsidy * lastArrivals[$0] }
        publicSpending = Array(repeating: 0, count: n)
        otherSpending = Array(repeating: 0, count: n)
        for i in 0..<n {
            let net = max(0, revenue[i] - expectedSubsidies[i] + transfers[i] + self.centralTransfers[i])
            publicSpending[i] = agents[i].publicSpendingShare * net
            otherSpending[i] = net - publicSpending[i]
        }
    }

    /// Balance once the subsidies actually paid over the tick (per year) are known.
    public func balance(subsidiesPaid: [Double]) -> [Double] {
        revenue.indices.map { revenue[$0] + transfers[$0] + centralTransfers[$0] - subsidiesPaid[$0] - publicSpending[$0] - otherSpending[$0] }
    }
}
