// Reading `[[policy]]` tables: each kind's keys checked against PolicyCatalog, city, sector
// and zone ids against the roster and the model, years against the scenario's run.
import TwinCityExport
import TwinCityModel

extension ScenarioLoader {
    /// What the ids and years of policies are checked against.
    struct PolicyChecks {
        /// City ids of the roster, in roster order; `nil` when the roster could not be read
        /// (its own errors are reported, and ids are then left unchecked).
        var cities: [String]?
        /// Economic zones of the roster, in order of first appearance; `nil` with `cities`.
        var zones: [String]?
        /// Groups of the roster (`groups.csv`), id → member cities, seat first: a group id in a
        /// list of cities stands for its members, at either end of a link for its seat.
        var groups: [String: [String]] = [:]
        /// Sector ids of the model.
        var sectors: [String]
        /// The run's first and last year as the scenario files give them; `nil` when they are
        /// invalid (reported under `[time]`).
        var years: (start: Double, end: Double)?
    }

    /// The policies of `node` (the merged `policy` list) and their resolved form, each with
    /// every key and its final value; a policy with any error is left out, its errors recorded.
    static func readPolicies(
        _ node: TOMLNode, checks: PolicyChecks, _ reader: inout TableReader
    ) -> (policies: [any Policy], resolved: [ScenarioValue]) {
        guard case .array(let elements) = node else {
            reader.fail([ScenarioSource.policyKey], "expected [[policy]] tables, one per policy, found \(node.found)")
            return ([], [])
        }
        var policies: [any Policy] = []
        var resolved: [ScenarioValue] = []
        for (i, element) in elements.enumerated() {
            let path = [ScenarioSource.policyKey, "[\(i)]"]
            guard let table = reader.table(element, at: path) else { continue }
            if let (policy, tree) = readPolicy(table, at: path, checks: checks, &reader) {
                // A policy with `enabled = false` is checked and recorded but does not act;
                // the others keep their indices, so policy[n] names the same table either way.
                if case .table(let keys) = tree, case .bool(false)? = keys["enabled"] {} else { policies.append(policy) }
                resolved.append(tree)
            }
        }
        return (policies, resolved)
    }

    /// One `[[policy]]` table, or `nil` with its errors recorded.
    private static func readPolicy(
        _ table: [String: TOMLNode], at path: [String], checks: PolicyChecks, _ reader: inout TableReader
    ) -> (any Policy, ScenarioValue)? {
        let names = PolicyCatalog.kinds.map(\.name)
        guard let kindNode = table["kind"] else {
            reader.fail(path + ["kind"], "missing; every policy names its kind, one of " + TableReader.list(names.map { "'\($0)'" }))
            return nil
        }
        guard case .string(let kindName) = kindNode else {
            reader.fail(path + ["kind"], "expected a policy kind (a string such as \"tax_sharing\"), found \(kindNode.found)")
            return nil
        }
        guard let kind = PolicyCatalog.kind(named: kindName) else {
            let suggestion = Spelling.suggestion(for: kindName, among: names)
            reader.fail(path + ["kind"], "unknown policy kind \"\(kindName)\"" + (suggestion.isEmpty
                ? "; the kinds are " + TableReader.list(names.map { "'\($0)'" }) : suggestion))
            return nil
        }
        let before = reader.errors.count
        reader.rejectUnknownKeys(
            table, at: path, allowed: PolicyCatalog.commonKeys + kind.keys.map(\.name), context: article(kind.name) + " policy")

        let window = readWindow(table, at: path, years: checks.years, &reader)
        var tree: [String: ScenarioValue] = ["kind": .string(kind.name)]
        if let clause = table["clause"] {
            tree["clause"] = reader.string(clause, at: path + ["clause"]).map(ScenarioValue.string)
        }
        if let enabled = table["enabled"] {
            if case .bool(let on) = enabled {
                tree["enabled"] = .bool(on)
            } else {
                reader.fail(path + ["enabled"], "expected true or false (whether the policy acts), found \(enabled.found)")
            }
        }
        var arguments = PolicyCatalog.Arguments()
        for key in kind.keys {
            let keyPath = path + [key.name]
            guard let node = table[key.name] else {
                guard let fallback = key.defaultValue else {
                    if key.optional { continue }
                    reader.fail(keyPath, "missing; \(article(kind.name)) policy needs '\(key.name)' (\(key.unit), \(key.range))")
                    continue
                }
                tree[key.name] = fallback
                switch fallback {
                case .number(let x): arguments.numbers[key.name] = x
                case .array(let items):
                    let ids = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
                    // A default list of cities names the seed roster's units (`chongqing`),
                    // which may be groups here: they stand for their members.
                    if case .cities = key.value, !checks.groups.isEmpty {
                        let expanded = ids.flatMap { checks.groups[$0] ?? [$0] }
                        arguments.lists[key.name] = expanded
                        tree[key.name] = .array(expanded.map(ScenarioValue.string))
                    } else {
                        arguments.lists[key.name] = ids
                    }
                default: break
                }
                continue
            }
            switch key.value {
            case .number(let range):
                if let x = reader.number(node, at: keyPath, expected: "in \(range) (\(key.unit))", admits: range.contains) {
                    arguments.numbers[key.name] = x
                    tree[key.name] = .number(x)
                }
            case .cities(let minimum):
                if let ids = readIDs(node, at: keyPath, noun: "city", valid: checks.cities, minimum: minimum,
                                     hint: "`twincity cities` lists the roster", groups: checks.groups, &reader) {
                    arguments.lists[key.name] = ids
                    tree[key.name] = .array(ids.map(ScenarioValue.string))
                }
            case .sectors:
                if let ids = readIDs(node, at: keyPath, noun: "sector", valid: checks.sectors, minimum: 0,
                                     hint: "the sectors are " + TableReader.list(checks.sectors.map { "'\($0)'" }), &reader) {
                    arguments.lists[key.name] = ids
                    tree[key.name] = .array(ids.map(ScenarioValue.string))
                }
            case .zones:
                if let ids = readIDs(node, at: keyPath, noun: "zone", valid: checks.zones, minimum: 0,
                                     hint: "the zones are " + TableReader.list((checks.zones ?? []).map { "'\($0)'" }), &reader) {
                    arguments.lists[key.name] = ids
                    tree[key.name] = .array(ids.map(ScenarioValue.string))
                }
            case .links:
                if let links = readLinks(node, at: keyPath, cities: checks.cities, groups: checks.groups, &reader) {
                    arguments.links = links
                    tree[key.name] = .array(links.map { link in
                        .table([
                            "from": .string(link.from), "to": .string(link.to),
                            "minutes": .number(link.hours * 60), "note": .string(link.note),
                        ])
                    })
                }
            }
        }
        guard reader.errors.count == before, let window else { return nil }
        tree["start"] = .number(window.start)
        if window.end.isFinite { tree["end"] = .number(window.end) }
        return (kind.make(window, arguments), .table(tree))
    }

    /// "an investment_fund", "a tax_sharing": the kind with its article, for messages.
    private static func article(_ kind: String) -> String {
        ("aeiou".contains(kind.first ?? "x") ? "an " : "a ") + kind
    }

    /// `start` (required) and `end` (optional, forever when left out), both within the run.
    private static func readWindow(
        _ table: [String: TOMLNode], at path: [String], years: (start: Double, end: Double)?, _ reader: inout TableReader
    ) -> PolicyWindow? {
        guard let startNode = table["start"] else {
            reader.fail(path + ["start"], "missing; every policy needs the year it starts, e.g. start = 2021")
            return nil
        }
        var start = reader.number(startNode, at: path + ["start"], expected: "(year)", admits: { _ in true })
        if let found = start, let years, found < years.start || found > years.end {
            reader.fail(path + ["start"], "expected a year in [\(TOMLNode.format(years.start)), \(TOMLNode.format(years.end))] (the scenario's [time]), found \(startNode.found)")
            start = nil
        }
        guard let endNode = table["end"] else { return start.map { PolicyWindow(start: $0) } }
        guard let end = reader.number(endNode, at: path + ["end"], expected: "(year)", admits: { _ in true }), let start else {
            return nil
        }
        if end <= start {
            reader.fail(path + ["end"], "expected a year after start (\(TOMLNode.format(start))), found \(endNode.found)")
            return nil
        }
        if let years, end > years.end {
            reader.fail(path + ["end"], "expected a year ≤ \(TOMLNode.format(years.end)), the end of the scenario's [time], found \(endNode.found); leave end out for a policy in force to the end of the run")
            return nil
        }
        return PolicyWindow(start: start, end: end)
    }

    /// A list of ids, each in `valid` (unchecked when `valid` is `nil`) or a key of `groups`
    /// (replaced by its members), none twice once groups are replaced, at least `minimum` of
    /// them.
    private static func readIDs(
        _ node: TOMLNode, at path: [String], noun: String, valid: [String]?, minimum: Int, hint: String,
        groups: [String: [String]] = [:], _ reader: inout TableReader
    ) -> [String]? {
        guard case .array(let elements) = node else {
            reader.fail(path, "expected a list of \(noun) ids such as [\"a\", \"b\"], found \(node.found)")
            return nil
        }
        var ids: [String] = []
        var ok = true
        for (j, element) in elements.enumerated() {
            let elementPath = path + ["[\(j)]"]
            guard case .string(let id) = element else {
                reader.fail(elementPath, "expected a \(noun) id (a string), found \(element.found)")
                ok = false
                continue
            }
            if let members = groups[id] {
                for member in members {
                    if ids.contains(member) {
                        reader.fail(elementPath, "'\(id)' includes '\(member)', which is already listed")
                        ok = false
                    }
                    ids.append(member)
                }
                continue
            }
            if let valid, !valid.contains(id) {
                let suggestion = Spelling.suggestion(for: id, among: valid + groups.keys.sorted())
                reader.fail(elementPath, "unknown \(noun) '\(id)'" + (suggestion.isEmpty ? "; \(hint)" : suggestion))
                ok = false
            } else if ids.contains(id) {
                reader.fail(elementPath, "'\(id)' is listed twice" + (groups.contains { $0.value.contains(id) } ? " (once through its group)" : ""))
                ok = false
            }
            ids.append(id)
        }
        if ok, ids.count < minimum {
            let plural = minimum == 1 ? noun : (noun == "city" ? "cities" : noun + "s")
            reader.fail(path, "expected at least \(minimum) different \(plural), found \(ids.count)")
            ok = false
        }
        return ok ? ids : nil
    }

    /// `links = [{ from, to, minutes, note }]`: at least one link between two different cities
    /// of the roster, its scheduled time in minutes (> 0).
    private static func readLinks(
        _ node: TOMLNode, at path: [String], cities: [String]?, groups: [String: [String]] = [:],
        _ reader: inout TableReader
    ) -> [TransportLink]? {
        guard case .array(let elements) = node else {
            reader.fail(path, "expected a list of links such as [{ from = \"chengdu\", to = \"chongqing\", minutes = 50 }], found \(node.found)")
            return nil
        }
        guard !elements.isEmpty else {
            reader.fail(path, "expected at least one link, found an empty list")
            return nil
        }
        var links: [TransportLink] = []
        var ok = true
        for (j, element) in elements.enumerated() {
            let linkPath = path + ["[\(j)]"]
            guard let table = reader.table(element, at: linkPath) else {
                ok = false
                continue
            }
            let before = reader.errors.count
            reader.rejectUnknownKeys(table, at: linkPath, allowed: PolicyCatalog.linkKeys, context: "a link")
            var ends: [String] = []
            for key in ["from", "to"] {
                guard let value = table[key] else {
                    reader.fail(linkPath + [key], "missing; a link joins two cities, e.g. { from = \"chengdu\", to = \"chongqing\", minutes = 50 }")
                    continue
                }
                guard case .string(let given) = value else {
                    reader.fail(linkPath + [key], "expected a city id (a string), found \(value.found)")
                    continue
                }
                // A group is reached at its seat (Chongqing's rail stations are in its
                // central urban area, the first member of group `chongqing`).
                let id = groups[given]?.first ?? given
                if let cities, !cities.contains(id) {
                    let suggestion = Spelling.suggestion(for: id, among: cities + groups.keys.sorted())
                    reader.fail(linkPath + [key], "unknown city '\(id)'" + (suggestion.isEmpty ? "; `twincity cities` lists the roster" : suggestion))
                    continue
                }
                ends.append(id)
            }
            if ends.count == 2, ends[0] == ends[1] {
                reader.fail(linkPath + ["to"], "a link joins two different cities, found '\(ends[1])' at both ends")
            }
            var minutes: Double?
            if let value = table["minutes"] {
                minutes = reader.number(value, at: linkPath + ["minutes"], expected: "> 0 (minutes of scheduled travel time)") { $0 > 0 }
            } else {
                reader.fail(linkPath + ["minutes"], "missing; the link's fastest scheduled time in minutes, e.g. minutes = 50")
            }
            let note = table["note"].flatMap { reader.string($0, at: linkPath + ["note"]) } ?? ""
            guard reader.errors.count == before, ends.count == 2, let minutes else {
                ok = false
                continue
            }
            links.append(TransportLink(from: ends[0], to: ends[1], hours: minutes / 60, note: note))
        }
        return ok ? links : nil
    }
}
