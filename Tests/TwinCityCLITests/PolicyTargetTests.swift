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

    /// `twincity run SCENARIO --out FOLDER/NAME --quiet EXTRA…`, its tables read.
    func run(_ scenario: String, into folder: URL, _ name: String, _ extra: [String] = []) throws -> Run {
        let out = folder.appendingPathComponent(name)
        let result = try TwinCityProcess.run(["run", root.appendingPathComponent(scenario).path, "--out", out.path, "--quiet"] + extra)
        XCTAssertEqual(result.status, 0, "\(scenario): \(result.standardError)")
        return Run(directory: out, cities: try table(out, "cities.csv"), region: try table(out, "region.csv"))
    }

    func testEveryShippedPolicyLiesInsideItsDocumentedRange() throws {
        let rows = try targets()
        XCTAssertGreaterThanOrEqual(rows.count, 30, "the table lists the targets of all twelve policies")
        let policies = rows.map(\.policy).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        XCTAssertEqual(policies.count, 12, "one or more targets for each of the twelve policies: \(policies)")

        let folder = try scratchFolder()
        let baseline = try run("scenarios/baseline.toml", into: folder, "baseline")
        var report = "policy,measure,cities,year,low,high,unit,measured\n"
        let listed = try documentedOutside()
        XCTAssertFalse(listed.isEmpty, "the outside table was read")
        var unexpected: [String] = [], nowInside: [String] = [], stale: [String] = []
        for policy in policies {
            let file = "scenarios/policies/\(policy.replacingOccurrences(of: "_", with: "-")).toml"
            let b = try run(file, into: folder, policy)
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
        if let path = ProcessInfo.processInfo.environment["TWINCITY_POLICY_MEASURES"] {
            try report.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let keys = Set(rows.map { "\($0.policy) \($0.measure) \($0.cities) \($0.year)" })
        XCTAssertEqual(Set(listed.keys).subtracting(keys), [], "every row listed as outside is a row of the targets table")
        XCTAssertEqual(stale, [], "the outside table's measured column is out of date")
        XCTAssertEqual(unexpected, [], "outside their ranges and not listed as such; measured:\n\(report)")
        XCTAssertEqual(nowInside, [], "listed as outside but now inside: take them out of the table; measured:\n\(report)")
    }

    /// The figures docs/POLICIES.md gives in prose — §5's hukou variants and welfare
    /// decomposition, the readings of the outside table — each to half a unit of its last
    /// printed digit.
    func testTheFiguresThePolicyPageQuotesAreMeasured() throws {
        let folder = try scratchFolder()
        let baseline = try run("scenarios/baseline.toml", into: folder, "baseline")
        func target(_ policy: String, _ measure: String, _ cities: String, _ year: String) -> Target {
            Target(policy: policy, measure: measure, cities: cities, year: year, low: 0, high: 0, unit: "", line: 0)
        }
        func check(_ value: Double, _ printed: Double, _ digits: Int, _ what: String, line: UInt = #line) {
            XCTAssertEqual(value, printed, accuracy: 0.5 * pow(10, -Double(digits)) * (1 + 1e-9), what, line: line)
        }
        let all = try members("region", in: baseline)
        func pct(_ b: Run, _ column: String, _ cities: Set<String>, _ year: Double) -> Double {
            100 * (sum(b, column, cities, { $0 == year }) / sum(baseline, column, cities, { $0 == year }) - 1)
        }

        // §5: the shipped file, and its welfare parts as shares of income.
        let hukou = try run("scenarios/policies/hukou-reform.toml", into: folder, "hukou")
        check(try measure(target("hukou_reform", "gdp_pct", "region", "2035"), a: baseline, b: hukou), 0.32, 2, "shipped: region GDP")
        check(try measure(target("hukou_reform", "population_share_pp", "cores", "2035"), a: baseline, b: hukou), 2.0, 1, "shipped: cores' share")
        check(try measure(target("hukou_reform", "migrants_cum_pct", "region", "2021-2030"), a: baseline, b: hukou), 12.5, 1, "shipped: migrants")
        let shipped = try WelfareComparison.compare(baseline.directory.path, hukou.directory.path).region
        check(100 * shipped.share, 1.55, 2, "shipped: EV")
        check(100 * shipped.mobility / shipped.referenceIncome, 1.33, 2, "shipped: movers")
        check(100 * (shipped.total - shipped.mobility) / shipped.referenceIncome, 0.23, 2, "shipped: stayers")
        check(100 * shipped.income / shipped.referenceIncome, 0.19, 2, "shipped: income")
        // The explanation of the sign: both parts gain under the shipped file.
        XCTAssertGreaterThan(shipped.total - shipped.mobility, 0, "stayers' part, shipped file")
        XCTAssertGreaterThan(shipped.mobility, shipped.total - shipped.mobility, "the movers' part is the larger")

        // The variant with every barrier halved, the megacities' included: residents lose a
        // little where they live (rents of the growing cores) and the movers' wider choice,
        // net of the costs they still pay, outweighs it.
        let uniform = try run("scenarios/policies/hukou-reform.toml", into: folder, "hukou_uniform",
                              ["--set", "policy[0].cities=[]", "--set", "policy[0].barrier_factor=0.5", "--set", "policy[1].enabled=false"])
        check(try measure(target("hukou_reform", "migrants_cum_pct", "region", "2021-2030"), a: baseline, b: uniform), 9.4, 1, "halved: migrants")
        check(try measure(target("hukou_reform", "population_share_pp", "cores", "2035"), a: baseline, b: uniform), 3.5, 1, "halved: cores' share")
        let halved = try WelfareComparison.compare(baseline.directory.path, uniform.directory.path).region
        XCTAssertLessThan(halved.total - halved.mobility, 0, "stayers' part, every barrier halved")
        XCTAssertGreaterThan(halved.mobility, -(halved.total - halved.mobility), "movers' part outweighs it")
        XCTAssertGreaterThan(halved.share, 0)
        check(100 * (halved.total - halved.mobility) / halved.referenceIncome, -0.17, 2, "halved: stayers")
        check(100 * halved.mobility / halved.referenceIncome, 1.04, 2, "halved: movers")
        check(100 * halved.share, 0.87, 2, "halved: EV")

        // The rest of Chongqing at the megacities' 0.7 instead of 0: its cut carries the gain.
        let megacities = ["chengdu", "chongqing_core", "chongqing_rest"]
        let others = all.subtracting(megacities).sorted()
        func list(_ ids: [String]) -> String { "[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        let restAsCore = try run("scenarios/policies/hukou-reform.toml", into: folder, "hukou_rest_as_core",
                                 ["--set", "policy[0].cities=\(list(megacities))", "--set", "policy[1].cities=\(list(others))"])
        check(try measure(target("hukou_reform", "population_share_pp", "cores", "2035"), a: baseline, b: restAsCore), -1.2, 1, "rest of Chongqing × 0.7: cores' share")
        check(try measure(target("hukou_reform", "gdp_pct", "region", "2035"), a: baseline, b: restAsCore), -0.23, 2, "rest of Chongqing × 0.7: region GDP")

        // The outside table's readings: public services by residents.
        let cores = try members("cores", in: baseline)
        let pool = try run("scenarios/policies/public-services-by-residents.toml", into: folder, "pool")
        check(try measure(target("public_services_by_residents", "real_utility_pct", "cores", "2035"), a: baseline, b: pool), -0.03, 2, "pool: cores' utility 2035")
        for city in cores {
            // "0.02–0.05 % city by city"
            let change = pct(pool, "real_utility", [city], 2035)
            XCTAssertTrue(change >= -0.055 && change <= -0.015, "pool: \(city)'s utility 2035, \(change) %")
        }
        check(pct(pool, "public_spending", cores, 2035), -0.8, 1, "pool: cores' public spending 2035")
        check(pct(pool, "public_services", cores, 2035), -0.5, 1, "pool: cores' services 2035")
        check(pct(pool, "rent", ["bazhong"], 2021), 1, 0, "pool: Bazhong's rent 2021")
        check(pct(pool, "real_utility", ["bazhong"], 2021), -0.21, 2, "pool: Bazhong's utility 2021")
        check(try measure(target("public_services_by_residents", "population_share_pp", "cores", "2030"), a: baseline, b: pool), 0.006, 3, "pool: cores' share 2030")

        // Opening: a gain of price first, of quantity as factors follow.
        let opening = try run("scenarios/policies/opening.toml", into: folder, "opening")
        check(pct(opening, "gdp_nominal", cores, 2020), 0.29, 2, "opening: cores' nominal GDP 2020")
        check(pct(opening, "gdp", cores, 2020), 0.00, 2, "opening: cores' GDP 2020")
        check(pct(opening, "employment_manufacturing", cores, 2020), 0.5, 1, "opening: cores' manufacturing employment 2020")
        check(pct(opening, "capital", cores, 2025), 0.07, 2, "opening: cores' capital 2025")
        check(pct(opening, "population", cores, 2030), 0.04, 2, "opening: cores' population 2030")

        // Rows inside their ranges that the page quotes.
        let sharing = try run("scenarios/policies/tax-sharing.toml", into: folder, "sharing")
        check(try measure(target("tax_sharing", "retention_mean_pct", "cores", "2021-2029"), a: baseline, b: sharing), -32, 0, "tax sharing: cores' retention")
        check(try measure(target("tax_sharing", "industry_out_cum_pct", "cores", "2021-2030"), a: baseline, b: sharing), 14.7, 1, "tax sharing: relocation out of the cores")
        check(try measure(target("tax_sharing", "gdp_pct", "region", "2035"), a: baseline, b: sharing), 0.002, 3, "tax sharing: region GDP")
        let fund = try run("scenarios/policies/investment-fund.toml", into: folder, "fund")
        check(try measure(target("investment_fund", "gdp_pct", "centres", "2030"), a: baseline, b: fund), 0.24, 2, "investment fund: centres' GDP")
    }
}
