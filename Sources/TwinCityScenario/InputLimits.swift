// Limits on every number in an input that sets how much twincity allocates or computes: each
// is checked before anything is allocated or run, and a value above it is refused (exit
// status 2) with the limit and an estimate of the time or memory it would take, instead of a
// trap converting a huge Double to Int, an allocation that fails, or a run with no end in sight.
import Foundation

/// The documented limits (docs/RELIABILITY.md, "Limits") and the estimates shown with them.
///
/// Estimates of time and memory scale the measurements of `Benchmarks/RESULTS.md` (release
/// build, 2 cores): 1.18 ms a tick at 22 cities, 6.29 ms at 200 and 700 ms at 3000 (time per
/// tick growing as N^1.74 above 200 cities), and a peak of about 150 bytes per pair of
/// cities for three sectors (1345 MiB at 3000 cities). They are lower bounds, not promises.
package enum InputLimits {
    /// Most ticks a run may have: ((end − start) / dt) + 1 ≤ 1001 records. A thousand years
    /// of yearly ticks, or 250 of quarterly ones, is far past any horizon the calibration to
    /// 2020 speaks for.
    package static let maximumTicks = 1000
    /// Most cities × sectors a scenario may have: 3000 cities (the largest roster measured in
    /// Benchmarks/RESULTS.md) with the three default sectors.
    package static let maximumCitySectors = 9000
    /// Most runs (points × replications) a sweep may ask for.
    package static let maximumSweepRuns = 1_000_000
    /// Most bootstrap resamples `sweep analyze --bootstrap` takes.
    package static let maximumBootstrap = 100_000

    // MARK: - Checks

    /// Why `[time]` asks for too many ticks, or `nil` when it does not. Computed in floating
    /// point, so a count beyond `Int` (`end = 1e308`, `dt = 1e-300`) is refused, not trapped.
    ///
    /// - Parameters: start, end: years; dt: years per tick (> 0).
    package static func tickProblem(start: Double, end: Double, dt: Double) -> String? {
        guard start.isFinite, end.isFinite, dt.isFinite, dt > 0, end >= start else { return nil }
        let ticks = ((end - start) / dt + 1e-9).rounded(.down)
        guard !(ticks <= Double(maximumTicks)) else { return nil }
        let shown = ticks < 1e15 ? String(Int64(ticks)) : String(format: "%.3g", ticks)
        return "the run from \(format(start)) to \(format(end)) with dt = \(format(dt)) (years) has \(shown) ticks, "
            + "more than the limit of \(maximumTicks) (docs/RELIABILITY.md, \"Limits\"); "
            + "even the 22-city roster would take at least \(duration(ticks * tickSeconds(cities: 22, sectors: 3))); "
            + "shorten [time] or lengthen dt"
    }

    /// Why a roster of `cities` cities with `sectors` sectors is too large, or `nil`.
    package static func rosterProblem(cities: Int, sectors: Int) -> String? {
        let product = cities.multipliedReportingOverflow(by: max(sectors, 1))
        guard product.overflow || product.partialValue > maximumCitySectors else { return nil }
        return "\(cities) cities × \(sectors) sectors = \(product.overflow ? "more than \(Int.max)" : String(product.partialValue)) city-sectors, "
            + "more than the limit of \(maximumCitySectors) (3000 cities with the 3 default sectors; docs/RELIABILITY.md, \"Limits\"); "
            + "such a run would need about \(bytes(memoryBytes(cities: cities, sectors: sectors))) of memory "
            + "and \(duration(tickSeconds(cities: cities, sectors: sectors))) a tick"
    }

    /// Why a sweep of `runs` runs (points × replications; `nil` when the product overflows)
    /// over `parameters` parameters is too large, or `nil`.
    package static func sweepProblem(runs: Int?, parameters: Int) -> String? {
        if let runs, runs <= maximumSweepRuns { return nil }
        let count = runs.map(String.init) ?? "more than \(Int.max)"
        let design = runs.map { Double($0) * Double(max(parameters, 1)) * 8 } ?? .infinity
        return "the sweep asks for \(count) runs, more than the limit of \(maximumSweepRuns) (docs/RELIABILITY.md, \"Limits\"); "
            + "its design alone would take \(bytes(design)) of memory and the runs at least "
            + "\(duration((runs.map(Double.init) ?? .infinity) * 16 * tickSeconds(cities: 22, sectors: 3))) "
            + "(16 ticks of the 22-city roster each); reduce samples, levels or replications"
    }

    /// Why `resamples` bootstrap resamples of `rows` base rows and `parameters` parameters
    /// are too many, or `nil`.
    package static func bootstrapProblem(resamples: Int, rows: Int, parameters: Int) -> String? {
        guard resamples > maximumBootstrap else { return nil }
        let memory = Double(resamples) * Double(2 * max(parameters, 1)) * 8
        // Each resample evaluates N rows of d + 2 columns: about 5 ns a value.
        let seconds = Double(resamples) * Double(max(rows, 1)) * Double(parameters + 2) * 5e-9
        return "--bootstrap \(resamples) is more than the limit of \(maximumBootstrap) (docs/RELIABILITY.md, \"Limits\"); "
            + "it would hold \(bytes(memory)) of resampled indices per output and take about \(duration(seconds)) per output"
    }

    // MARK: - Estimates

    /// Seconds a tick takes for `cities` cities and `sectors` sectors (release build;
    /// Benchmarks/RESULTS.md): max(1.18 ms, 6.29 ms · (N/200)^1.74) · S/3.
    package static func tickSeconds(cities: Int, sectors: Int) -> Double {
        max(1.18e-3, 6.29e-3 * pow(Double(cities) / 200, 1.74)) * Double(max(sectors, 1)) / 3
    }

    /// Peak bytes of a run: 150 bytes per pair of cities for 3 sectors, scaled by S/3, plus
    /// 24 MiB for the program itself (Benchmarks/RESULTS.md, peak RSS).
    package static func memoryBytes(cities: Int, sectors: Int) -> Double {
        150 * Double(cities) * Double(cities) * Double(max(sectors, 1)) / 3 + 24 * 1_048_576
    }

    /// `seconds` in the largest unit that keeps the number readable: `12 s`, `4.2 min`,
    /// `3.1 h`, `9.5 days`, `2.3e+06 years`.
    package static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "for ever" }
        switch seconds {
        case ..<1: return String(format: "%.2g s", seconds)
        case ..<120: return String(format: "%.0f s", seconds)
        case ..<7200: return String(format: "%.1f min", seconds / 60)
        case ..<(3 * 86400): return String(format: "%.1f h", seconds / 3600)
        case ..<(730 * 86400): return String(format: "%.1f days", seconds / 86400)
        default: return String(format: "%.2g years", seconds / (365.25 * 86400))
        }
    }

    /// `bytes` in binary units: `512 KiB`, `3.7 GiB`, `8.1e+06 TiB`.
    package static func bytes(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "more than any machine has" }
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = bytes, unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return value < 10 && unit > 0 ? String(format: "%.1f %@", value, units[unit]) : String(format: "%.3g %@", value, units[unit])
    }

    /// A year or a tick length as the user would write it.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%g", value)
    }
}
