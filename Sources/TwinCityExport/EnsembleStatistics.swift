// What summary.csv needs from an ensemble: every numeric cell of cities.csv and region.csv,
// one value per replication, filled in whatever order the replications finish their ticks.
import Foundation
import TwinCityModel

/// The values of every (year, city or region, variable) of an ensemble, one slot per
/// replication, and their summary rows.
///
/// Memory is (cities × city columns + region columns) × replications doubles per year
/// recorded so far: what the summary needs, and nothing of the flow files. A year's storage
/// is allocated when the first replication reaches it, so memory grows with the run, not
/// with its planned length. Thread-safe: replications running in parallel record into their
/// own slots under a lock, so the result does not depend on the order in which they run.
final class EnsembleStatistics: @unchecked Sendable {
    // @unchecked: `values` and `years` are read and written only under `lock`.
    private let lock = NSLock()
    private let cityIDs: [String]
    private let cityColumns: [OutputColumn]
    private let regionColumns: [OutputColumn]
    private let replications: Int
    private let yearCount: Int
    /// By tick: slot-major values, `values[tick][slot * replications + replication]`.
    private var values: [[Double]] = []
    private var years: [Double?] = []

    /// Slots per year: every city's numeric columns, then the region's.
    private var slotsPerYear: Int { cityIDs.count * cityColumns.count + regionColumns.count }

    /// Statistics of up to `yearCount` recorded years; nothing is recorded yet.
    init(cityIDs: [String], cityColumns: [OutputColumn], regionColumns: [OutputColumn], replications: Int, yearCount: Int) {
        self.cityIDs = cityIDs
        self.cityColumns = cityColumns
        self.regionColumns = regionColumns
        self.replications = replications
        self.yearCount = yearCount
    }

    /// Stores replication `replication`'s numbers of tick `tick` (model year `year`).
    func record(replication: Int, tick: Int, year: Double, _ tickValues: TickValues) throws {
        guard (0..<yearCount).contains(tick) else {
            throw RunDirectoryError.shapeMismatch("tick \(tick) is beyond the \(yearCount) recorded years of the run")
        }
        guard tickValues.cities.count == cityIDs.count,
              tickValues.cities.allSatisfy({ $0.count == cityColumns.count }),
              tickValues.region.count == regionColumns.count else {
            throw RunDirectoryError.shapeMismatch("tick \(tick) does not have the ensemble's columns")
        }
        lock.withLock {
            while values.count <= tick {
                // NaN until recorded: a replication that never reaches a year leaves it undefined.
                values.append(Array(repeating: .nan, count: slotsPerYear * replications))
                years.append(nil)
            }
            years[tick] = year
            var slot = 0
            for city in tickValues.cities {
                for value in city {
                    values[tick][slot * replications + replication] = value
                    slot += 1
                }
            }
            for value in tickValues.region {
                values[tick][slot * replications + replication] = value
                slot += 1
            }
        }
    }

    /// The header of summary.csv.
    static let header = ["year", "scope", "id", "variable", "mean", "sd", "p05", "p50", "p95"]

    /// Calls `emit` with the summary.csv rows of each recorded year in turn: every city (roster
    /// order) and its variables (column order), then the region's variables. A statistic's
    /// cells are empty when the variable is not defined (an empty cell) in some replication.
    func forEachYear(_ emit: ([[String]]) throws -> Void) throws {
        let (values, years) = lock.withLock { (self.values, self.years) }
        for tick in values.indices {
            guard let year = years[tick] else { continue }
            let yearText = CSVFormat.year(year)
            var rows: [[String]] = []
            var slot = 0
            func row(scope: String, id: String, variable: String) -> [String] {
                let sample = Array(values[tick][(slot * replications)..<((slot + 1) * replications)])
                slot += 1
                return [yearText, scope, id, variable] + Self.cells(sample)
            }
            for id in cityIDs {
                for column in cityColumns { rows.append(row(scope: "city", id: id, variable: column.name)) }
            }
            for column in regionColumns { rows.append(row(scope: "region", id: "region", variable: column.name)) }
            try emit(rows)
        }
    }

    /// Mean, sd, p05, p50 and p95 of one sample as CSV cells; empty when a value is missing.
    static func cells(_ sample: [Double]) -> [String] {
        guard sample.allSatisfy(\.isFinite) else { return Array(repeating: "", count: 5) }
        let summary = ReplicationSummary(sample)
        return [summary.mean, summary.standardDeviation, summary.p05, summary.p50, summary.p95].map(CSVFormat.number)
    }
}
