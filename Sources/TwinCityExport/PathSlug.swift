// Folder names made from names found in files: a scenario's or a sweep's `name` picks the
// default output folder, so it must not be able to pick a folder anywhere else.
import Foundation

/// A name turned into one safe path component.
public enum PathSlug {
    /// Longest slug, in characters: well below the 255-byte limit of a file name, leaving
    /// room for the `.NAME.partial-<pid>` staging name beside it.
    public static let maximumLength = 100

    /// `name` as a folder name of letters, digits, `-` and `_` only.
    ///
    /// Every other character — `/`, `.`, a space, a NUL, a control character, a quote — is
    /// replaced by `_`; letters and digits are ASCII only (`成都` becomes `__`), so the slug reads
    /// the same in every terminal and on every file system. The result is never empty, never
    /// `.` or `..` and never longer than `maximumLength`; a name that is already a slug is
    /// returned unchanged.
    public static func make(_ name: String) -> String {
        var slug = ""
        for scalar in name.unicodeScalars.prefix(maximumLength) {
            let keep = scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            slug.unicodeScalars.append(keep ? scalar : "_")
        }
        return slug.isEmpty ? "_" : slug
    }

    /// `folder/slug(name)`: the default output path for `name` inside `folder`.
    public static func path(in folder: String, for name: String) -> String {
        folder + "/" + make(name)
    }
}
