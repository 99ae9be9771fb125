// Which points of a sweep one process runs: all of them, or shard k of n (points whose index
// is k modulo n), from --shard or a Slurm array task.

/// Shard k of n of a sweep (0 ≤ k < n): the points whose index modulo n is k. Dealing points
/// round-robin keeps shards the same size within one point and spreads slow regions of the
/// parameter space over all of them.
public struct ShardSelection: Sendable, Equatable, CustomStringConvertible {
    /// This shard's number, from 0.
    public let index: Int
    /// Number of shards (≥ 1).
    public let count: Int

    /// Shard `index` of `count`; `nil` unless 0 ≤ index < count.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `k/n`, e.g. `0/4`.
    ///
    /// - Throws: `SweepUsageError` saying what was expected.
    public init(parsing text: String) throws(SweepUsageError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw SweepUsageError("--shard expects k/n with 0 ≤ k < n, e.g. --shard 0/4, found '\(text)'")
        }
        guard let shard = ShardSelection(index: k, count: n) else {
            throw SweepUsageError("--shard \(text): expected 0 ≤ k < n and n ≥ 1 (shards are numbered from 0)")
        }
        self = shard
    }

    /// The shard of a Slurm array task: `SLURM_ARRAY_TASK_ID` of `SLURM_ARRAY_TASK_COUNT`,
    /// when both are set in `environment`; `nil` when neither is.
    ///
    /// - Throws: `SweepUsageError` when only one is set, or they do not form a shard (an
    ///   array that does not start at 0).
    public static func fromSlurm(_ environment: [String: String]) throws(SweepUsageError) -> ShardSelection? {
        let id = environment["SLURM_ARRAY_TASK_ID"], count = environment["SLURM_ARRAY_TASK_COUNT"]
        guard id != nil || count != nil else { return nil }
        guard let id, let count, let k = Int(id), let n = Int(count), let shard = ShardSelection(index: k, count: n) else {
            throw SweepUsageError(
                "SLURM_ARRAY_TASK_ID='\(id ?? "")' and SLURM_ARRAY_TASK_COUNT='\(count ?? "")' do not name a shard k of n with 0 ≤ k < n; submit the array as --array=0-(n−1), or pass --shard k/n")
        }
        return shard
    }

    /// True for the points this shard runs.
    public func contains(point: Int) -> Bool { point % count == index }

    /// Number of this shard's points among `pointCount`.
    public func pointCount(of total: Int) -> Int {
        total > index ? (total - index + count - 1) / count : 0
    }

    /// `k/n`.
    public var description: String { "\(index)/\(count)" }

    /// The database file name of this shard: `shard-k-of-n.sqlite`.
    public var databaseName: String { "shard-\(index)-of-\(count).sqlite" }
}
