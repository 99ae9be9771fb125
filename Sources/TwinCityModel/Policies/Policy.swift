// Policies of the 2020 decision as scenario toggles (MODEL.md §4): each acts only through
// the documented hooks of `PolicyEffects`, between its start and end year.

/// The years a policy is in force: ticks whose year t satisfies `start ≤ t < end`.
public struct PolicyWindow: Sendable, Equatable, Codable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double = .infinity) {
        self.start = start
        self.end = end
    }

    public func contains(_ year: Double) -> Bool { year >= start - 1e-9 && year < end - 1e-9 }
}

/// What a policy sees when it acts at a tick.
public struct PolicyContext {
    public let year: Double
    public let dt: Double
    public let cities: [City]
    public let sectors: [Sector]
    public let parameters: ModelParameters
    /// State at the start of the tick.
    public let state: EconomyState
    /// Base-year capital by variety (caps are stated relative to it), 亿元.
    public let baseCapital: [Double]
    /// Nominal GDP of the previous tick (the base year's at the first tick), 亿元 per year.
    public let lastGDP: [Double]
    /// Revenue per unit of capital p·Q/K of the previous tick, by variety, per year.
    public let lastRevenuePerCapital: [Double]
    /// Capacity relocated in earlier ticks, newest last.
    public let relocations: [Relocation]

    var cityIndex: [String: Int]

    public init(
        year: Double, dt: Double, cities: [City], sectors: [Sector], parameters: ModelParameters,
        state: EconomyState, baseCapital: [Double], lastGDP: [Double],
        lastRevenuePerCapital: [Double], relocations: [Relocation]
    ) {
        self.year = year
        self.dt = dt
        self.cities = cities
        self.sectors = sectors
        self.parameters = parameters
        self.state = state
        self.baseCapital = baseCapital
        self.lastGDP = lastGDP
        self.lastRevenuePerCapital = lastRevenuePerCapital
        self.relocations = relocations
        cityIndex = Dictionary(uniqueKeysWithValues: cities.enumerated().map { ($1.id, $0) })
    }

    public var cityCount: Int { cities.count }
    public var sectorCount: Int { sectors.count }

    /// Indices of the cities named (all cities when the list is empty). Ids were checked
    /// when the policy was validated.
    public func indices(_ ids: [String]) -> [Int] {
        ids.isEmpty ? Array(cities.indices) : ids.compactMap { cityIndex[$0] }
    }

    /// Indices of the sectors named (all sectors when the list is empty).
    public func sectorIndices(_ ids: [String]) -> [Int] {
        ids.isEmpty ? Array(sectors.indices) : ids.compactMap { id in sectors.firstIndex { $0.id == id } }
    }
}

/// Capacity moved from one city to another in one tick.
public struct Relocation: Sendable, Equatable {
    public var year: Double
    public var origin: Int
    public var destination: Int
    public var sector: Int
    /// Capacity moved, 亿元.
    public var amount: Double
}

/// Every hook through which policies act in a tick. A neutral value (no policy) changes
/// nothing. Arrays are by city i, by variety `i*S + s`, or N×N row-major (origin i).
public struct PolicyEffects: Sendable, Equatable {
    /// Fast links in force (transport), added to the roster's links.
    public var links: [TransportLink] = []
    /// Multiplier of the travel time i→j after the network is built (metro integration).
    public var travelTimeFactor: [Double]
    /// Multiplier of the registration barriers of a move i→j (hukou reform, metro integration).
    public var barrierScale: [Double]
    /// Extra industry arriving from outside the region, 亿元 per year, by variety.
    public var externalInflow: [Double]
    /// Weight of each city in the allocation of industry from outside (industry transfer).
    public var externalDesignation: [Double]
    /// Log points added to the return gap of a relocation i→j (subsidised relocation).
    public var relocationBonus: [Double]
    /// Varieties closed to new capital: no investment, relocation or inflow (eco protection:
    /// set while capital is at its cap).
    public var investmentBlocked: [Bool]
    /// Largest capital a variety may hold, 亿元 (eco protection; +∞ without a cap). A capped
    /// variety takes no relocated capacity, and its investment and inflow are cut to what
    /// keeps it at or below the cap over the tick, the cut going to uncapped varieties.
    public var capitalCap: [Double]
    /// Capital injected by variety, nominal 亿元 per year (investment fund): spent on the
    /// investment bundle of the recipient city.
    public var fundInvestment: [Double]
    /// Part of the injections financed from outside the region (central government or
    /// investors elsewhere), 亿元 per year; the rest is paid by the region's governments.
    public var outsideFunding: Double = 0
    /// Net transfers between the region's governments received, 亿元 per year (negative:
    /// paid); sums to minus the injections the region's governments finance.
    public var transfers: [Double]
    /// Extra yearly log growth of productivity, by variety (innovation hubs).
    public var productivityBoost: [Double]
    /// Extra yearly growth of the housing and land stock, by city (land supply).
    public var housingGrowth: [Double]
    /// Spending from outside the region on each variety, 亿元 per year (opening).
    public var exports: [Double]
    /// Largest attraction subsidy each government may pay (subsidy coordination).
    public var subsidyCap: [Double]
    /// Share of the tax base lost to relocation that a government still loses after tax
    /// sharing; its retention effort answers only that share.
    public var retainedLossShare: [Double]

    /// No policy.
    public init(cities n: Int, sectors sCount: Int, maxSubsidy: Double) {
        let v = n * sCount
        travelTimeFactor = Array(repeating: 1, count: n * n)
        barrierScale = Array(repeating: 1, count: n * n)
        externalInflow = Array(repeating: 0, count: v)
        externalDesignation = Array(repeating: 1, count: n)
        relocationBonus = Array(repeating: 0, count: n * n)
        investmentBlocked = Array(repeating: false, count: v)
        capitalCap = Array(repeating: .infinity, count: v)
        fundInvestment = Array(repeating: 0, count: v)
        transfers = Array(repeating: 0, count: n)
        productivityBoost = Array(repeating: 0, count: v)
        housingGrowth = Array(repeating: 0, count: n)
        exports = Array(repeating: 0, count: v)
        subsidyCap = Array(repeating: maxSubsidy, count: n)
        retainedLossShare = Array(repeating: 1, count: n)
    }

    /// What changes the travel-time network or the migration costs; rebuilt only when it changes.
    var networkSignature: NetworkSignature {
        NetworkSignature(links: links, travelTimeFactor: travelTimeFactor, barrierScale: barrierScale)
    }
}

struct NetworkSignature: Equatable {
    var links: [TransportLink]
    var travelTimeFactor: [Double]
    var barrierScale: [Double]
}

/// A policy of the decision: active in its window, it adds its effect to the tick's hooks.
public protocol Policy: Sendable {
    /// The scenario name of the policy kind (e.g. `tax_sharing`).
    static var kind: String { get }
    var window: PolicyWindow { get }
    /// City ids the policy names (checked against the roster before the run).
    var namedCities: [String] { get }
    /// Sector ids the policy names (checked against the sectors before the run).
    var namedSectors: [String] { get }
    /// Adds the policy's effect for the tick described by `context`.
    func apply(to effects: inout PolicyEffects, context: PolicyContext)
}

extension Policy {
    public var namedSectors: [String] { [] }
}

/// Why a policy cannot be used: names the policy and the key.
public struct PolicyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Position of the policy in the scenario's list, from 0.
    public var index: Int
    public var key: String
    public var message: String
    public var description: String { "policy[\(index)].\(key): \(message)" }
}

/// Checks that every city and sector a policy names exists.
package func validatePolicies(_ policies: [any Policy], cities: [City], sectors: [Sector]) throws(PolicyError) {
    let ids = Set(cities.map(\.id))
    let sectorIDs = Set(sectors.map(\.id))
    for (index, policy) in policies.enumerated() {
        for id in policy.namedCities where !ids.contains(id) {
            throw PolicyError(index: index, key: "cities", message: "unknown city '\(id)'")
        }
        for id in policy.namedSectors where !sectorIDs.contains(id) {
            throw PolicyError(index: index, key: "sectors", message: "unknown sector '\(id)'")
        }
        guard policy.window.end > policy.window.start else {
            throw PolicyError(index: index, key: "end", message: "end year \(policy.window.end) is not after start year \(policy.window.start)")
        }
    }
}
