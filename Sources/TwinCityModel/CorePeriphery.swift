// Krugman's (1991) core–periphery model as a special case of twincity (MODEL.md §3.1,
// nesting test), in the normalisation of Fujita, Krugman and Venables (1999, ch. 5).
import Foundation

/// The settings of the two-city core–periphery model.
public struct CorePeripherySettings: Sendable, Equatable, Codable {
    /// Elasticity of substitution σ between manufacturing varieties (> 1).
    public var elasticity: Double
    /// Expenditure share μ on manufactures, in (0, 1).
    public var manufacturingShare: Double
    /// Iceberg trade cost T ≥ 1 between the two cities (T units shipped for 1 to arrive).
    public var tradeCost: Double
    /// Initial share λ of mobile (manufacturing) workers in city 1, in (0, 1).
    public var initialShare: Double
    /// Speed γ of the replicator dλ/dt = γ λ(1−λ)(ω1 − ω2), per year.
    public var speed: Double

    public init(elasticity: Double = 5, manufacturingShare: Double = 0.4, tradeCost: Double = 1.6, initialShare: Double = 0.501, speed: Double = 2) {
        self.elasticity = elasticity
        self.manufacturingShare = manufacturingShare
        self.tradeCost = tradeCost
        self.initialShare = initialShare
        self.speed = speed
    }

    /// Freeness of trade φ = T^(1−σ).
    public var freeness: Double { Foundation.pow(tradeCost, 1 - elasticity) }

    /// The break point φ_B = (σ−1−σμ)(1−μ) / ((σ−1+σμ)(1+μ)): the symmetric equilibrium is
    /// stable for φ below it (no black hole: σ−1 > σμ).
    public var breakPoint: Double {
        let s = elasticity, mu = manufacturingShare
        return (s - 1 - s * mu) * (1 - mu) / ((s - 1 + s * mu) * (1 + mu))
    }
}

/// Builds the core–periphery economy from twincity's general model: one modern sector with
/// β = 0 and agglomeration 1/(σ−1) (so that a city's variety count is proportional to its
/// workers), a_H = 0, no capital, no government, no growth, farmers (1−μ)/2 in each city
/// earning 1, workers μ in all, and the replicator migration rule.
package enum CorePeriphery {
    package static func setup(_ settings: CorePeripherySettings) throws -> (SimulationSetup, ModelParameters) {
        let s = settings
        guard s.elasticity > 1, s.elasticity.isFinite else {
            throw ParameterError(parameter: "core_periphery.sigma", message: "σ must be above 1, found \(s.elasticity)")
        }
        guard s.manufacturingShare > 0, s.manufacturingShare < 1 else {
            throw ParameterError(parameter: "core_periphery.mu", message: "μ must lie in (0, 1), found \(s.manufacturingShare)")
        }
        guard s.tradeCost >= 1, s.tradeCost.isFinite else {
            throw ParameterError(parameter: "core_periphery.trade_cost", message: "T must be a finite number ≥ 1, found \(s.tradeCost)")
        }
        guard s.initialShare > 0, s.initialShare < 1 else {
            throw ParameterError(parameter: "core_periphery.initial_share", message: "λ must lie in (0, 1), found \(s.initialShare)")
        }
        guard s.speed >= 0, s.speed.isFinite else {
            throw ParameterError(parameter: "core_periphery.speed", message: "γ must be a finite number ≥ 0, found \(s.speed)")
        }
        var p = ModelParameters()
        let sector = Sector(id: "manufacturing", capitalShare: 0, elasticity: s.elasticity, tradeCostPerHour: 0, baseMix: 1)
        p.sectors = [sector]
        p.housingShare = 0
        p.agricultureShare = 1 - s.manufacturingShare
        p.agglomeration = 1 / (s.elasticity - 1)
        p.agriculturalProductivityGrowth = 0
        p.migrationRule = .replicator
        p.replicatorSpeed = s.speed
        p.naturalGrowth = 0
        p.urbanisationRate = 0
        p.publicServiceElasticity = 0
        p.savingRate = 0
        p.depreciation = 0
        p.externalInflowRate = 0
        p.taxRate = 0
        p.publicSpendingShare = 0
        p.housingGrowth = 0
        p.productivityGrowth = 0
        p.spilloverRate = 0
        p.productivityShockSD = 0
        p.decisionRule = .fixed
        p.solver = .powell
        let structure = EconomyStructure(
            cityIDs: ["city1", "city2"], sectors: [sector], expenditureShares: [s.manufacturingShare],
            housingShare: 0, agglomeration: p.agglomeration,
            icebergCosts: [[1, s.tradeCost, s.tradeCost, 1]])
        let mu = s.manufacturingShare
        let state = EconomyState(
            urbanPopulation: [s.initialShare * mu, (1 - s.initialShare) * mu],
            ruralPopulation: [(1 - mu) / 2, (1 - mu) / 2], capital: [0, 0], productivity: [1, 1],
            ruralProductivity: [1, 1], housing: [1, 1], publicServices: [1, 1], transfers: [0, 0], amenity: [1, 1])
        let cities = ["city1", "city2"].map {
            City(id: $0, nameZH: $0, nameEN: $0, province: "theory", zone: "theory", tier: .node,
                 latitude: 0, longitude: 0, areaKm2: 1, population2010: 1, population2020: 1, gdp2020: 1)
        }
        let setup = SimulationSetup(structure: structure, state: state, cities: cities, basePrices: [1, 1], baseRent: [0, 0])
        return (setup, p)
    }

    /// Real wages ω_1, ω_2 at worker share λ in city 1 (short-run equilibrium).
    package static func realWages(_ settings: CorePeripherySettings, share lambda: Double) throws -> (Double, Double) {
        var s = settings
        s.initialShare = lambda
        let (setup, p) = try setup(s)
        let solver = TradeEquilibrium(structure: setup.structure)
        let eq = try solver.solve(setup.state, parameters: p)
        let v = Utility.realUtility(state: setup.state, equilibrium: eq, structure: setup.structure, parameters: p)
        return (v[0], v[1])
    }
}
