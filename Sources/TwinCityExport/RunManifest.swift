// What manifest.json records about a run besides its files: the code and library versions,
// the scenario as resolved, and the time settings — so a result can be traced and rerun.
import Foundation
import TwinCityModel

/// The caller's part of a run's manifest; the writer adds the cities, sectors, file list,
/// wall time and creation time.
public struct RunManifest: Sendable {
    /// Version of the twincity tool that made the run (semantic versioning).
    public var twinCityVersion: String
    /// Version of the GSL library linked at run time, e.g. `2.7.1`.
    public var gslVersion: String
    /// The scenario with every default filled in, written under `scenario` as JSON.
    public var scenario: any Encodable & Sendable
    /// Start year, end year, tick length (years) and master seed of the run.
    public var settings: SimulationSettings

    /// Collects the manifest content a caller knows before the run starts.
    public init(twinCityVersion: String, gslVersion: String, scenario: any Encodable & Sendable, settings: SimulationSettings) {
        self.twinCityVersion = twinCityVersion
        self.gslVersion = gslVersion
        self.scenario = scenario
        self.settings = settings
    }
}

/// manifest.json as encoded: snake-case keys, sorted by the encoder.
struct ManifestDocument: Encodable {
    let manifest: RunManifest
    let cities: [City]
    let sectors: [String]
    /// The seed of each replication, in replication order (one for a single run).
    let seeds: [UInt64]
    let files: [RunDirectoryWriter.File]
    let wallTimeSeconds: Double
    let created: String

    private enum CodingKeys: String, CodingKey {
        case twincity_version, scenario, seed, start_year, end_year, dt, cities, sectors, files
        case wall_time_seconds, created, gsl_version, replications, seeds, city_names, city_coordinates
    }

    /// Where a city is, degrees: latitude north and longitude east of its seat of government.
    private struct Coordinates: Encodable {
        let latitude: Double
        let longitude: Double
    }

    func encode(to encoder: Encoder) throws {
        var out = encoder.container(keyedBy: CodingKeys.self)
        try out.encode(manifest.twinCityVersion, forKey: .twincity_version)
        try out.encode(AnyEncodable(manifest.scenario), forKey: .scenario)
        try out.encode(manifest.settings.seed, forKey: .seed)
        try out.encode(seeds.count, forKey: .replications)
        try out.encode(seeds, forKey: .seeds)
        try Self.encodeYear(manifest.settings.startYear, in: &out, forKey: .start_year)
        try Self.encodeYear(manifest.settings.endYear, in: &out, forKey: .end_year)
        try out.encode(manifest.settings.dt, forKey: .dt)
        try out.encode(cities.map(\.id), forKey: .cities)
        try out.encode(Dictionary(cities.map { ($0.id, $0.nameEN) }, uniquingKeysWith: { first, _ in first }), forKey: .city_names)
        try out.encode(
            Dictionary(cities.map { ($0.id, Coordinates(latitude: $0.latitude, longitude: $0.longitude)) }, uniquingKeysWith: { first, _ in first }),
            forKey: .city_coordinates)
        try out.encode(sectors, forKey: .sectors)
        try out.encode(Dictionary(files.map { ($0.name, $0.description) }, uniquingKeysWith: { first, _ in first }), forKey: .files)
        try out.encode(wallTimeSeconds, forKey: .wall_time_seconds)
        try out.encode(created, forKey: .created)
        try out.encode(manifest.gslVersion, forKey: .gsl_version)
    }

    /// A whole year as a JSON integer (`2035`, not `2035.0`), as in the CSV files.
    private static func encodeYear(_ year: Double, in out: inout KeyedEncodingContainer<CodingKeys>, forKey key: CodingKeys) throws {
        if year == year.rounded(), abs(year) < 1e15 {
            try out.encode(Int64(year), forKey: key)
        } else {
            try out.encode(year, forKey: key)
        }
    }

    /// The document as pretty-printed JSON with sorted keys, ending in a newline.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

/// Lets an existential `Encodable` be encoded as a keyed value.
private struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
