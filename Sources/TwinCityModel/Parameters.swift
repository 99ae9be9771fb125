// Every model parameter, its unit and default. docs/MODEL.md gives the reason for each default.

/// A tradable modern sector: each city's output of it is a distinct variety (Armington).
public struct Sector: Sendable, Codable, Equatable {
    /// Identifier used in scenario files and outputs (e.g. `manufacturing`).
    public var id: String
    /// Capital share β_s of value added, in [0, 1). With β_s = 0 the sector uses labour only.
    public var capitalShare: Double
    /// Elasticity of substitution σ_s between cities' varieties (> 1).
    public var elasticity: Double
    /// Trade-cost slope κ_s, per hour of travel time: iceberg cost τ_ij = exp(κ_s t_ij).
    public var tradeCostPerHour: Double
    /// Share of the sector in modern value added before role tilts (calibration, §5).
    public var baseMix: Double
    /// Role tags of the decision that tilt a city's initial mix towards this sector (§5).
    public var roleTags: [String]
    /// Share b_s of the investment bundle spent on this sector's goods (Cobb–Douglas, §3.1);
    /// the shares of all sectors sum to 1.
    public var investmentShare: Double
    /// Share χ_s of each city's base-year sales of this sector bought by the rest of China
    /// (and abroad), in [0, 1) (calibration of the external demand, §5).
    public var exportShare: Double
    /// Weight of the sector in modern consumption: a_s = (1 − a_H − a_A) w_s / Σ w (all 0:
    /// in proportion to the region's base-year output).
    public var consumptionWeight: Double
    /// The national-accounts group the sector's value added is published under
    /// (`secondary` or `tertiary`); the base-year mix splits each group's published value
    /// added among its sectors (§5).
    public var group: SectorGroup

    public init(
        id: String, capitalShare: Double, elasticity: Double, tradeCostPerHour: Double,
        baseMix: Double, roleTags: [String] = [], investmentShare: Double = 0, exportShare: Double = 0,
        consumptionWeight: Double = 0, group: SectorGroup = .secondary
    ) {
        self.id = id
        self.capitalShare = capitalShare
        self.elasticity = elasticity
        self.tradeCostPerHour = tradeCostPerHour
        self.baseMix = baseMix
        self.roleTags = roleTags
        self.investmentShare = investmentShare
        self.exportShare = exportShare
        self.consumptionWeight = consumptionWeight
        self.group = group
    }
}

/// The group of the national accounts under which a sector's value added is published.
public enum SectorGroup: String, Sendable, Codable, CaseIterable {
    /// 第二產業: industry and construction.
    case secondary
    /// 第三產業: services (housing services are the model's rent, counted apart).
    case tertiary
}

/// How mobile (urban) population chooses where to live (MODEL.md §3.3).
public enum MigrationRule: String, Sendable, Codable, CaseIterable {
    /// Logit destination choice over all cities, staying included, with moving costs.
    case logit
    /// Replicator dynamic dL_i/dt = γ L_i (V_i − V̄): the core–periphery model's rule.
    case replicator
}

/// How city governments set their instruments each tick (MODEL.md §3.2).
public enum DecisionRuleKind: String, Sendable, Codable, CaseIterable {
    /// Instruments stay at their initial values.
    case fixed
    /// Growth tournament among the cities of the same province.
    case tournament
    /// Each government best-responds to the others: the Nash equilibrium of the reduced-form
    /// subsidy and retention game, each tick.
    case nash
    /// A regional planner maximises the governments' joint objective, each tick.
    case cooperative
}

/// Which solver computes the short-run equilibrium.
public enum EquilibriumSolverKind: String, Sendable, Codable, CaseIterable {
    /// The fixed point, with Powell from the same start when it stops (or when a sector has
    /// β_s = 0, which the fixed point cannot solve).
    case auto
    /// gsl_multiroot hybrid Powell on log prices and wages, started from fixed-point steps.
    case powell
    /// Damped fixed point on log prices with BLAS sums (large N; needs β_s > 0 in every sector).
    case fixedPoint = "fixed_point"
}

/// All parameters of the model. Units: years, 亿元 (10^8 CNY at 2020 prices), 10^4 persons,
/// hours of travel time.
public struct ModelParameters: Sendable, Codable, Equatable {
    // MARK: Preferences and technology (§3.1)
    /// Modern tradable sectors.
    public var sectors: [Sector] = ModelParameters.defaultSectors
    /// Share a_H of consumption spent on local housing (national 2020: 居住 24.6 % of
    /// per-capita consumption, seeds/parameters_sources.csv).
    public var housingShare: Double = 0.246
    /// Share a_A of consumption spent on agricultural goods, bought at the national price 1.
    public var agricultureShare: Double = 0.10
    /// Agglomeration elasticity: A_i^s = Abar_i^s · L_i^agg (L_i in 10^4 persons).
    public var agglomeration: Double = 0.05
    /// Weight by which each of a city's sector role tags raises that sector's initial share:
    /// share ∝ baseMix · (1 + roleTilt · tags).
    public var roleTilt: Double = 0.5
    /// Province-wide urban shares of the 2020 census that estimated city shares must meet.
    public var urbanShareTargets: [String: Double] = ["sichuan": 0.5673, "chongqing": 0.6946]
    /// Slope of the logit of a city's urban share in its log GDP per capita (estimation, §5).
    public var urbanShareSlope: Double = 1.0
    /// Growth rate of output per rural worker q^A, per year.
    public var agriculturalProductivityGrowth: Double = 0.03

    // MARK: Travel times (§5)
    /// Road speed on the plains and in hills, km/h.
    public var roadSpeed: Double = 80
    /// Road speed in mountain zones, km/h.
    public var mountainRoadSpeed: Double = 50
    /// Ratio of road distance to great-circle distance outside mountain zones.
    public var detourFactor: Double = 1.25
    /// Ratio of road distance to great-circle distance in mountain zones.
    public var mountainDetourFactor: Double = 1.6
    /// Economic zones counted as mountainous.
    public var mountainZones: [String] = ["northwest", "panxi"]
    /// Time added to a scheduled rail time for getting to and from the stations, hours.
    public var railAccessHours: Double = 0.25

    // MARK: Population (§3.3)
    public var migrationRule: MigrationRule = .logit
    /// Share ν of urban residents who reconsider where to live each year, per year.
    public var migrationRate: Double = 0.10
    /// Elasticity θ of the destination choice to log real utility.
    public var migrationElasticity: Double = 2.0
    /// Moving cost m_L per hour of travel time between origin and destination (logit units).
    public var migrationCostPerHour: Double = 0.3
    /// Registration (hukou) barrier b on entering a city whose urban population is at least
    /// `hukouThreshold` (logit units, paid by movers from other cities only).
    public var hukouBarrier: Double = 1.0
    /// Registration barrier on entering a smaller city (logit units): since 2019 cities
    /// under 3 million urban residents lift or ease their settlement limits.
    public var smallCityHukouBarrier: Double = 0.2
    /// Urban population from which a city keeps the full barrier, 10^4 persons.
    public var hukouThreshold: Double = 300
    /// Elasticity λ of a destination's attraction to its population (gravity size term).
    public var destinationSizeElasticity: Double = 1.0
    /// Extra barrier for a move across a provincial line (logit units).
    public var provincialBarrier: Double = 0.5
    /// Speed γ of the replicator rule, per year per unit of utility gap.
    public var replicatorSpeed: Double = 1.0
    /// Natural growth rate of population over the simulated years, per year (2020–2022
    /// observations of Sichuan and Chongqing average −1.6 ‰, seeds/parameters_sources.csv).
    public var naturalGrowth: Double = -0.0016
    /// Natural growth rate of 2010–2020, per year, by which calibration nets natural change
    /// out of the census population change (2010–2019 observations: 2.3–4.0 ‰).
    public var calibrationNaturalGrowth: Double = 0.003
    /// Share of rural residents who move each year into an urban area, their own city's or
    /// another city's (logit choice like urban movers), per year.
    public var urbanisationRate: Double = 0.03
    /// Elasticity η of utility to public services per resident.
    public var publicServiceElasticity: Double = 0.1

    // MARK: Capital and industry (§3.3)
    /// Capital–output ratio used to set base-year capital, years of value added.
    public var capitalOutputRatio: Double = 3.0
    /// Share s of disposable income saved (China 2020 gross saving 44.3 % of GNI, World
    /// Bank, seeds/parameters_sources.csv).
    public var savingRate: Double = 0.44
    /// Share of saving invested in housing construction in the saver's own city: it buys
    /// investment goods but adds to the housing stock only through `housing_growth`.
    public var residentialInvestmentShare: Double = 0.27
    /// Depreciation rate of capital, per year.
    public var depreciation: Double = 0.08
    /// Share of a city's saving invested at home.
    public var homeBias: Double = 0.6
    /// Elasticity θ_K of the investment logit to the log return net of subsidies.
    public var returnElasticity: Double = 4.0
    /// Relocation rate of installed capacity per unit of log return gap, per year.
    public var relocationRate: Double = 0.2
    /// Relocation cost per hour of travel time, in log return points.
    public var relocationCostPerHour: Double = 0.02
    /// Exogenous inflow of industry from outside the region, share of the region's capital
    /// of each sector per year.
    public var externalInflowRate: Double = 0.005

    // MARK: Fiscal accounts and public services (§3.4)
    /// Local budget revenue per unit of GDP (2020: Sichuan 8.77 %, Chongqing 8.38 %).
    public var taxRate: Double = 0.087
    /// Transfers from the central government to the region's local governments, share of
    /// the region's GDP; shared among cities per resident (equalisation), per year.
    public var centralTransferShare: Double = 0.10
    /// Growth of the rest of China's spending on the region's goods at given prices, per year.
    public var externalDemandGrowth: Double = 0.05
    /// Share of net revenue spent on the public-service stock G (initial instrument value).
    public var publicSpendingShare: Double = 0.3
    /// Depreciation rate of the public-service stock, per year.
    public var publicServiceDepreciation: Double = 0.05
    /// Growth rate of the housing and land stock H, per year.
    public var housingGrowth: Double = 0.01

    // MARK: Productivity (§3.5)
    /// Base growth rate of Abar in every city and sector, per year.
    public var productivityGrowth: Double = 0.02
    /// Speed of catch-up towards more productive, well-connected cities, per year.
    public var spilloverRate: Double = 0.05
    /// Travel time over which spillovers decay by a factor e, hours.
    public var spilloverDecayHours: Double = 2.0
    /// Standard deviation of the yearly Gaussian shock to ln Abar.
    public var productivityShockSD: Double = 0.01
    /// Relative productivity drift d_i of each city, log points per year, by roster id: added
    /// to g in every sector of city i (MODEL.md §3.5). Estimated from the history panel
    /// (`twincity estimate`, MODEL.md §10) and read from an estimates file; a city not named
    /// drifts by 0.
    public var productivityDrift: [String: Double] = [:]

    // MARK: Agents (§3.2)
    public var decisionRule: DecisionRuleKind = .tournament
    /// Step by which a government moves its attraction subsidy each year (share of the value of arriving capital).
    public var subsidyStep: Double = 0.01
    /// Largest attraction subsidy, share of the value of arriving capital.
    public var maxSubsidy: Double = 0.2
    /// Largest share of tax revenue a government spends on attraction subsidies.
    public var subsidyBudgetShare: Double = 0.2
    /// Retention effort per unit of the yearly share of capital lost to relocation.
    public var retentionResponse: Double = 10.0
    /// Largest retention effort, log return points.
    public var maxRetention: Double = 0.5
    /// Discount rate ρ_g at which governments value a tax stream under the strategic rules, per year.
    public var governmentDiscountRate: Double = 0.05
    /// Cost c_e of retention effort under the strategic rules: ½ c_e e² per yuan of capital
    /// per year, for an effort of e log points.
    public var retentionCost: Double = 0.25
    /// Effort ḡ, log points, that cuts relocation out of a city by a factor e under the
    /// strategic rules' reduced form λ(e) = λ⁰ e^{−e/ḡ}.
    public var retentionScale: Double = 0.1

    // MARK: Numerics
    public var solver: EquilibriumSolverKind = .auto
    /// Largest residual (log excess demand, log labour excess) accepted as an equilibrium.
    public var equilibriumTolerance: Double = 1e-12
    /// Iteration limit of the equilibrium solvers.
    public var equilibriumMaxIterations: Int = 5000
    /// Absolute and relative tolerance of the flow integration.
    public var flowTolerance: Double = 1e-12

    public init() {}

    /// The default coarse grouping of the decision's "5+1" industrial system into three
    /// sectors; the base mix (used where a city has no published sector shares) is the
    /// region's 2020 split of modern value added: secondary 0.50, tertiary net of rent 0.50.
    public static let defaultSectors: [Sector] = [
        Sector(
            id: "manufacturing", capitalShare: 0.40, elasticity: 5.0, tradeCostPerHour: 0.08,
            baseMix: 0.38, roleTags: ["sector_manufacturing"], investmentShare: 0.6, exportShare: 0.45,
            consumptionWeight: 0.065, group: .secondary),
        Sector(
            id: "consumer_goods", capitalShare: 0.35, elasticity: 5.0, tradeCostPerHour: 0.10,
            baseMix: 0.12, roleTags: ["sector_consumer"], investmentShare: 0, exportShare: 0.35,
            consumptionWeight: 0.319, group: .secondary),
        Sector(
            id: "services", capitalShare: 0.30, elasticity: 4.0, tradeCostPerHour: 0.25,
            baseMix: 0.50, roleTags: ["sector_services"], investmentShare: 0.4, exportShare: 0.10,
            consumptionWeight: 0.27, group: .tertiary),
    ]

    /// Sum of modern-sector expenditure shares implied by the agriculture and housing shares.
    public var modernShare: Double { 1 - housingShare - agricultureShare }
}
