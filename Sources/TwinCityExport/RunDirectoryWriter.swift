// Writes one run into a directory of CSV files and a manifest (docs/OUTPUTS.md), a tick at a
// time, and makes the directory appear only once it is complete.
import Foundation
import TwinCityModel

/// Streams the ticks of one run into a run directory: `cities.csv`, `region.csv`, the three
/// origin–destination flow files and `manifest.json` (docs/OUTPUTS.md gives every column).
///
/// Everything is written into a hidden sibling `.NAME.partial-<pid>` and renamed to the
/// output path by `finish(wallTime:)`, so the output path either does not exist or holds a
/// complete run. A failure while writing, or `abort()`, removes the temporary directory.
/// Only the current tick is held in memory.
///
/// Usage: `init`, then `consume(_:)` for every `TickRecord` in order, then `finish(wallTime:)`
/// (or `abort()`). Several replications of one scenario go through `EnsembleDirectoryWriter`.
public final class RunDirectoryWriter {
    /// A file of the run directory and what it holds.
    public struct File: Sendable, Equatable {
        /// File name inside the run directory.
        public let name: String
        /// One line: what a row is, with units.
        public let description: String
    }

    /// The files of every run directory, in the order they are listed to users.
    public static let files: [File] = [
        File(name: "cities.csv", description: "one row per year and city: population (10^4 persons), GDP (亿元/yr, 2020 and current prices), GDP per capita (yuan), wage (yuan/worker/yr), utility, rent, capital, fiscal accounts (亿元), capital, output and employment by sector, flows over the interval ending at the year"),
        File(name: "region.csv", description: "one row per year: region population (10^4 persons) and GDP (亿元/yr), GDP growth (per year), Chengdu and Chongqing shares, zone totals, Theil index and coefficient of variation of GDP per capita, flows over the interval ending at the year"),
        File(name: "flows_population.csv", description: "one row per year, origin and destination: residents who moved over the interval ending at the year, 10^4 persons (positive values only)"),
        File(name: "flows_capital.csv", description: "one row per year, origin and destination: investment financed by savers of the origin and installed in the destination over the interval ending at the year, 亿元 (positive values only)"),
        File(name: "flows_industry.csv", description: "one row per year, origin and destination: installed capacity relocated over the interval ending at the year, 亿元 (positive values only)"),
        File(name: "datapackage.json", description: "the tables described for other programs: a Frictionless Tabular Data Package giving every CSV file's fields with their types, units and descriptions"),
        File(name: "manifest.json", description: "versions, seeds, time settings, cities (ids, English names, coordinates), sectors, the resolved scenario, wall time and creation time of the run"),
    ]

    /// The CSV tables of `files`, before datapackage.json and manifest.json.
    static var tables: ArraySlice<File> { files.prefix { $0.name.hasSuffix(".csv") } }

    /// The files of an ensemble's run directory (`EnsembleDirectoryWriter`): the tables of
    /// `files` with a leading `replication` column, `summary.csv`, and `manifest.json`.
    public static let ensembleFiles: [File] = tables.map {
        File(name: $0.name, description: "per replication (leading column `replication`, 0, 1, …), " + $0.description)
    } + [
        File(name: "summary.csv", description: "one row per year, city (or the region) and numeric variable of cities.csv and region.csv: mean, standard deviation (n − 1), 5th, 50th and 95th percentiles across replications, in the variable's unit"),
    ] + files.drop { $0.name.hasSuffix(".csv") }

    /// Cities whose shares of the region get their own columns in region.csv, when present
    /// as a city or as a group of cities (`City.group`, e.g. Chongqing's two parts).
    public static let coreCityIDs = ["chengdu", "chongqing"]

    /// Each of `coreCityIDs` that `cities` has, as a city or as the group of some cities, with
    /// the positions of the cities it covers (its share is the sum of theirs).
    public static func coreMembers(in cities: [City]) -> [(id: String, indices: [Int])] {
        coreCityIDs.compactMap { id in
            let indices = cities.indices.filter { cities[$0].id == id || cities[$0].group == id }
            return indices.isEmpty ? nil : (id, indices)
        }
    }

    /// The output directory, as given.
    public let path: String
    /// The temporary directory the run is written into until `finish(wallTime:)`.
    public let temporaryPath: String

    private enum Status { case open, finished, aborted }

    private let staging: StagingDirectory
    private let cities: [City]
    private let sectors: [String]
    private let manifest: RunManifest
    private var tables: RunTables?
    private var status = Status.open

    /// Ticks written so far.
    public private(set) var ticksWritten = 0

    /// Creates the temporary directory next to `path` and writes the CSV headers.
    ///
    /// - Parameters:
    ///   - path: The run directory to create. Missing parent folders are created.
    ///   - cities: The roster's cities, in the order of the simulation's arrays.
    ///   - sectors: Sector ids, in the order of the simulation's arrays.
    ///   - manifest: Versions, scenario and settings for manifest.json.
    ///   - overwrite: Replace an existing `path` at `finish(wallTime:)`; otherwise refuse it.
    /// - Throws: `RunDirectoryError.exists` when `path` exists and `overwrite` is false;
    ///   `.fileSystem` when the directory or a file cannot be created; `.duplicateColumn`
    ///   when sector ids clash with column names.
    public init(path: String, cities: [City], sectors: [String], manifest: RunManifest, overwrite: Bool = false) throws {
        self.path = path
        self.cities = cities
        self.sectors = sectors
        self.manifest = manifest
        staging = try StagingDirectory(path: path, overwrite: overwrite)
        temporaryPath = staging.temporaryPath
        do {
            tables = try RunTables(directory: staging.temporaryURL, cities: cities, sectors: sectors, dt: manifest.settings.dt)
        } catch {
            abort()
            throw error
        }
    }

    deinit {
        // A writer dropped without finishing leaves nothing behind.
        if status == .open { abort() }
    }

    // MARK: - Writing

    /// Writes one tick's rows to every CSV file and returns the region's summary of it.
    ///
    /// Ticks must come in order, as `Simulation.run(observer:)` hands them over. On any
    /// error the temporary directory is removed and the writer is closed.
    @discardableResult
    public func consume(_ record: TickRecord) throws -> RegionSummary {
        guard status == .open, let tables else { throw RunDirectoryError.closed(path: path) }
        do {
            let values = try tables.consume(record)
            ticksWritten += 1
            return values.summary
        } catch {
            abort()
            throw error
        }
    }

    // MARK: - Finishing

    /// Closes the CSV files, writes manifest.json and renames the temporary directory to
    /// `path`. With `overwrite`, an existing `path` is moved aside just before the rename
    /// and deleted after it, so the old run stays in place if anything fails before.
    ///
    /// - Parameter wallTime: Seconds the run took, recorded in the manifest.
    public func finish(wallTime: Double) throws {
        guard status == .open, let tables else { throw RunDirectoryError.closed(path: path) }
        do {
            try tables.close()
            let created = Date().formatted(.iso8601)
            let package = DataPackage(cities: cities, sectors: sectors, files: Self.files, ensemble: false)
            try staging.write(try package.json(), to: "datapackage.json")
            let document = ManifestDocument(
                manifest: manifest, cities: cities, sectors: sectors, seeds: [manifest.settings.seed],
                files: Self.files, wallTimeSeconds: wallTime, created: created)
            try staging.write(try document.json(), to: "manifest.json")
            try staging.moveIntoPlace()
            status = .finished
        } catch {
            abort()
            throw error
        }
    }

    /// Abandons the run: closes the files and removes the temporary directory. Safe to call
    /// more than once, and from a handler of an interrupted run; does nothing once finished.
    public func abort() {
        guard status == .open else { return }
        status = .aborted
        tables?.discard()
        tables = nil
        staging.remove()
    }
}
