// Equivalent variation of a policy run against a reference run (MODEL.md §4.1).
import Foundation

/// What the equivalent variation of one city needs from a run, year by year (the columns
/// `wage`, `real_utility`, `public_services`, `population` and `urban_population` of
/// cities.csv, docs/OUTPUTS.md).
public struct WelfareSeries: Sendable, Equatable {
    /// Recorded years, ascending.
    public var years: [Double]
    /// Wage w of an urban worker, yuan per year.
    public var wage: [Double]
    /// Real utility V of an urban resident (index).
    public var utility: [Double]
    /// Public-service stock G, 亿元.
    public var publicServices: [Double]
    /// Residents N = L + R, 10⁴ persons.
    public var population: [Double]
    /// Urban residents L, 10⁴ persons (the weights of the region's figure).
    public var urbanPopulation: [Double]
    /// Amenity B of the city (the calibration's; constant over a run, 1 when not known).
    public var amenity: [Double]

    public init(years: [Double], wage: [Double], utility: [Double], publicServices: [Double], population: [Double],
                urbanPopulation: [Double], amenity: [Double]? = nil) {
        self.years = years
        self.wage = wage
        self.utility = utility
        self.publicServices = publicServices
        self.population = population
        self.urbanPopulation = urbanPopulation
        self.amenity = amenity ?? Array(repeating: 1, count: years.count)
    }
}

/// An equivalent variation and its parts, yuan per urban resident per year (discounted
/// means over the years compared), and as a share of the reference run's income.
public struct EquivalentVariation: Sendable, Equatable {
    /// EV: the change of income at the reference run's prices, public services and
    /// amenities that gives the reference resident the policy run's utility.
    public var total: Double
    /// The part due to the wage.
    public var income: Double
    /// The part due to the local price of goods and housing (prices and rents).
    public var prices: Double
    /// The part due to public services per resident.
    public var publicServices: Double
    /// The part due to amenities.
    public var amenities: Double
    /// The reference run's wage over the same years with the same discounting, yuan per year.
    public var referenceIncome: Double

    /// EV / reference income.
    public var share: Double { referenceIncome > 0 ? total / referenceIncome : 0 }
}

/// The equivalent variation of a policy (run B) against a reference (run A).
///
/// Utility is log-linear (§3.1): `ln V = ln B + η ln(G/N) + ln w − ln P`, P the local price of
/// goods and housing. At the reference prices, public services and amenities a change dw of
/// income changes V in proportion, so the income that gives the reference resident the
/// policy's utility is `w_A V_B / V_A` and, at each year t,
///
///     EV_t = w_A (V_B / V_A − 1)
///
/// with the parts of `ln(V_B/V_A) = Δln w + Δ(η ln G/N) + Δln B − Δln P` (the price part is
/// what the others leave of the utility ratio): each part k gets `EV_t · c_k / ln(V_B/V_A)`,
/// or `w_A c_k` when the ratio is 1, so the parts add up to EV_t exactly.
///
/// Over the horizon: `EV = Σ_t d_t EV_t / Σ_t d_t` with `d_t = (1 + r)^{−(t − t₀)}` (t₀ the
/// first year compared, r the discount rate): the constant yearly income change with the
/// same present value. For the region, each year's EV_t of the cities is weighted by the
/// reference run's urban population L_A (the residents V describes) before discounting.
public enum Welfare {
    /// Default discount rate r, per year.
    public static let defaultDiscountRate = 0.05

    /// One year's EV and its parts for one city: (total, income, prices, public services,
    /// amenities), yuan per resident per year.
    public static func yearly(
        wage: (a: Double, b: Double), utility: (a: Double, b: Double), servicesPerResident: (a: Double, b: Double),
        amenity: (a: Double, b: Double), elasticity: (a: Double, b: Double)
    ) -> [Double] {
        let lnRatio = Foundation.log(utility.b / utility.a)
        let income = Foundation.log(wage.b / wage.a)
        let services = elasticity.b * Foundation.log(servicesPerResident.b) - elasticity.a * Foundation.log(servicesPerResident.a)
        let amenities = Foundation.log(amenity.b / amenity.a)
        let prices = lnRatio - income - services - amenities
        let total = wage.a * Foundation.expm1(lnRatio)
        let parts = [income, prices, services, amenities].map { c in
            lnRatio == 0 ? wage.a * c : total * c / lnRatio
        }
        return [total] + parts
    }

    /// The discounted EV of each city (in the order given) and of the region.
    ///
    /// `reference[i]` and `policy[i]` must record the same years; `elasticity` is η of each run.
    public static func equivalentVariation(
        reference: [WelfareSeries], policy: [WelfareSeries], elasticity: (a: Double, b: Double),
        discountRate r: Double = defaultDiscountRate
    ) -> (cities: [EquivalentVariation], region: EquivalentVariation) {
        precondition(reference.count == policy.count && !reference.isEmpty, "one series per city in both runs")
        let years = reference[0].years
        let t0 = years[0]
        let discount = years.map { Foundation.pow(1 + r, -($0 - t0)) }
        let discountTotal = discount.reduce(0, +)
        var cities: [EquivalentVariation] = []
        var regionYearly = [[Double]](repeating: [0, 0, 0, 0, 0], count: years.count)
        var regionIncome = [Double](repeating: 0, count: years.count)
        var regionWeight = [Double](repeating: 0, count: years.count)
        for (a, b) in zip(reference, policy) {
            precondition(a.years == years && b.years == years, "both runs must record the same years for every city")
            var sums = [0.0, 0, 0, 0, 0]
            var income = 0.0
            for t in years.indices {
                let ev = yearly(
                    wage: (a.wage[t], b.wage[t]), utility: (a.utility[t], b.utility[t]),
                    servicesPerResident: (a.publicServices[t] / a.population[t], b.publicServices[t] / b.population[t]),
                    amenity: (a.amenity[t], b.amenity[t]), elasticity: elasticity)
                for k in 0..<5 {
                    sums[k] += discount[t] * ev[k]
                    regionYearly[t][k] += a.urbanPopulation[t] * ev[k]
                }
                income += discount[t] * a.wage[t]
                regionIncome[t] += a.urbanPopulation[t] * a.wage[t]
                regionWeight[t] += a.urbanPopulation[t]
            }
            cities.append(Self.make(sums.map { $0 / discountTotal }, income: income / discountTotal))
        }
        var region = [0.0, 0, 0, 0, 0]
        var income = 0.0
        for t in years.indices where regionWeight[t] > 0 {
            for k in 0..<5 { region[k] += discount[t] * regionYearly[t][k] / regionWeight[t] }
            income += discount[t] * regionIncome[t] / regionWeight[t]
        }
        return (cities, Self.make(region.map { $0 / discountTotal }, income: income / discountTotal))
    }

    private static func make(_ v: [Double], income: Double) -> EquivalentVariation {
        EquivalentVariation(total: v[0], income: v[1], prices: v[2], publicServices: v[3], amenities: v[4], referenceIncome: income)
    }
}
