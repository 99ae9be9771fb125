// Turns SIGINT and SIGTERM into a flag a long computation checks between steps, so that it
// can stop cleanly instead of dying with half-written output.
import Foundation

/// The pipe between the signal handler and the thread that acts on signals. The handler may
/// only do what is async-signal-safe, and `write` is; the thread reads the signal numbers from
/// the other end and does the rest. Created before any handler is installed.
private let signalPipe: (read: Int32, write: Int32) = {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { fatalError("cannot create the signal pipe: \(String(cString: strerror(errno)))") }
    return (ends[0], ends[1])
}()

/// The signal handler: forwards the signal's number through the pipe.
private func forwardSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipe.write, &byte, 1)
}

/// Catches SIGINT and SIGTERM while installed and records the first one received.
///
/// The computation polls `received` (e.g. once per tick) and winds down on its own. A second
/// signal means the user will not wait: the registered cleanup runs on the monitor's thread
/// and the process exits at once with status 128 + signal.
///
/// The handlers are installed before `init` returns, so a signal sent at any moment after it
/// is seen (a dispatch signal source is armed asynchronously, and a signal arriving before
/// that would be lost).
final class InterruptMonitor: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`; `installed` under
    // `registryLock`.
    private let lock = NSLock()
    private var signalReceived: Int32?
    private var cleanup: (@Sendable () -> Void)?
    private let signals: [Int32]

    /// The monitor the signals go to; one at a time, as one command runs at a time.
    nonisolated(unsafe) private static var installed: InterruptMonitor?
    private static let registryLock = NSLock()
    /// The thread that reads the pipe, started with the first monitor.
    private static let reader: Void = {
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(signalPipe.read, &byte, 1)
                if count == 1 {
                    let monitor = registryLock.withLock { installed }
                    monitor?.handle(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "twincity-signals"
        thread.start()
    }()

    /// Starts catching `signals` (SIGINT and SIGTERM by default).
    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
        _ = signalPipe
        _ = Self.reader
        Self.registryLock.withLock { Self.installed = self }
        for number in signals { Foundation.signal(number, forwardSignal) }
    }

    /// The first signal received since installation, or `nil`.
    var received: Int32? { lock.withLock { signalReceived } }

    /// What to do when a second signal cuts the wind-down short (remove temporary output).
    func onForcedExit(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { cleanup = action }
    }

    /// Stops catching the signals and restores their default actions.
    func uninstall() {
        for number in signals { Foundation.signal(number, SIG_DFL) }
        Self.registryLock.withLock { if Self.installed === self { Self.installed = nil } }
        lock.withLock { cleanup = nil }
    }

    private func handle(_ number: Int32) {
        var first = false
        var action: (@Sendable () -> Void)?
        lock.withLock {
            if signalReceived == nil {
                signalReceived = number
                first = true
            } else {
                action = cleanup
            }
        }
        guard !first else { return }
        action?()
        Foundation.exit(128 + number)
    }

    /// The conventional name of a signal, for messages.
    static func name(of number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(number)"
        }
    }
}
