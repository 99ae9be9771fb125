import Foundation

// The catalogue of named parameters: how scenario files, sweeps and the docs address a
// parameter, with its unit and admissible range, and the checks run before any simulation.

/// One named numeric parameter: its key in scenario files, unit, range and meaning.
public struct ParameterInfo: Sendable {
    /// Key in scenario files (`[model]` table) and sweeps, lower snake case.
    public let name: String
    public let unit: String
    public let summary: String
    /// Admissible range; `lowerOpen`/`upperOpen` exclude the bound itself.
    public let lower: Double
    public let upper: Double
    public let lowerOpen: Bool
    public let upperOpen: Bool
    let keyPath: WritableKeyPath<ModelParameters, Double> & Sendable

    /// The range in interval notation, e.g. `(1, ∞)`.
    public var rangeDescription: String {
        func bound(_ v: Double) -> String {
            v == .infinity ? "∞" : v == -.infinity ? "−∞" : (v == v.rounded() ? String(Int(v)) : String(v))
        }
        return (lowerOpen ? "(" : "[") + bound(lower) + ", " + bound(upper) + (upperOpen ? ")" : "]")
    }

    /// True when `value` is finite and inside the range.
    public func admits(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        let aboveLower = lowerOpen ? value > lower : value >= lower
        let belowUpper = upperOpen ? value < upper : value <= upper
        return aboveLower && belowUpper
    }

    public func value(in parameters: ModelParameters) -> Double { parameters[keyPath: keyPath] }
}

/// A parameter value that cannot be used; names the parameter.
public struct ParameterError: Error, CustomStringConvertible, Sendable, Equatable {
    public var parameter: String
    public var message: String
    public var description: String { "parameter '\(parameter)': \(message)" }

    /// An error about `parameter` (its scenario name or key path), with a sentence saying why.
    package init(parameter: String, message: String) {
        self.parameter = parameter
        self.message = message
    }
}

extension ModelParameters {
    private static func entry(
        _ name: String, _ keyPath: WritableKeyPath<ModelParameters, Double> & Sendable, _ unit: String,
        _ lower: Double, _ upper: Double, lowerOpen: Bool = false, upperOpen: Bool = false, _ summary: String
    ) -> ParameterInfo {
        ParameterInfo(
            name: name, unit: unit, summary: summary, lower: lower, upper: upper,
            lowerOpen: lowerOpen, upperOpen: upperOpen, keyPath: keyPath)
    }

    /// Every scalar parameter by its scenario key. Sector parameters are addressed as
    /// `sectors.<id>.<field>` (see `sectorFields`).
    public static let catalog: [ParameterInfo] = [
        entry("housing_share", \.housingShare, "share of consumption", 0, 1, upperOpen: true, "consumption share a_H on local housing"),
        entry("agriculture_share", \.agricultureShare, "share of consumption", 0, 1, lowerOpen: true, upperOpen: true, "consumption share a_A on agriculture (bought at the national price)"),
        entry("agglomeration", \.agglomeration, "elasticity", 0, 1, "elasticity of productivity to urban population"),
        entry("role_tilt", \.roleTilt, "weight per tag", 0, .infinity, "tilt of a city's initial sector mix per sector role tag"),
        entry("urban_share_slope", \.urbanShareSlope, "logit slope", 0, .infinity, "slope of estimated urban share in log GDP per capita"),
        entry("agricultural_productivity_growth", \.agriculturalProductivityGrowth, "per year", -0.5, 0.5, "growth rate of output per rural worker"),
        entry("road_speed", \.roadSpeed, "km/h", 0, .infinity, lowerOpen: true, "road speed outside mountain zones"),
        entry("mountain_road_speed", \.mountainRoadSpeed, "km/h", 0, .infinity, lowerOpen: true, "road speed in mountain zones"),
        entry("detour_factor", \.detourFactor, "ratio", 1, .infinity, "road distance over great-circle distance"),
        entry("mountain_detour_factor", \.mountainDetourFactor, "ratio", 1, .infinity, "road distance over great-circle distance in mountain zones"),
        entry("rail_access_hours", \.railAccessHours, "hours", 0, .infinity, "time to and from stations added to a rail link"),
        entry("migration_rate", \.migrationRate, "per year", 0, 1, "share of urban residents who reconsider where to live"),
        entry("migration_elasticity", \.migrationElasticity, "elasticity", 0, .infinity, lowerOpen: true, "elasticity of destination choice to log real utility"),
        entry("migration_cost_per_hour", \.migrationCostPerHour, "logit units per hour", 0, .infinity, "moving cost per hour of travel time"),
        entry("hukou_barrier", \.hukouBarrier, "logit units", 0, .infinity, "registration barrier on entering a large city"),
        entry("small_city_hukou_barrier", \.smallCityHukouBarrier, "logit units", 0, .infinity, "registration barrier on entering a city below the threshold"),
        entry("hukou_threshold", \.hukouThreshold, "10^4 urban residents", 0, .infinity, "urban population from which a city keeps the full barrier"),
        entry("destination_size_elasticity", \.destinationSizeElasticity, "elasticity", 0, 2, "elasticity of a destination's attraction to its population"),
        entry("provincial_barrier", \.provincialBarrier, "logit units", 0, .infinity, "extra barrier across a provincial line"),
        entry("replicator_speed", \.replicatorSpeed, "per year per unit utility gap", 0, .infinity, "speed γ of the replicator migration rule"),
        entry("natural_growth", \.naturalGrowth, "per year", -0.1, 0.1, "natural growth rate of population"),
        entry("calibration_natural_growth", \.calibrationNaturalGrowth, "per year", -0.1, 0.1, "natural growth rate of 2010–2020 netted out of census migration"),
        entry("urbanisation_rate", \.urbanisationRate, "per year", 0, 1, "share of rural residents moving into an urban area each year"),
        entry("public_service_elasticity", \.publicServiceElasticity, "elasticity", 0, 1, "elasticity of utility to public services per resident"),
        entry("capital_output_ratio", \.capitalOutputRatio, "years", 0, .infinity, lowerOpen: true, "base-year capital over value added"),
        entry("saving_rate", \.savingRate, "share of disposable income", 0, 1, upperOpen: true, "share of disposable income saved"),
        entry("residential_investment_share", \.residentialInvestmentShare, "share of saving", 0, 1, upperOpen: true, "share of saving spent on housing construction"),
        entry("depreciation", \.depreciation, "per year", 0, 1, "depreciation rate of capital"),
        entry("home_bias", \.homeBias, "share", 0, 1, "share of a city's saving invested at home"),
        entry("return_elasticity", \.returnElasticity, "elasticity", 0, .infinity, "elasticity of investment to log return net of subsidy"),
        entry("relocation_rate", \.relocationRate, "per year per log point", 0, .infinity, "relocation of installed capacity per unit of return gap"),
        entry("relocation_cost_per_hour", \.relocationCostPerHour, "log points per hour", 0, .infinity, "relocation cost per hour of travel time"),
        entry("external_inflow_rate", \.externalInflowRate, "share of capital per year", 0, 1, "industry arriving from outside the region"),
        entry("tax_rate", \.taxRate, "share of GDP", 0, 1, upperOpen: true, "local budget revenue per unit of GDP"),
        entry("central_transfer_share", \.centralTransferShare, "share of region GDP", 0, 0.5, "central transfers to the region's local governments"),
        entry("external_demand_growth", \.externalDemandGrowth, "per year", -0.5, 0.5, "growth of the rest of China's spending on the region's goods"),
        entry("public_spending_share", \.publicSpendingShare, "share of net revenue", 0, 1, "share of net revenue spent on public services"),
        entry("public_service_depreciation", \.publicServiceDepreciation, "per year", 0, 1, lowerOpen: true, "depreciation of the public-service stock"),
        entry("housing_growth", \.housingGrowth, "per year", -0.5, 0.5, "growth of the housing and land stock"),
        entry("productivity_growth", \.productivityGrowth, "per year", -0.5, 0.5, "base growth rate of productivity"),
        entry("spillover_rate", \.spilloverRate, "per year", 0, .infinity, "catch-up speed towards better-connected, more productive cities"),
        entry("spillover_decay_hours", \.spilloverDecayHours, "hours", 0, .infinity, lowerOpen: true, "travel time over which spillovers fall by e"),
        entry("productivity_shock_sd", \.productivityShockSD, "log points per √year", 0, .infinity, "standard deviation of productivity shocks"),
        entry("subsidy_step", \.subsidyStep, "share of arriving capital per year", 0, 1, "yearly change of the attraction subsidy in the tournament"),
        entry("max_subsidy", \.maxSubsidy, "share of arriving capital", 0, 1, upperOpen: true, "largest attraction subsidy"),
        entry("subsidy_budget_share", \.subsidyBudgetShare, "share of tax revenue", 0, 1, "largest share of revenue spent on subsidies"),
        entry("retention_response", \.retentionResponse, "log points per yearly share lost", 0, .infinity, "retention effort per share of capital lost"),
        entry("max_retention", \.maxRetention, "log points", 0, .infinity, "largest retention effort"),
        entry("government_discount_rate", \.governmentDiscountRate, "per year", 0, 1, "discount rate of a tax stream to governments under the nash and cooperative rules"),
        entry("retention_cost", \.retentionCost, "per year per log point²", 0, .infinity, lowerOpen: true, "cost ½ c e² of retention effort per yuan of capital under the nash and cooperative rules"),
        entry("retention_scale", \.retentionScale, "log points", 0, .infinity, lowerOpen: true, "effort that cuts relocation out by a factor e under the nash and cooperative rules"),
        entry("equilibrium_tolerance", \.equilibriumTolerance, "log residual", 0, 1e-3, lowerOpen: true, "largest residual accepted as an equilibrium"),
        entry("flow_tolerance", \.flowTolerance, "relative", 0, 1e-3, lowerOpen: true, "tolerance of the flow integration"),
    ]

    /// Fields of a sector addressable as `sectors.<id>.<field>`.
    public static let sectorFields: [(name: String, unit: String, summary: String)] = [
        ("capital_share", "share of value added, [0, 1)", "capital share β_s"),
        ("elasticity", "elasticity, (1, ∞)", "elasticity of substitution σ_s between cities' varieties"),
        ("trade_cost_per_hour", "per hour, [0, ∞)", "κ_s in τ_ij = exp(κ_s t_ij)"),
        ("base_mix", "share of modern value added, [0, 1]", "sector's share before role tilts"),
        ("investment_share", "share of the investment bundle, [0, 1]", "share b_s of investment spent on the sector"),
        ("export_share", "share of base-year sales, [0, 1)", "share χ_s of base-year sales bought by the rest of China"),
        ("consumption_weight", "weight, [0, 1]", "weight of the sector in modern consumption"),
    ]

    /// The catalogue entry with this name, or nil.
    public static func info(named name: String) -> ParameterInfo? { catalog.first { $0.name == name } }

    /// Every key a scenario may set, scalar and sector ones.
    public var allKeys: [String] {
        Self.catalog.map(\.name) + ["migration_rule", "decision_rule", "solver", "equilibrium_max_iterations"]
            + sectors.flatMap { s in Self.sectorFields.map { "sectors.\(s.id).\($0.name)" } }
    }

    /// Sets a numeric parameter by key, checking its range.
    public mutating func set(_ name: String, to value: Double) throws(ParameterError) {
        if let info = Self.info(named: name) {
            guard info.admits(value) else {
                throw ParameterError(parameter: name, message: "\(value) is outside \(info.rangeDescription) (\(info.unit))")
            }
            self[keyPath: info.keyPath] = value
            return
        }
        if name == "equilibrium_max_iterations" {
            guard value >= 1, value <= 1e7, value == value.rounded() else {
                throw ParameterError(parameter: name, message: "expected a whole number in [1, 10000000], found \(value)")
            }
            equilibriumMaxIterations = Int(value)
            return
        }
        let parts = name.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "sectors", let s = sectors.firstIndex(where: { $0.id == parts[1] }) {
            switch parts[2] {
            case "capital_share" where value >= 0 && value < 1: sectors[s].capitalShare = value
            case "elasticity" where value > 1 && value.isFinite: sectors[s].elasticity = value
            case "trade_cost_per_hour" where value >= 0 && value.isFinite: sectors[s].tradeCostPerHour = value
            case "base_mix" where value >= 0 && value <= 1: sectors[s].baseMix = value
            case "investment_share" where value >= 0 && value <= 1: sectors[s].investmentShare = value
            case "export_share" where value >= 0 && value < 1: sectors[s].exportShare = value
            case "consumption_weight" where value >= 0 && value <= 1: sectors[s].consumptionWeight = value
            case "capital_share", "elasticity", "trade_cost_per_hour", "base_mix", "investment_share", "export_share", "consumption_weight":
                let unit = Self.sectorFields.first { $0.name == parts[2] }!.unit
                throw ParameterError(parameter: name, message: "\(value) is outside \(unit)")
            default:
                throw ParameterError(parameter: name, message: "unknown sector field '\(parts[2])'")
            }
            return
        }
        throw ParameterError(parameter: name, message: "unknown parameter")
    }

    /// Reads a numeric parameter by key, or nil when there is none of that name.
    public func value(of name: String) -> Double? {
        if let info = Self.info(named: name) { return self[keyPath: info.keyPath] }
        if name == "equilibrium_max_iterations" { return Double(equilibriumMaxIterations) }
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count == 3, parts[0] == "sectors", let s = sectors.first(where: { $0.id == parts[1] }) else { return nil }
        switch parts[2] {
        case "capital_share": return s.capitalShare
        case "elasticity": return s.elasticity
        case "trade_cost_per_hour": return s.tradeCostPerHour
        case "base_mix": return s.baseMix
        case "investment_share": return s.investmentShare
        case "export_share": return s.exportShare
        case "consumption_weight": return s.consumptionWeight
        default: return nil
        }
    }

    /// Checks every parameter and the relations between them; the first problem is thrown.
    public func validate() throws(ParameterError) {
        for info in Self.catalog {
            let v = self[keyPath: info.keyPath]
            guard info.admits(v) else {
                throw ParameterError(parameter: info.name, message: "\(v) is outside \(info.rangeDescription) (\(info.unit))")
            }
        }
        guard !sectors.isEmpty else { throw ParameterError(parameter: "sectors", message: "at least one sector is needed") }
        var seen = Set<String>()
        for s in sectors {
            guard seen.insert(s.id).inserted else {
                throw ParameterError(parameter: "sectors.\(s.id)", message: "duplicate sector id")
            }
            guard s.elasticity.isFinite, s.elasticity > 1 else {
                throw ParameterError(parameter: "sectors.\(s.id).elasticity", message: "σ must be above 1, found \(s.elasticity)")
            }
            guard s.capitalShare.isFinite, s.capitalShare >= 0, s.capitalShare < 1 else {
                throw ParameterError(parameter: "sectors.\(s.id).capital_share", message: "β must lie in [0, 1), found \(s.capitalShare)")
            }
            guard s.tradeCostPerHour.isFinite, s.tradeCostPerHour >= 0 else {
                throw ParameterError(parameter: "sectors.\(s.id).trade_cost_per_hour", message: "κ must be a finite number ≥ 0, found \(s.tradeCostPerHour)")
            }
            guard s.baseMix.isFinite, s.baseMix >= 0 else {
                throw ParameterError(parameter: "sectors.\(s.id).base_mix", message: "must be a finite share ≥ 0, found \(s.baseMix)")
            }
        }
        for s in sectors {
            guard s.investmentShare.isFinite, s.investmentShare >= 0, s.investmentShare <= 1 else {
                throw ParameterError(parameter: "sectors.\(s.id).investment_share", message: "must be a share in [0, 1], found \(s.investmentShare)")
            }
            guard s.exportShare.isFinite, s.exportShare >= 0, s.exportShare < 1 else {
                throw ParameterError(parameter: "sectors.\(s.id).export_share", message: "must be a share in [0, 1), found \(s.exportShare)")
            }
        }
        let investmentTotal = sectors.reduce(0) { $0 + $1.investmentShare }
        guard abs(investmentTotal - 1) <= 1e-9 || investmentTotal == 0 else {
            throw ParameterError(parameter: "sectors.*.investment_share", message: "the sectors' investment shares must sum to 1 (the investment bundle; all 0 for the consumption mix), they sum to \(String(format: "%.12g", investmentTotal))")
        }
        let mixTotal = sectors.reduce(0) { $0 + $1.baseMix }
        guard abs(mixTotal - 1) <= 1e-9 else {
            throw ParameterError(parameter: "sectors.*.base_mix", message: "the sectors' base mixes must sum to 1, they sum to \(String(format: "%.12g", mixTotal))")
        }
        guard housingShare + agricultureShare < 1 else {
            throw ParameterError(parameter: "housing_share", message: "housing_share + agriculture_share must be below 1 (the rest is spent on modern sectors), found \(housingShare + agricultureShare)")
        }
        for (province, share) in urbanShareTargets where !(share > 0 && share < 1) {
            throw ParameterError(parameter: "urban_share_targets.\(province)", message: "must lie in (0, 1), found \(share)")
        }
    }
}
