// The runs of one `twincity serve`: the run folder they live in, which of them are running,
// how far they are, and the single place where a request's run id becomes a path.
import Foundation
import TwinCityExport
import TwinCityScenario

/// The run folder of a server and the runs in it.
///
/// Every run is an ordinary run directory `<folder>/<id>/`, written by `ScenarioRunner`; the
/// scenario text it was started from is kept as `<folder>/.scenarios/<id>.toml`. A run id is
/// made by the server (`<scenario name>-<n>`) and a request can only name a run by an id that
/// matches `RunStore.isValidID` and exists as a directory (not a link) directly inside the
/// folder, so no request reaches outside it. At most `maxConcurrentRuns` run at once.
/// Thread-safe: runs report progress from their own threads.
public final class RunStore: @unchecked Sendable {
    // @unchecked: every mutable member is read and written under `lock`.

    /// What a client sees of a run.
    public struct Status: Codable, Sendable, Equatable {
        /// `running`, `done` or `failed`.
        public var state: String
        /// The run id.
        public var id: String
        /// The scenario's name.
        public var scenario: String
        /// Ticks done and in all (all replications).
        public var done: Int
        public var total: Int
        /// Replications of the run.
        public var replications: Int
        /// Why it failed (the loader's or the model's message), when it did.
        public var error: String?
    }

    /// The run folder, absolute.
    public let folder: URL
    /// Most runs at once.
    public let maxConcurrentRuns: Int
    private let lock = NSLock()
    private var runs: [String: Status] = [:]
    private var stopping = false
    private let group = DispatchGroup()

    /// Opens (creating when needed) the run folder and lists the complete run directories
    /// already in it, so they can be reopened.
    public init(folder: String, maxConcurrentRuns: Int) throws {
        self.folder = URL(fileURLWithPath: folder).absoluteURL.standardizedFileURL
        self.maxConcurrentRuns = maxConcurrentRuns
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: self.folder.path)) ?? [] where Self.isValidID(name) {
            guard let directory = existingDirectory(name),
                  FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.json").path)
            else { continue }
            runs[name] = Status(state: "done", id: name, scenario: name, done: 0, total: 0, replications: 0, error: nil)
        }
    }

    /// True for ids the server makes: a letter or digit, then letters, digits, `_`, `-` or
    /// `.`, at most 100 characters, and no `..`.
    public static func isValidID(_ id: String) -> Bool {
        guard (1...100).contains(id.count), !id.contains("..") else { return false }
        return id.unicodeScalars.enumerated().allSatisfy { index, c in
            let alphanumeric = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
            return alphanumeric || (index > 0 && (c == "_" || c == "-" || c == "."))
        }
    }

    /// The directory of run `id` when `id` is valid and names a directory (not a symbolic
    /// link) directly inside the run folder; `nil` otherwise.
    public func existingDirectory(_ id: String) -> URL? {
        guard Self.isValidID(id) else { return nil }
        let url = folder.appendingPathComponent(id, isDirectory: true)
        guard url.deletingLastPathComponent().standardizedFileURL.path == folder.path else { return nil }
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return url
    }

    /// The status of run `id`, or `nil` when there is no such run.
    public func status(_ id: String) -> Status? {
        lock.withLock { runs[id] }
    }

    /// Every run, newest id last.
    public func all() -> [Status] {
        lock.withLock { runs.values.sorted { $0.id < $1.id } }
    }

    /// Why a run cannot start.
    public enum StartRefusal: Error, Equatable {
        /// `maxConcurrentRuns` are running.
        case busy(Int)
        /// The server is stopping.
        case stopping
    }

    /// Reserves a new run id for a scenario named `name` and starts `body` on a thread of its
    /// own; `body` gets the run directory to create and reports progress through the store.
    ///
    /// - Throws: `StartRefusal` when `maxConcurrentRuns` are running or the server stops.
    public func start(
        scenarioName: String, replications: Int, totalTicks: Int,
        body: @escaping @Sendable (_ directory: String, _ store: RunStore, _ id: String) throws -> Void
    ) throws -> String {
        let id: String = try lock.withLock {
            if stopping { throw StartRefusal.stopping }
            let running = runs.values.filter { $0.state == "running" }.count
            if running >= maxConcurrentRuns { throw StartRefusal.busy(maxConcurrentRuns) }
            let id = freshID(for: scenarioName)
            runs[id] = Status(
                state: "running", id: id, scenario: scenarioName, done: 0, total: totalTicks,
                replications: replications, error: nil)
            return id
        }
        let directory = folder.appendingPathComponent(id).path
        group.enter()
        let thread = Thread { [self] in
            defer { group.leave() }
            do {
                try body(directory, self, id)
                update(id) { $0.state = "done"; $0.done = $0.total }
            } catch {
                update(id) { $0.state = "failed"; $0.error = Self.message(for: error) }
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
        return id
    }

    /// Records that run `id` has done `ticks` ticks.
    public func progress(_ id: String, ticks: Int) {
        update(id) { $0.done = ticks }
    }

    /// True once `stopAll` was called: runs poll it after every tick.
    public var isStopping: Bool { lock.withLock { stopping } }

    /// Stops every run at its next tick and waits until each has removed its temporary
    /// directory, so that stopping the server leaves no half-written run.
    public func stopAll() {
        lock.withLock { stopping = true }
        group.wait()
    }

    /// Where the scenario text of run `id` is kept.
    public func scenarioFile(for id: String) -> URL {
        folder.appendingPathComponent(".scenarios", isDirectory: true).appendingPathComponent("\(id).toml")
    }

    private func update(_ id: String, _ change: (inout Status) -> Void) {
        lock.withLock {
            guard var status = runs[id] else { return }
            change(&status)
            runs[id] = status
        }
    }

    /// `<name>-<n>` with the smallest n ≥ 1 used neither by a run nor by a file of the folder.
    /// Called under `lock`.
    private func freshID(for name: String) -> String {
        var stem = String(name.unicodeScalars.map { c -> Character in
            let ok = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
            return ok ? Character(c) : "-"
        }.prefix(60))
        if stem.isEmpty || !Self.isValidID(stem) { stem = "run" }
        var n = 1
        while runs["\(stem)-\(n)"] != nil
            || FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(stem)-\(n)").path) {
            n += 1
        }
        return "\(stem)-\(n)"
    }

    /// The text a user reads for `error`: an input error's own description (the loader's
    /// `file:line:column: key …` lines), a localized description, or the error's description.
    public static func message(for error: any Error) -> String {
        if let input = error as? any UserInputError { return input.description }
        if let localized = error as? any LocalizedError, let text = localized.errorDescription { return text }
        return String(describing: error)
    }
}
