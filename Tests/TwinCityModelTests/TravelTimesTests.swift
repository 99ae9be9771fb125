// Travel times from coordinates and links (MODEL.md §5).
import XCTest
import TwinCityModel

final class TravelTimesTests: XCTestCase {
    func testGreatCircleDistanceAgainstKnownValue() {
        // One degree of latitude along a meridian: 2πR/360 = 111.195 km for R = 6371.0088 km.
        XCTAssertEqual(TravelTimes.greatCircleKm(lat1: 30, lon1: 104, lat2: 31, lon2: 104), 2 * .pi * 6371.0088 / 360, accuracy: 1e-9)
        // Chengdu–Chongqing seats: about 266 km apart.
        let d = TravelTimes.greatCircleKm(lat1: 30.659462, lon1: 104.065735, lat2: 29.5636, lon2: 106.5503)
        XCTAssertEqual(d, 266, accuracy: 3)
    }

    /// Chongqing as one city of 82,403 km² had a within-city time of 1.69 h, above its 1.28 h
    /// to Chengdu. Split into its central urban area and the rest, each part's own time is
    /// below its time to Chengdu, and the whole municipality's would not be.
    func testChongqingPartsHaveWithinCityTimesBelowTheirTimeToChengdu() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let t = TravelTimes.matrix(cities: roster.cities, links: roster.links, parameters: p)
        let n = roster.count
        let cd = try XCTUnwrap(roster.index(of: "chengdu"))
        let parts = try XCTUnwrap(roster.cityIDs(for: "chongqing"))
        XCTAssertEqual(parts, ["chongqing_core", "chongqing_rest"])
        for id in parts {
            let i = try XCTUnwrap(roster.index(of: id))
            XCTAssertLessThan(t[i * n + i], t[i * n + cd], id)
        }
        let core = try XCTUnwrap(roster.index(of: "chongqing_core"))
        let whole = 2.0 / 3.0 * (82403 / Double.pi).squareRoot() * p.detourFactor / p.roadSpeed
        XCTAssertGreaterThan(whole, t[core * n + cd], "the unsplit municipality")
        // The parts cover the municipality's area (seeds/chongqing_parts.csv).
        XCTAssertEqual(parts.reduce(0.0) { $0 + roster[$1]!.areaKm2 }, 82403, accuracy: 1e-9)
    }

    func testRoadTimesDiagonalAndKnownRailLinks() throws {
        let roster = try realRoster()
        let p = ModelParameters()
        let t = TravelTimes.matrix(cities: roster.cities, links: roster.links, parameters: p)
        let n = roster.count
        let cd = roster.index(of: "chengdu")!, cq = roster.index(of: "chongqing_core")!, ganzi = roster.index(of: "ganzi")!
        // The known 62-minute rail time (plus station access) replaces the road time.
        XCTAssertEqual(t[cd * n + cq], 62.0 / 60 + p.railAccessHours, accuracy: 1e-12)
        // Within-city time: (2/3)·sqrt(area/π)·detour/speed.
        XCTAssertEqual(t[cd * n + cd], 2.0 / 3.0 * (14335 / Double.pi).squareRoot() * p.detourFactor / p.roadSpeed, accuracy: 1e-12)
        // Ganzi is in a mountain zone: mountain speed and detour.
        let c = roster.cities
        let road = TravelTimes.greatCircleKm(lat1: c[cd].latitude, lon1: c[cd].longitude, lat2: c[ganzi].latitude, lon2: c[ganzi].longitude) * p.mountainDetourFactor / p.mountainRoadSpeed
        XCTAssertLessThanOrEqual(t[cd * n + ganzi], road + 1e-12)
        // Symmetric, and no trip is longer than its road time or shorter than a chain allows.
        for i in 0..<n { for j in 0..<n { XCTAssertEqual(t[i * n + j], t[j * n + i], accuracy: 1e-12) } }
        for i in 0..<n { for k in 0..<n where k != i { for j in 0..<n where j != i && j != k {
            XCTAssertLessThanOrEqual(t[i * n + j], t[i * n + k] + t[k * n + j] + 1e-9, "triangle \(i) \(k) \(j)")
        } } }
    }
}
