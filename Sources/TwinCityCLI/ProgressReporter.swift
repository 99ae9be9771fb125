// Progress of a long run on standard error: redrawn in place on a terminal, a line every
// 10 % when standard error is a file or a pipe (so logs stay short).
import Foundation

/// Reports `tick/total, year, elapsed time` on standard error.
struct ProgressReporter {
    /// Number of the last tick (ticks run from 0 to `total`).
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
        guard enabled, total > 0 else { return }
        let now = Date()
        let elapsed = String(format: "%.1f s", now.timeIntervalSince(start))
        if terminal {
            // Redrawing more often than ten times a second only costs time.
            if tick < total, let last = lastDraw, now.timeIntervalSince(last) < 0.1 { return }
            lastDraw = now
            write("\rtick \(tick)/\(total)  year \(year)  elapsed \(elapsed)\u{1B}[K")
            drewLine = true
        } else {
            let decile = tick * 10 / total
            guard decile > lastDecile else { return }
            lastDecile = decile
            write("twincity: tick \(tick)/\(total) (\(decile * 10)%), year \(year), elapsed \(elapsed)\n")
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
