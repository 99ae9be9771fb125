// Every shipped policy file's effect against the baseline lies inside the range docs/POLICIES.md
// documents for it from the empirical literature, except the rows the same page lists as
// outside with their reading — and those must still be outside, at the value printed there.
// The test reads the machine-readable table between the `policy-targets` markers, runs each
// policy file and the baseline as a user does (`twincity run`), and computes each measure from
// the run files by its definition there.
import Foundation
import TwinCityScenario
import XCTest

final class PolicyTargetTests: XCTestCase {
    let root = TwinCityProcess.packageRoot

    /// One row of the targets table.
    struct Target {
        var policy, measure, cities, year: String
        var low, high: Double
        var unit: String
        /// Line in docs/POLICIES.md, for messages.
        var line: Int
    }

    /// The rows between `<!-- policy-targets:begin -->` and `<!-- policy-targets:end -->`.
    func targets() throws -> [Target] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/POLICIES.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let begin = try XCTUnwrap(lines.firstIndex(of: "<!-- policy-targets:begin -->"), "docs/POLICIES.md has the begin marker")
        let end = try XCTUnwrap(lines.firstIndex(of: "<!-- policy-targets:end -->"), "docs/POLICIES.md has the end marker")
        var rows: [Target] = []
        for index in (begin + 1)..<end {
            let cells = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 7, cells[0] != "policy" else { continue }
            let low = try XCTUnwrap(Double(cells[4]), "docs/POLICIES.md:\(index + 1): low"), high = try XCTUnwrap(Double(cells[5]), "docs/POLICIES.md:\(index + 1): high")
            XCTAssertLessThanOrEqual(low, high, "docs/POLICIES.md:\(index + 1)")
            rows.append(Target(policy: cells[0], measure: cells[1], cities: cells[2], year: cells[3], low: low, high: high, unit: cells[6], line: index + 1))
        }
        return rows
    }

    /// One row of the outside table: its measured value as printed, and the line.
    struct Outside {
        /// The value of the `measured` cell.
        var value: Double
        /// Half a unit of its last printed digit: how far the measurement may lie from it.
        var rounding: Double
        var line: Int
    }

    /// The rows docs/POLICIES.md lists as outside their ranges (between the
    /// `policy-targets-outside` markers), keyed `policy measure cities year`.
    func documentedOutside() throws -> [String: Outside] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/POLICIES.md"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let begin = try XCTUnwrap(lines.firstIndex(of: "<!-- policy-targets-outside:begin -->"))
        let end = try XCTUnwrap(lines.firstIndex(of: "<!-- policy-targets-outside:end -->"))
        var rows: [String: Outside] = [:]
        for index in (begin + 1)..<end where lines[index].hasPrefix("| `") {
            // | `policy`, `measure`, cities, year | measured | range | reading |
            let cells = lines[index].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let key = cells[0].replacingOccurrences(of: "`", with: "").components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            // "−0.0015 pp", "+0.075 %": a signed decimal, then the unit.
            let number = try XCTUnwrap(cells[1].split(separator: " ").first, "docs/POLICIES.md:\(index + 1): measured").replacingOccurrences(of: "−", with: "-")
            let value = try XCTUnwrap(Double(number), "docs/POLICIES.md:\(index + 1): measured '\(cells[1])' is a number and a unit")
            let decimals = number.split(separator: ".").dropFirst().first?.count ?? 0
            XCTAssertFalse(number.lowercased().contains("e"), "docs/POLICIES.md:\(index + 1): the measured value is a plain decimal, so its digits say its precision")
            XCTAssertNil(rows[key], "docs/POLICIES.md:\(index + 1): \(key) is listed twice")
            rows[key] = Outside(value: value, rounding: 0.5 * pow(10, -Double(decimals)), line: index + 1)
        }
        return rows
    }

    /// A run directory's CSV file as rows by column name.
    func table(_ run: URL, _ file: String) throws -> [[String: String]] {
        let table = parseCSV(try String(contentsOf: run.appendingPathComponent(file), encoding: .utf8))
        return table.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(table[0], $0)) }
    }

    /// A run's tables, read once.
    struct Run {
        var directory: URL
        var cities: [[String: String]]
        var region: [[String: String]]
    }

    /// The cities of a group of docs/POLICIES.md ("Groups").
    func members(_ group: String, in run: Run) throws -> Set<String> {
        let all = Set(run.cities.map { $0["city"]! })
        let cores: Set<String> = ["chengdu", "chongqing_core", "chongqing_rest"]
        let centres: Set<String> = ["luzhou", "deyang", "mianyang", "leshan", "nanchong", "yibin", "dazhou"]
        switch group {
        case "region": return all
        case "centres": return centres
        case "cores": return cores
        case "other_nodes": return all.subtracting(cores).subtracting(centres)
        case "rest": return all.subtracting(cores)
        case "metro4": return ["chengdu", "deyang", "meishan", "ziyang"]
        case "eco2": return ["aba", "ganzi"]
        case "hub3": return cores.union(["mianyang"])
        case "plain": return Set(run.cities.filter { $0["zone"] == "chengdu_plain" }.map { $0["city"]! })
        case "chengdu": return ["chengdu"]
        default:
            XCTFail("unknown group '\(group)' in docs/POLICIES.md")
            return []
        }
    }

    /// Σ over `cities` of `column` of cities.csv in the rows whose year passes `years`.
    func sum(_ run: Run, _ column: String, _ cities: Set<String>, _ years: (Double) -> Bool) -> Double {
        run.cities.filter { cities.contains($0["city"]!) && years(Double($0["year"]!)!) }.map { Double($0[column]!)! }.reduce(0, +)
    }

    /// The measure of `target` for policy run `b` against baseline run `a` (docs/POLICIES.md,
    /// "Targets (machine-readable)").
    func measure(_ target: Target, a: Run, b: Run) throws -> Double {
        let window = target.year.split(separator: "-").map { Double($0)! }
        let year = window[0]
        let at: (Double) -> Bool = { $0 == year }
        let groups = try target.cities.split(separator: "/").map { try members(String($0), in: a) }
        let cities = groups[0]
        func pct(_ column: String, _ group: Set<String>) -> Double {
            100 * (sum(b, column, group, at) / sum(a, column, group, at) - 1)
        }
        switch target.measure {
        case "gdp_pct": return pct("gdp", cities)
        case "population_pct": return pct("population", cities)
        case "capital_pct": return pct("capital", cities)
        case "gdp_gap_pp": return pct("gdp", groups[0]) - pct("gdp", groups[1])
        case "population_share_pp":
            let all = try members("region", in: a)
            return 100 * (sum(b, "population", cities, at) / sum(b, "population", all, at) - sum(a, "population", cities, at) / sum(a, "population", all, at))
        case "real_utility_pct":
            let rowsA = a.cities.filter { cities.contains($0["city"]!) && Double($0["year"]!)! == year }
            var weightedA = 0.0, weightedB = 0.0
            for row in rowsA {
                let rowB = try XCTUnwrap(b.cities.first { $0["city"] == row["city"] && $0["year"] == row["year"] })
                weightedA += Double(row["population"]!)! * Double(row["real_utility"]!)!
                weightedB += Double(row["population"]!)! * Double(rowB["real_utility"]!)!
            }
            return 100 * (weightedB / weightedA - 1)
        case "industry_out_cum_pct":
            let inside: (Double) -> Bool = { $0 > window[0] && $0 <= window[1] }
            return 100 * (sum(b, "industry_out", cities, inside) / sum(a, "industry_out", cities, inside) - 1)
        case "retention_mean_pct":
            // Mean over the same cities and rows in both runs: a ratio of sums.
            let inside: (Double) -> Bool = { $0 >= window[0] && $0 <= window[1] }
            return 100 * (sum(b, "retention_effort", cities, inside) / sum(a, "retention_effort", cities, inside) - 1)
        case "migrants_cum_pct":
            let inside: (Double) -> Bool = { $0 > window[0] && $0 <= window[1] }
            func total(_ run: Run) -> Double {
                run.region.filter { inside(Double($0["year"]!)!) }.map { Double($0["migrants"]!)! }.reduce(0, +)
            }
            return 100 * (total(b) / total(a) - 1)
        case "ev_region_pct":
            let welfare = try WelfareComparison.compare(a.directory.path, b.directory.path)
            return 100 * welfare.region.share
        default:
            XCTFail("docs/POLICIES.md:\(target.line): unknown measure '\(target.measure)'")
            return .nan
        }
    }

    func testEveryShippedPolicyLiesInsideItsDocumentedRange() throws {
        let rows = try targets()
        XCTAssertGreaterThanOrEqual(rows.count, 30, "the table lists the targets of all twelve policies")
        let policies = rows.map(\.policy).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        XCTAssertEqual(policies.count, 12, "one or more targets for each of the twelve policies: \(policies)")

        let folder = try scratchFolder()
        func run(_ scenario: String, _ name: String, _ extra: [String] = []) throws -> Run {
            let out = folder.appendingPathComponent(name)
            let result = try TwinCityProcess.run(["run", root.appendingPathComponent(scenario).path, "--out", out.path, "--quiet"] + extra)
            XCTAssertEqual(result.status, 0, "\(scenario): \(result.standardError)")
            return Run(directory: out, cities: try table(out, "cities.csv"), region: try table(out, "region.csv"))
        }
        let baseline = try run("scenarios/baseline.toml", "baseline")
        var report = "policy,measure,cities,year,low,high,unit,measured\n"
        let listed = try documentedOutside()
        XCTAssertFalse(listed.isEmpty, "the outside table was read")
        var unexpected: [String] = [], nowInside: [String] = [], stale: [String] = []
        for policy in policies {
            let file = "scenarios/policies/\(policy.replacingOccurrences(of: "_", with: "-")).toml"
            let b = try run(file, policy)
            for target in rows where target.policy == policy {
                let value = try measure(target, a: baseline, b: b)
                report += "\(target.policy),\(target.measure),\(target.cities),\(target.year),\(target.low),\(target.high),\(target.unit),\(String(format: "%.4f", value))\n"
                let key = "\(target.policy) \(target.measure) \(target.cities) \(target.year)"
                let inside = value >= target.low && value <= target.high
                let text = "docs/POLICIES.md:\(target.line) \(key): \(String(format: "%+.3f", value)) \(target.unit), range [\(target.low), \(target.high)]"
                if !inside && listed[key] == nil { unexpected.append(text) }
                if inside && listed[key] != nil { nowInside.append(text) }
                // The measured column is the measurement, to the digits printed there.
                // Written so that a NaN measurement is stale too.
                if let row = listed[key], !(abs(value - row.value) <= row.rounding * (1 + 1e-9)) {
                    stale.append("docs/POLICIES.md:\(row.line) \(key): printed \(row.value), measured \(String(format: "%+.4f", value))")
                }
            }
        }
        // The hukou welfare sign (docs/POLICIES.md, below the outside table). Every barrier
        // halved, the megacities' included (a variant, by --set): residents
        // lose a little where they live (rents of the growing cores) and the movers' wider
        // choice, net of the costs they still pay, outweighs it. Under the shipped file, which
        // cuts the wedge into the megacities less and the others entirely, both parts gain.
        _ = try run("scenarios/policies/hukou-reform.toml", "hukou_uniform",
                    ["--set", "policy[0].cities=[]", "--set", "policy[0].barrier_factor=0.5", "--set", "policy[1].enabled=false"])
        let uniform = try WelfareComparison.compare(baseline.directory.path, folder.appendingPathComponent("hukou_uniform").path).region
        XCTAssertLessThan(uniform.total - uniform.mobility, 0, "stayers' part, every barrier halved")
        XCTAssertGreaterThan(uniform.mobility, -(uniform.total - uniform.mobility), "movers' part outweighs it")
        XCTAssertGreaterThan(uniform.share, 0)
        let hukou = try WelfareComparison.compare(baseline.directory.path, folder.appendingPathComponent("hukou_reform").path).region
        XCTAssertGreaterThan(hukou.total - hukou.mobility, 0, "stayers' part, shipped file")
        XCTAssertGreaterThan(hukou.mobility, hukou.total - hukou.mobility, "the movers' part is the larger")
        if let path = ProcessInfo.processInfo.environment["TWINCITY_POLICY_MEASURES"] {
            try report.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let keys = Set(rows.map { "\($0.policy) \($0.measure) \($0.cities) \($0.year)" })
        XCTAssertEqual(Set(listed.keys).subtracting(keys), [], "every row listed as outside is a row of the targets table")
        XCTAssertEqual(stale, [], "the outside table's measured column is out of date")
        XCTAssertEqual(unexpected, [], "outside their ranges and not listed as such; measured:\n\(report)")
        XCTAssertEqual(nowInside, [], "listed as outside but now inside: take them out of the table; measured:\n\(report)")
    }
}
