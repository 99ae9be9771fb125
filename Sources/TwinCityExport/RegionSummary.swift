// Region-level figures of one recorded year (MODEL.md §6): totals, the twin cores' shares,
// zone totals and regional inequality. Pure arithmetic, so it is tested on its own.
import Foundation
import TwinCityModel

/// The region in one year: totals, each city's shares, zone totals and inequality of GDP per
/// capita across cities.
///
/// Units: population in 10^4 persons; GDP in 亿元 per year (`gdp` at constant 2020 prices,
/// `gdpNominal` in current numeraire units); GDP per capita in yuan per person; shares and
/// indices are dimensionless. Inequality is measured on constant-price GDP, so that a change
/// in relative prices alone does not show as a change in inequality between years.
public struct RegionSummary: Sendable, Equatable {
    /// Resident population (urban + rural) of the region, 10^4 persons.
    public var population: Double
    /// Urban population of the region, 10^4 persons.
    public var urbanPopulation: Double
    /// GDP at constant 2020 prices, 亿元 per year.
    public var gdp: Double
    /// GDP at current prices (numeraire: agriculture), 亿元 per year.
    public var gdpNominal: Double
    /// Region GDP per resident at constant 2020 prices, yuan per person per year.
    public var gdpPerCapita: Double
    /// Each city's share of the region's constant-price GDP, in roster order.
    public var gdpShares: [Double]
    /// Each city's share of the region's resident population, in roster order.
    public var populationShares: [Double]
    /// Zones in order of first appearance in the roster.
    public var zones: [String]
    /// Constant-price GDP of each zone (same order as `zones`), 亿元 per year.
    public var zoneGDP: [Double]
    /// Resident population of each zone (same order as `zones`), 10^4 persons.
    public var zonePopulation: [Double]
    /// Population-weighted Theil T index of GDP per capita (0: equal GDP per capita).
    public var theil: Double
    /// Population-weighted coefficient of variation of GDP per capita.
    public var coefficientOfVariation: Double
    /// Consumer price index of the region, 2020 = 1: Paasche `Σ C_i / Σ (C_i / cpi_i)` with
    /// consumption at current prices (`regionalPriceIndex`); 1 when no prices are given.
    public var consumerPriceIndex: Double = 1
    /// Real wage averaged over urban workers, `Σ (w_i / cpi_i) L_i / Σ L_i`, yuan of 2020 per
    /// worker per year; NaN when no wages are given.
    public var realWage: Double = .nan
    /// Tax revenue of the region, 亿元 per year at current prices; NaN when not given.
    public var taxRevenue: Double = .nan
    /// Tax revenue deflated city by city, `Σ T_i / cpi_i`, 亿元 per year at 2020 prices.
    public var realTaxRevenue: Double = .nan

    /// Summarises one year from per-city arrays in roster order.
    ///
    /// - Parameters:
    ///   - gdp: Constant-price GDP of each city, 亿元 per year.
    ///   - gdpNominal: Current-price GDP of each city, 亿元 per year.
    ///   - population: Resident population of each city, 10^4 persons.
    ///   - urbanPopulation: Urban population of each city, 10^4 persons.
    ///   - zones: Economic zone of each city.
    public init(gdp: [Double], gdpNominal: [Double], population: [Double], urbanPopulation: [Double], zones: [String]) {
        precondition(gdpNominal.count == gdp.count && population.count == gdp.count
                     && urbanPopulation.count == gdp.count && zones.count == gdp.count)
        self.population = population.reduce(0, +)
        self.urbanPopulation = urbanPopulation.reduce(0, +)
        self.gdp = gdp.reduce(0, +)
        self.gdpNominal = gdpNominal.reduce(0, +)
        gdpPerCapita = Self.gdpPerCapita(gdp: self.gdp, population: self.population)
        let totalGDP = self.gdp, totalPopulation = self.population
        gdpShares = gdp.map { $0 / totalGDP }
        populationShares = population.map { $0 / totalPopulation }
        self.zones = Self.zoneOrder(zones)
        zoneGDP = Self.zoneTotals(gdp, zones: zones, order: self.zones)
        zonePopulation = Self.zoneTotals(population, zones: zones, order: self.zones)
        theil = Self.theil(gdp: gdp, population: population)
        coefficientOfVariation = Self.coefficientOfVariation(gdp: gdp, population: population)
    }

    /// Summarises a recorded tick, with each city's zone from `cities` (roster order).
    public init(record: TickRecord, cities: [City]) {
        self.init(
            gdp: record.realGDP, gdpNominal: record.equilibrium.gdp, population: record.state.population,
            urbanPopulation: record.state.urbanPopulation, zones: cities.map(\.zone))
        let cpi = record.consumerPrices, eq = record.equilibrium
        // Consumption is what the index prices; the closed variant of the model has none
        // recorded, and there all expenditure is consumption.
        let consumption = eq.consumption.count == cpi.count ? eq.consumption : eq.expenditure
        consumerPriceIndex = Self.regionalPriceIndex(consumption, cpi)
        let workers = record.state.urbanPopulation
        let realWages = zip(eq.wages, cpi).map { Self.wagePerWorker($0) / $1 }
        realWage = zip(realWages, workers).reduce(0.0) { $0 + $1.0 * $1.1 } / workers.reduce(0, +)
        taxRevenue = record.fiscal.revenue.reduce(0, +)
        realTaxRevenue = zip(record.fiscal.revenue, cpi).reduce(0.0) { $0 + $1.0 / $1.1 }
    }

    /// Paasche price index of the region from the cities' spending `spending_i` (current
    /// prices) and price indices `index_i`: `Σ spending_i / Σ (spending_i / index_i)`, the
    /// current cost of the region's basket over its cost at base prices.
    public static func regionalPriceIndex(_ spending: [Double], _ index: [Double]) -> Double {
        spending.reduce(0, +) / zip(spending, index).reduce(0.0) { $0 + $1.0 / $1.1 }
    }

    // MARK: - Inequality

    /// Population-weighted Theil T index of GDP per capita,
    /// `T = Σ_i (Y_i/Y) ln((Y_i/Y) / (P_i/P))`: 0 when every city has the same GDP per
    /// capita, larger the more output is concentrated in few residents. A city with no
    /// output adds nothing (the limit of x ln x at 0).
    /// Units of `gdp` and `population` cancel.
    public static func theil(gdp: [Double], population: [Double]) -> Double {
        let totalGDP = gdp.reduce(0, +), totalPopulation = population.reduce(0, +)
        guard totalGDP > 0, totalPopulation > 0 else { return .nan }
        var sum = 0.0
        for (y, p) in zip(gdp, population) where y > 0 {
            let s = y / totalGDP
            sum += s * Foundation.log(s / (p / totalPopulation))
        }
        return sum
    }

    /// Population-weighted coefficient of variation of GDP per capita,
    /// `sqrt(Σ_i p_i (y_i − ȳ)²) / ȳ` with `p_i = P_i/P`, `y_i = Y_i/P_i` and
    /// `ȳ = Σ p_i y_i = Y/P`. Units cancel. Cities without population are left out.
    public static func coefficientOfVariation(gdp: [Double], population: [Double]) -> Double {
        let totalGDP = gdp.reduce(0, +), totalPopulation = population.reduce(0, +)
        guard totalGDP > 0, totalPopulation > 0 else { return .nan }
        let mean = totalGDP / totalPopulation
        var variance = 0.0
        for (y, p) in zip(gdp, population) where p > 0 {
            let deviation = y / p - mean
            variance += p / totalPopulation * deviation * deviation
        }
        return variance.squareRoot() / mean
    }

    // MARK: - Zones

    /// The distinct zones in order of first appearance.
    public static func zoneOrder(_ zones: [String]) -> [String] {
        var seen = Set<String>()
        return zones.filter { seen.insert($0).inserted }
    }

    /// Sum of `values` over the cities of each zone of `order`; `zones` gives each city's zone.
    public static func zoneTotals(_ values: [Double], zones: [String], order: [String]) -> [Double] {
        var totals = [String: Double]()
        for (value, zone) in zip(values, zones) { totals[zone, default: 0] += value }
        return order.map { totals[$0] ?? 0 }
    }

    // MARK: - Units and rates

    /// GDP per resident in yuan per person per year from GDP in 亿元 (10^8 yuan) per year and
    /// population in 10^4 persons: `gdp · 10^8 / (population · 10^4)`.
    public static func gdpPerCapita(gdp: Double, population: Double) -> Double {
        gdp * 1e8 / (population * 1e4)
    }

    /// Wage in yuan per urban worker per year from the model's wage in 亿元 per 10^4 workers
    /// per year: `w · 10^8 / 10^4`.
    public static func wagePerWorker(_ wage: Double) -> Double {
        wage * 1e4
    }

    /// Compound growth rate per year between two positive values `years` apart:
    /// `(to/from)^(1/years) − 1`.
    public static func growthRate(from start: Double, to end: Double, years: Double) -> Double {
        Foundation.pow(end / start, 1 / years) - 1
    }
}

extension RegionSummary {
    /// The numeric cells of the region's row of region.csv for the tick `record`, in the
    /// order of `OutputColumns.region`: `growth` is the compound growth of region GDP since
    /// the previous recorded year (per year; NaN at the first), `cores` the members of each
    /// core (`RunDirectoryWriter.coreMembers`). Flows are 0 and the conservation error NaN at
    /// the first tick, which has no interval. The one place a column's value is taken, for
    /// the file and for a sweep's outputs alike.
    public func cells(record: TickRecord, growth: Double, cores: [(id: String, indices: [Int])]) -> [Double] {
        var row = [population, urbanPopulation, gdp, gdpNominal, growth, gdpPerCapita,
                   consumerPriceIndex, realWage, taxRevenue, realTaxRevenue]
        row += cores.map { core in core.indices.reduce(0.0) { $0 + gdpShares[$1] } }
        row += cores.map { core in core.indices.reduce(0.0) { $0 + populationShares[$1] } }
        row += zoneGDP + zonePopulation
        let flows = record.flows
        let migrants: Double = flows?.population.reduce(0, +) ?? 0
        let capitalFlows: Double = flows?.capital.reduce(0, +) ?? 0
        let relocated: Double = flows?.industry.reduce(0, +) ?? 0
        row += [theil, coefficientOfVariation, migrants, capitalFlows, relocated]
        row.append(record.conservation?.worst ?? .nan)
        return row
    }
}
