// The numeric columns of cities.csv and region.csv in file order, with the units of
// docs/OUTPUTS.md: one table that the writer takes its headers from and that readers of a run
// (plots, ensemble summaries) take units and labels from.
import Foundation

/// A numeric column of `cities.csv` or `region.csv`.
public struct OutputColumn: Sendable, Equatable {
    /// Column name in the CSV header, e.g. `gdp` or `capital_services`.
    public let name: String
    /// Unit as docs/OUTPUTS.md gives it, e.g. `亿元 per year, 2020 prices` or `10⁴ persons`.
    public let unit: String
    /// A short English name for chart axes and legends, e.g. `GDP`.
    public let label: String
    /// True when the values of several cities add up to a meaningful total (stocks, flows and
    /// money per year); false for per-person figures, rates, shares and indices.
    public let additive: Bool

    /// A column description; see the properties for the meaning of each part.
    public init(_ name: String, _ unit: String, _ label: String, additive: Bool) {
        self.name = name
        self.unit = unit
        self.label = label
        self.additive = additive
    }
}

/// The columns of the run directory's tables (docs/OUTPUTS.md).
public enum OutputColumns {
    /// The non-numeric leading columns of `cities.csv`, in order.
    public static let cityKeys = ["year", "city", "zone", "tier"]
    /// The non-numeric leading column of `region.csv`.
    public static let regionKeys = ["year"]
    /// The columns of each flow file, in order; `value` is in the unit of `flowUnits`.
    public static let flowKeys = ["year", "origin", "destination", "value"]
    /// Leading column of every table of an ensemble: the replication, 0, 1, …
    public static let replication = "replication"

    /// Unit of `value` in each flow file, by flow kind (`population`, `capital`, `industry`).
    public static let flowUnits = ["population": "10⁴ persons", "capital": "亿元, 2020 prices", "industry": "亿元, 2020 prices"]

    private static let persons = "10⁴ persons"
    private static let realRate = "亿元 per year, 2020 prices"
    private static let nominalRate = "亿元 per year, current prices"
    private static let money = "亿元, current prices"
    private static let moneyRate = "亿元 per year, current prices"
    private static let realMoney = "亿元, 2020 prices"
    private static let cpi = "index, 2020 = 1"

    /// The numeric columns of `cities.csv` after `cityKeys`, in file order, for sectors `sectors`.
    public static func cities(sectors: [String]) -> [OutputColumn] {
        var columns = [
            OutputColumn("population", persons, "Population", additive: true),
            OutputColumn("urban_population", persons, "Urban population", additive: true),
            OutputColumn("rural_population", persons, "Rural population", additive: true),
            OutputColumn("gdp", realRate, "GDP", additive: true),
            OutputColumn("gdp_nominal", nominalRate, "GDP", additive: true),
            OutputColumn("gdp_per_capita", "yuan per person per year, 2020 prices", "GDP per capita", additive: false),
            OutputColumn("wage", "yuan per urban worker per year, current prices", "Wage", additive: false),
            OutputColumn("real_utility", "index", "Real utility", additive: false),
            OutputColumn("stay_probability", "share", "Stay probability of a mover", additive: false),
            OutputColumn("rent", moneyRate, "Rent", additive: true),
            OutputColumn("capital", realMoney, "Capital", additive: true),
            OutputColumn("tax_revenue", moneyRate, "Tax revenue", additive: true),
            OutputColumn("public_spending", moneyRate, "Public spending", additive: true),
            OutputColumn("public_services", "亿元 of accumulated spending", "Public services", additive: true),
            OutputColumn("subsidy_rate", "share", "Attraction subsidy rate", additive: false),
            OutputColumn("subsidies_paid", money, "Subsidies paid", additive: true),
            OutputColumn("retention_effort", "log return points", "Retention effort", additive: false),
            OutputColumn("transfers", moneyRate, "Net transfers received", additive: true),
            OutputColumn("fiscal_balance", moneyRate, "Fiscal balance", additive: true),
            OutputColumn("cpi", cpi, "Consumer price index", additive: false),
            OutputColumn("wage_real", "yuan per urban worker per year, 2020 prices", "Real wage", additive: false),
            OutputColumn("rent_real", realRate, "Rent", additive: true),
            OutputColumn("tax_revenue_real", realRate, "Tax revenue", additive: true),
            OutputColumn("public_spending_real", realRate, "Public spending", additive: true),
            OutputColumn("subsidies_paid_real", realMoney, "Subsidies paid", additive: true),
            OutputColumn("transfers_real", realRate, "Net transfers received", additive: true),
            OutputColumn("fiscal_balance_real", realRate, "Fiscal balance", additive: true),
        ]
        columns += sectors.map { OutputColumn("capital_\($0)", realMoney, "Capital, \(words($0))", additive: true) }
        columns += sectors.map { OutputColumn("output_\($0)", nominalRate, "Output, \(words($0))", additive: true) }
        columns += sectors.map { OutputColumn("employment_\($0)", persons, "Employment, \(words($0))", additive: true) }
        columns += [
            OutputColumn("population_in", persons, "Arrivals from other cities", additive: true),
            OutputColumn("population_out", persons, "Departures to other cities", additive: true),
            OutputColumn("capital_in", realMoney, "Investment from other cities", additive: true),
            OutputColumn("capital_out", realMoney, "Investment in other cities", additive: true),
            OutputColumn("industry_in", realMoney, "Industry relocated in", additive: true),
            OutputColumn("industry_out", realMoney, "Industry relocated out", additive: true),
            OutputColumn("industry_external_in", realMoney, "Industry from outside the region", additive: true),
            OutputColumn("natural_growth", persons, "Natural growth", additive: true),
            OutputColumn("urbanisation", persons, "Urbanisation", additive: true),
        ]
        return columns
    }

    /// The numeric columns of `region.csv` after `regionKeys`, in file order.
    ///
    /// - Parameters:
    ///   - coreCities: Ids of the cities with share columns (those of
    ///     `RunDirectoryWriter.coreCityIDs` in the roster), in that order.
    ///   - zones: Zones in order of first appearance in the roster.
    public static func region(coreCities: [String], zones: [String]) -> [OutputColumn] {
        var columns = [
            OutputColumn("population", persons, "Population", additive: true),
            OutputColumn("urban_population", persons, "Urban population", additive: true),
            OutputColumn("gdp", realRate, "GDP", additive: true),
            OutputColumn("gdp_nominal", nominalRate, "GDP", additive: true),
            OutputColumn("gdp_growth", "per year", "GDP growth", additive: false),
            OutputColumn("gdp_per_capita", "yuan per person per year, 2020 prices", "GDP per capita", additive: false),
            OutputColumn("cpi", cpi, "Consumer price index", additive: false),
            OutputColumn("wage_real", "yuan per urban worker per year, 2020 prices", "Real wage", additive: false),
            OutputColumn("tax_revenue", moneyRate, "Tax revenue", additive: true),
            OutputColumn("tax_revenue_real", realRate, "Tax revenue", additive: true),
        ]
        columns += coreCities.map { OutputColumn("\($0)_gdp_share", "share", "\(words($0).capitalized) share of GDP", additive: false) }
        columns += coreCities.map {
            OutputColumn("\($0)_population_share", "share", "\(words($0).capitalized) share of population", additive: false)
        }
        columns += zones.map { OutputColumn("gdp_\($0)", realRate, "GDP, \(words($0))", additive: true) }
        columns += zones.map { OutputColumn("population_\($0)", persons, "Population, \(words($0))", additive: true) }
        columns += [
            OutputColumn("theil_gdp_per_capita", "index", "Theil index of GDP per capita", additive: false),
            OutputColumn("cv_gdp_per_capita", "ratio", "Coefficient of variation of GDP per capita", additive: false),
            OutputColumn("migrants", persons, "Migrants between cities", additive: true),
            OutputColumn("capital_flows", realMoney, "Investment across cities", additive: true),
            OutputColumn("industry_relocated", realMoney, "Industry relocated between cities", additive: true),
            OutputColumn("conservation_worst", "relative error", "Worst conservation error", additive: false),
        ]
        return columns
    }

    /// An identifier as words for a label: `consumer_goods` → `consumer goods`.
    static func words(_ id: String) -> String {
        id.replacingOccurrences(of: "_", with: " ")
    }
}
