// The valid name closest to a misspelt one, for error messages that say what was meant.

/// Finds the nearest of a list of valid names by edit distance.
enum NearestName {
    /// The name of `candidates` with the smallest Levenshtein distance to `name` (ties: the
    /// first), or `nil` when there are no candidates.
    static func of(_ name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        return candidates.min { distance(target, Array($0.lowercased())) < distance(target, Array($1.lowercased())) }
    }

    /// Levenshtein distance: insertions, deletions and substitutions of one character each.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The year of `years` closest to `year` (ties: the earlier).
    static func year(_ year: Double, in years: [Double]) -> Double? {
        years.min { abs($0 - year) < abs($1 - year) }
    }
}
