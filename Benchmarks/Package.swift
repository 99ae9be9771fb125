// swift-tools-version:6.0
// Speed benchmarks of the twincity model core: a release executable timing with
// ContinuousClock, kept out of the main package so that its build and tests stay light.
// Run everything with Benchmarks/run.sh (see README.md).
import PackageDescription

let package = Package(
    name: "twincity-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "twincity", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "TwinCityBench",
            dependencies: [
                .product(name: "TwinCityModel", package: "twincity"),
                .product(name: "TwinCityScenario", package: "twincity"),
            ]
        ),
    ]
)
