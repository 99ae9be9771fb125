// What the page builds its controls from: the policy catalogue (keys, units, ranges and
// defaults exactly as the scenario loader enforces them), the roster's cities and zones, the
// model's sectors and the server's limits.
import Foundation
import TwinCityModel
import TwinCityScenario

/// The JSON of GET /api/catalog.
enum PageCatalog {
    /// Limits the page shows and keeps to.
    struct Limits: Encodable {
        let maxReplications: Int
        let maxBodyBytes: Int
    }

    struct Range: Encodable {
        /// Bounds; `nil` for an unbounded side.
        let min: Double?
        let max: Double?
        /// True when the bound itself is admissible.
        let minClosed: Bool
        let maxClosed: Bool
        /// Interval notation, as the loader's messages write it.
        let text: String
    }

    struct Key: Encodable {
        let name: String
        /// `number`, `cities`, `sectors`, `zones` or `links`.
        let type: String
        let unit: String
        /// Admissible values as docs/SCENARIOS.md writes them.
        let range: String
        let number: Range?
        /// Fewest different cities, for `cities`.
        let minimum: Int?
        /// `nil` when the key is required or optional.
        let defaultValue: ScenarioValue?
        /// True when the key may be left out without a default (it then has no value).
        let optional: Bool
    }

    struct Kind: Encodable {
        let name: String
        let keys: [Key]
    }

    struct CityEntry: Encodable {
        let id: String
        let nameZH: String
        let nameEN: String
        let zone: String
        let tier: String
        let latitude: Double
        let longitude: Double
    }

    struct Catalog: Encodable {
        let kinds: [Kind]
        let cities: [CityEntry]
        let zones: [String]
        let sectors: [String]
        let limits: Limits
    }

    static func json(roster: Roster, limits: Limits) throws -> Data {
        let kinds = PolicyCatalog.kinds.map { kind in
            Kind(name: kind.name, keys: kind.keys.map(key))
        }
        let cities = roster.cities.map {
            CityEntry(id: $0.id, nameZH: $0.nameZH, nameEN: $0.nameEN, zone: $0.zone, tier: $0.tier.rawValue,
                      latitude: $0.latitude, longitude: $0.longitude)
        }
        var zones: [String] = []
        for city in roster.cities where !zones.contains(city.zone) { zones.append(city.zone) }
        let catalog = Catalog(
            kinds: kinds, cities: cities, zones: zones, sectors: ModelParameters().sectors.map(\.id), limits: limits)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(catalog)
    }

    private static func key(_ key: PolicyCatalog.Key) -> Key {
        var type = "", number: Range?, minimum: Int?
        switch key.value {
        case .number(let range):
            type = "number"
            number = self.range(range)
        case .cities(let least):
            type = "cities"
            minimum = least
        case .sectors: type = "sectors"
        case .zones: type = "zones"
        case .links: type = "links"
        }
        return Key(name: key.name, type: type, unit: key.unit, range: key.range, number: number, minimum: minimum,
                   defaultValue: key.defaultValue, optional: key.optional)
    }

    private static func range(_ range: PolicyCatalog.NumberRange) -> Range {
        let text = range.description
        switch range {
        case .closed(let a, let b): return Range(min: a, max: b, minClosed: true, maxClosed: true, text: text)
        case .upperOpen(let a, let b): return Range(min: a, max: b, minClosed: true, maxClosed: false, text: text)
        case .lowerOpen(let a, let b): return Range(min: a, max: b, minClosed: false, maxClosed: true, text: text)
        case .atLeast(let a): return Range(min: a, max: nil, minClosed: true, maxClosed: false, text: text)
        case .above(let a): return Range(min: a, max: nil, minClosed: false, maxClosed: false, text: text)
        }
    }
}
