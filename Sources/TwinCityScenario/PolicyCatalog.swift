// The `[[policy]]` kinds a scenario file may use and the keys of each: the single list the
// loader reads policies with, the resolved scenario records them from, and docs/SCENARIOS.md
// is checked against. Defaults are read off the model's policy types, so they cannot drift.
import TwinCityModel

/// What a `[[policy]]` table may hold besides `kind`, `start`, `end` and `clause`, for each
/// of the decision's twelve policy kinds (docs/SCENARIOS.md, "Policies").
package enum PolicyCatalog {
    /// One key of a policy kind.
    package struct Key: Sendable {
        /// What the key holds.
        package enum Value: Sendable, Equatable {
            /// A finite number in a range.
            case number(NumberRange)
            /// City ids of the roster; `minimum` is the fewest different cities allowed.
            case cities(minimum: Int)
            /// Sector ids of the model (`manufacturing`, `consumer_goods`, `services`).
            case sectors
            /// Economic zones of the roster (its `zone` column, e.g. `chengdu_plain`).
            case zones
            /// Links `{ from, to, minutes, note }` between cities of the roster, at least one.
            case links
        }

        /// The key as written in the file: the Swift property's name in snake_case.
        package let name: String
        /// What it holds and its admissible values.
        package let value: Value
        /// Unit of a number, or what a list holds (e.g. `share of the tax`, `city ids`).
        package let unit: String
        /// The value when the key is left out, as the resolved scenario records it; `nil`
        /// when the key is required (or optional).
        package let defaultValue: ScenarioValue?
        /// True when the key may be left out and then has no value (the policy type's
        /// property is nil); the resolved scenario then omits it.
        package var optional = false

        /// The admissible values as docs/SCENARIOS.md writes them: an interval for a number
        /// (`[0, 1]`), a count for a list (`≥ 2 cities`, `any`).
        package var range: String {
            switch value {
            case .number(let range): return range.description
            case .cities(let minimum):
                return minimum == 0 ? "roster cities" : "≥ \(minimum) \(minimum == 1 ? "city" : "cities")"
            case .sectors: return "model sectors"
            case .zones: return "roster zones"
            case .links: return "≥ 1 link"
            }
        }
    }

    /// An interval of admissible numbers.
    package enum NumberRange: Sendable, Equatable, CustomStringConvertible {
        /// [lower, upper]
        case closed(Double, Double)
        /// [lower, upper)
        case upperOpen(Double, Double)
        /// (lower, upper]
        case lowerOpen(Double, Double)
        /// [lower, ∞)
        case atLeast(Double)
        /// (lower, ∞)
        case above(Double)

        /// True when `x` lies in the interval.
        package func contains(_ x: Double) -> Bool {
            switch self {
            case .closed(let a, let b): return x >= a && x <= b
            case .upperOpen(let a, let b): return x >= a && x < b
            case .lowerOpen(let a, let b): return x > a && x <= b
            case .atLeast(let a): return x >= a
            case .above(let a): return x > a
            }
        }

        /// Interval notation, `[0, 1)`, `(-1, ∞)`.
        package var description: String {
            func n(_ x: Double) -> String { TOMLNode.format(x) }
            switch self {
            case .closed(let a, let b): return "[\(n(a)), \(n(b))]"
            case .upperOpen(let a, let b): return "[\(n(a)), \(n(b)))"
            case .lowerOpen(let a, let b): return "(\(n(a)), \(n(b))]"
            case .atLeast(let a): return "[\(n(a)), ∞)"
            case .above(let a): return "(\(n(a)), ∞)"
            }
        }
    }

    /// One policy kind: its name in scenario files, its keys, and how to build it.
    package struct Kind: Sendable {
        /// The value of `kind` (the policy type's `kind`, e.g. `tax_sharing`).
        package let name: String
        /// Its keys besides `kind`, `start`, `end` and `clause`, in the order documented.
        package let keys: [Key]
        /// Builds the policy from complete, checked arguments.
        let make: @Sendable (PolicyWindow, Arguments) -> any Policy
    }

    /// The checked values of one `[[policy]]` table, defaults filled in.
    struct Arguments {
        var numbers: [String: Double] = [:]
        var lists: [String: [String]] = [:]
        var links: [TransportLink] = []

        func number(_ key: String) -> Double { numbers[key] ?? .nan }
        func list(_ key: String) -> [String] { lists[key] ?? [] }
    }

    /// Keys every policy has.
    package static let commonKeys = ["kind", "start", "end", "clause", "enabled"]
    /// Keys of a `links` element of a transport policy.
    package static let linkKeys = ["from", "to", "minutes", "note"]

    /// The twelve kinds, in the order of docs/MODEL.md §4.
    package static let kinds: [Kind] = [
        industryTransfer, taxSharing, transport, metroIntegration, hukouReform, publicServices,
        ecoProtection, innovationHub, landSupply, opening, investmentFund, subsidyCoordination,
    ]

    /// The kind named `name`, if any.
    package static func kind(named name: String) -> Kind? { kinds.first { $0.name == name } }

    // MARK: - Building keys

    private static func number(_ name: String, _ unit: String, _ range: NumberRange, default value: Double?) -> Key {
        Key(name: name, value: .number(range), unit: unit, defaultValue: value.map(ScenarioValue.number))
    }

    private static func cities(_ name: String, minimum: Int = 0, default value: [String]?) -> Key {
        Key(name: name, value: .cities(minimum: minimum), unit: "city ids", defaultValue: value.map(strings))
    }

    private static func sectors(_ name: String = "sectors", default value: [String]) -> Key {
        Key(name: name, value: .sectors, unit: "sector ids", defaultValue: strings(value))
    }

    private static func strings(_ values: [String]) -> ScenarioValue { .array(values.map(ScenarioValue.string)) }

    /// A window for reading the defaults off a policy type's initialiser.
    private static let anyWindow = PolicyWindow(start: 0)

    // MARK: - The kinds

    static let industryTransfer: Kind = {
        let d = IndustryTransferPolicy(window: anyWindow, cities: [])
        return Kind(name: IndustryTransferPolicy.kind, keys: [
            cities("cities", minimum: 1, default: nil),
            sectors(default: d.sectors),
            number("inflow", "亿元 per year", .atLeast(0), default: d.inflow),
            number("designation_weight", "weight", .atLeast(1), default: d.designationWeight),
            cities("from", default: d.from),
            number("relocation_bonus", "log points", .atLeast(0), default: d.relocationBonus),
        ]) { window, a in
            IndustryTransferPolicy(
                window: window, cities: a.list("cities"), sectors: a.list("sectors"), inflow: a.number("inflow"),
                designationWeight: a.number("designation_weight"), from: a.list("from"),
                relocationBonus: a.number("relocation_bonus"))
        }
    }()

    static let taxSharing: Kind = {
        let d = TaxSharingPolicy(window: anyWindow)
        return Kind(name: TaxSharingPolicy.kind, keys: [
            number("share", "share of the tax", .closed(0, 1), default: d.share),
            number("years", "years", .above(0), default: d.years),
            cities("origins", default: d.origins),
            cities("destinations", default: d.destinations),
            Key(name: "bargaining_weight", value: .number(.closed(0, 1)), unit: "weight", defaultValue: nil, optional: true),
        ]) { window, a in
            TaxSharingPolicy(
                window: window, share: a.number("share"), years: a.number("years"),
                origins: a.list("origins"), destinations: a.list("destinations"),
                bargainingWeight: a.numbers["bargaining_weight"])
        }
    }()

    static let transport = Kind(name: TransportPolicy.kind, keys: [
        Key(name: "links", value: .links, unit: "links", defaultValue: nil),
    ]) { window, a in
        TransportPolicy(window: window, links: a.links)
    }

    static let metroIntegration: Kind = {
        let d = MetroIntegrationPolicy(window: anyWindow, cities: [])
        return Kind(name: MetroIntegrationPolicy.kind, keys: [
            cities("cities", minimum: 2, default: nil),
            number("time_factor", "multiplier", .lowerOpen(0, 1), default: d.timeFactor),
            number("barrier_factor", "multiplier", .closed(0, 1), default: d.barrierFactor),
        ]) { window, a in
            MetroIntegrationPolicy(
                window: window, cities: a.list("cities"), timeFactor: a.number("time_factor"),
                barrierFactor: a.number("barrier_factor"))
        }
    }()

    static let hukouReform: Kind = {
        let d = HukouReformPolicy(window: anyWindow)
        return Kind(name: HukouReformPolicy.kind, keys: [
            cities("cities", default: d.cities),
            number("barrier_factor", "multiplier", .closed(0, 1), default: d.barrierFactor),
        ]) { window, a in
            HukouReformPolicy(window: window, cities: a.list("cities"), barrierFactor: a.number("barrier_factor"))
        }
    }()

    static let publicServices: Kind = {
        let d = PublicServicesByResidentsPolicy(window: anyWindow)
        return Kind(name: PublicServicesByResidentsPolicy.kind, keys: [
            number("pool_share", "share of tax revenue", .closed(0, 1), default: d.poolShare),
            cities("cities", default: d.cities),
        ]) { window, a in
            PublicServicesByResidentsPolicy(window: window, poolShare: a.number("pool_share"), cities: a.list("cities"))
        }
    }()

    static let ecoProtection: Kind = {
        let d = EcoProtectionPolicy(window: anyWindow, cities: [])
        return Kind(name: EcoProtectionPolicy.kind, keys: [
            cities("cities", minimum: 1, default: nil),
            sectors(default: d.sectors),
            number("cap", "multiple of base-year capital", .atLeast(0), default: d.cap),
            number("compensation", "亿元 per year", .atLeast(0), default: d.compensation),
            cities("payers", default: d.payers),
        ]) { window, a in
            EcoProtectionPolicy(
                window: window, cities: a.list("cities"), sectors: a.list("sectors"), cap: a.number("cap"),
                compensation: a.number("compensation"), payers: a.list("payers"))
        }
    }()

    static let innovationHub: Kind = {
        let d = InnovationHubPolicy(window: anyWindow, cities: [])
        return Kind(name: InnovationHubPolicy.kind, keys: [
            cities("cities", minimum: 1, default: nil),
            sectors(default: d.sectors),
            number("boost", "log points per year", .atLeast(0), default: d.boost),
        ]) { window, a in
            InnovationHubPolicy(window: window, cities: a.list("cities"), sectors: a.list("sectors"), boost: a.number("boost"))
        }
    }()

    static let landSupply: Kind = {
        let d = LandSupplyPolicy(window: anyWindow, cities: [])
        return Kind(name: LandSupplyPolicy.kind, keys: [
            cities("cities", minimum: 1, default: nil),
            number("extra_growth", "per year", .above(-1), default: d.extraGrowth),
        ]) { window, a in
            LandSupplyPolicy(window: window, cities: a.list("cities"), extraGrowth: a.number("extra_growth"))
        }
    }()

    static let opening: Kind = {
        let d = OpeningPolicy(window: anyWindow, cities: [])
        return Kind(name: OpeningPolicy.kind, keys: [
            cities("cities", minimum: 1, default: nil),
            sectors(default: d.sectors),
            number("exports", "亿元 per year per variety", .atLeast(0), default: d.exports),
        ]) { window, a in
            OpeningPolicy(window: window, cities: a.list("cities"), sectors: a.list("sectors"), exports: a.number("exports"))
        }
    }()

    static let investmentFund: Kind = {
        let d = InvestmentFundPolicy(window: anyWindow, amount: 0, cities: [])
        return Kind(name: InvestmentFundPolicy.kind, keys: [
            number("amount", "亿元 per year", .atLeast(0), default: nil),
            cities("cities", minimum: 1, default: nil),
            sectors(default: d.sectors),
            cities("contributors", default: d.contributors),
            number("outside_share", "share of the fund", .closed(0, 1), default: d.outsideShare),
        ]) { window, a in
            InvestmentFundPolicy(
                window: window, amount: a.number("amount"), cities: a.list("cities"), sectors: a.list("sectors"),
                contributors: a.list("contributors"), outsideShare: a.number("outside_share"))
        }
    }()

    static let subsidyCoordination: Kind = {
        let d = SubsidyCoordinationPolicy(window: anyWindow)
        return Kind(name: SubsidyCoordinationPolicy.kind, keys: [
            Key(name: "zones", value: .zones, unit: "zone ids", defaultValue: strings(d.zones)),
            number("max_subsidy", "share of arriving capital", .upperOpen(0, 1), default: d.maxSubsidy),
        ]) { window, a in
            SubsidyCoordinationPolicy(window: window, zones: a.list("zones"), maxSubsidy: a.number("max_subsidy"))
        }
    }()
}
