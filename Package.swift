// swift-tools-version:6.0
import PackageDescription

// MARK: - Products (the public surface)

let package = Package(
    name: "migsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "migsim", targets: ["migsim"]),
        .library(name: "MigsimKernel", targets: ["MigsimKernel"]),
        .library(name: "MigsimRandom", targets: ["MigsimRandom"]),
        .library(name: "MigsimModel", targets: ["MigsimModel"]),
        // Scenario files and sweep specs; used by the fuzz package in Tests/fuzz.
        .library(name: "MigsimConfig", targets: ["MigsimConfig"]),
        .library(name: "MigsimSweep", targets: ["MigsimSweep"]),
        // CSV tables and summary statistics, as `migsim run` writes them.
        .library(name: "MigsimOutput", targets: ["MigsimOutput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `swift package generate-documentation` (DocC); a plugin only, linked into nothing.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: []
)

// MARK: - Implementation

let optimise: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

package.targets = [
    // GNU GSL through pkg-config; no stable API, MigsimRandom is its only client.
    .systemLibrary(
        name: "CGSL",
        pkgConfig: "gsl",
        providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
    ),
    // Linux process calls (prctl) for the CLI's sweep workers; no stable API.
    .systemLibrary(name: "CPlatform"),
    // Seeded GSL generators and validated distributions as Swift values.
    .target(name: "MigsimRandom", dependencies: ["CGSL"], swiftSettings: optimise),
    // Integer simulated time, the event queue and the scheduler. No model code.
    .target(name: "MigsimKernel", swiftSettings: optimise),
    // Bandwidth resources (links, disks) and the sharing solvers.
    .target(name: "MigsimNetwork", dependencies: ["MigsimKernel"], swiftSettings: optimise),
    // Workloads, migration strategies, stop policies, clusters and scenarios.
    .target(
        name: "MigsimModel",
        dependencies: ["MigsimKernel", "MigsimRandom", "MigsimNetwork"],
        swiftSettings: optimise
    ),
    // CSV writing (RFC 4180, atomic rename) and summary statistics.
    .target(name: "MigsimOutput", dependencies: ["MigsimModel", "MigsimRandom"], swiftSettings: optimise),
    // Scenario files (YAML) and the key schema behind them.
    .target(
        name: "MigsimConfig",
        dependencies: ["MigsimModel", "MigsimRandom", .product(name: "Yams", package: "Yams")],
        swiftSettings: optimise
    ),
    // Parameter sweeps: run lists, seeds, shards, atomic run directories, merging.
    .target(name: "MigsimSweep", dependencies: ["MigsimConfig", "MigsimModel", "MigsimOutput", "MigsimRandom",
                                                 .product(name: "Yams", package: "Yams")], swiftSettings: optimise),
    // Verification (analytic model, SimGrid, invariants) and validation against measured data
    // (data/validation): fitting, prediction, replications and the closed-form predictors.
    .target(name: "MigsimValidation", dependencies: ["MigsimConfig", "MigsimModel", "MigsimOutput"], swiftSettings: optimise),
    // The command-line tool.
    .executableTarget(
        name: "migsim",
        dependencies: [
            "MigsimKernel", "MigsimRandom", "MigsimNetwork", "MigsimModel", "MigsimOutput", "MigsimConfig", "MigsimSweep", "MigsimValidation", "CPlatform",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        swiftSettings: optimise
    ),
    // Test helpers shared by the test targets (CSV read by column name); not a product.
    .target(name: "MigsimTestSupport", path: "Tests/MigsimTestSupport"),
    .testTarget(name: "MigsimKernelTests", dependencies: ["MigsimKernel", "MigsimRandom"]),
    .testTarget(name: "MigsimRandomTests", dependencies: ["MigsimRandom"]),
    .testTarget(name: "MigsimNetworkTests", dependencies: ["MigsimNetwork", "MigsimKernel", "MigsimRandom"]),
    .testTarget(name: "MigsimModelTests", dependencies: ["MigsimModel", "MigsimOutput", "MigsimKernel", "MigsimRandom", "MigsimNetwork",
                                                        "MigsimTestSupport"]),
    .testTarget(name: "MigsimConfigTests", dependencies: ["MigsimConfig", "MigsimModel", "MigsimRandom", "MigsimOutput", "MigsimSweep",
                                                         "MigsimTestSupport"]),
    .testTarget(name: "MigsimOutputTests", dependencies: ["MigsimOutput", "MigsimRandom", "MigsimModel", "MigsimTestSupport"]),
    .testTarget(name: "MigsimValidationTests", dependencies: ["MigsimValidation", "MigsimConfig", "MigsimOutput"]),
    .testTarget(name: "MigsimCLITests", dependencies: ["migsim", "MigsimTestSupport"]),
]
