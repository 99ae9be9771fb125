// Nearest-name suggestions for misspelt column names, keys, tiers and city ids.

/// Edit-distance suggestions, so an error about an unknown name can say which valid name was
/// probably meant.
package enum Spelling {
    /// Levenshtein distance between two strings, counted in characters, ignoring case.
    /// Cost O(|a|·|b|) time, O(|b|) memory.
    package static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate closest to `name`, or `nil` when even the closest differs in more than
    /// half its characters (then it is no plausible misspelling, and a suggestion would mislead).
    /// Ties go to the earlier candidate, so suggestions are stable.
    package static func nearest<S: Sequence>(to name: String, among candidates: S) -> String?
    where S.Element == String {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, best.name.count / 2) else { return nil }
        return best.name
    }

    /// `; did you mean 'x'?` when a plausible nearest candidate exists, else the empty string.
    package static func suggestion<S: Sequence>(for name: String, among candidates: S) -> String
    where S.Element == String {
        nearest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
