// swift-tools-version:6.0
// twincity: a multi-agent regional economy simulator of the Chengdu–Chongqing twin-city
// economic circle. Module graph, one way only:
//   twincity (CLI) → TwinCitySweep → TwinCityScenario → TwinCityExport → TwinCityModel → TwinCityGSL → CGSL
//   TwinCitySweep → TwinCityGSL (samplers: Sobol points, seeded uniform streams)
//   TwinCityScenario → TwinCityGSL (Student-t intervals of paired comparisons)
//   twincity (CLI) → TwinCityPlot → TwinCityExport
//   twincity (CLI) → TwinCityServe (web page, HTML report) → TwinCityScenario / TwinCityExport
//   TwinCityFuzz (parser fuzzer) → TwinCitySweep → TwinCityScenario
import PackageDescription

let package = Package(
    name: "twincity",
    platforms: [.macOS(.v13)],
    // MARK: - Public API
    products: [
        .executable(name: "twincity", targets: ["TwinCityCLI"]),
        .library(name: "TwinCityModel", targets: ["TwinCityModel"]),
        .library(name: "TwinCityScenario", targets: ["TwinCityScenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: - Command-line interface
        .executableTarget(
            name: "TwinCityCLI",
            dependencies: [
                "TwinCityModel", "TwinCityScenario", "TwinCityExport", "TwinCitySweep", "TwinCityPlot",
                "TwinCityServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Input and output around the model
        .target(
            name: "TwinCityScenario",
            dependencies: [
                "TwinCityExport", "TwinCityModel", "TwinCityGSL",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(name: "TwinCityExport", dependencies: ["TwinCityModel"]),
        // Charts of a run directory, drawn by gnuplot (an external program, found at run time).
        .target(name: "TwinCityPlot", dependencies: ["TwinCityExport", "TwinCityModel"]),
        .target(
            name: "TwinCitySweep",
            dependencies: [
                "TwinCityScenario", "TwinCityExport", "TwinCityModel", "TwinCityGSL",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Parser fuzzer: built with libFuzzer only by .ci/fuzz (docs/RELIABILITY.md); a plain
        // build gives a program that replays input files through the same checks.
        .executableTarget(name: "TwinCityFuzz", dependencies: ["TwinCityScenario", "TwinCitySweep"]),
        // `twincity serve` (the page, on Hummingbird) and `twincity report` (one HTML file).
        .target(
            name: "TwinCityServe",
            dependencies: [
                "TwinCityScenario", "TwinCityExport", "TwinCityModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // MARK: - Model core (no file I/O)
        .target(name: "TwinCityModel", dependencies: ["TwinCityGSL"]),
        // MARK: - Implementation details: the GSL layer
        .target(name: "TwinCityGSL", dependencies: ["CGSL"]),
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev", "pkg-config"])]
        ),
        // MARK: - Tests
        // What every test target shares: the checkout and the built executables, programs run
        // as a user runs them, scratch folders, an independent CSV reader, tolerances, and the
        // rule for tests that need an external tool (skip, or fail when CI=true). Foundation and
        // XCTest only, so that any test target may use it.
        .target(name: "TwinCityTestSupport", path: "Tests/TwinCityTestSupport"),
        .testTarget(name: "TwinCityTestSupportTests", dependencies: ["TwinCityTestSupport"]),
        .testTarget(name: "TwinCityGSLTests", dependencies: ["TwinCityGSL", "TwinCityTestSupport"]),
        .testTarget(
            name: "TwinCityModelTests",
            dependencies: ["TwinCityModel", "TwinCityGSL", "TwinCityScenario", "TwinCityTestSupport"]
        ),
        .testTarget(
            name: "TwinCityScenarioTests",
            dependencies: ["TwinCityScenario", "TwinCityModel", "TwinCityTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        // The CLI, sweep and reliability tests run the `twincity` executable, which `swift test`
        // builds with every other product of the package; none of them imports the CLI.
        .testTarget(name: "TwinCityCLITests", dependencies: ["TwinCityExport", "TwinCityScenario", "TwinCityTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TwinCityExportTests", dependencies: ["TwinCityExport", "TwinCityModel", "TwinCityTestSupport"]),
        .testTarget(
            name: "TwinCityPlotTests",
            dependencies: ["TwinCityPlot", "TwinCityExport", "TwinCityModel", "TwinCityScenario", "TwinCityTestSupport"]
        ),
        .testTarget(
            name: "TwinCitySweepTests",
            dependencies: [
                "TwinCitySweep", "TwinCityScenario", "TwinCityModel", "TwinCityTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "TwinCityServeTests",
            dependencies: [
                "TwinCityServe", "TwinCityScenario", "TwinCityExport", "TwinCityModel", "TwinCityTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(
            name: "TwinCityReliabilityTests",
            dependencies: ["TwinCityScenario", "TwinCityModel", "TwinCitySweep", "TwinCityFuzz", "TwinCityTestSupport"],
            exclude: ["Fixtures"]
        ),
    ]
)
