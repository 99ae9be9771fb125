// The cities the simulator is drawn from: facts for the base year and the role the 2020
// decision gives each city. Parsing from files lives in TwinCityScenario; this is the model's view.

/// The tier the 2020 decision gives a city (sections (五)–(七)).
public enum Tier: String, CaseIterable, Sendable, Codable {
    /// 極核 / 主幹 (Chengdu) and the other core of the twin-city circle (Chongqing).
    case core
    /// 區域中心城市: the seven regional centre cities of section (六).
    case regionalCentre = "regional_centre"
    /// 重要節點城市: the thirteen important node cities of section (七).
    case node
}

/// One role the decision gives a city, with the clause it comes from.
public struct RoleTag: Sendable, Equatable, Codable {
    /// Machine-readable tag, lower snake case (e.g. `science_city`, `equipment_base`).
    public var tag: String
    /// Where in the decision: part and section, e.g. `二(六)`.
    public var section: String
    /// The phrase of the decision the tag rests on, quoted verbatim.
    public var quote: String

    public init(tag: String, section: String, quote: String) {
        self.tag = tag
        self.section = section
        self.quote = quote
    }
}

/// A city (prefecture-level division, or Chongqing municipality) of the roster.
///
/// Units: persons for population, 亿元 (10^8 CNY, current 2020 prices) for GDP, km² for
/// area, decimal degrees for coordinates.
public struct City: Sendable, Equatable, Codable {
    /// Stable identifier used in scenario files and outputs (lower case ASCII, e.g. `chengdu`).
    public var id: String
    public var nameZH: String
    public var nameEN: String
    /// Provincial-level unit (`sichuan`, `chongqing`); a move across it meets the provincial
    /// registration barrier.
    public var province: String
    /// Economic zone (`chengdu_plain`, `south`, `northeast`, `panxi`, `northwest`, `chongqing`).
    public var zone: String
    public var tier: Tier
    /// Latitude of the seat of government, degrees north, in [-90, 90].
    public var latitude: Double
    /// Longitude of the seat of government, degrees east, in [-180, 180].
    public var longitude: Double
    /// Land area, km² (> 0).
    public var areaKm2: Double
    /// Resident population at the 2010 census (6th), persons.
    public var population2010: Double
    /// Resident population at the 2020 census (7th), persons.
    public var population2020: Double
    /// 2020 GDP, 亿元 at current prices.
    public var gdp2020: Double
    /// Urban share of the resident population in 2020, in (0, 1); `nil` when the table has
    /// none (the calibration then estimates it, see docs/MODEL.md §5).
    public var urbanShare2020: Double?
    /// Shares of 2020 GDP produced by the primary, secondary and tertiary sectors (value
    /// added by sector over GDP); `nil` when the table has none (calibration then uses the
    /// GDP-weighted shares of the province's other cities, docs/MODEL.md §5).
    public var sectorShares2020: SectorShares?
    /// Roles the decision gives the city, each with its clause.
    public var roles: [RoleTag]
    /// Id of the `CityGroup` the city is a part of (e.g. `chongqing` for `chongqing_core`),
    /// or `nil`; set by `Roster` from its groups.
    public var group: String?

    public init(
        id: String, nameZH: String, nameEN: String, province: String, zone: String, tier: Tier,
        latitude: Double, longitude: Double, areaKm2: Double,
        population2010: Double, population2020: Double, gdp2020: Double,
        urbanShare2020: Double? = nil, sectorShares2020: SectorShares? = nil, roles: [RoleTag] = []
    ) {
        self.id = id
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.province = province
        self.zone = zone
        self.tier = tier
        self.latitude = latitude
        self.longitude = longitude
        self.areaKm2 = areaKm2
        self.population2010 = population2010
        self.population2020 = population2020
        self.gdp2020 = gdp2020
        self.urbanShare2020 = urbanShare2020
        self.sectorShares2020 = sectorShares2020
        self.roles = roles
        self.group = nil
    }

    /// True when the decision gives the city this role tag.
    public func hasRole(_ tag: String) -> Bool { roles.contains { $0.tag == tag } }
}

/// Shares of a city's GDP by the three sectors of the national accounts (each in [0, 1],
/// summing to 1 within rounding).
public struct SectorShares: Sendable, Equatable, Codable {
    public var primary: Double
    public var secondary: Double
    public var tertiary: Double

    public init(primary: Double, secondary: Double, tertiary: Double) {
        self.primary = primary
        self.secondary = secondary
        self.tertiary = tertiary
    }

    /// The shares scaled to sum to exactly 1 (published shares are rounded to 0.01 %).
    public var normalised: SectorShares {
        let total = primary + secondary + tertiary
        return SectorShares(primary: primary / total, secondary: secondary / total, tertiary: tertiary / total)
    }
}

/// A fast transport link between two cities that overrides the time computed from
/// coordinates (e.g. a high-speed rail line), in hours station to station.
public struct TransportLink: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    /// Fastest scheduled time, hours.
    public var hours: Double
    /// Free text: mode, date and source of the time.
    public var note: String

    public init(from: String, to: String, hours: Double, note: String = "") {
        self.from = from
        self.to = to
        self.hours = hours
        self.note = note
    }
}

/// A named set of roster cities that statistics and scenario files also know as one unit:
/// Chongqing municipality, whose central urban area and rest are separate cities of the model
/// (a within-city travel time for all of its 82,000 km² would exceed its time to Chengdu).
public struct CityGroup: Sendable, Equatable, Codable {
    /// Identifier, distinct from every city id (e.g. `chongqing`).
    public var id: String
    public var nameZH: String
    public var nameEN: String
    /// Ids of the member cities; the first is the group's seat, which a transport link naming
    /// the group joins.
    public var members: [String]

    public init(id: String, nameZH: String, nameEN: String, members: [String]) {
        self.id = id
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.members = members
    }
}

/// An ordered set of cities with unique ids: the agents of one simulation.
public struct Roster: Sendable, Equatable {
    public let cities: [City]
    public let links: [TransportLink]
    /// Groups of cities reported together (totals in the outputs, one name in scenario files).
    public let groups: [CityGroup]
    private let indexByID: [String: Int]

    /// Builds a roster; refuses an empty list, a duplicate id, a link naming an unknown city,
    /// and a group whose id is taken, that has no members, or names an unknown city or a city
    /// already in another group. Each member's `group` is set to its group's id.
    public init(cities: [City], links: [TransportLink] = [], groups: [CityGroup] = []) throws(RosterError) {
        guard !cities.isEmpty else { throw .empty }
        var index: [String: Int] = [:]
        for (i, city) in cities.enumerated() {
            if index[city.id] != nil { throw .duplicateID(city.id) }
            index[city.id] = i
        }
        for link in links {
            for end in [link.from, link.to] where index[end] == nil {
                throw .unknownCity(end, context: "transport link \(link.from)–\(link.to)")
            }
        }
        var members = cities.map { city -> City in
            var city = city
            city.group = nil
            return city
        }
        var groupIDs = Set<String>()
        for group in groups {
            if index[group.id] != nil || !groupIDs.insert(group.id).inserted { throw .duplicateID(group.id) }
            guard !group.members.isEmpty else { throw .emptyGroup(group.id) }
            for id in group.members {
                guard let i = index[id] else { throw .unknownCity(id, context: "group \(group.id)") }
                if let other = members[i].group { throw .groupOverlap(city: id, groups: [other, group.id]) }
                members[i].group = group.id
            }
        }
        self.cities = members
        self.links = links
        self.groups = groups
        self.indexByID = index
    }

    /// The cities an id stands for: `[id]` for a city, the members for a group, `nil` for
    /// neither.
    public func cityIDs(for id: String) -> [String]? {
        if indexByID[id] != nil { return [id] }
        return groups.first { $0.id == id }?.members
    }

    public var count: Int { cities.count }

    /// Position of the city with this id, or `nil`.
    public func index(of id: String) -> Int? { indexByID[id] }

    /// The city with this id, or `nil`.
    public subscript(id: String) -> City? { indexByID[id].map { cities[$0] } }
}

/// Why a roster could not be formed.
public enum RosterError: Error, Equatable, CustomStringConvertible {
    case empty
    case duplicateID(String)
    case unknownCity(String, context: String)
    case emptyGroup(String)
    case groupOverlap(city: String, groups: [String])

    public var description: String {
        switch self {
        case .empty: return "the roster has no cities"
        case .duplicateID(let id): return "duplicate city id '\(id)'"
        case .unknownCity(let id, let context): return "unknown city '\(id)' in \(context)"
        case .emptyGroup(let id): return "group '\(id)' has no members"
        case .groupOverlap(let city, let groups): return "city '\(city)' is in two groups, '\(groups[0])' and '\(groups[1])'"
        }
    }
}
