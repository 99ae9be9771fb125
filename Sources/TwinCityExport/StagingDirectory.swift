// The hidden sibling a run directory is written into and the rename that makes it appear:
// how both writers keep the output path either absent or holding a complete run.
import Foundation

/// A temporary directory `.NAME.partial-<pid>` next to the output path `NAME`, moved into
/// place by `moveIntoPlace()` or removed by `remove()`.
struct StagingDirectory {
    /// The output directory, as given.
    let path: String
    /// The output directory, absolute.
    let finalURL: URL
    /// The temporary directory.
    let temporaryURL: URL
    /// Replace an existing output directory at `moveIntoPlace()`.
    let overwrite: Bool

    /// The temporary directory's path.
    var temporaryPath: String { temporaryURL.path }

    /// Creates the temporary directory (and missing parents of `path`).
    ///
    /// - Throws: `RunDirectoryError.exists` when `path` exists and `overwrite` is false;
    ///   `RunDirectoryRefusal` when `overwrite` is true and `path` is not a run directory
    ///   twincity wrote (`RunDirectoryMarker`);
    ///   `.fileSystem` when the directory cannot be created.
    init(path: String, overwrite: Bool) throws {
        self.path = path
        self.overwrite = overwrite
        finalURL = URL(fileURLWithPath: path).standardizedFileURL
        let parent = finalURL.deletingLastPathComponent()
        temporaryURL = parent.appendingPathComponent(".\(finalURL.lastPathComponent).partial-\(getpid())")

        let files = FileManager.default
        if Self.itemExists(finalURL.path), !overwrite { throw RunDirectoryError.exists(path: path) }
        // Refused before any work is done: --force replaces only a directory twincity wrote.
        if overwrite { try RunDirectoryMarker.checkReplaceable(finalURL.path, shownAs: path) }
        do {
            try files.createDirectory(at: parent, withIntermediateDirectories: true)
            // A leftover of an earlier process that had the same id; nothing else writes here.
            if Self.itemExists(temporaryURL.path) { try files.removeItem(at: temporaryURL) }
            try files.createDirectory(at: temporaryURL, withIntermediateDirectories: false)
        } catch {
            throw RunDirectoryError.fileSystem(path: temporaryURL.path, operation: "create directory", reason: Self.reason(error))
        }
    }

    /// Writes `data` as the file `name` of the temporary directory.
    func write(_ data: Data, to name: String) throws {
        let url = temporaryURL.appendingPathComponent(name)
        do {
            try data.write(to: url)
        } catch {
            throw RunDirectoryError.fileSystem(path: url.path, operation: "write", reason: Self.reason(error))
        }
    }

    /// Writes the run directory's marker (`RunDirectoryMarker`) and renames the temporary
    /// directory to the output path. With `overwrite`, an existing output directory — only
    /// ever one twincity wrote, checked again here — is moved aside just before the rename
    /// and deleted after it, so the old run stays in place if anything fails before.
    func moveIntoPlace() throws {
        try write(Data(RunDirectoryMarker.contents.utf8), to: RunDirectoryMarker.fileName)
        guard Self.itemExists(finalURL.path) else {
            guard Foundation.rename(temporaryPath, finalURL.path) == 0 else {
                // Another run put a directory there since the check: it is that run's.
                if errno == ENOTEMPTY || errno == EEXIST { throw RunDirectoryError.exists(path: path) }
                throw RunDirectoryError.fileSystem(
                    path: finalURL.path, operation: "rename '\(temporaryPath)' to", reason: String(cString: strerror(errno)))
            }
            return
        }
        // Appeared during the run, or was there from the start with overwrite asked for.
        guard overwrite else { throw RunDirectoryError.exists(path: path) }
        try RunDirectoryMarker.checkReplaceable(finalURL.path, shownAs: path)
        let aside = finalURL.deletingLastPathComponent().appendingPathComponent(".\(finalURL.lastPathComponent).old-\(getpid())").path
        if Self.itemExists(aside) { try? FileManager.default.removeItem(atPath: aside) }
        try Self.rename(finalURL.path, to: aside)
        do {
            try Self.rename(temporaryPath, to: finalURL.path)
        } catch {
            try? Self.rename(aside, to: finalURL.path)
            throw error
        }
        do {
            try FileManager.default.removeItem(atPath: aside)
        } catch {
            throw RunDirectoryError.fileSystem(
                path: aside, operation: "remove the replaced run directory",
                reason: Self.reason(error) + "; the new run is in place at '\(path)'")
        }
    }

    /// Removes the temporary directory and everything in it, ignoring errors.
    func remove() {
        try? FileManager.default.removeItem(at: temporaryURL)
    }

    // MARK: - File system helpers

    /// True when anything (directory, file, link) is at `path`.
    static func itemExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// rename(2): atomic within one file system.
    static func rename(_ source: String, to destination: String) throws {
        guard Foundation.rename(source, destination) == 0 else {
            throw RunDirectoryError.fileSystem(
                path: destination, operation: "rename '\(source)' to", reason: String(cString: strerror(errno)))
        }
    }

    /// The most readable text of a Foundation error.
    static func reason(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}
