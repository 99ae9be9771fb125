// The TOML tree a scenario is checked from: its file, the files it extends merged under it,
// and the command line's `--set` overrides on top, with where every key came from.
import Foundation
import TwinCityExport

/// A scenario's merged TOML tree and the source of each key path in it.
///
/// `extends = "parent.toml"` makes a file inherit every key of its parent: the child's values
/// replace the parent's, tables are merged key by key, and the `[[policy]]` lists are
/// concatenated, the parent's first. `--set KEY=VALUE` then replaces single values. Checking
/// happens on the result, so an error names the file (or `--set`) its value came from.
struct ScenarioSource {
    /// The merged root table.
    var root: [String: TOMLNode]
    /// Where each key path of `root` was written.
    var locations: [[String]: SourceLocation]
    /// The files read, as errors name them: the file given first, then each it extends.
    var files: [String]
    /// Absolute paths of the files the given one extends, nearest first.
    var parents: [String]

    /// The key that names a parent file.
    static let extendsKey = "extends"
    /// The array of tables concatenated rather than replaced when a file extends another.
    static let policyKey = "policy"

    // MARK: - Files

    /// Reads `path` and, recursively, the files it extends.
    ///
    /// - Throws: `InputError` for a missing or unreadable file, a TOML syntax error (with its
    ///   line and column), a bad or missing `extends` target, a cycle of `extends` (naming the
    ///   chain), or a file of another schema version (refused alone).
    static func read(_ path: String) throws -> ScenarioSource {
        let folder = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent().standardizedFileURL
        var chain: [(shown: String, absolute: String)] = []
        var shown = path
        var absolute = URL(fileURLWithPath: path).absoluteURL.standardizedFileURL.path
        var files: [(document: TOMLDocument, locations: [[String]: SourceLocation])] = []
        var nextFolder = folder
        while true {
            let document = try TOMLDocument.read(shown, what: "scenario file")
            let file = shown, fileFolder = nextFolder
            files.append((document, document.locations(file: file, rank: chain.count, folder: fileFolder)))
            chain.append((shown, absolute))
            try refuseOtherSchema(document, file: shown)
            guard let node = document.root[extendsKey] else { break }
            let at = document.positions[[extendsKey]]
            func fail(_ message: String) -> InputError {
                InputError(file: file, line: at?.line, column: at?.column, key: extendsKey, message: message)
            }
            guard case .string(let target) = node, !target.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("expected the path of the scenario file this one extends, e.g. extends = \"../baseline.toml\", found \(node.found)")
            }
            let parentURL = URL(fileURLWithPath: target, relativeTo: fileFolder).standardizedFileURL
            let parentShown = target.hasPrefix("/") ? target : lexicallyNormalized(PathText.folder(of: file), target)
            if chain.contains(where: { $0.absolute == parentURL.path }) {
                let loop = (chain.map(\.shown) + [parentShown]).joined(separator: " → ")
                throw fail("extends cycle: \(loop); a scenario cannot inherit from itself")
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parentURL.path, isDirectory: &isFolder), !isFolder.boolValue else {
                throw fail("scenario file not found: \(parentURL.path) (a relative path is taken from the folder of the file that extends it)")
            }
            shown = parentShown
            absolute = parentURL.path
            nextFolder = parentURL.deletingLastPathComponent()
        }

        // Merge from the farthest ancestor down, so each file overrides what it extends.
        var source = ScenarioSource(root: [:], locations: [:], files: chain.map(\.shown), parents: chain.dropFirst().map(\.absolute))
        for (document, locations) in files.reversed() {
            var root = document.root
            root[extendsKey] = nil
            source.merge(root, locations: locations.filter { $0.key.first != extendsKey })
        }
        return source
    }

    /// Another version's keys mean other things: a file of another schema is refused before
    /// its keys are merged or checked, so that one error is not buried under many.
    private static func refuseOtherSchema(_ document: TOMLDocument, file: String) throws {
        guard case .integer(let version)? = document.root["schema"], version != ScenarioLoader.schemaVersion else { return }
        let at = document.positions[["schema"]]
        throw InputError(
            file: file, line: at?.line, column: at?.column, key: "schema",
            message: "unsupported schema version \(version); this version of twincity reads schema \(ScenarioLoader.schemaVersion)")
    }

    /// `folder/relative` with `.` and `..` segments resolved in the text, so a parent reads
    /// `scenarios/baseline.toml` rather than `scenarios/policies/../baseline.toml`.
    static func lexicallyNormalized(_ folder: String, _ relative: String) -> String {
        let joined = folder.isEmpty ? relative : folder + "/" + relative
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let text = parts.joined(separator: "/")
        return joined.hasPrefix("/") ? "/" + text : (text.isEmpty ? "." : text)
    }

    // MARK: - Merging

    /// Lays `child` over the tree: its values replace, its tables merge key by key, and its
    /// policies follow the tree's.
    mutating func merge(_ child: [String: TOMLNode], locations childLocations: [[String]: SourceLocation]) {
        root = merged(root, child, at: [], childLocations: childLocations)
    }

    private mutating func merged(
        _ base: [String: TOMLNode], _ child: [String: TOMLNode], at path: [String],
        childLocations: [[String]: SourceLocation]
    ) -> [String: TOMLNode] {
        var result = base
        for (key, value) in child {
            let keyPath = path + [key]
            switch (base[key], value) {
            case (.array(let inherited)?, .array(let added)) where keyPath == [Self.policyKey]:
                result[key] = .array(inherited + added)
                // The child's policy n becomes policy inherited.count + n.
                for (childPath, location) in childLocations where childPath.starts(with: keyPath) {
                    var renumbered = childPath
                    if childPath.count > 1, let n = TOMLKeyPath.index(childPath[1]) {
                        renumbered[1] = "[\(n + inherited.count)]"
                    } else if locations[renumbered] != nil {
                        continue
                    }
                    locations[renumbered] = location
                }
            case (.table(let inherited)?, .table(let added)):
                result[key] = .table(merged(inherited, added, at: keyPath, childLocations: childLocations))
                if locations[keyPath] == nil { locations[keyPath] = childLocations[keyPath] }
            default:
                result[key] = value
                replaceLocations(under: keyPath, with: childLocations.filter { $0.key.starts(with: keyPath) })
            }
        }
        return result
    }

    /// Forgets where the replaced value under `path` was written and records the new one.
    private mutating func replaceLocations(under path: [String], with new: [[String]: SourceLocation]) {
        for key in locations.keys where key.starts(with: path) { locations[key] = nil }
        locations.merge(new) { _, b in b }
    }

    // MARK: - Overrides

    /// Applies `--set KEY=VALUE` options in order, each replacing (or adding) one value.
    ///
    /// KEY is a dotted key path with array indices from 0 (`policy[1].share`,
    /// `model.sectors.services.elasticity`); VALUE is read as a TOML value (`2030`, `0.3`,
    /// `"text"`, `["a", "b"]`, `{ from = "a", to = "b", minutes = 50 }`), and as a plain
    /// string when it is not one (`decision_rule=fixed`). Missing tables on the way are
    /// created; a policy or array element must already exist.
    ///
    /// - Returns: one error per option that cannot be applied (bad syntax, a path through a
    ///   value that is not a table, an index past the end of a list).
    mutating func apply(overrides: [String]) -> [InputError] {
        var errors: [InputError] = []
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let location = SourceLocation(file: SourceLocation.commandLine, rank: Int.max, line: nil, column: nil, folder: here)
        for option in overrides {
            func fail(_ key: String?, _ message: String) {
                errors.append(InputError(file: SourceLocation.commandLine, key: key, message: message))
            }
            guard let equals = option.firstIndex(of: "=") else {
                fail(nil, "expected KEY=VALUE, found '\(option)' (e.g. --set time.end=2030)")
                continue
            }
            let keyText = option[..<equals].trimmingCharacters(in: .whitespaces)
            let valueText = option[option.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard let path = TOMLKeyPath.parse(keyText) else {
                fail(nil, "'\(keyText)' is not a key path; expected dotted keys with array indices from 0, e.g. model.migration_rate or policy[1].share")
                continue
            }
            if path.first == Self.extendsKey {
                fail(keyText, "cannot be set with --set: the files a scenario extends are read before the overrides apply")
                continue
            }
            let value = Self.value(valueText)
            do {
                root = try Self.setting(value, at: path[...], in: .table(root), done: []).tableValue
            } catch let error as OverrideError {
                fail(TOMLKeyPath.format(error.path), error.message)
                continue
            } catch {
                fail(keyText, "\(error)")
                continue
            }
            // The new value and everything in it now come from the command line; tables made
            // on the way too, unless a file wrote them.
            var written: [[String]: SourceLocation] = [:]
            for key in Self.paths(in: value, at: path) { written[key] = location }
            replaceLocations(under: path, with: written)
            for n in 1..<path.count where locations[Array(path.prefix(n))] == nil {
                locations[Array(path.prefix(n))] = location
            }
        }
        return errors
    }

    /// A problem applying one override, at the path where it arose.
    private struct OverrideError: Error {
        var path: [String]
        var message: String
    }

    /// VALUE of `--set KEY=VALUE` as TOML, or as a string when it is no TOML value.
    static func value(_ text: String) -> TOMLNode {
        if let document = try? TOMLDocument(text: "value = " + text), let node = document.root["value"] {
            return node
        }
        return .string(text)
    }

    /// `node` with `value` put at `path`, creating missing tables.
    private static func setting(_ value: TOMLNode, at path: ArraySlice<String>, in node: TOMLNode?, done: [String]) throws -> TOMLNode {
        guard let segment = path.first else { return value }
        let here = done + [segment]
        if let n = TOMLKeyPath.index(segment) {
            guard case .array(var elements)? = node else {
                throw OverrideError(path: done, message: "is \(node?.found ?? "not set"), not a list; an index [\(n)] needs a list")
            }
            guard n < elements.count else {
                let count = elements.count
                let what = done == [policyKey] ? (count == 1 ? "policy" : "policies") : (count == 1 ? "element" : "elements")
                let first = TOMLKeyPath.format(done + ["[0]"]), last = TOMLKeyPath.format(done + ["[\(count - 1)]"])
                let range = count == 0 ? "" : count == 1 ? " (\(first))" : " (\(first) to \(last))"
                let whose = done == [policyKey] ? "the scenario has" : "\(TOMLKeyPath.format(done)) has"
                throw OverrideError(path: here, message: "no such element: \(whose) \(count) \(what)\(range); --set can change an element, not add one")
            }
            elements[n] = try setting(value, at: path.dropFirst(), in: elements[n], done: here)
            return .array(elements)
        }
        var table: [String: TOMLNode]
        switch node {
        case .table(let existing)?: table = existing
        case nil: table = [:]
        case let other?:
            throw OverrideError(path: done, message: "is \(other.found), not a table, so it has no key '\(segment)'")
        }
        if path.count > 1, TOMLKeyPath.index(path[path.index(after: path.startIndex)]) != nil, table[segment] == nil {
            throw OverrideError(path: here, message: "not set, so it has no elements to change")
        }
        table[segment] = try setting(value, at: path.dropFirst(), in: table[segment], done: here)
        return .table(table)
    }

    /// Every key path inside `value` placed at `path`, `path` included.
    private static func paths(in value: TOMLNode, at path: [String]) -> [[String]] {
        switch value {
        case .table(let table):
            return [path] + table.flatMap { paths(in: $0.value, at: path + [$0.key]) }
        case .array(let elements):
            return [path] + elements.enumerated().flatMap { paths(in: $0.element, at: path + ["[\($0.offset)]"]) }
        default:
            return [path]
        }
    }
}

extension TOMLNode {
    /// The table of a `.table` node, else empty (the root is always a table).
    fileprivate var tableValue: [String: TOMLNode] {
        if case .table(let table) = self { return table }
        return [:]
    }
}
