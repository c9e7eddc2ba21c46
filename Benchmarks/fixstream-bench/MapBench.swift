import FixstreamOSM
import FixstreamRoads
@preconcurrency import Foundation

/// `map.*`: the road map, from OpenStreetMap XML to a loaded graph.
///
/// - `map.read`: the Monaco extract (`Traces/maps/monaco-roads.osm`, 5.5 MB of OSM XML) through the importer
///   alone: XML parsing, the tag policy and node positions, no graph.
/// - `map.import`: what `fixstream map import` does with it: read, build the graph, write the graph file.
/// - `map.load.monaco`, `map.load.grid`: `RoadGraph.load` (one mmap and a check of every index) of the Monaco
///   graph and of a grid city of 512 × 512 junctions with two-way streets (1,046,528 directed edges), each
///   written once to a temporary file; the work also reads every edge's length and one byte of every page, so
///   the whole file has been in memory. The file is in the page cache (it was just written, or loaded by the
///   previous sample), as for a server restarting on the graph it ran with.
/// - `map.load.grid.cold`: the same after the file's pages are dropped from the page cache before each sample
///   (`posix_fadvise(POSIX_FADV_DONTNEED)`), so it is read from the disk: a first start after a boot.
enum MapBench {
    static let monaco = "Traces/maps/monaco-roads.osm"
    static let names = ["map.read", "map.import", "map.load.monaco", "map.load.grid", "map.load.grid.cold"]
    /// Junctions along each side of the grid city.
    static let gridSide = 512

    static func run(_ suite: inout BenchSuite) throws {
        if let filter = suite.filter, !names.contains(where: { $0.contains(filter) }) { return }
        let bytes = Double(try FileManager.default.attributesOfItem(atPath: monaco)[.size] as? Int ?? 0)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fixstream-bench-map-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        suite.run(
            "map.read",
            work: { (try? OSMImporter().importFile(atPath: monaco))?.ways.count ?? -1 },
            metrics: { ways, seconds in
                [("ms", seconds * 1000), ("MB/s", bytes / 1e6 / seconds), ("ways", Double(ways))]
            }
        )

        let monacoGraph = directory.appendingPathComponent("monaco.fxg").path
        suite.run(
            "map.import",
            work: { importMonaco(to: monacoGraph) },
            metrics: { edges, seconds in
                [("ms", seconds * 1000), ("MB/s", bytes / 1e6 / seconds), ("edges", Double(edges))]
            }
        )

        if suite.filter.map({ "map.load.monaco".contains($0) }) ?? true {
            if !FileManager.default.fileExists(atPath: monacoGraph) { _ = importMonaco(to: monacoGraph) }
            load("map.load.monaco", monacoGraph, &suite)
        }

        if suite.filter.map({ "map.load.grid.cold".contains($0) }) ?? true {
            let gridGraph = directory.appendingPathComponent("grid.fxg").path
            try gridCity(side: gridSide).write(toFile: gridGraph)
            load("map.load.grid", gridGraph, &suite)
            load("map.load.grid.cold", gridGraph, &suite, cold: true)
        }
    }

    /// Reads the Monaco XML, builds its graph and writes it to `path`; returns the edge count (-1 on failure).
    static func importMonaco(to path: String) -> Int {
        guard let imported = try? OSMImporter().importFile(atPath: monaco) else { return -1 }
        var builder = imported.makeBuilder()
        let graph = builder.build()
        guard (try? graph.write(toFile: path)) != nil else { return -1 }
        return graph.edgeCount
    }

    /// Times loading the graph file at `path` and reading all of it; `cold` drops the file from the page cache
    /// first.
    static func load(_ name: String, _ path: String, _ suite: inout BenchSuite, cold: Bool = false) {
        let size = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        suite.run(
            name,
            work: {
                if cold { evict(path) }
                return loadAndTouch(path)
            },
            metrics: { edges, seconds in
                [
                    ("ms", seconds * 1000), ("us", seconds * 1e6), ("edges", Double(edges)), ("MB", size / 1e6),
                    ("MB/s", size / 1e6 / seconds),
                ]
            }
        )
    }

    /// Asks the kernel to drop the file's pages from the page cache (they are clean: the file was synced).
    static func evict(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
        close(descriptor)
    }

    /// Loads the graph, reads every edge's length and one byte of every page; returns the edge count, or -1
    /// when the file does not load. (The sums decide the result, so the reads cannot be optimized away.)
    static func loadAndTouch(_ path: String) -> Int {
        guard let graph = try? RoadGraph.load(path: path) else { return -1 }
        var length = 0.0
        for edge in 0 ..< graph.edgeCount { length += graph.length(edge) }
        var pages = 0
        let image = graph.bytes
        for offset in stride(from: 0, to: image.count, by: 4096) { pages &+= Int(image[offset]) }
        return length.isFinite && pages >= 0 ? graph.edgeCount : -1
    }

    /// A square grid of `side` × `side` junctions 100 m apart, every row and column a two-way residential
    /// street: 4 · side · (side − 1) directed edges.
    static func gridCity(side: Int) -> RoadGraph {
        var builder = RoadNetworkBuilder()
        let spacing = 0.000_9  // about 100 m of latitude; a little less of longitude at 45°
        for row in 0 ..< side {
            for column in 0 ..< side {
                builder.addNode(
                    id: Int64(row * side + column + 1),
                    latitude: 45 + Double(row) * spacing,
                    longitude: 7 + Double(column) * spacing * 1.4
                )
            }
        }
        for line in 0 ..< side {
            builder.addWay(
                RoadWay(
                    id: Int64(line + 1),
                    nodes: (0 ..< side).map { Int64(line * side + $0 + 1) },
                    direction: .both,
                    roadClass: .residential
                )
            )
            builder.addWay(
                RoadWay(
                    id: Int64(side + line + 1),
                    nodes: (0 ..< side).map { Int64($0 * side + line + 1) },
                    direction: .both,
                    roadClass: .residential
                )
            )
        }
        return builder.build()
    }
}
