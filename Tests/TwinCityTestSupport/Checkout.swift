// Where the tests find the checkout they were built from and the executables built with them.
import Foundation

/// The package root: two folders above this file's folder (Tests/TwinCityTestSupport/).
public let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Paths in the checkout and in the build.
public enum Checkout {
    /// The package root.
    public static var root: URL { packageRoot }

    /// The shipped 22-city baseline, scenarios/baseline.toml.
    public static var baseline: URL { packageRoot.appendingPathComponent("scenarios/baseline.toml") }

    /// The shipped 22-city roster, seeds/cities.csv.
    public static var roster: URL { packageRoot.appendingPathComponent("seeds/cities.csv") }

    /// The folder of the products built with the tests: the test bundle's folder on macOS,
    /// the test executable's elsewhere (as swift-argument-parser's own tests find it).
    public static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        fatalError("no .xctest bundle loaded")
        #else
        return Bundle.main.bundleURL
        #endif
    }

    /// The `twincity` executable built with the tests (`swift test` builds every product of
    /// the package before it runs them).
    public static var twincity: URL { productsDirectory.appendingPathComponent("twincity") }
}
