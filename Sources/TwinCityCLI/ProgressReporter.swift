// Progress of a long run on standard error: redrawn in place on a terminal, a line every
// 10 % when standard error is a file or a pipe (so logs stay short).
import Foundation

/// Reports `tick/total, year, elapsed time` on standard error (for an ensemble: ticks done
/// over all replications and replications finished).
struct ProgressReporter {
    /// Number of the last tick (ticks run from 0 to `total`); for an ensemble, the number of
    /// ticks after the first of all replications together.
    let total: Int
    /// False for `--quiet`: nothing is written.
    let enabled: Bool
    /// True when standard error is a terminal, so the line can be redrawn with `\r`.
    let terminal: Bool
    private let start: Date
    private var lastDecile = 0
    private var lastDraw: Date?
    private var drewLine = false

    /// Starts the clock for a run of ticks 0…`total`.
    init(total: Int, enabled: Bool, start: Date = Date()) {
        self.total = total
        self.enabled = enabled
        terminal = isatty(2) != 0
        self.start = start
    }

    /// Reports that tick `tick` (model year `year`) is done.
    mutating func update(tick: Int, year: String) {
        let total = self.total
        report(step: tick, terminalText: "tick \(tick)/\(total)  year \(year)") { percent in
            "tick \(tick)/\(total) (\(percent)%), year \(year)"
        }
    }

    /// Reports an ensemble's progress: `ticks` of the `total` ticks of all replications are
    /// done, and `finished` of its `replications` replications.
    mutating func update(ticks: Int, finished: Int, replications: Int) {
        let total = self.total
        report(step: ticks, terminalText: "ticks \(ticks)/\(total)  replications \(finished)/\(replications) done") { percent in
            "ticks \(ticks)/\(total) (\(percent)%) of \(replications) replications, \(finished) done"
        }
    }

    /// Writes the progress of step `step` of `total`: `terminalText` redrawn at most ten times
    /// a second on a terminal, otherwise `logText(percent)` on a line of its own each time a
    /// further tenth is done; both followed by the elapsed time.
    private mutating func report(step: Int, terminalText: String, logText: (Int) -> String) {
        guard enabled, total > 0 else { return }
        let now = Date()
        let elapsed = String(format: "%.1f s", now.timeIntervalSince(start))
        if terminal {
            // Redrawing more often than ten times a second only costs time.
            if step < total, let last = lastDraw, now.timeIntervalSince(last) < 0.1 { return }
            lastDraw = now
            write("\r\(terminalText)  elapsed \(elapsed)\u{1B}[K")
            drewLine = true
        } else {
            let decile = step * 10 / total
            guard decile > lastDecile else { return }
            lastDecile = decile
            write("twincity: \(logText(decile * 10)), elapsed \(elapsed)\n")
        }
    }

    /// Ends the redrawn line, so that what follows starts on a line of its own.
    mutating func end() {
        guard drewLine else { return }
        write("\n")
        drewLine = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
