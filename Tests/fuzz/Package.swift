// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for migsim's input parsers. A package of its own so the
// main `swift build` and `swift test` never see it; built and run by run.sh:
//   swift build -c release --sanitize=fuzzer --sanitize=address
// Each target defines LLVMFuzzerTestOneInput; libFuzzer supplies main().
let package = Package(
    name: "migsim-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "migsim", path: "../..")],
    targets: [
        // Scenario files: parse, validate (the path of `migsim scenario check` and `migsim run FILE`),
        // then run small valid scenarios for a bounded number of events.
        .executableTarget(name: "fuzz-scenario", dependencies: [
            .product(name: "MigsimConfig", package: "migsim"), .product(name: "MigsimModel", package: "migsim"),
        ], swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        // Sweep specs: parse and list runs (the path of `migsim sweep list`).
        .executableTarget(name: "fuzz-sweep", dependencies: [
            .product(name: "MigsimSweep", package: "migsim"), .product(name: "MigsimConfig", package: "migsim"),
        ], swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
)
