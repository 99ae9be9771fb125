// Turns SIGINT and SIGTERM into a flag a long computation checks between steps, so that it
// can stop cleanly instead of dying with half-written output.
import Dispatch
import Foundation

/// Catches SIGINT and SIGTERM while installed and records the first one received.
///
/// The computation polls `received` (e.g. once per tick) and winds down on its own. A second
/// signal means the user will not wait: the registered cleanup runs on the signal's thread
/// and the process exits at once with status 128 + signal.
final class InterruptMonitor: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.
    private let lock = NSLock()
    private var signalReceived: Int32?
    private var cleanup: (@Sendable () -> Void)?
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32]

    /// Starts catching `signals` (SIGINT and SIGTERM by default).
    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
        for number in signals {
            // The default action would end the process before the source sees the signal.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in self.handle(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received since installation, or `nil`.
    var received: Int32? { lock.withLock { signalReceived } }

    /// What to do when a second signal cuts the wind-down short (remove temporary output).
    func onForcedExit(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { cleanup = action }
    }

    /// Stops catching the signals and restores their default actions.
    func uninstall() {
        lock.withLock {
            for source in sources { source.cancel() }
            sources = []
            cleanup = nil
        }
        for number in signals { Foundation.signal(number, SIG_DFL) }
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
