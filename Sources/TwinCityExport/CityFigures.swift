// The recorded figures of one city in one year (MODEL.md §6), in the units of cities.csv:
// the state, the equilibrium, the government's accounts and the flows of the interval.
import TwinCityModel

/// One city in one recorded year, in output units.
///
/// Stocks are at `year`; rates (GDP, wage, rent, tax, spending, transfers) are per year at
/// `year`; flows (`populationIn` … `urbanisation`, `subsidiesPaid`) are totals over the
/// interval (year − dt, year] and zero at the first year. Money in 亿元 (10^8 yuan),
/// population in 10^4 persons, unless stated.
public struct CityFigures: Sendable, Equatable {
    /// Resident population L + R, 10^4 persons.
    public var population: Double
    /// Urban population L, 10^4 persons.
    public var urbanPopulation: Double
    /// Rural population R, 10^4 persons.
    public var ruralPopulation: Double
    /// GDP at constant 2020 prices, 亿元 per year.
    public var gdp: Double
    /// GDP at current prices (numeraire: agriculture), 亿元 per year.
    public var gdpNominal: Double
    /// Constant-price GDP per resident, yuan per person per year.
    public var gdpPerCapita: Double
    /// Wage, yuan per urban worker per year.
    public var wage: Double
    /// Real utility V of an urban resident (index).
    public var realUtility: Double
    /// Probability π_ii that a resident who reconsiders where to live stays (share; 1 under
    /// the replicator rule): the welfare of movers (docs/MODEL.md §4.1).
    public var stayProbability: Double
    /// Rent paid for housing, 亿元 per year.
    public var rent: Double
    /// Capital installed, all sectors, 亿元.
    public var capital: Double
    /// Tax revenue, 亿元 per year.
    public var taxRevenue: Double
    /// Public spending on the service stock, 亿元 per year.
    public var publicSpending: Double
    /// Public-service stock G, 亿元.
    public var publicServices: Double
    /// Attraction subsidy in force for the coming interval, share of the value of arriving capital.
    public var subsidyRate: Double
    /// Subsidies paid over the interval, 亿元.
    public var subsidiesPaid: Double
    /// Retention effort in force for the coming interval, log return points.
    public var retentionEffort: Double
    /// Net intergovernmental transfers received (negative: paid), 亿元 per year.
    public var transfers: Double
    /// Budget balance with the interval's subsidies spread over its years, 亿元 per year.
    public var fiscalBalance: Double
    /// Consumer price index P_i / P_i(2020) (`TickRecord.consumerPrices`), 2020 = 1.
    public var consumerPriceIndex: Double
    /// `wage / consumerPriceIndex`: yuan of 2020 per urban worker per year.
    public var realWage: Double
    /// `rent / consumerPriceIndex`, 亿元 per year at 2020 prices.
    public var realRent: Double
    /// `taxRevenue / consumerPriceIndex`, 亿元 per year at 2020 prices.
    public var realTaxRevenue: Double
    /// `publicSpending / consumerPriceIndex`, 亿元 per year at 2020 prices.
    public var realPublicSpending: Double
    /// `subsidiesPaid / consumerPriceIndex` (deflated at the end of the interval), 亿元 at 2020 prices.
    public var realSubsidiesPaid: Double
    /// `transfers / consumerPriceIndex`, 亿元 per year at 2020 prices.
    public var realTransfers: Double
    /// `fiscalBalance / consumerPriceIndex`, 亿元 per year at 2020 prices.
    public var realFiscalBalance: Double
    /// Capital installed in each sector, 亿元.
    public var sectorCapital: [Double]
    /// Sales p·Q of each sector, 亿元 per year at current prices.
    public var sectorOutput: [Double]
    /// Urban workers employed in each sector, 10^4 persons.
    public var sectorEmployment: [Double]
    /// Residents who arrived from other cities of the region, 10^4 persons.
    public var populationIn: Double
    /// Residents who left for other cities of the region, 10^4 persons.
    public var populationOut: Double
    /// Investment financed by savers elsewhere in the region and installed here, 亿元.
    public var capitalIn: Double
    /// Investment financed by savers here and installed elsewhere in the region, 亿元.
    public var capitalOut: Double
    /// Installed capacity relocated here from other cities, 亿元.
    public var industryIn: Double
    /// Installed capacity relocated from here to other cities, 亿元.
    public var industryOut: Double
    /// Industry arriving from outside the region, 亿元.
    public var industryExternalIn: Double
    /// Natural growth of the resident population, 10^4 persons.
    public var naturalGrowth: Double
    /// Rural residents who became urban, 10^4 persons.
    public var urbanisation: Double

    /// The figures of every city of a recorded tick, in roster order.
    ///
    /// - Parameters:
    ///   - record: The tick.
    ///   - sectorCount: Number of modern sectors S (arrays by variety have N·S entries).
    ///   - dt: Tick length, years, to turn the interval's subsidies into a yearly balance.
    public static func all(_ record: TickRecord, sectorCount: Int, dt: Double) -> [CityFigures] {
        let n = record.realGDP.count
        let state = record.state, eq = record.equilibrium
        let population = state.population
        let zero = [Double](repeating: 0, count: n)
        let flows = record.flows
        let people = flows.map { TickFlows.margins($0.population, cities: n) } ?? (zero, zero)
        let capital = flows.map { TickFlows.margins($0.capital, cities: n) } ?? (zero, zero)
        let industry = flows.map { TickFlows.margins($0.industry, cities: n) } ?? (zero, zero)
        let balance = record.fiscal.balance(subsidiesPaid: record.subsidiesPaid.map { $0 / dt })
        return (0..<n).map { i in
            let varieties = (i * sectorCount)..<((i + 1) * sectorCount)
            let sectorCapital = Array(state.capital[varieties])
            let cpi = record.consumerPrices[i]
            let wage = RegionSummary.wagePerWorker(eq.wages[i])
            return CityFigures(
                population: population[i],
                urbanPopulation: state.urbanPopulation[i],
                ruralPopulation: state.ruralPopulation[i],
                gdp: record.realGDP[i],
                gdpNominal: eq.gdp[i],
                gdpPerCapita: RegionSummary.gdpPerCapita(gdp: record.realGDP[i], population: population[i]),
                wage: wage,
                realUtility: record.utility[i],
                stayProbability: record.stayProbability[i],
                rent: eq.rent[i],
                capital: sectorCapital.reduce(0, +),
                taxRevenue: record.fiscal.revenue[i],
                publicSpending: record.fiscal.publicSpending[i],
                publicServices: state.publicServices[i],
                subsidyRate: record.agents[i].subsidy,
                subsidiesPaid: record.subsidiesPaid[i],
                retentionEffort: record.agents[i].retention,
                transfers: record.fiscal.transfers[i],
                fiscalBalance: balance[i],
                consumerPriceIndex: cpi,
                realWage: wage / cpi,
                realRent: eq.rent[i] / cpi,
                realTaxRevenue: record.fiscal.revenue[i] / cpi,
                realPublicSpending: record.fiscal.publicSpending[i] / cpi,
                realSubsidiesPaid: record.subsidiesPaid[i] / cpi,
                realTransfers: record.fiscal.transfers[i] / cpi,
                realFiscalBalance: balance[i] / cpi,
                sectorCapital: sectorCapital,
                sectorOutput: Array(eq.revenue[varieties]),
                sectorEmployment: Array(eq.sectorLabour[varieties]),
                populationIn: people.1[i],
                populationOut: people.0[i],
                capitalIn: capital.1[i],
                capitalOut: capital.0[i],
                industryIn: industry.1[i],
                industryOut: industry.0[i],
                industryExternalIn: flows.map { $0.externalIndustry[varieties].reduce(0, +) } ?? 0,
                naturalGrowth: flows?.naturalGrowth[i] ?? 0,
                urbanisation: flows?.urbanisation[i] ?? 0)
        }
    }
}

extension CityFigures {
    /// The numeric cells of the city's row of cities.csv, in the order of
    /// `OutputColumns.cities`: the one place a column's value is taken from the figures, for
    /// the file and for a sweep's outputs alike.
    public var cells: [Double] {
        [
            population, urbanPopulation, ruralPopulation, gdp, gdpNominal, gdpPerCapita,
            wage, realUtility, stayProbability, rent, capital, taxRevenue, publicSpending, publicServices,
            subsidyRate, subsidiesPaid, retentionEffort, transfers, fiscalBalance,
            consumerPriceIndex, realWage, realRent, realTaxRevenue, realPublicSpending,
            realSubsidiesPaid, realTransfers, realFiscalBalance,
        ] + sectorCapital + sectorOutput + sectorEmployment + [
            populationIn, populationOut, capitalIn, capitalOut, industryIn, industryOut,
            industryExternalIn, naturalGrowth, urbanisation,
        ]
    }
}
