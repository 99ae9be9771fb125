// Scratch folders that disappear with the test, and small file helpers.
import Foundation
import XCTest

/// The helpers every test case has. A protocol extension rather than methods of XCTestCase,
/// so that a test class may still declare a method of the same name for itself (a subclass
/// cannot override a method of an extension).
public protocol TestCaseHelpers {}

extension XCTestCase: TestCaseHelpers {}

extension TestCaseHelpers where Self: XCTestCase {
    /// A fresh, empty scratch folder, removed when the test ends (made writable first, in case
    /// the test took that away).
    public func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("twincity-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock {
            if let items = FileManager.default.enumerator(atPath: url.path) {
                for case let item as String in items { chmod(url.appendingPathComponent(item).path, 0o755) }
            }
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }

    /// Names in `folder`, sorted; hidden ones (a staging directory) included.
    public func contents(_ folder: URL) throws -> [String] {
        try TwinCityTestSupport.contents(of: folder)
    }

    /// Names in `folder`, sorted, hidden ones included (as the free function: a method of the
    /// same base name would hide it inside a test case).
    public func contents(of folder: URL) throws -> [String] {
        try TwinCityTestSupport.contents(of: folder)
    }

    /// A fresh scratch folder of `test` (as the free function, for the same reason).
    public func scratchFolder(_ test: XCTestCase) throws -> URL {
        try test.scratchFolder()
    }

    /// Writes `text` to `name` in `folder`; returns the file's path.
    @discardableResult
    public func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

/// A fresh, empty scratch folder of `test`, removed when the test ends.
public func scratchFolder(_ test: XCTestCase) throws -> URL {
    try test.scratchFolder()
}

/// Names in a folder, hidden ones included, sorted.
public func contents(of folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}
