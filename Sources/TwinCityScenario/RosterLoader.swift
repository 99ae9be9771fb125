// Builds the model's Roster from the seed tables: cities, the roles the 2020 decision gives
// them, and scheduled fast links. Every problem in every file is reported in one go.
import Foundation
import TwinCityExport
import TwinCityModel

/// Loads a `Roster` from CSV files (format in seeds/README.md).
///
/// - cities: one row per city, columns `id,name_zh,name_en,province,zone,tier,lat,lon,`
///   `area_km2,pop_2010,pop_2020,gdp_2020` and optionally `urban_share_2020`, in any order.
///   Units: persons, 亿元 (10^8 CNY, current prices), km², decimal degrees; urban share in
///   (0, 1), blank when unknown.
/// - roles: `city,tag,section,quote`, one row per role clause; a city may hold a tag more
///   than once, from different sections.
/// - links: `from,to,minutes,mode,as_of,source` and optionally `note`, each pair of cities
///   once in either direction; minutes are the fastest scheduled time, converted to hours
///   for `TransportLink`, whose note gathers mode, date, source and note.
/// - groups: `id,name_zh,name_en,members` and optionally `note`, one row per `CityGroup`;
///   `members` lists city ids separated by spaces, the group's seat first. A group id must
///   differ from every city id, and a city belongs to one group at most.
public enum RosterLoader {
    /// Columns the cities file must have.
    package static let cityColumns = [
        "id", "name_zh", "name_en", "province", "zone", "tier", "lat", "lon",
        "area_km2", "pop_2010", "pop_2020", "gdp_2020",
    ]
    /// Columns the cities file may have.
    package static let optionalCityColumns = ["urban_share_2020", "primary_share_2020", "secondary_share_2020", "tertiary_share_2020"]
    /// Columns the roles file must have.
    package static let roleColumns = ["city", "tag", "section", "quote"]
    /// Columns the links file must have.
    package static let linkColumns = ["from", "to", "minutes", "mode", "as_of", "source"]
    /// Columns the links file may have.
    package static let optionalLinkColumns = ["note"]
    /// Columns the groups file must have.
    package static let groupColumns = ["id", "name_zh", "name_en", "members"]
    /// Columns the groups file may have.
    package static let optionalGroupColumns = ["note"]

    /// Reads and validates the roster files, then builds the roster.
    ///
    /// When `roles`, `links` or `groups` is `nil`, `roles.csv`, `links.csv` or `groups.csv`
    /// beside the cities file is read if it exists, and otherwise the roster has no roles,
    /// links or groups. A path given explicitly must exist.
    ///
    /// - Throws: `InputError` for a single problem, `InputErrors` listing every problem found
    ///   in all files (cities first, then roles, links and groups, each top to bottom), or
    ///   `RosterError` if the model refuses the result.
    public static func load(cities: String, roles: String? = nil, links: String? = nil, groups: String? = nil) throws -> Roster {
        let cityResult = readCities(cities)
        let cityFile = PathText.lastComponent(cities)
        var errors = cityResult.errors
        var rolesByCity: [String: [RoleTag]] = [:]
        var transportLinks: [TransportLink] = []
        if let path = roles ?? sibling(of: cities, named: "roles.csv") {
            let result = readRoles(path, knownIDs: cityResult.ids, cityFile: cityFile)
            rolesByCity = result.roles
            errors += result.errors
        }
        if let path = links ?? sibling(of: cities, named: "links.csv") {
            let result = readLinks(path, knownIDs: cityResult.ids, cityFile: cityFile)
            transportLinks = result.links
            errors += result.errors
        }
        var cityGroups: [CityGroup] = []
        if let path = groups ?? sibling(of: cities, named: "groups.csv") {
            let result = readGroups(path, knownIDs: cityResult.ids, cityFile: cityFile)
            cityGroups = result.groups
            errors += result.errors
        }
        try InputErrors.throwIfAny(errors)

        let roster = cityResult.cities.map { city in
            var city = city
            city.roles = rolesByCity[city.id] ?? []
            return city
        }
        return try Roster(cities: roster, links: transportLinks, groups: cityGroups)
    }

    /// `name` in the folder of `file`, if such a file exists. The folder is taken from the
    /// path as given, so errors about the sibling read as the user would type its path.
    static func sibling(of file: String, named name: String) -> String? {
        let folder = PathText.folder(of: file)
        let path = folder.isEmpty ? name : PathText.join(folder, name)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    // MARK: - Cities

    /// The valid cities, the ids of every row whose id is well formed (so that a city with a
    /// bad value elsewhere does not also make every role naming it an "unknown city"), or
    /// `nil` when the file gives no ids at all, and the errors.
    private static func readCities(_ path: String)
        -> (cities: [City], ids: Set<String>?, errors: [InputError])
    {
        let table = CSVTable.read(file: path, required: cityColumns, optional: optionalCityColumns)
        var errors = table.errors
        guard table.isReadable else { return ([], nil, errors) }
        if table.rows.isEmpty && errors.isEmpty {
            errors.append(InputError(
                file: path, line: 1, message: "no cities; expected at least one row after the header"))
        }
        var cities: [City] = []
        var firstLine: [String: Int] = [:]
        let tiers = Tier.allCases.map(\.rawValue)
        for row in table.rows {
            var cells = CellReader(file: path, row: row)
            let id = cells.identifier("id")
            if let id {
                if let first = firstLine[id] {
                    cells.fail("id", "duplicate id '\(id)' (first on line \(first))")
                } else {
                    firstLine[id] = row.line
                }
            }
            let nameZH = cells.text("name_zh", expected: "a Chinese name")
            let nameEN = cells.text("name_en", expected: "an English name")
            let province = cells.identifier("province")
            let zone = cells.identifier("zone")
            var tier: Tier?
            if let cell = row["tier"] {
                tier = Tier(rawValue: cell)
                if tier == nil {
                    cells.fail("tier", "expected a tier (\(tiers.joined(separator: ", "))), found \(CellReader.found(cell))"
                        + Spelling.suggestion(for: cell, among: tiers))
                }
            }
            let lat = cells.number("lat", expected: "a latitude in [-90, 90] degrees") { (-90...90).contains($0) }
            let lon = cells.number("lon", expected: "a longitude in [-180, 180] degrees") { (-180...180).contains($0) }
            let area = cells.number("area_km2", expected: "an area in km² > 0") { $0 > 0 }
            let pop2010 = cells.number("pop_2010", expected: "a number of persons > 0") { $0 > 0 }
            let pop2020 = cells.number("pop_2020", expected: "a number of persons > 0") { $0 > 0 }
            let gdp2020 = cells.number("gdp_2020", expected: "a GDP in 亿元 > 0") { $0 > 0 }
            let urbanShare = cells.number(
                "urban_share_2020", expected: "a share in (0, 1), or an empty cell if unknown",
                optional: true) { $0 > 0 && $0 < 1 }
            let sectorShares = ["primary_share_2020", "secondary_share_2020", "tertiary_share_2020"].map { column in
                cells.number(column, expected: "a share of GDP in [0, 1], or an empty cell if unknown", optional: true) { $0 >= 0 && $0 <= 1 }
            }
            var shares: SectorShares?
            if let primary = sectorShares[0], let secondary = sectorShares[1], let tertiary = sectorShares[2] {
                if abs(primary + secondary + tertiary - 1) > 0.01 {
                    cells.fail("tertiary_share_2020", "the three sector shares must sum to 1 within 0.01, they sum to \(primary + secondary + tertiary)")
                } else {
                    shares = SectorShares(primary: primary, secondary: secondary, tertiary: tertiary)
                }
            } else if sectorShares.contains(where: { $0 != nil }) {
                cells.fail("primary_share_2020", "give all three sector shares or none")
            }
            errors += cells.errors
            guard cells.errors.isEmpty, let id, let nameZH, let nameEN, let province, let zone,
                  let tier, let lat, let lon, let area, let pop2010, let pop2020, let gdp2020
            else { continue }
            cities.append(City(
                id: id, nameZH: nameZH, nameEN: nameEN, province: province, zone: zone,
                tier: tier, latitude: lat, longitude: lon, areaKm2: area,
                population2010: pop2010, population2020: pop2020, gdp2020: gdp2020,
                urbanShare2020: urbanShare, sectorShares2020: shares))
        }
        let ids = table.has("id") ? Set(firstLine.keys) : nil
        return (cities, ids, table.sorted(errors))
    }

    // MARK: - Roles and links

    /// Reads a city-id cell and checks that the cities file defines it (when its ids are known).
    private static func cityReference(
        _ column: String, in cells: inout CellReader, knownIDs: Set<String>?, cityFile: String
    ) -> String? {
        guard let id = cells.text(column, expected: "a city id") else { return nil }
        if let knownIDs, !knownIDs.contains(id) {
            cells.fail(column, "unknown city '\(id)', not an id in \(cityFile)"
                + Spelling.suggestion(for: id, among: knownIDs.sorted()))
            return nil
        }
        return id
    }

    /// Role clauses grouped by city id, in file order, and the errors.
    private static func readRoles(_ path: String, knownIDs: Set<String>?, cityFile: String)
        -> (roles: [String: [RoleTag]], errors: [InputError])
    {
        let table = CSVTable.read(file: path, required: roleColumns)
        var errors = table.errors
        var roles: [String: [RoleTag]] = [:]
        for row in table.rows {
            var cells = CellReader(file: path, row: row)
            let city = cityReference("city", in: &cells, knownIDs: knownIDs, cityFile: cityFile)
            let tag = cells.identifier("tag")
            let section = cells.text("section", expected: "a section of the decision, e.g. 二(六)")
            let quote = cells.text("quote", expected: "the phrase of the decision the tag rests on")
            errors += cells.errors
            guard let city, let tag, let section, let quote else { continue }
            roles[city, default: []].append(RoleTag(tag: tag, section: section, quote: quote))
        }
        return (roles, table.sorted(errors))
    }

    /// The links, in file order, and the errors.
    private static func readLinks(_ path: String, knownIDs: Set<String>?, cityFile: String)
        -> (links: [TransportLink], errors: [InputError])
    {
        let table = CSVTable.read(file: path, required: linkColumns, optional: optionalLinkColumns)
        var errors = table.errors
        var links: [TransportLink] = []
        var pairLine: [Set<String>: Int] = [:]
        for row in table.rows {
            var cells = CellReader(file: path, row: row)
            let from = cityReference("from", in: &cells, knownIDs: knownIDs, cityFile: cityFile)
            var to = cityReference("to", in: &cells, knownIDs: knownIDs, cityFile: cityFile)
            if let from, to == from {
                cells.fail("to", "expected a city other than 'from', found '\(from)' at both ends")
                to = nil
            }
            // Each pair is listed once, in either direction: two times for one pair would leave
            // the model to guess which holds.
            if let from, let to {
                if let first = pairLine[[from, to]] {
                    cells.fail("to", "the pair \(from)–\(to) is already listed on line \(first)")
                } else {
                    pairLine[[from, to]] = row.line
                }
            }
            let minutes = cells.number("minutes", expected: "a travel time in minutes > 0") { $0 > 0 }
            let mode = cells.text("mode", expected: "a transport mode, e.g. HSR")
            let asOf = cells.text("as_of", expected: "the date the time holds for")
            let source = cells.text("source", expected: "where the time comes from")
            let note = cells.optionalText("note") ?? ""
            errors += cells.errors
            guard let from, let to, let minutes, let mode, let asOf, let source else { continue }
            let text = [mode, "as of \(asOf)", "source: \(source)", note]
                .filter { !$0.isEmpty }.joined(separator: "; ")
            links.append(TransportLink(from: from, to: to, hours: minutes / 60, note: text))
        }
        return (links, table.sorted(errors))
    }

    // MARK: - Groups

    /// The groups, in file order, and the errors: a group id that is also a city id or is
    /// given twice, an empty member list, a member that is not a city of the roster or is
    /// already in a group.
    private static func readGroups(_ path: String, knownIDs: Set<String>?, cityFile: String)
        -> (groups: [CityGroup], errors: [InputError])
    {
        let table = CSVTable.read(file: path, required: groupColumns, optional: optionalGroupColumns)
        var errors = table.errors
        var groups: [CityGroup] = []
        var groupLine: [String: Int] = [:]
        var memberOf: [String: String] = [:]
        for row in table.rows {
            var cells = CellReader(file: path, row: row)
            var id = cells.identifier("id")
            if let given = id {
                if let knownIDs, knownIDs.contains(given) {
                    cells.fail("id", "'\(given)' is a city id in \(cityFile); a group needs an id of its own")
                    id = nil
                } else if let first = groupLine[given] {
                    cells.fail("id", "duplicate group id '\(given)' (first on line \(first))")
                    id = nil
                } else {
                    groupLine[given] = row.line
                }
            }
            let nameZH = cells.text("name_zh", expected: "a Chinese name")
            let nameEN = cells.text("name_en", expected: "an English name")
            var members: [String] = []
            if let cell = cells.text("members", expected: "the member city ids, separated by spaces") {
                for member in cell.split(separator: " ").map(String.init) {
                    if let knownIDs, !knownIDs.contains(member) {
                        cells.fail("members", "unknown city '\(member)', not an id in \(cityFile)"
                            + Spelling.suggestion(for: member, among: knownIDs.sorted()))
                    } else if members.contains(member) {
                        cells.fail("members", "'\(member)' is listed twice")
                    } else if let other = memberOf[member] {
                        cells.fail("members", "'\(member)' is already a member of group '\(other)'; a city belongs to one group at most")
                    } else {
                        members.append(member)
                    }
                }
                if members.isEmpty && cells.errors.isEmpty {
                    cells.fail("members", "expected the member city ids, separated by spaces, found '\(cell)'")
                }
            }
            errors += cells.errors
            guard cells.errors.isEmpty, let id, let nameZH, let nameEN else { continue }
            for member in members { memberOf[member] = id }
            groups.append(CityGroup(id: id, nameZH: nameZH, nameEN: nameEN, members: members))
        }
        return (groups, table.sorted(errors))
    }
}
