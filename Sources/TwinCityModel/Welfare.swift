// Equivalent variation of a policy run against a reference run (MODEL.md §4.1).
import Foundation

/// What the equivalent variation of one city needs from a run, year by year (the columns
/// `wage`, `real_utility`, `public_services`, `population` and `urban_population` of
/// cities.csv, docs/OUTPUTS.md).
package struct WelfareSeries: Sendable, Equatable {
    /// Recorded years, ascending.
    package var years: [Double]
    /// Wage w of an urban worker, yuan per year.
    package var wage: [Double]
    /// Real utility V of an urban resident (index).
    package var utility: [Double]
    /// Public-service stock G, 亿元.
    package var publicServices: [Double]
    /// Residents N = L + R, 10⁴ persons.
    package var population: [Double]
    /// Urban residents L, 10⁴ persons (the weights of the region's figure).
    package var urbanPopulation: [Double]
    /// Amenity B of the city (the calibration's; constant over a run, 1 when not known).
    package var amenity: [Double]
    /// The value of the choice of where to live to a resident, beyond staying put, in log real
    /// utility (`Welfare.moverValue`); `nil` when the run does not record it, which leaves
    /// movers out of the welfare.
    package var moverValue: [Double]?

    package init(years: [Double], wage: [Double], utility: [Double], publicServices: [Double], population: [Double],
                urbanPopulation: [Double], amenity: [Double]? = nil, moverValue: [Double]? = nil) {
        self.years = years
        self.wage = wage
        self.utility = utility
        self.publicServices = publicServices
        self.population = population
        self.urbanPopulation = urbanPopulation
        self.amenity = amenity ?? Array(repeating: 1, count: years.count)
        self.moverValue = moverValue
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
    /// The part due to the choice of where to live (movers): the value of moving, net of
    /// moving costs and registration barriers, beyond staying put.
    public var mobility: Double
    /// The reference run's wage over the same years with the same discounting, yuan per year.
    public var referenceIncome: Double

    /// EV / reference income.
    public var share: Double { referenceIncome > 0 ? total / referenceIncome : 0 }
}

/// The equivalent variation of a policy (run B) against a reference (run A).
///
/// Utility is log-linear (§3.1): `ln V = ln B + η ln(G/N) + ln w − ln P`, P the local price of
/// goods and housing. A resident of city i also holds the choice of where to live: each year a
/// share ν reconsiders and takes the best of the destinations, whose value in log real
/// utility is the inclusive value `Ω_i / θ = (1/θ) ln Σ_k W_ik e^{δ_k}` (§3.3), and with
/// `c_ii = 0` this is `ln V_i + (λ ln L_i − ln π_ii) / θ`, π_ii the probability of staying. A
/// resident's welfare in log real utility is then `ln V_i + M_i` with the mover value
///
///     M_i = ν (λ ln L_i − ln π_ii) / θ,
///
/// the expected gain over one year from the choice (with probability ν) beyond staying put:
/// lower moving costs or registration barriers lower π_ii and raise it, net of the costs the
/// movers still pay. At the reference prices, public services and amenities a change dw of
/// income changes V in proportion, so at each year t
///
///     EV_t = w_A (exp(ln(V_B / V_A) + M_B − M_A) − 1)
///
/// with the parts of `ln(V_B/V_A) + ΔM = Δln w + Δ(η ln G/N) + Δln B − Δln P + ΔM` (the price
/// part is what the others leave of the utility ratio; ΔM is the movers' part, the rest what
/// every resident gets where they live): each part k gets `EV_t · c_k / (ln(V_B/V_A) + ΔM)`,
/// or `w_A c_k` when that is 0, so the parts add up to EV_t exactly. A run that records no
/// stay probabilities has M = 0.
///
/// Over the horizon: `EV = Σ_t d_t EV_t / Σ_t d_t` with `d_t = (1 + r)^{−(t − t₀)}` (t₀ the
/// first year compared, r the discount rate): the constant yearly income change with the
/// same present value. For the region, each year's EV_t of the cities is weighted by the
/// reference run's urban population L_A (the residents V describes) before discounting.
public enum Welfare {
    /// Default discount rate r, per year.
    public static let defaultDiscountRate = 0.05

    /// The mover value `M = ν (λ ln L − ln π_ii) / θ` of each year, log real utility: ν the
    /// migration rate (per year), θ the migration elasticity, λ the destination size
    /// elasticity, L the urban population (10⁴ persons), π_ii the stay probability.
    package static func moverValue(stayProbability: [Double], urbanPopulation: [Double], rate: Double, elasticity: Double, sizeElasticity: Double) -> [Double] {
        zip(stayProbability, urbanPopulation).map { stay, population in
            rate * (sizeElasticity * Foundation.log(population) - Foundation.log(stay)) / elasticity
        }
    }

    /// One year's EV and its parts for one city: (total, income, prices, public services,
    /// amenities, mobility), yuan per resident per year.
    package static func yearly(
        wage: (a: Double, b: Double), utility: (a: Double, b: Double), servicesPerResident: (a: Double, b: Double),
        amenity: (a: Double, b: Double), elasticity: (a: Double, b: Double), moverValue: (a: Double, b: Double) = (0, 0)
    ) -> [Double] {
        let mobility = moverValue.b - moverValue.a
        let lnRatio = Foundation.log(utility.b / utility.a) + mobility
        let income = Foundation.log(wage.b / wage.a)
        let services = elasticity.b * Foundation.log(servicesPerResident.b) - elasticity.a * Foundation.log(servicesPerResident.a)
        let amenities = Foundation.log(amenity.b / amenity.a)
        let prices = lnRatio - mobility - income - services - amenities
        let total = wage.a * Foundation.expm1(lnRatio)
        let parts = [income, prices, services, amenities, mobility].map { c in
            lnRatio == 0 ? wage.a * c : total * c / lnRatio
        }
        return [total] + parts
    }

    /// The discounted EV of each city (in the order given) and of the region.
    ///
    /// `reference[i]` and `policy[i]` must record the same years; `elasticity` is η of each run.
    package static func equivalentVariation(
        reference: [WelfareSeries], policy: [WelfareSeries], elasticity: (a: Double, b: Double),
        discountRate r: Double = defaultDiscountRate
    ) -> (cities: [EquivalentVariation], region: EquivalentVariation) {
        precondition(reference.count == policy.count && !reference.isEmpty, "one series per city in both runs")
        let years = reference[0].years
        let t0 = years[0]
        let discount = years.map { Foundation.pow(1 + r, -($0 - t0)) }
        let discountTotal = discount.reduce(0, +)
        let partCount = 6
        var cities: [EquivalentVariation] = []
        var regionYearly = [[Double]](repeating: Array(repeating: 0, count: partCount), count: years.count)
        var regionIncome = [Double](repeating: 0, count: years.count)
        var regionWeight = [Double](repeating: 0, count: years.count)
        for (a, b) in zip(reference, policy) {
            precondition(a.years == years && b.years == years, "both runs must record the same years for every city")
            // Movers count only when both runs record them: a difference with one side missing
            // would be the level of the other.
            let movers = a.moverValue != nil && b.moverValue != nil
            var sums = Array(repeating: 0.0, count: partCount)
            var income = 0.0
            for t in years.indices {
                let ev = yearly(
                    wage: (a.wage[t], b.wage[t]), utility: (a.utility[t], b.utility[t]),
                    servicesPerResident: (a.publicServices[t] / a.population[t], b.publicServices[t] / b.population[t]),
                    amenity: (a.amenity[t], b.amenity[t]), elasticity: elasticity,
                    moverValue: movers ? (a.moverValue![t], b.moverValue![t]) : (0, 0))
                for k in 0..<partCount {
                    sums[k] += discount[t] * ev[k]
                    regionYearly[t][k] += a.urbanPopulation[t] * ev[k]
                }
                income += discount[t] * a.wage[t]
                regionIncome[t] += a.urbanPopulation[t] * a.wage[t]
                regionWeight[t] += a.urbanPopulation[t]
            }
            cities.append(Self.make(sums.map { $0 / discountTotal }, income: income / discountTotal))
        }
        var region = Array(repeating: 0.0, count: partCount)
        var income = 0.0
        for t in years.indices where regionWeight[t] > 0 {
            for k in 0..<partCount { region[k] += discount[t] * regionYearly[t][k] / regionWeight[t] }
            income += discount[t] * regionIncome[t] / regionWeight[t]
        }
        return (cities, Self.make(region.map { $0 / discountTotal }, income: income / discountTotal))
    }

    private static func make(_ v: [Double], income: Double) -> EquivalentVariation {
        EquivalentVariation(total: v[0], income: v[1], prices: v[2], publicServices: v[3], amenities: v[4], mobility: v[5], referenceIncome: income)
    }
}
