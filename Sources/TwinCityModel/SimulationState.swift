// What carries from one tick to the next (MODEL.md §3): the economy, the governments'
// instruments, the random streams and the quantities that the next tick's decisions, policies
// and flows read. A value: copy it to keep a run's state, start another simulation from it.
import TwinCityGSL

/// The state of a run between two ticks: a value that `Simulation.step()` advances.
///
/// Before the first step it holds the starting economy (a calibrated base year, an inverted
/// history year, or a state kept from another run) and nothing pending. After step k it holds
/// the economy at the year of tick k, that tick's equilibrium and the governments' decisions
/// (pending: the flows over the following interval are integrated by step k + 1), and the
/// per-city random streams positioned after the draws of tick k − 1 → k.
///
/// Two simulations with the same setup, parameters, settings and policies that start from equal
/// states produce bitwise the same records.
public struct SimulationState: @unchecked Sendable {
    /// Index of the next tick `step()` records (0: the start year).
    public internal(set) var nextTick: Int
    /// The economy at the year of the last recorded tick (the starting economy before the first).
    public internal(set) var economy: EconomyState
    /// The governments' instruments in force for the coming interval.
    public internal(set) var agents: [CityAgent]
    /// The last recorded tick's equilibrium and decisions, whose flows the next step integrates;
    /// nil before the first step.
    var pending: PendingTick?
    /// Flows and conservation errors of the interval that ended at the last recorded tick.
    var lastFlows: TickFlows?
    var lastReport: ConservationReport?
    /// Capital arriving from elsewhere over the last interval, 亿元 per year (the base of the
    /// subsidies paid in the next interval).
    public internal(set) var lastArrivals: [Double]
    /// Share of each city's capital relocated out over the last interval, per year.
    var lastLossShare: [Double]
    /// Subsidies paid over the last interval, 亿元.
    var subsidiesPaid: [Double]
    /// Capacity relocated in earlier ticks, newest last (kept only when a policy reads it).
    var relocations: [Relocation]
    /// City i's Gaussian stream of productivity shocks (GSL mt19937), shared between copies of
    /// the state until one of them draws (then that copy takes its own clone).
    var shocks: ShockStreams

    /// The state before the first tick: `economy` at the start year, every government at its
    /// initial instruments (no subsidy, no retention, the parameters' public-spending share),
    /// city i's shock stream seeded `RandomGenerator.streamSeed(master: seed, index: i)`.
    public init(economy: EconomyState, cities: [City], parameters: ModelParameters, seed: UInt64) {
        let n = cities.count
        nextTick = 0
        self.economy = economy
        agents = cities.map {
            CityAgent(cityID: $0.id, province: $0.province, publicSpendingShare: parameters.publicSpendingShare)
        }
        pending = nil
        lastArrivals = Array(repeating: 0, count: n)
        lastLossShare = Array(repeating: 0, count: n)
        subsidiesPaid = Array(repeating: 0, count: n)
        relocations = []
        shocks = ShockStreams(cities: n, seed: seed)
    }

    /// Makes `shocks` this copy's own before it draws from it.
    mutating func uniqueShocks() -> ShockStreams {
        if !isKnownUniquelyReferenced(&shocks) { shocks = shocks.copy() }
        return shocks
    }
}

/// What the flows after a recorded tick need from it.
struct PendingTick {
    var year: Double
    var equilibrium: Equilibrium
    var realGDP: [Double]
    var utility: [Double]
    var fiscal: FiscalAccounts
    var effects: PolicyEffects
}

/// One GSL random stream per city, for the productivity shocks (MODEL.md §3.5).
final class ShockStreams {
    let generators: [RandomGenerator]

    init(cities n: Int, seed: UInt64) {
        generators = (0..<n).map { RandomGenerator(master: seed, stream: UInt64($0)) }
    }

    private init(generators: [RandomGenerator]) { self.generators = generators }

    /// Independent streams in the same positions (`gsl_rng_clone`).
    func copy() -> ShockStreams { ShockStreams(generators: generators.map { $0.clone() }) }
}
