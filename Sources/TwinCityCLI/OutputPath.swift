// Where a command may write a file the user named: a regular file it replaces, or a new
// path — never a device node, a pipe, a socket, a directory or a symbolic link, which
// writing "to the file" would replace or write through.
import Foundation
import TwinCityScenario

/// Checks of output paths given on the command line, or derived from a run directory.
enum OutputPath {
    /// Refuses `path` unless nothing is there or it is a regular file (not a link to one).
    ///
    /// - Parameter option: The option the path came from, named in the error (`--out`).
    /// - Throws: `OutputPathError`.
    static func checkFile(_ path: String, option: String) throws {
        guard let kind = kind(of: path) else { return }
        guard kind == S_IFREG else {
            throw OutputPathError(option: option, path: path, found: describe(kind), expected: "a regular file or a new path")
        }
    }

    /// Refuses `path` unless nothing is there or it is a directory (not a link to one).
    static func checkFolder(_ path: String, option: String) throws {
        guard let kind = kind(of: path) else { return }
        guard kind == S_IFDIR else {
            throw OutputPathError(option: option, path: path, found: describe(kind), expected: "a folder or a new path")
        }
    }

    /// The file type bits of what is at `path` itself (links not followed), `nil` for nothing.
    static func kind(of path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// A file type in words.
    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}

/// An output path that is something twincity must not write over: exit status 2.
struct OutputPathError: UserInputError {
    let option: String
    let path: String
    let found: String
    let expected: String

    var description: String {
        "\(option): '\(path)' is \(found); expected \(expected), which is then written or replaced"
    }
}
