// The regional economy: its fixed structure (cities, sectors, trade costs) and its state.
import Foundation

/// What does not change within a tick: cities, sectors, expenditure shares, travel times and
/// the trade weights derived from them.
///
/// Matrices are N×N, row-major, row = origin i, column = destination j.
public struct EconomyStructure: Sendable {
    /// City identifiers, in roster order.
    public let cityIDs: [String]
    public let sectors: [Sector]
    /// Expenditure share a_s of each modern sector (calibrated, §5).
    public let expenditureShares: [Double]
    /// Expenditure share a_H on housing.
    public let housingShare: Double
    /// Agglomeration elasticity of productivity to urban population.
    public let agglomeration: Double
    /// Travel times t_ij, hours.
    public private(set) var travelTimes: [Double]
    /// Trade weights τ_ij^(1−σ_s) of each sector: `tradeWeights[s][i*N + j]`.
    public private(set) var tradeWeights: [[Double]]
    /// Weight μ_j^s of the rest of China's variety of sector s in city j's price index
    /// (its price is the numeraire, 1), by `j*S + s`: `Φ_j^s = Σ_k T_kj^s (p_k^s)^(1−σ_s) + μ_j^s`.
    /// All zero for a closed region (the core–periphery model), whose price level agriculture pins.
    public var importWeights: [Double]
    /// Shares b_s of the investment bundle by sector (sum 1).
    public var investmentShares: [Double]
    /// Registration barrier on entering each city, logit units (nil: `hukou_barrier` everywhere).
    public var entryBarriers: [Double]?

    /// Number of cities N.
    public var cityCount: Int { cityIDs.count }
    /// Number of modern sectors S.
    public var sectorCount: Int { sectors.count }
    /// Expenditure share a_A on agriculture, 1 − a_H − Σ a_s.
    public var agricultureShare: Double { 1 - housingShare - expenditureShares.reduce(0, +) }
    /// True when the region trades with the rest of China (some import weight is positive).
    public var isOpen: Bool { importWeights.contains { $0 > 0 } }

    /// The investment bundle's shares: the sectors' `investmentShare`, or when none is set,
    /// the modern consumption mix a_s / Σ a_s.
    static func bundleShares(sectors: [Sector], expenditureShares: [Double]) -> [Double] {
        let declared = sectors.map(\.investmentShare)
        let total = declared.reduce(0, +)
        if total > 0 { return declared.map { $0 / total } }
        let modern = expenditureShares.reduce(0, +)
        return expenditureShares.map { modern > 0 ? $0 / modern : 1 / Double(sectors.count) }
    }

    /// Builds the structure with iceberg costs τ_ij^s = exp(κ_s t_ij) from travel times.
    package init(
        cityIDs: [String], sectors: [Sector], expenditureShares: [Double], housingShare: Double,
        agglomeration: Double, travelTimes: [Double]
    ) {
        precondition(travelTimes.count == cityIDs.count * cityIDs.count)
        precondition(expenditureShares.count == sectors.count)
        self.cityIDs = cityIDs
        self.sectors = sectors
        self.expenditureShares = expenditureShares
        self.housingShare = housingShare
        self.agglomeration = agglomeration
        self.travelTimes = travelTimes
        self.tradeWeights = []
        self.importWeights = Array(repeating: 0, count: cityIDs.count * sectors.count)
        self.investmentShares = Self.bundleShares(sectors: sectors, expenditureShares: expenditureShares)
        self.entryBarriers = nil
        self.tradeWeights = sectors.map { Self.weights(sector: $0, travelTimes: travelTimes) }
    }

    /// Builds the structure from explicit iceberg cost matrices τ^s (≥ 1), one per sector;
    /// used by the two-city core–periphery model whose T is a parameter, not a travel time.
    package init(
        cityIDs: [String], sectors: [Sector], expenditureShares: [Double], housingShare: Double,
        agglomeration: Double, icebergCosts: [[Double]]
    ) {
        let n = cityIDs.count
        precondition(icebergCosts.count == sectors.count)
        self.cityIDs = cityIDs
        self.sectors = sectors
        self.expenditureShares = expenditureShares
        self.housingShare = housingShare
        self.agglomeration = agglomeration
        self.travelTimes = [Double](repeating: 0, count: n * n)
        self.importWeights = Array(repeating: 0, count: n * sectors.count)
        self.investmentShares = Self.bundleShares(sectors: sectors, expenditureShares: expenditureShares)
        self.entryBarriers = nil
        self.tradeWeights = zip(sectors, icebergCosts).map { sector, tau in
            tau.map { Foundation.pow($0, 1 - sector.elasticity) }
        }
    }

    /// Replaces the travel times (a transport policy) and recomputes the trade weights.
    package mutating func setTravelTimes(_ times: [Double]) {
        precondition(times.count == travelTimes.count)
        travelTimes = times
        tradeWeights = sectors.map { Self.weights(sector: $0, travelTimes: times) }
    }

    /// τ^(1−σ) = exp((1−σ) κ t).
    static func weights(sector: Sector, travelTimes: [Double]) -> [Double] {
        let slope = (1 - sector.elasticity) * sector.tradeCostPerHour
        return travelTimes.map { Foundation.exp(slope * $0) }
    }
}

/// The state of every city at the start of a tick. Arrays indexed by city i, or by
/// variety `i*S + s` for city i and sector s.
public struct EconomyState: Sendable, Equatable {
    /// Urban (mobile) population L_i, 10^4 persons.
    public var urbanPopulation: [Double]
    /// Rural population R_i, 10^4 persons.
    public var ruralPopulation: [Double]
    /// Capital installed in each sector K_i^s (the city's industry), 亿元.
    public var capital: [Double]
    /// Exogenous productivity Abar_i^s (Chengdu's = 1 in the base year in each sector).
    public var productivity: [Double]
    /// Output of one rural worker q^A_i, 亿元 per 10^4 persons per year.
    public var ruralProductivity: [Double]
    /// Housing and land stock H_i (10^4 dwelling units; 1 per resident in the base year).
    public var housing: [Double]
    /// Public-service stock G_i, 亿元.
    public var publicServices: [Double]
    /// Net transfers between the region's governments received T_i, 亿元 per year (set by
    /// policies; Σ_i T_i is zero, or minus what governments pay into an investment fund).
    public var transfers: [Double]
    /// Amenity B_i of living in the city (calibrated, §5), utility multiplier.
    public var amenity: [Double]
    /// Extra spending from outside the region on each variety set by policy, 亿元 per year
    /// (opening policy), on top of `externalDemand`.
    public var exports: [Double]
    /// Demand shifter ε_i^s of the rest of China for each variety: it spends
    /// `ε_i^s (p_i^s)^(1−σ_s)` 亿元 a year on it (calibrated to base-year export shares, §5;
    /// grows at `external_demand_growth`).
    public var externalDemand: [Double]
    /// Transfers from the central government received by each city, 亿元 per year (from
    /// outside the region: not part of the zero-sum `transfers`).
    public var centralTransfers: [Double]

    package init(
        urbanPopulation: [Double], ruralPopulation: [Double], capital: [Double],
        productivity: [Double], ruralProductivity: [Double], housing: [Double],
        publicServices: [Double], transfers: [Double], amenity: [Double], exports: [Double]? = nil,
        externalDemand: [Double]? = nil, centralTransfers: [Double]? = nil
    ) {
        self.urbanPopulation = urbanPopulation
        self.ruralPopulation = ruralPopulation
        self.capital = capital
        self.productivity = productivity
        self.ruralProductivity = ruralProductivity
        self.housing = housing
        self.publicServices = publicServices
        self.transfers = transfers
        self.amenity = amenity
        self.exports = exports ?? Array(repeating: 0, count: capital.count)
        self.externalDemand = externalDemand ?? Array(repeating: 0, count: capital.count)
        self.centralTransfers = centralTransfers ?? Array(repeating: 0, count: urbanPopulation.count)
    }

    /// Resident population L_i + R_i, 10^4 persons.
    public var population: [Double] { zip(urbanPopulation, ruralPopulation).map { $0 + $1 } }
}
