// Two ensembles compared replication by replication: replication k of both was drawn from the
// same seed, so it met the same productivity shocks, and B − A of each pair measures the
// policy's effect in that draw alone. The mean of the pairs' differences, its confidence
// interval and the share of pairs that agree on its sign say how sure the effect is.
import Foundation
import TwinCityExport
import TwinCityGSL

/// What a run directory's manifest.json says about its random draws: the master seed and the
/// seed of each replication (one for a single run).
public struct RunDraws: Sendable, Equatable {
    /// The run directory, as given.
    public var directory: String
    /// `[run].seed` (or `--seed`) of the run.
    public var masterSeed: UInt64
    /// The seed of each replication, in replication order: `replicationSeed(master:replication:)`
    /// for an ensemble, the master seed itself for a single run.
    public var seeds: [UInt64]

    /// True for an ensemble (region.csv and cities.csv with a `replication` column).
    public var isEnsemble: Bool { seeds.count > 1 }

    /// Reads `directory/manifest.json`; `nil` when the directory or its manifest cannot be
    /// read or lacks the seeds, in which case the tables' own checks report what is wrong.
    public static func read(_ directory: String) -> RunDraws? {
        let file = PathText.join(directory, "manifest.json")
        guard let data = FileManager.default.contents(atPath: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let seed = (object["seed"] as? NSNumber)?.uint64Value,
              let seeds = object["seeds"] as? [NSNumber], !seeds.isEmpty
        else { return nil }
        return RunDraws(directory: directory, masterSeed: seed, seeds: seeds.map(\.uint64Value))
    }

    /// How two runs can be compared: value against value (two single runs), or pair by pair
    /// over the replications whose seeds agree.
    public enum Pairing: Sendable, Equatable {
        /// Two single runs: one draw each, compared as they are.
        case single
        /// Two ensembles: replications `0..<count` of both share their seeds.
        case paired(count: Int)
    }

    /// The comparison `a` and `b` allow.
    ///
    /// - Throws: `InputError` naming the directory when a single run meets an ensemble (one
    ///   draw against the mean of many is not paired, and its noise can exceed the effect) or
    ///   when the ensembles' replication 0 was drawn from different seeds (no replication
    ///   of one shares its shocks with its counterpart), saying which run to make instead.
    public static func pairing(_ a: RunDraws, _ b: RunDraws) throws -> Pairing {
        switch (a.isEnsemble, b.isEnsemble) {
        case (false, false):
            return .single
        case (true, false), (false, true):
            let (single, ensemble) = a.isEnsemble ? (b, a) : (a, b)
            throw InputError(
                file: single.directory,
                message: "a single run (seed \(single.masterSeed)) cannot be compared with the ensemble \(ensemble.directory) "
                    + "(\(ensemble.seeds.count) replications of master seed \(ensemble.masterSeed)): one random draw against "
                    + "a mean is not a paired comparison, and its noise can exceed the effect. Run its scenario as an ensemble "
                    + "with the same seeds, `twincity run SCENARIO --replications \(ensemble.seeds.count) --seed \(ensemble.masterSeed)`, "
                    + "and compare the two ensembles")
        case (true, true):
            let count = zip(a.seeds, b.seeds).prefix { $0 == $1 }.count
            guard count > 0 else {
                throw InputError(
                    file: b.directory,
                    message: "its replications were drawn from master seed \(b.masterSeed), those of \(a.directory) from "
                        + "master seed \(a.masterSeed): replication k of one does not share its productivity shocks with "
                        + "replication k of the other, so their differences are not paired. Run it again with the other's seeds, "
                        + "`twincity run SCENARIO --replications \(a.seeds.count) --seed \(a.masterSeed)`, and compare again")
            }
            return .paired(count: count)
        }
    }
}

/// Two ensembles at one recorded year, replication k of B against replication k of A, for
/// the replications both have with the same seed (docs/OUTPUTS.md, "Comparing runs").
public struct PairedComparison: Sendable {
    /// One compared quantity across the pairs.
    public struct Row: Sendable, Equatable {
        /// The part of the table, as in `RunComparison`.
        public var section: RunComparison.Row.Section
        /// The city id for a city row, `nil` for a region row.
        public var city: String?
        /// The CSV column compared.
        public var column: String
        /// What the row shows, with its unit.
        public var label: String
        /// The value in each replication of A, in the column's unit, replication order.
        public var a: [Double]
        /// The value in each replication of B.
        public var b: [Double]
        /// The confidence level of `interval`, e.g. 0.95.
        public var confidence: Double

        /// Pairs compared.
        public var count: Int { a.count }
        /// d_k = b_k − a_k, the effect in replication k, in the column's unit.
        public var differences: [Double] { zip(b, a).map { $0 - $1 } }
        /// Mean of A over the pairs.
        public var meanA: Double { Statistics.mean(a) }
        /// Mean of B over the pairs.
        public var meanB: Double { Statistics.mean(b) }
        /// d̄ = (1/n) Σ d_k, the mean effect.
        public var meanDifference: Double { Statistics.mean(differences) }
        /// 100 · d̄ / mean(A), percent; `nil` when mean(A) is 0.
        public var percent: Double? { meanA == 0 ? nil : 100 * meanDifference / meanA }

        /// The confidence interval of the mean effect, d̄ ± t_{(1+c)/2, n−1} · s_d / √n, with
        /// s_d the sample standard deviation (n − 1) of the differences and t the Student-t
        /// quantile (`gsl_cdf_tdist_Pinv`); `nil` for one pair, where s_d is not defined.
        public var interval: (lower: Double, upper: Double)? {
            guard count >= 2 else { return nil }
            let d = differences
            let half = Statistics.studentTQuantile((1 + confidence) / 2, degreesOfFreedom: Double(count - 1))
                * Statistics.standardDeviation(d) / Double(count).squareRoot()
            let mean = Statistics.mean(d)
            return (mean - half, mean + half)
        }

        /// The share of pairs whose d_k has the sign of d̄ (zero counting as zero's sign), in
        /// [0, 1]: 1 when every replication moves the same way as the mean.
        public var sameSignShare: Double {
            let sign = meanDifference.sign, zero = meanDifference == 0
            let agreeing = differences.filter { zero ? $0 == 0 : ($0 != 0 && $0.sign == sign) }.count
            return Double(agreeing) / Double(count)
        }

        public static func == (x: Row, y: Row) -> Bool {
            x.section == y.section && x.city == y.city && x.column == y.column && x.a == y.a && x.b == y.b
                && x.confidence == y.confidence
        }
    }

    /// The reference ensemble, as given.
    public var runA: String
    /// The ensemble compared with it, as given.
    public var runB: String
    /// The draws of both.
    public var drawsA: RunDraws, drawsB: RunDraws
    /// Replications paired: `0..<pairs`, each with the same seed in A and B.
    public var pairs: Int
    /// The year compared.
    public var year: Double
    /// The confidence level of the intervals.
    public var confidence: Double
    /// The rows, in the order of `RunComparison`'s.
    public var rows: [Row]

    /// Reads both ensembles and pairs their first `pairs` replications at `year` (by default
    /// the last year both record).
    ///
    /// - Throws: `InputError`/`InputErrors` naming the file (and line and column) for a
    ///   missing file, column, replication or year, or a cell that is not a number.
    public static func compare(
        _ a: RunDraws, _ b: RunDraws, pairs: Int, year: Double? = nil, confidence: Double = 0.95
    ) throws -> PairedComparison {
        let tables = [a, b].map { EnsembleTables.read($0.directory, replications: pairs) }
        try InputErrors.throwIfAny(tables.flatMap(\.errors))
        let (ta, tb) = (tables[0], tables[1])
        let chosen = try RunComparison.comparedYear(
            year, years: (ta.years, tb.years), files: (ta.regionFile, tb.regionFile), kind: "ensemble")

        var rows: [Row] = []
        func add(_ section: RunComparison.Row.Section, _ city: String?, _ column: String, _ label: String,
                 _ value: (EnsembleTables, Int) -> Double?) {
            let x = (0..<pairs).map { value(ta, $0) }, y = (0..<pairs).map { value(tb, $0) }
            guard x.allSatisfy({ $0 != nil }), y.allSatisfy({ $0 != nil }) else { return }
            rows.append(Row(section: section, city: city, column: column, label: label,
                            a: x.map { $0! }, b: y.map { $0! }, confidence: confidence))
        }
        for (column, label) in RunComparison.regionColumns {
            add(.region, nil, column, label) { $0.region[$1]?[key(chosen)]?[column] }
        }
        let cities = ta.cities.filter(tb.cities.contains)
        for (section, columns) in [(RunComparison.Row.Section.cities, RunComparison.cityColumns), (.fiscal, RunComparison.fiscalColumns)] {
            for city in cities {
                for (column, label) in columns {
                    add(section, city, column, label) { $0.city[$1]?[city]?[key(chosen)]?[column] }
                }
            }
        }
        return PairedComparison(
            runA: a.directory, runB: b.directory, drawsA: a, drawsB: b, pairs: pairs, year: chosen,
            confidence: confidence, rows: rows)
    }

    /// A year as a dictionary key, exact to 1e-9 year.
    static func key(_ year: Double) -> Int64 { Int64((year * 1e9).rounded()) }
}

/// The cells of an ensemble's region.csv and cities.csv a paired comparison needs, by
/// replication, (city,) year and column.
private struct EnsembleTables {
    var regionFile: String
    /// Years of replication 0 in region.csv.
    var years: [Double] = []
    /// City ids in the order of cities.csv.
    var cities: [String] = []
    /// replication → year key → column → value.
    var region: [Int: [Int64: [String: Double]]] = [:]
    /// replication → city → year key → column → value.
    var city: [Int: [String: [Int64: [String: Double]]]] = [:]
    var errors: [InputError] = []

    static func read(_ directory: String, replications: Int) -> EnsembleTables {
        let regionFile = PathText.join(directory, "region.csv")
        var tables = EnsembleTables(regionFile: regionFile)
        let regionColumns = RunComparison.regionColumns.map(\.column)
        let region = CSVTable.read(
            runFile: "region.csv", in: directory,
            required: ["replication", "year"] + regionColumns.filter { !RunComparison.optionalRegionColumns.contains($0) })
        tables.errors += region.errors
        for row in region.rows {
            guard let (replication, year, values) = cells(row, regionColumns.filter(region.has), file: regionFile, errors: &tables.errors),
                  replication < replications else { continue }
            if replication == 0 { tables.years.append(year) }
            tables.region[replication, default: [:]][PairedComparison.key(year)] = values
        }
        let cityFile = PathText.join(directory, "cities.csv")
        let cityColumns = (RunComparison.cityColumns + RunComparison.fiscalColumns).map(\.column)
        let cities = CSVTable.read(runFile: "cities.csv", in: directory, required: ["replication", "city", "year"] + cityColumns)
        tables.errors += cities.errors
        for row in cities.rows {
            guard let id = row["city"], let (replication, year, values) = cells(row, cityColumns, file: cityFile, errors: &tables.errors),
                  replication < replications else { continue }
            if replication == 0, !tables.cities.contains(id) { tables.cities.append(id) }
            tables.city[replication, default: [:]][id, default: [:]][PairedComparison.key(year)] = values
        }
        guard tables.errors.isEmpty else { return tables }
        // Every paired replication must be in both tables: a truncated file would otherwise
        // drop rows from the comparison without a word.
        for k in 0..<replications where tables.region[k] == nil || tables.city[k] == nil {
            let file = tables.region[k] == nil ? regionFile : cityFile
            tables.errors.append(InputError(
                file: file, key: "replication", keyKind: .column,
                message: "no row for replication \(k); manifest.json lists \(replications) or more"))
            break
        }
        return tables
    }

    private static func cells(
        _ row: CSVTable.Row, _ columns: [String], file: String, errors: inout [InputError]
    ) -> (Int, Double, [String: Double])? {
        var reader = CellReader(file: file, row: row)
        let replication = reader.number("replication", expected: "a replication index ≥ 0") { $0 >= 0 && $0 == $0.rounded() }
        let year = reader.number("year", expected: "a number")
        var values: [String: Double] = [:]
        for column in columns {
            if let x = reader.number(column, expected: "a number", optional: true) { values[column] = x }
        }
        errors += reader.errors
        guard reader.errors.isEmpty, let replication, let year else { return nil }
        return (Int(replication), year, values)
    }
}
