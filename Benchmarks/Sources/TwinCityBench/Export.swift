// Writes the exact inputs of a problem, and the model's results on it, for the numpy
// reference (reference/README in ../README.md): JSON for vectors and scalars (Double's
// description round-trips exactly), raw little-endian float64 for the N×N matrices.
import Foundation
import TwinCityModel

struct StateJSON: Codable {
    var urbanPopulation, ruralPopulation, capital, productivity, ruralProductivity: [Double]
    var housing, publicServices, transfers, amenity, exports: [Double]
    /// The rest of China's demand shifters ε_i^s (by variety) and the central transfers of the tick.
    var externalDemand, centralTransfers: [Double]

    init(_ s: EconomyState) {
        urbanPopulation = s.urbanPopulation; ruralPopulation = s.ruralPopulation; capital = s.capital
        productivity = s.productivity; ruralProductivity = s.ruralProductivity; housing = s.housing
        publicServices = s.publicServices; transfers = s.transfers; amenity = s.amenity; exports = s.exports
        externalDemand = s.externalDemand; centralTransfers = s.centralTransfers
    }
}

struct EquilibriumJSON: Codable {
    var prices, wages, gdp, expenditure, returns, priceIndex: [Double]
    var iterations: Int
    var residual: Double
    var solver: String

    init(_ e: Equilibrium) {
        prices = e.prices; wages = e.wages; gdp = e.gdp; expenditure = e.expenditure; returns = e.returns
        priceIndex = e.priceIndex; iterations = e.iterations; residual = e.residual; solver = e.solver.rawValue
    }
}

struct StructureJSON: Codable {
    var n, sectors: Int
    var cityIDs, provinces: [String]
    var expenditureShares: [Double]
    var housingShare, agglomeration: Double
    /// Weights μ_j^s of the rest of China's varieties in the price indices (by `j*S + s`), and
    /// the investment bundle's sector shares b_s.
    var importWeights, investmentShares: [Double]
    /// Raw float64 files, relative to the problem folder: travel times t (N×N, hours), trade
    /// weights T^s (S×N×N), migration accessibility W (N×N); row-major, row = origin.
    var files: [String: String]
}

/// Timing of the model on exactly the exported tick, seconds (best of the repeats).
struct TickProblemTiming: Codable {
    var equilibrium, agents, flows, total: Double
    var repeats, equilibriumIterations: Int
}

struct TickProblemJSON: Codable {
    var kind = "tick"
    var structure: StructureJSON
    var parameters: ModelParameters
    var tick: Int
    var year, dt: Double
    var state, swiftAfter: StateJSON
    var start: EquilibriumJSON?
    var subsidy, retention, publicSpendingShare, lastArrivals: [Double]
    /// The subsidies the tick's equilibrium (its investment allocation) sees: those of the
    /// previous decision; `subsidy` is the tick's own decision, which sets its flows.
    var investmentSubsidy: [Double]
    /// Base-year price index of the investment bundle P^I_i(base).
    var baseInvestmentPrice: [Double]
    var swiftEquilibrium: EquilibriumJSON
    var swiftTiming: TickProblemTiming
}

struct RunProblemJSON: Codable {
    var kind = "run"
    var structure: StructureJSON
    var parameters: ModelParameters
    var state: StateJSON
    var basePrices, baseRent, baseInvestmentPrice: [Double]
    var startYear, endYear, dt: Double
    var seed: UInt64
    /// The model's run of the same setup with productivity shocks switched off (the shocks are
    /// GSL draws the reference does not reproduce): region real GDP per tick, final state.
    var swiftNoShockRealGDP: [Double]
    var swiftNoShockFinal: StateJSON
    var swiftNoShockFinalPrices: [Double]
    /// Simulation.run over the 30 years, best of `repeats`, seconds: default solver, hybrid Powell.
    var swiftRunSeconds, swiftRunSecondsPowell: Double
    var repeats: Int
}

enum Export {
    static func structure(_ setup: SimulationSetup, parameters: ModelParameters, to folder: URL) throws -> StructureJSON {
        let s = setup.structure
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try writeFloat64(s.travelTimes, to: folder.appendingPathComponent("travel_times.f64"))
        try writeFloat64(s.tradeWeights.flatMap { $0 }, to: folder.appendingPathComponent("trade_weights.f64"))
        let migration = Migration(structure: s, cities: setup.cities, parameters: parameters)
        try writeFloat64(migration.accessibility, to: folder.appendingPathComponent("accessibility.f64"))
        return StructureJSON(
            n: s.cityCount, sectors: s.sectorCount, cityIDs: s.cityIDs, provinces: setup.cities.map(\.province),
            expenditureShares: s.expenditureShares, housingShare: s.housingShare, agglomeration: s.agglomeration,
            importWeights: s.importWeights, investmentShares: s.investmentShares,
            files: ["travelTimes": "travel_times.f64", "tradeWeights": "trade_weights.f64", "accessibility": "accessibility.f64"])
    }

    static func tick(_ problem: TickProblem, setup: SimulationSetup, parameters: ModelParameters, dt: Double, timing: TickProblemTiming, to folder: URL) throws {
        let structure = try structure(setup, parameters: parameters, to: folder)
        let json = TickProblemJSON(
            structure: structure, parameters: parameters, tick: problem.tick, year: problem.year, dt: dt,
            state: StateJSON(problem.state), swiftAfter: StateJSON(problem.after),
            start: problem.start.map(EquilibriumJSON.init),
            subsidy: problem.agents.map(\.subsidy), retention: problem.agents.map(\.retention),
            publicSpendingShare: problem.agents.map(\.publicSpendingShare), lastArrivals: problem.lastArrivals,
            investmentSubsidy: problem.investment.subsidy, baseInvestmentPrice: setup.baseInvestmentPrice,
            swiftEquilibrium: EquilibriumJSON(problem.equilibrium), swiftTiming: timing)
        try writeJSON(json, to: folder.appendingPathComponent("problem.json"))
    }
}
