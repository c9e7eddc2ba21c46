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
        // A small JSON document parser for control data (fences, trips). Pure.
        .target(name: "FixstreamJSON"),
        // Geometry on the WGS 84 ellipsoid and local planes, fences and their spatial index. Pure.
        .target(name: "FixstreamGeo", dependencies: ["FixstreamJSON"]),
        // The road network: the compact graph file, its spatial index, shortest paths and the online HMM map
        // matcher. Pure after the graph is loaded (one mmap).
        .target(name: "FixstreamRoads", dependencies: ["FixstreamGeo"]),
        // OpenStreetMap XML import: the tag policy (pure) and a streaming reader (FoundationXML) that hands road
        // ways and node positions to the road network builder.
        .target(name: "FixstreamOSM", dependencies: ["FixstreamRoads"]),
        // Scoring against known truth: route mismatch, synthetic trace sets, seeded noise. Pure.
        .target(
            name: "FixstreamEval",
            dependencies: ["FixstreamGeo", "FixstreamRoads", "FixstreamJSON", "FixstreamWire"]
        ),
        // The fleet simulator: trips on the road graph, noisy fixes and the truth they came from. Pure.
        .target(
            name: "FixstreamSim",
            dependencies: ["FixstreamRoads", "FixstreamEval", "FixstreamGeo", "FixstreamJSON", "FixstreamWire"]
        ),
        // Per-vehicle pipeline logic: ordering, filters, stages, timers, alerts. Pure: a clock is passed in.
        .target(name: "FixstreamPipeline", dependencies: ["FixstreamWire", "FixstreamGeo"]),
        // Trips: the model and the one parser that checks it, for the store, the detectors and the CLI. Pure.
        .target(name: "FixstreamTrips", dependencies: ["FixstreamJSON", "FixstreamGeo", "FixstreamWire"]),
        // The stages: map matching (with a road graph), GPS loss, idle, geofences, trips (stops, routes, ETA). Pure:
        // stages on the shard clock.
        .target(
            name: "FixstreamDetect",
            dependencies: ["FixstreamPipeline", "FixstreamGeo", "FixstreamWire", "FixstreamTrips", "FixstreamRoads"]
        ),
        // HTTP/1.1 message parsing and response writing on bytes. Pure: no sockets.
        .target(name: "FixstreamHTTP"),
        // C glue for the Linux calls Glibc does not export to Swift (epoll, recvmmsg, accept4, ...).
        .target(name: "CFixstreamNet"),
        // Thin, typed wrappers over sockets, epoll and threads.
        .target(name: "FixstreamNet", dependencies: ["CFixstreamNet"]),
        // The system SQLite library (libsqlite3-dev), seen from Swift.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Durable control data (fences, trips, vehicles) in SQLite: one connection per thread, no Foundation.
        .target(
            name: "FixstreamStore",
            dependencies: ["CSQLite", "FixstreamJSON", "FixstreamGeo", "FixstreamWire", "FixstreamTrips"]
        ),
        // The running server: IO threads, rings, shard threads, sinks, metrics.
        .target(
            name: "FixstreamServer",
            dependencies: [
                "FixstreamWire", "FixstreamPipeline", "FixstreamHTTP", "FixstreamNet", "FixstreamStore",
                "FixstreamDetect", "FixstreamDeliver",
            ]
        ),
        // Alert delivery: webhooks read from the journal and POSTed with URLSession, signed (SHA-256, HMAC), with
        // durable cursors and dead letters in SQLite.
        .target(name: "FixstreamDeliver", dependencies: ["FixstreamStore", "FixstreamJSON", "FixstreamNet"]),
        // The load generator behind `fixstream replay` and the end-to-end benchmark.
        .target(name: "FixstreamLoad", dependencies: ["FixstreamWire", "FixstreamNet"]),
        // The command line as a library, so tests drive it in-process.
        .target(
            name: "FixstreamCLI",
            dependencies: [
                "FixstreamWire", "FixstreamPipeline", "FixstreamDetect", "FixstreamGeo", "FixstreamServer",
                "FixstreamLoad", "FixstreamNet", "FixstreamStore", "FixstreamJSON", "FixstreamTrips",
                "FixstreamDeliver", "FixstreamRoads", "FixstreamOSM", "FixstreamSim", "FixstreamEval",
            ]
        ),
        .executableTarget(name: "fixstream", dependencies: ["FixstreamCLI"]),
        .executableTarget(
            name: "fixstream-bench",
            dependencies: [
                "FixstreamWire", "FixstreamPipeline", "FixstreamDetect", "FixstreamGeo", "FixstreamServer",
                "FixstreamLoad", "FixstreamNet", "FixstreamStore", "FixstreamDeliver", "FixstreamRoads", "FixstreamOSM",
                "FixstreamEval",
            ],
            path: "Benchmarks/fixstream-bench"
        ),
        .testTarget(name: "FixstreamWireTests", dependencies: ["FixstreamWire"]),
        .testTarget(name: "FixstreamJSONTests", dependencies: ["FixstreamJSON"]),
        .testTarget(name: "FixstreamGeoTests", dependencies: ["FixstreamGeo", "FixstreamJSON"]),
        .testTarget(name: "FixstreamRoadsTests", dependencies: ["FixstreamRoads", "FixstreamGeo"]),
        .testTarget(name: "FixstreamOSMTests", dependencies: ["FixstreamOSM", "FixstreamRoads", "FixstreamGeo"]),
        .testTarget(
            name: "FixstreamEvalTests",
            dependencies: ["FixstreamEval", "FixstreamRoads", "FixstreamGeo", "FixstreamJSON", "FixstreamOSM"]
        ),
        .testTarget(
            name: "FixstreamSimTests",
            dependencies: [
                "FixstreamSim", "FixstreamEval", "FixstreamRoads", "FixstreamGeo", "FixstreamJSON", "FixstreamTrips",
                "FixstreamWire",
            ]
        ),
        .testTarget(name: "FixstreamPipelineTests", dependencies: ["FixstreamPipeline", "FixstreamWire"]),
        .testTarget(
            name: "FixstreamTripsTests",
            dependencies: ["FixstreamTrips", "FixstreamJSON", "FixstreamGeo", "FixstreamWire"]
        ),
        .testTarget(
            name: "FixstreamDetectTests",
            dependencies: [
                "FixstreamDetect", "FixstreamPipeline", "FixstreamGeo", "FixstreamWire", "FixstreamTrips",
                "FixstreamRoads",
            ]
        ),
        .testTarget(name: "FixstreamHTTPTests", dependencies: ["FixstreamHTTP"]),
        // Runs the real `fixstream` binary as a child process and kills it (SIGKILL) mid-stream.
        .testTarget(name: "FixstreamCrashTests", dependencies: ["fixstream", "FixstreamStore", "FixstreamNet"]),
        .testTarget(
            name: "FixstreamDeliverTests",
            dependencies: ["FixstreamDeliver", "FixstreamStore", "FixstreamJSON", "FixstreamNet"]
        ),
        .testTarget(name: "FixstreamNetTests", dependencies: ["FixstreamNet"]),
        .testTarget(
            name: "FixstreamServerTests",
            dependencies: [
                "FixstreamServer", "FixstreamWire", "FixstreamPipeline", "FixstreamNet", "FixstreamLoad",
                "FixstreamStore",
                "FixstreamDeliver", "FixstreamDetect",
            ]
        ),
        .testTarget(name: "FixstreamLoadTests", dependencies: ["FixstreamLoad", "FixstreamWire", "FixstreamNet"]),
        .testTarget(
            name: "FixstreamStoreTests",
            dependencies: ["FixstreamStore", "FixstreamJSON", "FixstreamGeo", "FixstreamTrips", "CSQLite"]
        ),
        .testTarget(
            name: "FixstreamCLITests",
            dependencies: [
                "FixstreamCLI", "FixstreamWire", "FixstreamDetect", "FixstreamStore", "FixstreamServer", "FixstreamNet",
                "FixstreamTrips", "FixstreamRoads", "FixstreamOSM", "FixstreamSim", "FixstreamEval",
            ]
        ),
    ]
)

/// C targets and system libraries take no Swift settings (a system library target refuses any).
let cTargets: Set<String> = ["CFixstreamNet", "CSQLite"]
for target in package.targets where !cTargets.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}

/// The per-fix hot path lives in classes owned by one thread each (decoders, shard engines, IO loops). Dynamic
/// exclusivity checks on their stored properties cost about a quarter of a shard's time in release builds
/// (measured with perf: `swift_beginAccess`, `AccessSet::insert`, TLS lookups), and guard against nothing there:
/// one thread owns each object. Debug builds (and so the tests) keep the checks; the compiler's static checks
/// stay on everywhere.
let hotPathTargets: Set<String> = [
    "FixstreamWire", "FixstreamPipeline", "FixstreamDetect", "FixstreamServer", "FixstreamRoads",
]
for target in package.targets where hotPathTargets.contains(target.name) {
    target.swiftSettings =
        (target.swiftSettings ?? []) + [
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
        ]
}
