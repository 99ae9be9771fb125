// Shared helpers of the model tests: the real roster, synthetic rosters, tolerances.
import Foundation
import TwinCityModel
import TwinCityScenario
import TwinCityGSL

/// Root of the package checkout, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The 22-city roster shipped in seeds/.
func realRoster() throws -> Roster {
    try RosterLoader.load(cities: packageRoot.appendingPathComponent("seeds/cities.csv").path)
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

/// |a − b| / max(|a|, |b|, tiny).
func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), .leastNormalMagnitude)
}

func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, relativeError($1.0, $1.1)) }
}
