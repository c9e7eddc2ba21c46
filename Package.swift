// swift-tools-version: 6.1
import PackageDescription

/// Stricter checks for every target, set once (see docs/ARCHITECTURE.md).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "fixstream",
    products: [
        .executable(name: "fixstream", targets: ["fixstream"]),
        .executable(name: "fixstream-bench", targets: ["fixstream-bench"]),
        .library(name: "FixstreamWire", targets: ["FixstreamWire"]),
    ],
    targets: [
        // Pure core: the fix model and the decoders. Bytes in, fixes out; no IO, no Foundation.
        .target(name: "FixstreamWire"),
        // The command line as a library, so tests drive it in-process.
        .target(name: "FixstreamCLI", dependencies: ["FixstreamWire"]),
        .executableTarget(name: "fixstream", dependencies: ["FixstreamCLI"]),
        .executableTarget(
            name: "fixstream-bench",
            dependencies: ["FixstreamWire"],
            path: "Benchmarks/fixstream-bench"
        ),
        .testTarget(name: "FixstreamWireTests", dependencies: ["FixstreamWire"]),
        .testTarget(name: "FixstreamCLITests", dependencies: ["FixstreamCLI", "FixstreamWire"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
