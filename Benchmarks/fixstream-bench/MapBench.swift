import FixstreamOSM
import FixstreamRoads
@preconcurrency import Foundation

/// `map.*`: the road map.
///
/// - `map.read`: the Monaco extract (`Traces/maps/monaco-roads.osm`, 5.5 MB of OSM XML) read by the importer:
///   XML parsing, the tag policy and node positions, no graph.
enum MapBench {
    static let monaco = "Traces/maps/monaco-roads.osm"
    static let names = ["map.read"]

    static func run(_ suite: inout BenchSuite) throws {
        if let filter = suite.filter, !names.contains(where: { $0.contains(filter) }) { return }
        let bytes = Double(try FileManager.default.attributesOfItem(atPath: monaco)[.size] as? Int ?? 0)
        suite.run(
            "map.read",
            work: { (try? OSMImporter().importFile(atPath: monaco))?.ways.count ?? -1 },
            metrics: { ways, seconds in
                [("ms", seconds * 1000), ("MB/s", bytes / 1e6 / seconds), ("ways", Double(ways))]
            }
        )
    }
}
