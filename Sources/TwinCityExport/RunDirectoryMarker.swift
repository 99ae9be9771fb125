// The file that marks a directory as one twincity wrote. `--force` replaces only such a
// directory, so a scenario (or a typo in --out) can never make twincity delete a folder of
// the user's, and it never follows a symbolic link to one.
import Foundation

/// The marker file of a run directory and the check made before replacing a directory.
public enum RunDirectoryMarker {
    /// File name of the marker, hidden so that listings show only the run's tables.
    public static let fileName = ".twincity-run"
    /// Contents of the marker.
    public static let contents = "written by twincity; `twincity run --force` may replace this directory\n"

    /// Refuses to replace what is at `path` unless it is a real directory (not a symbolic
    /// link) holding the marker as a regular file. Nothing at `path` is fine.
    ///
    /// - Parameters:
    ///   - path: The path to check.
    ///   - shown: The path as the user gave it, for the message; `path` when `nil`.
    /// - Throws: `RunDirectoryRefusal` saying what is there instead.
    public static func checkReplaceable(_ path: String, shownAs shown: String? = nil) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFLNK {
            throw RunDirectoryRefusal(path: shown ?? path, reason: "is a symbolic link; --force replaces only a run directory twincity wrote, never what a link points to")
        }
        guard kind == S_IFDIR else {
            throw RunDirectoryRefusal(path: shown ?? path, reason: "is not a directory; --force replaces only a run directory twincity wrote")
        }
        let marker = path + "/" + fileName
        var markerInfo = stat()
        guard lstat(marker, &markerInfo) == 0, markerInfo.st_mode & S_IFMT == S_IFREG,
              FileManager.default.contents(atPath: marker) == Data(contents.utf8) else {
            throw RunDirectoryRefusal(
                path: shown ?? path,
                reason: "was not written by twincity (it has no \(fileName) marker); --force replaces only a run directory twincity wrote — remove it yourself or choose another --out")
        }
    }
}

/// `--force` was asked to replace something that is not a run directory twincity wrote.
public struct RunDirectoryRefusal: Error, CustomStringConvertible, Sendable, Equatable {
    /// The output path, as given.
    public let path: String
    /// What is there instead, as the rest of a sentence.
    public let reason: String

    public var description: String { "output directory '\(path)' \(reason)" }
}
