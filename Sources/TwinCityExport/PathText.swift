// Path arithmetic on paths as the user typed them, in plain Swift: Foundation's NSString path
// methods on Linux trap on some one-character paths (`c`, `t`), which made a roster or
// scenario named with one letter crash the command that read it.
import Foundation

/// Lexical operations on `/`-separated paths; nothing is looked up on disk.
package enum PathText {
    /// The folder part of `path`: everything before its last `/` (trailing slashes ignored),
    /// `/` for a file in the root, and the empty string for a bare name (`c` → ``).
    package static func folder(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var folder = trimmed[..<slash]
        while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last component of `path` (trailing slashes ignored): `runs/a/` → `a`, `c` → `c`.
    package static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        let last = trimmed[trimmed.index(after: slash)...]
        return last.isEmpty ? "/" : String(last)
    }

    /// `folder/name`, with one `/` between them; `name` alone for an empty folder.
    package static func join(_ folder: String, _ name: String) -> String {
        guard !folder.isEmpty else { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
