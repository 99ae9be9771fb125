// Shared helpers of the model tests: the real roster and synthetic rosters. The checkout and
// tolerances come from TwinCityTestSupport.
@_exported import TwinCityTestSupport
import Foundation
import TwinCityModel
import TwinCityScenario
import TwinCityGSL

/// The 22-city roster shipped in seeds/.
func realRoster() throws -> Roster {
    try RosterLoader.load(cities: Checkout.roster.path)
}

/// A reproducible synthetic roster of `n` cities on a 600 km × 600 km square around
/// Sichuan's latitude, with log-normal populations and GDP per capita well above rural output.
func syntheticRoster(cities n: Int, seed: UInt64) throws -> Roster {
    let rng = RandomGenerator(seed: seed)
    var cities: [City] = []
    for i in 0..<n {
        let pop = 1e6 * Foundation.exp(rng.gaussian(standardDeviation: 0.7))
        let gdpPerCapita = 6.0e-5 * Foundation.exp(rng.gaussian(standardDeviation: 0.3))  // 亿元 per person
        cities.append(City(
            id: "c\(i)", nameZH: "城\(i)", nameEN: "City \(i)", province: i % 3 == 0 ? "east" : "west",
            zone: "zone\(i % 4)", tier: i == 0 ? .core : .node,
            latitude: 28 + 5.4 * rng.uniform(), longitude: 102 + 6 * rng.uniform(),
            areaKm2: 2000 + 10000 * rng.uniform(), population2010: pop * (0.9 + 0.2 * rng.uniform()),
            population2020: pop, gdp2020: pop * gdpPerCapita, urbanShare2020: 0.4 + 0.3 * rng.uniform()))
    }
    return try Roster(cities: cities)
}
