// Travel times between cities: great-circle distance stretched by a detour factor at a road
// speed, shortened where a scheduled fast link (rail) exists, through the link network.
import Foundation

/// Travel-time network between cities (MODEL.md §5), hours.
public enum TravelTimes {
    /// Mean Earth radius, km (IUGG).
    static let earthRadiusKm = 6371.0088

    /// Great-circle distance between two points, km (haversine formula).
    public static func greatCircleKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let rad = Double.pi / 180
        let dphi = (lat2 - lat1) * rad
        let dlambda = (lon2 - lon1) * rad
        let a = sin(dphi / 2) * sin(dphi / 2)
            + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlambda / 2) * sin(dlambda / 2)
        return 2 * earthRadiusKm * asin(min(1, sqrt(a)))
    }

    /// The N×N matrix (row-major, origin i, destination j) of travel times in hours.
    ///
    /// - Off-diagonal, by road: `t_ij = d_ij · detour / speed`, with the mountain detour factor
    ///   and speed when either city lies in a mountain zone.
    /// - Diagonal: the mean distance between two points of a disc of the city's area,
    ///   `t_ii = (2/3)·sqrt(area/π)·detour / speed` (MODEL.md §3.1; 128/(45π) r would be the
    ///   exact mean chord of two random points, (2/3) r is the mean distance from the centre,
    ///   the brief's choice).
    /// - Links: a link's scheduled time plus `railAccessHours` replaces the road time where
    ///   shorter.
    /// - Network: trips may pass through other cities and links: exact shortest paths
    ///   (Floyd–Warshall) up to `fullNetworkLimit` cities, routing through link ends only
    ///   above it, so thousands of cities stay cheap.
    package static func matrix(
        cities: [City], links: [TransportLink], parameters: ModelParameters
    ) -> [Double] {
        let n = cities.count
        let mountain = Set(parameters.mountainZones)
        var t = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            let ci = cities[i]
            let iMountain = mountain.contains(ci.zone)
            let ownSpeed = iMountain ? parameters.mountainRoadSpeed : parameters.roadSpeed
            let ownDetour = iMountain ? parameters.mountainDetourFactor : parameters.detourFactor
            let radius = (ci.areaKm2 / Double.pi).squareRoot()
            t[i * n + i] = (2.0 / 3.0) * radius * ownDetour / ownSpeed
            for j in (i + 1)..<max(i + 1, n) {
                let cj = cities[j]
                let m = iMountain || mountain.contains(cj.zone)
                let speed = m ? parameters.mountainRoadSpeed : parameters.roadSpeed
                let detour = m ? parameters.mountainDetourFactor : parameters.detourFactor
                let d = greatCircleKm(
                    lat1: ci.latitude, lon1: ci.longitude, lat2: cj.latitude, lon2: cj.longitude)
                let hours = d * detour / speed
                t[i * n + j] = hours
                t[j * n + i] = hours
            }
        }
        let index = Dictionary(uniqueKeysWithValues: cities.enumerated().map { ($1.id, $0) })
        for link in links {
            let a = index[link.from]!, b = index[link.to]!
            let time = link.hours + parameters.railAccessHours
            t[a * n + b] = min(t[a * n + b], time)
            t[b * n + a] = min(t[b * n + a], time)
        }
        if n <= fullNetworkLimit {
            relaxThroughAllCities(&t, n: n)
        } else if !links.isEmpty {
            relaxThroughLinkEnds(&t, n: n, hubs: Array(Set(links.flatMap { [index[$0.from]!, index[$0.to]!] })).sorted())
        }
        return t
    }

    /// Rosters up to this size get exact shortest paths through every city (O(N³));
    /// larger ones route only through the ends of fast links (O(N²·h)).
    package static let fullNetworkLimit = 1000

    /// Floyd–Warshall over all cities: a trip may pass through other cities when that is
    /// faster (a mountain leg is then driven at mountain speed only where it lies in the
    /// mountains). The diagonal (within-city time) is left alone.
    static func relaxThroughAllCities(_ t: inout [Double], n: Int) {
        t.withUnsafeMutableBufferPointer { t in
            for k in 0..<n {
                for i in 0..<n where i != k {
                    let ik = t[i * n + k]
                    for j in 0..<n where j != i && j != k {
                        let via = ik + t[k * n + j]
                        if via < t[i * n + j] { t[i * n + j] = via }
                    }
                }
            }
        }
    }

    /// Shortest paths that chain road legs with fast links: `t_ij = min(t_ij, min_{a,b}
    /// t_ia + hub_ab + t_bj)`, `hub` the shortest times among link ends.
    static func relaxThroughLinkEnds(_ t: inout [Double], n: Int, hubs: [Int]) {
        let h = hubs.count
        var hub = [Double](repeating: 0, count: h * h)
        for a in 0..<h { for b in 0..<h { hub[a * h + b] = a == b ? 0 : t[hubs[a] * n + hubs[b]] } }
        for k in 0..<h { for a in 0..<h { for b in 0..<h {
            hub[a * h + b] = min(hub[a * h + b], hub[a * h + k] + hub[k * h + b])
        } } }
        // g[a][j] = min_b hub_ab + t_bj: from link end a onwards to city j; a trip that starts
        // or ends at a link's own city has no road leg there (zero, not the within-city time).
        var g = [Double](repeating: .infinity, count: h * n)
        for a in 0..<h { for b in 0..<h {
            let hb = hub[a * h + b]
            let row = hubs[b] * n
            for j in 0..<n { g[a * n + j] = min(g[a * n + j], hb + (j == hubs[b] ? 0 : t[row + j])) }
        } }
        let road = t
        for i in 0..<n {
            for a in 0..<h {
                let toHub = i == hubs[a] ? 0 : road[i * n + hubs[a]]
                for j in 0..<n where j != i {
                    let via = toHub + g[a * n + j]
                    if via < t[i * n + j] { t[i * n + j] = via }
                }
            }
        }
    }
}
