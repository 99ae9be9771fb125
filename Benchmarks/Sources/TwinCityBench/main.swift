// twincity-bench: speed of the model core on the real roster and on synthetic rosters.
//
//   TwinCityBench size --cities N [--years Y] [--capture-tick K] [--repeats R] [--solver KIND] [--export DIR] --out FILE
//   TwinCityBench sweep [--runs R] [--rounds K] --out FILE
//   TwinCityBench export-run [--repeats R] --out DIR
//   TwinCityBench bandwidth --out FILE
//   TwinCityBench scenario --scenario FILE [--repeats R] --out FILE
//
// N = 22 is the real roster of seeds/; any other N a synthetic roster seeded with N.
import Foundation
import TwinCityModel
import TwinCityScenario

/// Root of the main package: the parent of the Benchmarks folder this file lives in.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct Options {
    var values: [String: String] = [:]
    init(_ args: ArraySlice<String>) {
        var key: String?
        for a in args {
            if a.hasPrefix("--") { key = String(a.dropFirst(2)); values[key!] = "" } else if let k = key { values[k] = a; key = nil }
        }
    }
    func int(_ k: String, _ d: Int) -> Int { values[k].flatMap(Int.init) ?? d }
    func string(_ k: String) -> String? { values[k] }
    func url(_ k: String) -> URL? { values[k].map { URL(fileURLWithPath: $0) } }
}

struct Failure: Error, CustomStringConvertible { var description: String }

/// The prepared setup of the N-city roster and the seconds `Calibration.calibrate` took: the
/// real roster for N = 22, a synthetic one seeded with N otherwise.
func prepared(cities n: Int, parameters p: ModelParameters) throws -> (setup: SimulationSetup, calibration: Double) {
    let roster = n == 22 ? try BenchRosters.real(packageRoot: packageRoot) : try BenchRosters.synthetic(cities: n, seed: UInt64(n))
    let (calibrated, seconds) = try Measure.time { try Calibration.calibrate(roster: roster, parameters: p) }
    return (SimulationSetup(calibrated: calibrated, cities: roster.cities, links: roster.links), seconds)
}

// MARK: - size

struct SizeResult: Codable {
    var cities, ticks: Int
    /// Calibration.calibrate, and Simulation.run over every tick from the prepared setup, seconds.
    var calibrationSeconds, runSeconds: Double
    /// The profiled, stepped run, seconds, and whether it ends in Simulation.run's state bit for bit.
    var loopSeconds: Double
    var loopMatchesRun: Bool
    var timings: [TickTiming]
    /// Medians over the warm ticks (1 … last; tick 0 starts the equilibrium cold), seconds.
    var medianEquilibrium, medianAgents, medianFlows, medianProductivity, medianOutput, medianTick: Double
    var medianIterations: Double
    var oneTick: TickProblemTiming?
    var oneTickMatchesRun: Bool?
    var solver: String
    /// Whether every sector's trade weights are symmetric to rounding (the model then reads
    /// only their upper triangle), and the bytes of them read by one evaluation of the
    /// equilibrium (2 passes over each of the S matrices).
    var tradeWeightsSymmetric: Bool
    var bytesPerEvaluation, peakRSSBytes: Double
    /// Wall and CPU seconds of the whole command (CPU well below wall × threads in use means
    /// the machine was busy with other work).
    var wallSeconds, cpuSeconds: Double
    var gslVersion: String
}

func size(_ o: Options) throws {
    let commandStart = Measure.clock.now
    let n = o.int("cities", 22)
    let years = o.int("years", 15)
    let captureTick = o.int("capture-tick", 2)
    let repeats = o.int("repeats", 3)
    guard let out = o.url("out") else { throw Failure(description: "size needs --out FILE") }
    var p = ModelParameters()
    if let solver = o.string("solver") {
        guard let kind = EquilibriumSolverKind(rawValue: solver) else { throw Failure(description: "unknown solver \(solver)") }
        p.solver = kind
    }
    let (setup, calibration) = try prepared(cities: n, parameters: p)
    print("N = \(n): calibrated in \(String(format: "%.2f", calibration)) s")
    // The model's units: N = 22 is the real roster, whose 22 cities are 23 units (Chongqing in
    // two parts); arrays are sized by the units, the benchmark is labelled by N.
    let units = setup.structure.cityCount
    let settings = SimulationSettings(startYear: 2020, endYear: 2020 + Double(years), dt: 1, seed: 20200710)

    // The run stepped with the model's profiling on, part by part (it also warms caches and
    // binds the libraries' symbols).
    let loop = try TickLoop.run(setup: setup, parameters: p, settings: settings, captureTick: captureTick)
    let warm = Array(loop.timings.dropFirst())

    // The whole run, as the CLI runs it (an observer that keeps nothing), best of a few when
    // a run is short.
    var runFinal: EconomyState?
    var solver = ""
    var runSeconds = Double.infinity
    let runRepeats = max(1, min(5, Int(2 / max(loop.wall, 1e-3))))
    for _ in 0..<runRepeats {
        let (_, seconds) = try Measure.time {
            try Simulation(setup: setup, parameters: p, settings: settings).run { record in
                runFinal = record.state
                solver = record.equilibrium.solver.rawValue
            }
        }
        runSeconds = min(runSeconds, seconds)
    }
    print("  Simulation.run, \(years) ticks: \(String(format: "%.3f", runSeconds)) s (best of \(runRepeats))")
    let matches = loop.final == runFinal
    func med(_ k: (TickTiming) -> Double) -> Double { Measure.median(warm.map(k)) }

    // One tick on fixed inputs, repeated: what the numpy reference is timed on.
    var oneTick: TickProblemTiming?
    var oneTickMatches: Bool?
    if let problem = loop.problem {
        let solverInstance = TradeEquilibrium(structure: setup.structure)
        let migration = Migration(structure: setup.structure, cities: setup.cities, parameters: p)
        let flows = try FlowIntegrator(cities: units, sectors: setup.structure.sectorCount, parameters: p, migration: migration)
        let effects = PolicyEffects(cities: units, sectors: setup.structure.sectorCount, maxSubsidy: p.maxSubsidy)
        var best = TickProblemTiming(equilibrium: .infinity, agents: .infinity, flows: .infinity, total: .infinity, repeats: repeats, equilibriumIterations: 0)
        oneTickMatches = true
        for _ in 0..<repeats {
            let (eq, te) = try Measure.time { try solverInstance.solve(problem.state, parameters: p, start: problem.start.map { EquilibriumGuess($0) }, investment: problem.investment) }
            let ((utility, fiscal), ta) = Measure.time { () -> ([Double], FiscalAccounts) in
                let u = Utility.realUtility(state: problem.state, equilibrium: eq, structure: setup.structure, parameters: p)
                let f = FiscalAccounts(gdp: eq.gdp, transfers: problem.state.transfers, centralTransfers: problem.state.centralTransfers, agents: problem.agents, lastArrivals: problem.lastArrivals, taxRate: p.taxRate)
                return (u, f)
            }
            var state = problem.state
            let (_, tf) = try Measure.time {
                try flows.integrate(
                    state: &state, equilibrium: eq, utility: utility, agents: problem.agents,
                    baseInvestmentPrice: setup.baseInvestmentPrice,
                    publicSpending: fiscal.publicSpending, travelTimes: setup.structure.travelTimes,
                    effects: effects, year: problem.year, dt: settings.dt)
            }
            oneTickMatches = oneTickMatches! && state == problem.after && eq.prices == problem.equilibrium.prices
            best.equilibrium = min(best.equilibrium, te)
            best.agents = min(best.agents, ta)
            best.flows = min(best.flows, tf)
            best.total = min(best.total, te + ta + tf)
            best.equilibriumIterations = eq.iterations
        }
        oneTick = best
        if let folder = o.url("export") {
            try Export.tick(problem, setup: setup, parameters: p, dt: settings.dt, timing: best, to: folder)
        }
    }
    let sCount = setup.structure.sectorCount
    let symmetric = setup.structure.tradeWeights.allSatisfy { isSymmetricToRounding($0, n: units) }
    let result = SizeResult(
        cities: n, ticks: settings.tickCount, calibrationSeconds: calibration, runSeconds: runSeconds,
        loopSeconds: loop.wall, loopMatchesRun: matches, timings: loop.timings,
        medianEquilibrium: med(\.equilibrium), medianAgents: med(\.agents), medianFlows: med(\.flows),
        medianProductivity: med(\.productivity), medianOutput: med(\.output), medianTick: med(\.total),
        medianIterations: med { Double($0.equilibriumIterations) },
        oneTick: oneTick, oneTickMatchesRun: oneTickMatches, solver: solver,
        tradeWeightsSymmetric: symmetric,
        bytesPerEvaluation: symmetric ? Double(2 * sCount * (units * (units + 1) / 2) * 8) : Double(2 * sCount * units * units * 8),
        peakRSSBytes: Measure.peakRSS(),
        wallSeconds: Measure.seconds(Measure.clock.now - commandStart),
        cpuSeconds: Measure.cpuSeconds(), gslVersion: Numerics.gslVersion)
    try writeJSON(result, to: out)
    print(String(format: "  per tick (median of warm ticks): equilibrium %.4f s (%.0f iterations), agents %.4f s, flows %.4f s, productivity %.4f s, output %.4f s; total %.4f s",
                 result.medianEquilibrium, result.medianIterations, result.medianAgents, result.medianFlows, result.medianProductivity, result.medianOutput, result.medianTick))
    if let t = oneTick {
        print(String(format: "  one tick on fixed inputs: equilibrium %.4f s, flows %.4f s (best of %d)", t.equilibrium, t.flows, t.repeats))
    }
    print("  profiled stepping matches Simulation.run: \(matches); peak RSS \(Int(result.peakRSSBytes / 1e6)) MB")
    guard matches, oneTickMatches ?? true else { throw Failure(description: "the profiled stepping did not reproduce Simulation.run") }
}

/// The model's test for reading only the upper triangle of a matrix: a_ij and a_ji equal to
/// 16 ε relative (SymmetricProduct.isSymmetric).
func isSymmetricToRounding(_ a: [Double], n: Int) -> Bool {
    let limit = 16 * Double.ulpOfOne
    for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
            let u = a[i * n + j], l = a[j * n + i]
            if u != l && abs(u - l) > limit * max(abs(u), abs(l)) { return false }
        }
    }
    return true
}

// MARK: - sweep

struct SweepResult: Codable {
    var cities, ticks, runsPerMeasurement, rounds, workers: Int
    var oneWorkerRunsPerSecond, allWorkersRunsPerSecond, speedup: Double
}

func sweep(_ o: Options) throws {
    guard let out = o.url("out") else { throw Failure(description: "sweep needs --out FILE") }
    let runs = o.int("runs", 64)
    let rounds = o.int("rounds", 3)
    let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let p = ModelParameters()
    let setup = try prepared(cities: 22, parameters: p).setup
    let settings = SimulationSettings(startYear: 2020, endYear: 2035, dt: 1, seed: 1)
    @Sendable func one(_ k: Int) {
        var s = settings
        s.seed = UInt64(k + 1)
        do {
            var gdp = 0.0
            try Simulation(setup: setup, parameters: p, settings: s).run { gdp = $0.realGDP[0] }
            precondition(gdp > 0)
        } catch { fatalError("run \(k): \(error)") }
    }
    one(0)  // warm up
    // One worker and every worker in turn, three rounds, the best of each: what the machine
    // can do when nothing else is running, as far as one measurement can tell.
    var serial = Double.infinity
    var parallel = Double.infinity
    for _ in 0..<rounds {
        serial = min(serial, Measure.time { for k in 0..<runs { one(k) } }.1)
        parallel = min(parallel, Measure.time {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for k in stride(from: w, to: runs, by: workers) { one(k) }
            }
        }.1)
    }
    let result = SweepResult(
        cities: 22, ticks: settings.tickCount, runsPerMeasurement: runs, rounds: rounds, workers: workers,
        oneWorkerRunsPerSecond: Double(runs) / serial, allWorkersRunsPerSecond: Double(runs) / parallel,
        speedup: serial / parallel)
    try writeJSON(result, to: out)
    print(String(format: "sweep, 22 cities 2020–2035: %.1f runs/s on 1 worker, %.1f runs/s on %d workers (×%.2f)",
                 result.oneWorkerRunsPerSecond, result.allWorkersRunsPerSecond, workers, result.speedup))
}

// MARK: - scenario

/// The model alone on a shipped scenario, in process: what `twincity run` computes before
/// it writes anything, to set against the whole command's wall time (run.sh).
struct ScenarioResult: Codable {
    var scenario: String
    var ticks, repeats: Int
    /// Best of the repeats: reading and checking the scenario files, calibrating (the
    /// base-year equilibrium), and `Simulation.run` with an observer that keeps nothing.
    var loadSeconds, prepareSeconds, simulateSeconds: Double
}

func scenario(_ o: Options) throws {
    guard let out = o.url("out"), let path = o.string("scenario") else {
        throw Failure(description: "scenario needs --scenario FILE --out FILE")
    }
    let repeats = o.int("repeats", 10)
    var load = Double.infinity, prepare = Double.infinity, simulate = Double.infinity
    var ticks = 0
    for _ in 0..<repeats {
        let (loaded, tLoad) = try Measure.time { try ScenarioLoader.load(path: path) }
        let (prepared, tPrepare) = try Measure.time { try ScenarioLoader.prepare(loaded) }
        let simulation = try Simulation(setup: prepared.setup, parameters: prepared.parameters, settings: loaded.settings, policies: loaded.policies)
        var gdp = 0.0
        let (_, tRun) = try Measure.time { try simulation.run { gdp = $0.realGDP[0] } }
        precondition(gdp > 0)
        ticks = loaded.settings.tickCount
        (load, prepare, simulate) = (min(load, tLoad), min(prepare, tPrepare), min(simulate, tRun))
    }
    try writeJSON(ScenarioResult(scenario: path, ticks: ticks, repeats: repeats, loadSeconds: load, prepareSeconds: prepare, simulateSeconds: simulate), to: out)
    print(String(format: "%@: load %.2f ms, calibrate %.2f ms, simulate %.2f ms (%d ticks, best of %d)",
                 path, load * 1e3, prepare * 1e3, simulate * 1e3, ticks, repeats))
}

// MARK: - export-run

func exportRun(_ o: Options) throws {
    guard let folder = o.url("out") else { throw Failure(description: "export-run needs --out DIR") }
    let repeats = o.int("repeats", 5)
    let p = ModelParameters()
    let setup = try prepared(cities: 22, parameters: p).setup
    let structure = try Export.structure(setup, parameters: p, to: folder)
    var quiet = p
    quiet.productivityShockSD = 0
    let settings = SimulationSettings(startYear: 2020, endYear: 2050, dt: 1, seed: 20200710)
    // The 30-year run from the prepared setup, best of the repeats: with the default solver
    // (the fixed point at 22 cities) and with hybrid Powell.
    func best(_ parameters: ModelParameters) throws -> Double {
        var fastest = Double.infinity
        for _ in 0..<repeats {
            let (_, s) = try Measure.time { try Simulation(setup: setup, parameters: parameters, settings: settings).run { _ in } }
            fastest = min(fastest, s)
        }
        return fastest
    }
    var powell = p
    powell.solver = .powell
    let runSeconds = try best(p)
    let powellSeconds = try best(powell)
    print(String(format: "22-city 30-year run: %.4f s (default solver), %.4f s (hybrid Powell), best of %d", runSeconds, powellSeconds, repeats))
    var gdp: [Double] = []
    var last: (EconomyState, [Double])?
    try Simulation(setup: setup, parameters: quiet, settings: settings).run { r in
        gdp.append(r.realGDP.reduce(0, +))
        last = (r.state, r.equilibrium.prices)
    }
    let json = RunProblemJSON(
        structure: structure, parameters: p, state: StateJSON(setup.state), basePrices: setup.basePrices,
        baseRent: setup.baseRent, baseInvestmentPrice: setup.baseInvestmentPrice, startYear: settings.startYear, endYear: settings.endYear, dt: settings.dt,
        seed: settings.seed, swiftNoShockRealGDP: gdp, swiftNoShockFinal: StateJSON(last!.0),
        swiftNoShockFinalPrices: last!.1, swiftRunSeconds: runSeconds, swiftRunSecondsPowell: powellSeconds,
        repeats: repeats)
    try writeJSON(json, to: folder.appendingPathComponent("problem.json"))
    print("exported the 22-city setup to \(folder.path)")
}

// MARK: - bandwidth

func bandwidth(_ o: Options) throws {
    guard let out = o.url("out") else { throw Failure(description: "bandwidth needs --out FILE") }
    let r = Bandwidth.measure()
    try writeJSON(r, to: out)
    print(String(format: "bandwidth: copy %.1f GB/s (1 thread), %.1f GB/s (%d threads); triad %.1f / %.1f GB/s",
                 r.copyOneThread / 1e9, r.copyAllThreads / 1e9, r.threads, r.triadOneThread / 1e9, r.triadAllThreads / 1e9))
}

let arguments = CommandLine.arguments
let command = arguments.count > 1 ? arguments[1] : ""
let options = Options(arguments.dropFirst(2))
do {
    switch command {
    case "size": try size(options)
    case "sweep": try sweep(options)
    case "export-run": try exportRun(options)
    case "bandwidth": try bandwidth(options)
    case "scenario": try scenario(options)
    default:
        print("usage: TwinCityBench size|sweep|export-run|bandwidth|scenario [options] (see main.swift)")
        exit(2)
    }
} catch {
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
