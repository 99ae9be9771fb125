// The rosters benchmarked: the real 22 cities of seeds/, and reproducible synthetic rosters of
// any size drawn from a seeded generator.
import Foundation
import TwinCityModel
import TwinCityScenario

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator, identical on every machine.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [0, 1), 53 random bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal (Box–Muller, one draw of the pair).
    mutating func gaussian() -> Double {
        let u1 = 1 - uniform()
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }
}

enum BenchRosters {
    /// The 22-city roster with its roles and scheduled links (seeds/cities.csv and siblings).
    static func real(packageRoot: URL) throws -> Roster {
        try RosterLoader.load(cities: packageRoot.appendingPathComponent("seeds/cities.csv").path)
    }

    /// `n` cities on a 600 km × 600 km square around Sichuan's latitude, log-normal
    /// populations (median 10^6) and GDP per capita (median 6·10^4 元), and fast rail links
    /// between the ten most populous cities (a ring by longitude plus a star on the largest),
    /// so that rosters above `TravelTimes.fullNetworkLimit` route through link ends.
    static func synthetic(cities n: Int, seed: UInt64) throws -> Roster {
        var rng = SplitMix64(seed: seed)
        var cities: [City] = []
        cities.reserveCapacity(n)
        for i in 0..<n {
            let pop = 1e6 * Foundation.exp(0.7 * rng.gaussian())
            let gdpPerCapita = 6.0e-5 * Foundation.exp(0.3 * rng.gaussian())  // 亿元 per person
            cities.append(City(
                id: "c\(i)", nameZH: "城\(i)", nameEN: "City \(i)", province: i % 3 == 0 ? "east" : "west",
                zone: "zone\(i % 4)", tier: i == 0 ? .core : .node,
                latitude: 28 + 5.4 * rng.uniform(), longitude: 102 + 6 * rng.uniform(),
                areaKm2: 2000 + 10000 * rng.uniform(), population2010: pop * (0.9 + 0.2 * rng.uniform()),
                population2020: pop, gdp2020: pop * gdpPerCapita, urbanShare2020: 0.4 + 0.3 * rng.uniform()))
        }
        let hubs = Array(cities.indices.sorted { cities[$0].population2020 > cities[$1].population2020 }.prefix(min(10, n)))
        var pairs: Set<[Int]> = []
        let ring = hubs.sorted { cities[$0].longitude < cities[$1].longitude }
        for k in 0..<ring.count where ring.count > 1 {
            let a = ring[k], b = ring[(k + 1) % ring.count]
            if a != b { pairs.insert([min(a, b), max(a, b)]) }
        }
        for h in hubs.dropFirst() { pairs.insert([min(hubs[0], h), max(hubs[0], h)]) }
        let links = pairs.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }.map { pair -> TransportLink in
            let a = cities[pair[0]], b = cities[pair[1]]
            let km = TravelTimes.greatCircleKm(lat1: a.latitude, lon1: a.longitude, lat2: b.latitude, lon2: b.longitude)
            return TransportLink(from: a.id, to: b.id, hours: 1.2 * km / 250, note: "synthetic rail, 250 km/h")
        }
        return try Roster(cities: cities, links: links)
    }
}
