// swift-tools-version:6.0
// An example of extending migsim from a package of its own: a custom stop
// policy, placement rule and scheduling order, run on the built-in drain.
// Depends on migsim by path (the repository two levels up).
import PackageDescription

let package = Package(
    name: "extending",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "migsim", path: "../..")],
    targets: [
        .executableTarget(
            name: "extending",
            dependencies: [
                .product(name: "MigsimModel", package: "migsim"),
                .product(name: "MigsimOutput", package: "migsim"),
            ]
        ),
    ]
)
