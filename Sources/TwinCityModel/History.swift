// The yearly city panel the dynamics are checked against (seeds/history.csv): GDP at current
// prices, published real growth and year-end resident population, with gaps kept as gaps.
import Foundation

/// One unit-year of the history panel. A value that was not published is `nil`: nothing is
/// interpolated, smoothed or derived from neighbouring years.
package struct HistoryObservation: Sendable, Equatable {
    /// Roster id of the unit.
    package var city: String
    /// Calendar year.
    package var year: Int
    /// GDP at current prices, 亿元 (10^8 CNY).
    package var gdpCurrent: Double?
    /// Published real growth over the previous year at comparable prices, per cent.
    package var realGrowthPercent: Double?
    /// Year-end resident population (census count in census years), 10^4 persons.
    package var population: Double?
    /// Release the GDP value belongs to (e.g. `revised_census_2018`), when stated.
    package var gdpVintage: String?
    /// Release the population value belongs to (e.g. `census_2020`), when stated.
    package var populationVintage: String?

    package init(
        city: String, year: Int, gdpCurrent: Double? = nil, realGrowthPercent: Double? = nil,
        population: Double? = nil, gdpVintage: String? = nil, populationVintage: String? = nil
    ) {
        self.city = city
        self.year = year
        self.gdpCurrent = gdpCurrent
        self.realGrowthPercent = realGrowthPercent
        self.population = population
        self.gdpVintage = gdpVintage
        self.populationVintage = populationVintage
    }
}

/// One year of a city's real GDP index.
package struct RealGDPIndexPoint: Sendable, Equatable {
    /// Calendar year.
    package var year: Int
    /// Index, 100 in the first year of its segment: I_t = I_(t−1) · (1 + g_t / 100).
    package var index: Double
    /// 0-based number of the chained segment; a new segment starts after every year whose
    /// published growth rate is missing, and indices of different segments are not comparable.
    package var segment: Int
    /// First year of the segment (where the index is 100).
    package var baseYear: Int
    /// Real GDP at the prices of `baseYear`, 亿元: GDP_base · I_t / 100, when the base
    /// year's current-price GDP is known.
    package var gdpAtBasePrices: Double?
}

/// Why a history panel was refused by the model (as opposed to a malformed file).
package struct HistoryError: Error, CustomStringConvertible, Sendable, Equatable {
    package var message: String
    package init(message: String) { self.message = message }
    package var description: String { message }
}

/// The city panel, 2010–2022, indexed by roster city and year.
package struct HistoryPanel: Sendable {
    /// First year the panel may hold.
    package static let firstYear = 2010
    /// Last year the panel may hold: later statistics are kept out of the repository for
    /// out-of-sample validation and are never read.
    package static let lastYear = 2022

    /// Roster order of the units.
    package let cityIDs: [String]
    /// Observations by city, then year.
    private let byCity: [String: [Int: HistoryObservation]]

    /// Builds a panel; `cityIDs` gives the order, every observation must name one of them,
    /// lie in `firstYear...lastYear` and be unique per city-year.
    package init(cityIDs: [String], observations: [HistoryObservation]) throws {
        let known = Set(cityIDs)
        var byCity: [String: [Int: HistoryObservation]] = [:]
        for observation in observations {
            guard known.contains(observation.city) else {
                throw HistoryError(message: "city '\(observation.city)' is not in the roster")
            }
            guard (Self.firstYear...Self.lastYear).contains(observation.year) else {
                throw HistoryError(message: "city '\(observation.city)': year \(observation.year) is outside \(Self.firstYear)–\(Self.lastYear)")
            }
            guard byCity[observation.city]?[observation.year] == nil else {
                throw HistoryError(message: "city '\(observation.city)': year \(observation.year) is given twice")
            }
            byCity[observation.city, default: [:]][observation.year] = observation
        }
        self.cityIDs = cityIDs
        self.byCity = byCity
    }

    /// The observation of a city-year, `nil` when the panel has no row for it.
    package func observation(city: String, year: Int) -> HistoryObservation? {
        byCity[city]?[year]
    }

    /// Years with at least one row, ascending.
    package var years: [Int] {
        Set(byCity.values.flatMap(\.keys)).sorted()
    }

    /// Years in which every unit of the roster has GDP at current prices.
    package var yearsWithCompleteGDP: [Int] {
        years.filter { year in cityIDs.allSatisfy { observation(city: $0, year: year)?.gdpCurrent != nil } }
    }

    /// A city's real GDP index chained from the published real growth rates.
    ///
    /// Over the years `firstYear...lastYear`: the first year with a row starts segment 0 at
    /// 100; each following year t with a published rate g_t continues it,
    /// I_t = I_(t−1) · (1 + g_t/100); a year whose rate is missing (or whose row is absent)
    /// ends the segment, and the next year that has a row starts a new one at 100. Segments
    /// are never bridged with nominal growth or a guessed rate (which would mix inflation into
    /// the index or invent a value): in the shipped panel every unit's 2013 rate is missing,
    /// so 2010–2012 and 2013–2022 are separate segments. A rate is read as the growth of the
    /// year's own territory; the 2016 move of Jianyang to Chengdu does not break the chain,
    /// because the published 2016 rates compare 2016 with 2015 on the 2016 boundary.
    package func realGDPIndex(city: String) -> [RealGDPIndexPoint] {
        guard let rows = byCity[city] else { return [] }
        var points: [RealGDPIndexPoint] = []
        var segment = -1
        var baseYear = 0
        var baseGDP: Double?
        var previousYear: Int?
        for year in Self.firstYear...Self.lastYear {
            guard let row = rows[year] else { previousYear = nil; continue }
            let index: Double
            if let previousYear, previousYear == year - 1, let rate = row.realGrowthPercent,
               let last = points.last {
                index = last.index * (1 + rate / 100)
            } else {
                segment += 1
                baseYear = year
                baseGDP = row.gdpCurrent
                index = 100
            }
            points.append(RealGDPIndexPoint(
                year: year, index: index, segment: segment, baseYear: baseYear,
                gdpAtBasePrices: baseGDP.map { $0 * index / 100 }))
            previousYear = year
        }
        return points
    }
}
