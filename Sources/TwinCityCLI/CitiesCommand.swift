// `twincity cities`: lists the roster the simulator would run on, to check the seed tables
// and see at a glance which city the decision gives which role.
import ArgumentParser
import Foundation
import TwinCityModel
import TwinCityScenario

/// Loads and validates a roster and prints its cities as a table, CSV or JSON.
struct CitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cities",
        abstract: "List the cities of a roster with their tier, size and roles.",
        discussion: """
            Reads the cities CSV and, from the same folder, roles.csv, links.csv and groups.csv \
            when present. Every error in those files is reported, with file, line and column. \
            The table ends with one total row per group of cities (Chongqing and its parts).
            """
    )

    /// The cities CSV; `nil` means the seed roster found by `DefaultPaths`.
    @Option(
        help: ArgumentHelp(
            "Cities CSV file. Default: seeds/cities.csv in the current directory or in the checkout holding the executable.",
            valueName: "file"))
    var roster: String?

    /// How the listing is written.
    @Option(help: "Output format: table, csv or json.")
    var format: OutputFormat = .table

    /// Validates the whole roster before printing anything, so an error leaves stdout empty.
    func run() throws {
        let path = try DefaultPaths.resolve(roster, default: DefaultPaths.roster, option: "--roster")
        let roster = try RosterLoader.load(cities: path)
        let output = try Self.render(roster, as: format)
        TerminalText.write(output, to: .standardOutput)
    }

    /// The whole listing as text, so that nothing is written if rendering fails.
    static func render(_ roster: Roster, as format: OutputFormat) throws -> String {
        switch format {
        case .table: return table(roster.cities, groups: roster.groups)
        case .csv: return csv(roster.cities)
        case .json: return try json(roster.cities)
        }
    }

    /// Aligned columns: id, Chinese name, tier, zone, 2020 population in 万人 (10^4 persons),
    /// 2020 GDP in 亿元, and the distinct role tags; then, for each group, a total row: the
    /// group's id and name, tier `total`, the members' zone when they share one, the sums of
    /// their population and GDP, and the members in the roles column.
    static func table(_ cities: [City], groups: [CityGroup] = []) -> String {
        var table = TextTable(columns: [
            ("id", .left), ("name", .left), ("tier", .left), ("zone", .left),
            ("pop 2020 (万人)", .right), ("GDP 2020 (亿元)", .right), ("roles", .left),
        ])
        for city in cities {
            var tags: [String] = []
            for role in city.roles where !tags.contains(role.tag) { tags.append(role.tag) }
            table.rows.append([
                city.id, city.nameZH, city.tier.rawValue, city.zone,
                String(format: "%.2f", city.population2020 / 1e4),
                String(format: "%.2f", city.gdp2020),
                tags.joined(separator: ", "),
            ])
        }
        for group in groups {
            let members = cities.filter { $0.group == group.id }
            let zones = Set(members.map(\.zone))
            table.rows.append([
                group.id, group.nameZH, "total", zones.count == 1 ? zones.first! : "",
                String(format: "%.2f", members.reduce(0.0) { $0 + $1.population2020 } / 1e4),
                String(format: "%.2f", members.reduce(0.0) { $0 + $1.gdp2020 }),
                "= " + members.map(\.id).joined(separator: " + "),
            ])
        }
        return table.render()
    }

    /// Columns as in the cities file (persons, 亿元, km², degrees) plus `group` (the id of the
    /// city's group, empty for none) and `roles`: every role clause as
    /// `tag [section 「quote」]`, joined by `; `.
    static func csv(_ cities: [City]) -> String {
        let header = [
            "id", "name_zh", "name_en", "province", "zone", "tier", "lat", "lon",
            "area_km2", "pop_2010", "pop_2020", "gdp_2020", "group", "roles",
        ]
        var text = CSVText.record(header)
        for city in cities {
            let roles = city.roles.map { "\($0.tag) [\($0.section) 「\($0.quote)」]" }
            text += CSVText.record([
                city.id, city.nameZH, city.nameEN, city.province, city.zone, city.tier.rawValue,
                CSVText.number(city.latitude), CSVText.number(city.longitude),
                CSVText.number(city.areaKm2), CSVText.number(city.population2010),
                CSVText.number(city.population2020), CSVText.number(city.gdp2020),
                city.group ?? "", roles.joined(separator: "; "),
            ])
        }
        return text
    }

    /// A pretty-printed array of `CityRecord`s, keys sorted, ending in a newline.
    static func json(_ cities: [City]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(cities.map(CityRecord.init))
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A city as written by `twincity cities --format json`: the cities-file column names as keys,
/// the same units (persons, 亿元, km², degrees), `urban_share_2020` null when unknown, `group`
/// the id of the city's group or null.
struct CityRecord: Encodable {
    /// One role clause of the decision.
    struct Role: Encodable {
        /// Machine-readable tag.
        let tag: String
        /// Part and section of the decision, e.g. `二(六)`.
        let section: String
        /// The clause, verbatim.
        let quote: String
    }

    /// The city written.
    let city: City

    private enum CodingKeys: String, CodingKey {
        case id, name_zh, name_en, province, zone, tier, lat, lon, area_km2
        case pop_2010, pop_2020, gdp_2020, urban_share_2020, group, roles
    }

    func encode(to encoder: Encoder) throws {
        var out = encoder.container(keyedBy: CodingKeys.self)
        try out.encode(city.id, forKey: .id)
        try out.encode(city.nameZH, forKey: .name_zh)
        try out.encode(city.nameEN, forKey: .name_en)
        try out.encode(city.province, forKey: .province)
        try out.encode(city.zone, forKey: .zone)
        try out.encode(city.tier.rawValue, forKey: .tier)
        try out.encode(city.latitude, forKey: .lat)
        try out.encode(city.longitude, forKey: .lon)
        try out.encode(city.areaKm2, forKey: .area_km2)
        try out.encode(city.population2010, forKey: .pop_2010)
        try out.encode(city.population2020, forKey: .pop_2020)
        try out.encode(city.gdp2020, forKey: .gdp_2020)
        // Written as null rather than left out, so every object has the same keys.
        try out.encode(city.urbanShare2020, forKey: .urban_share_2020)
        try out.encode(city.group, forKey: .group)
        try out.encode(city.roles.map { Role(tag: $0.tag, section: $0.section, quote: $0.quote) }, forKey: .roles)
    }
}
