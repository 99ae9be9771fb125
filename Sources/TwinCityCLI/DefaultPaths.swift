// Where commands look for their default input files when none is given: the current
// directory first, then the checkout the executable was built in.
import Foundation
import TwinCityScenario

/// Locates default input files such as `seeds/cities.csv`.
///
/// A path relative to the package root is looked up in the current directory, then in each
/// folder above the executable, so `swift run twincity` and `.build/release/twincity` work
/// from any directory inside or outside a checkout.
enum DefaultPaths {
    /// The seed roster, relative to the package root.
    static let roster = "seeds/cities.csv"

    /// `given` when the user gave a path; otherwise the located default.
    ///
    /// - Parameters:
    ///   - given: The option's value, `nil` when the option was not used.
    ///   - relativePath: The default, relative to the package root (e.g. `seeds/cities.csv`).
    ///   - option: The option that overrides the default, named in the error (e.g. `--roster`).
    /// - Throws: `DefaultFileNotFound` when there is no default file to fall back on.
    static func resolve(_ given: String?, default relativePath: String, option: String) throws -> String {
        if let given { return given }
        if let found = locate(relativePath) { return found }
        throw DefaultFileNotFound(
            relativePath: relativePath, option: option,
            searched: [FileManager.default.currentDirectoryPath] + (executableDirectory.map { [$0.path] } ?? []))
    }

    /// `relativePath` as is when it exists below the current directory (so messages show the
    /// short path), else the absolute path of the first match in a folder above the
    /// executable, else `nil`.
    static func locate(_ relativePath: String) -> String? {
        let files = FileManager.default
        if files.fileExists(atPath: relativePath) { return relativePath }
        var folder = executableDirectory
        while let current = folder {
            let candidate = current.appendingPathComponent(relativePath).path
            if files.fileExists(atPath: candidate) { return candidate }
            let parent = current.deletingLastPathComponent()
            folder = parent.path == current.path ? nil : parent
        }
        return nil
    }

    /// Folder of the running executable, symbolic links resolved so an installed link finds
    /// the checkout it points into.
    static var executableDirectory: URL? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }
}

/// No path was given for an input and its default file could not be found.
struct DefaultFileNotFound: UserInputError {
    /// The default file, relative to the package root.
    let relativePath: String
    /// The option that names the file explicitly.
    let option: String
    /// The folders searched: the current directory, then the executable's folder and above.
    let searched: [String]

    var description: String {
        let places = searched.count > 1
            ? "in \(searched[0]) nor above \(searched[1])"
            : "in \(searched.first ?? "the current directory")"
        return "\(relativePath) not found \(places); pass \(option) FILE"
    }
}
