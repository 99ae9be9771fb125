// datapackage.json: a machine-readable description of a run directory's tables — a
// Frictionless Tabular Data Package (https://specs.frictionlessdata.io/tabular-data-package/),
// which frictionless-py, pandas (through it) and R's frictionless package read: each CSV file
// with its fields, their types, units and descriptions.
import Foundation
import TwinCityModel

/// The Tabular Data Package of one run directory (docs/OUTPUTS.md, "datapackage.json").
struct DataPackage: Encodable {
    /// One field of a table: Table Schema's `name`, `type` and `description`, with the unit
    /// in `unit` (a property Table Schema allows beside its own; docs/OUTPUTS.md's units).
    struct Field: Encodable {
        let name: String
        let type: String
        let description: String
        let unit: String?
        let constraints: Constraints?

        struct Constraints: Encodable {
            let required: Bool
        }

        init(_ name: String, _ type: String, _ description: String, unit: String? = nil, required: Bool = false) {
            self.name = name
            self.type = type
            self.description = description
            self.unit = unit
            constraints = required ? Constraints(required: true) : nil
        }
    }

    struct Schema: Encodable {
        let fields: [Field]
        let primaryKey: [String]
        /// An empty cell is a value that is not defined (docs/OUTPUTS.md).
        let missingValues = [""]
    }

    struct Dialect: Encodable {
        let delimiter = ","
        let header = true
        let lineTerminator = "\n"
    }

    struct Resource: Encodable {
        let name: String
        let path: String
        let profile = "tabular-data-resource"
        let format = "csv"
        let mediatype = "text/csv"
        let encoding = "utf-8"
        let description: String
        let dialect = Dialect()
        let schema: Schema
    }

    // No name, folder or creation time: the package depends on the roster, the sectors and
    // the version alone, so a run directory stays byte for byte the same for the same scenario
    // and seed wherever it is written (manifest.json has the time).
    let profile = "tabular-data-package"
    let title: String
    let description: String
    let resources: [Resource]

    /// The package of a run directory written for `cities` and `sectors`; `replication` adds
    /// the ensemble's leading `replication` column and its summary.csv.
    ///
    /// - Parameters:
    ///   - files: The directory's files and their descriptions (`RunDirectoryWriter.files`
    ///     or `.ensembleFiles`); every CSV file among them becomes a resource.
    init(cities: [City], sectors: [String], files: [RunDirectoryWriter.File], ensemble: Bool) {
        title = ensemble ? "twincity ensemble run directory" : "twincity run directory"
        description = "Tables written by twincity \(twinCityVersion) for the Chengdu–Chongqing twin-city economic circle: "
            + "\(cities.count) cities, \(sectors.count) sectors" + (ensemble ? ", several replications (leading column `replication`)" : "")
            + ". Units and meaning of every column: docs/OUTPUTS.md."
        let zones = RegionSummary.zoneOrder(cities.map(\.zone))
        let cores = RunDirectoryWriter.coreMembers(in: cities).map(\.id)
        let lead = ensemble ? [Field(OutputColumns.replication, "integer", "replication of the ensemble, 0, 1, …", required: true)] : []
        let key = ensemble ? [OutputColumns.replication] : []
        let year = Field("year", "number", "model year: the state at the end of the tick (a whole year is written without a fraction)", unit: "year", required: true)
        func numeric(_ column: OutputColumn) -> Field {
            Field(column.name, "number", column.label + (column.additive ? "" : " (not additive across cities)"), unit: column.unit)
        }
        var resources: [Resource] = []
        for file in files where file.name.hasSuffix(".csv") {
            let fields: [Field], primaryKey: [String]
            switch file.name {
            case "cities.csv":
                fields = lead + [
                    year, Field("city", "string", "city id of the roster (seeds/cities.csv)", required: true),
                    Field("zone", "string", "the city's zone"), Field("tier", "string", "the city's tier (core, node, …)"),
                ] + OutputColumns.cities(sectors: sectors).map(numeric)
                primaryKey = key + ["year", "city"]
            case "region.csv":
                fields = lead + [year] + OutputColumns.region(coreCities: cores, zones: zones).map(numeric)
                primaryKey = key + ["year"]
            case "summary.csv":
                fields = [
                    year, Field("scope", "string", "`city` or `region`", required: true),
                    Field("id", "string", "city id, or `region`", required: true),
                    Field("variable", "string", "a numeric column of cities.csv or region.csv", required: true),
                    Field("mean", "number", "mean across replications, in the variable's unit"),
                    Field("sd", "number", "standard deviation across replications (n − 1), in the variable's unit"),
                    Field("p05", "number", "5th percentile across replications"),
                    Field("p50", "number", "median across replications"),
                    Field("p95", "number", "95th percentile across replications"),
                ]
                primaryKey = ["year", "scope", "id", "variable"]
            default:
                let kind = file.name.replacingOccurrences(of: "flows_", with: "").replacingOccurrences(of: ".csv", with: "")
                fields = lead + [
                    year, Field("origin", "string", "city id the flow leaves", required: true),
                    Field("destination", "string", "city id the flow reaches", required: true),
                    Field("value", "number", "\(kind) moved over the interval ending at the year", unit: OutputColumns.flowUnits[kind]),
                ]
                primaryKey = key + ["year", "origin", "destination"]
            }
            resources.append(Resource(
                name: String(file.name.dropLast(4)), path: file.name, description: file.description,
                schema: Schema(fields: fields, primaryKey: primaryKey)))
        }
        self.resources = resources
    }

    /// The package as pretty-printed JSON with sorted keys, ending in a newline.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
