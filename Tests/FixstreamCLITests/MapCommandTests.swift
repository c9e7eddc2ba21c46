import FixstreamCLI
import FixstreamOSM
import FixstreamRoads
import Foundation
import Testing

/// `fixstream map import`: an OSM XML extract in, a road graph file out, read back by `RoadGraph.load`.
struct MapCommandTests {
    static let monaco = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Traces/maps/monaco-roads.osm").path

    /// The node and edge counts of the summary's `graph of N nodes and M edges` line.
    private func graphCounts(_ stderr: String) -> (nodes: Int, edges: Int)? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.contains("graph of ") }) else { return nil }
        let words = line.split(separator: " ")
        guard let of = words.firstIndex(of: "of"), words.count > of + 4 else { return nil }
        guard let nodes = Int(words[of + 1]), let edges = Int(words[of + 4]) else { return nil }
        return (nodes, edges)
    }

    @Test func importsMonacoIntoAGraphFileThatLoadsBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.path("monaco.fxg")
        let run = runFixstream(["map", "import", Self.monaco, "--out", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(": 26088 nodes, 2927 ways, 0 relations\n"))
        #expect(
            run.stderr.contains(
                "fixstream map: kept 1806 ways using 17237 nodes; skipped 1121: not_a_road 1098, area 1, "
                    + "no_access 19, too_few_nodes 3\n"
            )
        )
        #expect(run.stderr.contains("written to \(output) ("))
        let counts = try #require(graphCounts(run.stderr))
        let graph = try RoadGraph.load(path: output)
        #expect(graph.nodeCount == counts.nodes)
        #expect(graph.edgeCount == counts.edges)
        // The same as building in-process from the importer's result.
        var builder = try OSMImporter().importFile(atPath: Self.monaco).makeBuilder()
        let direct = builder.build()
        #expect(builder.missingNodeReferences == 0 && builder.droppedWays == 0)
        #expect(direct.nodeCount == graph.nodeCount && direct.edgeCount == graph.edgeCount)
        #expect(graph.nodeCount > 1_000 && graph.edgeCount > graph.nodeCount)
    }

    @Test func writesToTheDataDirectoryByDefault() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try directory.write(
            "tiny.osm",
            """
            <osm version="0.6">
              <node id="1" lat="43.73" lon="7.42"/><node id="2" lat="43.731" lon="7.42"/>
              <node id="3" lat="43.731" lon="7.421"/>
              <way id="5"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
              <way id="6"><nd ref="1"/><nd ref="3"/><tag k="highway" v="steps"/></way>
              <way id="7"><nd ref="2"/><nd ref="99"/><nd ref="3"/><nd ref="1"/><tag k="highway" v="service"/></way>
            </osm>
            """
        )
        let data = directory.path("nested/data")
        let run = runFixstream(["map", "import", map, "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("kept 2 ways using 3 nodes; skipped 1: not_a_road 1\n"))
        #expect(
            run.stderr.contains(
                "fixstream map: 1 way cut into pieces around nodes missing from the file (1 reference to missing nodes)\n"
            )
        )
        let graph = try RoadGraph.load(path: data + "/roads.fxg")
        let counts = try #require(graphCounts(run.stderr))
        #expect(graph.nodeCount == counts.nodes && graph.edgeCount == counts.edges)
        #expect(graph.edgeCount > 0)
    }

    @Test func malformedXMLIsAUsageErrorWithItsLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try directory.write("bad.osm", "<osm>\n<node id=\"1\" lat=\"1\" lon=\"1\">\n</way>\n</osm>\n")
        let run = runFixstream(["map", "import", map, "--out", directory.path("out.fxg")])
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "fixstream: map import: malformed_xml: \(map), line 3: an end tag that does not match the open element\n"
        )
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.fxg")))
    }

    @Test func refusals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = runFixstream(["map", "import", directory.path("none.osm"), "--data", directory.path("d")])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("fixstream: map import: io: "))
        let pbf = runFixstream(["map", "import", "monaco.osm.pbf"])
        #expect(pbf.status == 2)
        #expect(pbf.stderr.contains("PBF"))
        #expect(runFixstream(["map"]).status == 2)
        #expect(runFixstream(["map", "export"]).stderr.contains("unknown action 'export'"))
        #expect(runFixstream(["map", "import"]).stderr.contains("missing OSM XML file"))
        #expect(runFixstream(["map", "import", "a.osm", "b.osm"]).stderr.contains("unexpected argument 'b.osm'"))
        #expect(
            runFixstream(["map", "import", "a.osm", "--bbox", "1"]).stderr == "fixstream: unknown option '--bbox'\n"
        )
        let help = runFixstream(["map", "--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("Usage: fixstream map import FILE.osm"))
        #expect(runFixstream(["help"]).stdout.contains("map        "))
    }
}
