// Key paths of TOML files as users write them (`--set KEY=VALUE`, a sweep's `path`) and as
// errors show them: one grammar for the scenario and sweep readers, the locator and the
// preflight check.

/// A key path is a list of segments: table keys and array indices `[n]` (from 0), e.g.
/// `["policy", "[1]", "cities", "[0]"]` for `policy[1].cities[0]`.
package enum TOMLKeyPath {
    /// True for a character of a bare TOML key: ASCII letters and digits, `_` and `-` (TOML
    /// 1.0, "Keys"); any other key must be quoted.
    package static func isBare(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "-"
    }

    /// True for a non-empty key that needs no quotes.
    package static func isBare(_ key: some StringProtocol) -> Bool {
        !key.isEmpty && key.unicodeScalars.allSatisfy(isBare)
    }

    /// `["policy", "[1]", "share"]` from `policy[1].share`: dotted bare keys, each followed
    /// by any number of indices of ASCII digits. `nil` for anything else — a quoted or empty
    /// key, an unclosed bracket, an index that is not a whole number ≥ 0 or does not fit an
    /// `Int` — so what is accepted can always be looked up.
    package static func parse(_ text: String) -> [String]? {
        guard !text.isEmpty else { return nil }
        var path: [String] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            let name = part.prefix { $0 != "[" }
            guard isBare(name) else { return nil }
            path.append(String(name))
            var rest = part.dropFirst(name.count)
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return nil }
                guard let n = index(digits: rest[rest.index(after: rest.startIndex)..<close]) else { return nil }
                path.append("[\(n)]")
                rest = rest[rest.index(after: close)...]
            }
        }
        return path
    }

    /// `model.sectors.services.base_mix`, `policy[2].cities[1]`: the path as errors show it.
    /// A segment that is not a bare key is quoted; an index follows its array without a dot.
    package static func format(_ path: [String]) -> String {
        var text = ""
        for segment in path {
            if index(segment) != nil {
                text += segment
            } else {
                text += (text.isEmpty ? "" : ".") + (isBare(segment) ? segment : "\"\(segment)\"")
            }
        }
        return text
    }

    /// `n` for an index segment `[n]`, `nil` for a key.
    package static func index(_ segment: String) -> Int? {
        guard segment.first == "[", segment.last == "]", segment.count >= 3 else { return nil }
        return index(digits: segment.dropFirst().dropLast())
    }

    /// The number written by `digits`, ASCII digits only (`Int` alone would take a sign).
    private static func index(digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(digits)
    }
}
