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
    ///   shorter, and trips may chain road legs and links: `t_ij = min(road_ij,
    ///   min_{a,b} road_ia + hub_ab + road_bj)` with `hub` the shortest times among link ends.
    ///   Cost O(N²·h) for h link ends, so thousands of cities stay cheap.
    public static func matrix(
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
        guard !links.isEmpty else { return t }

        let index = Dictionary(uniqueKeysWithValues: cities.enumerated().map { ($1.id, $0) })
        let hubs = Array(Set(links.flatMap { [index[$0.from]!, index[$0.to]!] })).sorted()
        let h = hubs.count
        // Shortest times among link ends (Floyd–Warshall on the small hub graph).
        var hub = [Double](repeating: 0, count: h * h)
        for a in 0..<h { for b in 0..<h { hub[a * h + b] = a == b ? 0 : t[hubs[a] * n + hubs[b]] } }
        let hubPosition = Dictionary(uniqueKeysWithValues: hubs.enumerated().map { ($1, $0) })
        for link in links {
            let a = hubPosition[index[link.from]!]!
            let b = hubPosition[index[link.to]!]!
            let time = link.hours + parameters.railAccessHours
            hub[a * h + b] = min(hub[a * h + b], time)
            hub[b * h + a] = min(hub[b * h + a], time)
        }
        for k in 0..<h { for a in 0..<h { for b in 0..<h {
            hub[a * h + b] = min(hub[a * h + b], hub[a * h + k] + hub[k * h + b])
        } } }
        // g[a][j] = min_b hub_ab + road_bj: from link end a onwards to city j.
        var g = [Double](repeating: .infinity, count: h * n)
        // A trip that starts or ends at a link's own city has no road leg there (zero, not t_ii).
        for a in 0..<h { for b in 0..<h {
            let hb = hub[a * h + b]
            let row = hubs[b] * n
            for j in 0..<n { g[a * n + j] = min(g[a * n + j], hb + (j == hubs[b] ? 0 : t[row + j])) }
        } }
        var result = t
        for i in 0..<n {
            for a in 0..<h {
                let toHub = i == hubs[a] ? 0 : t[i * n + hubs[a]]
                for j in 0..<n where j != i {
                    let via = toHub + g[a * n + j]
                    if via < result[i * n + j] { result[i * n + j] = via }
                }
            }
        }
        return result
    }
}
