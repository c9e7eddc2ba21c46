import FixstreamGeo
import FixstreamOSM
import FixstreamRoads
import Foundation
import Testing

/// Reading OSM XML files: ways kept and skipped by reason, node positions, errors with lines, progress.
struct OSMImporterTests {
    /// Nodes 1-6 and 9 in a line of streets; node 8 has no usable position and node 404 none at all; ways of
    /// every kind (way 31 survives in two pieces); node 7 comes after the ways that use it, and node ids are out
    /// of order.
    static let document = """
        <?xml version='1.0' encoding='UTF-8'?>
        <osm version="0.6" generator="test">
          <bounds minlat="43.7" minlon="7.4" maxlat="43.8" maxlon="7.5"/>
          <node id="2" lat="43.7002" lon="7.4002"/>
          <node id="1" lat="43.7001" lon="7.4001">
            <tag k="highway" v="traffic_signals"/>
          </node>
          <node id="3" lat="43.7003" lon="7.4003"/>
          <node id="4" lat="43.7004" lon="7.4004"/>
          <node id="5" lat="43.7005" lon="7.4005"/>
          <node id="6" lat="43.7006" lon="7.4006"/>
          <node id="8" lat="95" lon="7.4008"/>
          <node id="9" lat="43.7009" lon="7.4009"/>
          <node id="100" lat="43.71" lon="7.41"/>
          <node lat="43.71" lon="7.41"/>
          <way id="10">
            <nd ref="1"/><nd ref="2"/><nd ref="2"/><nd ref="3"/>
            <tag k="highway" v="residential"/>
            <tag k="name" v="Rue Grimaldi"/>
            <tag k="maxspeed" v="30"/>
            <tag k="surface" v="asphalt"/>
          </way>
          <way id="11">
            <nd ref="3"/><nd ref="4"/>
            <tag k="highway" v="primary"/>
            <tag k="oneway" v="-1"/>
            <tag k="ref" v="D 6007"/>
          </way>
          <way id="12">
            <nd ref="4"/><nd ref="7"/><nd ref="5"/><nd ref="4"/>
            <tag k="highway" v="tertiary"/>
            <tag k="junction" v="roundabout"/>
          </way>
          <way id="20"><nd ref="5"/><nd ref="6"/><tag k="highway" v="footway"/></way>
          <way id="21"><nd ref="5"/><nd ref="6"/></way>
          <way id="22"><nd ref="5"/><nd ref="6"/><tag k="highway" v="service"/><tag k="access" v="no"/></way>
          <way id="23"><nd ref="5"/><nd ref="6"/><nd ref="5"/><tag k="highway" v="service"/><tag k="area" v="yes"/></way>
          <way id="24"><nd ref="5"/><nd ref="6"/><tag k="highway" v="primary"/><tag k="oneway" v="reversible"/></way>
          <way id="25"><nd ref="6"/><nd ref="6"/><tag k="highway" v="residential"/></way>
          <way id="26"><nd ref="6"/><nd ref="8"/><tag k="highway" v="residential"/></way>
          <way id="27"><nd ref="6"/><nd ref="404"/><tag k="highway" v="residential"/></way>
          <way id="28"><nd ref="6"/><nd ref="x"/><tag k="highway" v="residential"/></way>
          <way><nd ref="6"/><nd ref="9"/><tag k="highway" v="residential"/></way>
          <way id="29">
            <nd ref="6"/><nd ref="9"/>
            <tag k="highway" v="motorway"/>
          </way>
          <way id="31">
            <nd ref="1"/><nd ref="404"/><nd ref="5"/><nd ref="6"/><nd ref="8"/><nd ref="9"/><nd ref="100"/>
            <tag k="highway" v="unclassified"/>
          </way>
          <node id="7" lat="43.7007" lon="7.4007"/>
          <relation id="30">
            <member type="way" ref="10" role="from"/>
            <tag k="type" v="restriction"/>
          </relation>
        </osm>

        """

    private func importDocument(_ text: String) throws -> OSMImport {
        let path = try TestFiles.temporary(text)
        defer { TestFiles.remove(path) }
        return try OSMImporter().importFile(atPath: path)
    }

    private func importError(_ text: String) throws -> OSMImportError? {
        let path = try TestFiles.temporary(text)
        defer { TestFiles.remove(path) }
        do {
            _ = try OSMImporter().importFile(atPath: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func keepsRoadWaysWithTheirTags() throws {
        let result = try importDocument(Self.document)
        #expect(
            result.ways == [
                RoadWay(
                    id: 10,
                    nodes: [1, 2, 3],
                    direction: .both,
                    roadClass: .residential,
                    speedLimit: 30 / 3.6,
                    name: "Rue Grimaldi"
                ),
                RoadWay(id: 11, nodes: [3, 4], direction: .backward, roadClass: .primary, ref: "D 6007"),
                RoadWay(id: 12, nodes: [4, 7, 5, 4], direction: .forward, roadClass: .tertiary),
                RoadWay(id: 29, nodes: [6, 9], direction: .forward, roadClass: .motorway),
                RoadWay(id: 31, nodes: [5, 6], direction: .both, roadClass: .unclassified),
                RoadWay(id: 31, nodes: [9, 100], direction: .both, roadClass: .unclassified),
            ]
        )
    }

    @Test func countsEverySkippedWayByReason() throws {
        let statistics = try importDocument(Self.document).statistics
        #expect(
            statistics.skipped == [
                .notARoad: 2, .noAccess: 1, .area: 1, .reversible: 1, .tooFewNodes: 1, .missingNodes: 2,
                .malformed: 2,
            ]
        )
        #expect(statistics.ways == 15)
        #expect(statistics.waysKept == 5)
        #expect(statistics.waysCut == 1)
        #expect(statistics.missingNodeReferences == 4)
        #expect(statistics.waysSkipped == 10)
        #expect(statistics.ways == statistics.waysKept + statistics.waysSkipped)
        #expect(
            statistics.skippedSummary
                == "not_a_road 2, area 1, no_access 1, reversible 1, too_few_nodes 1, missing_nodes 2, malformed 2"
        )
        #expect(statistics.nodes == 11)
        #expect(statistics.nodesRejected == 2)
        #expect(statistics.relations == 1)
        #expect(statistics.bytes == Self.document.utf8.count)
    }

    @Test func keepsOnlyTheNodesOfKeptWays() throws {
        let result = try importDocument(Self.document)
        #expect(result.nodes.ids == [1, 2, 3, 4, 5, 6, 7, 9, 100])
        #expect(result.statistics.usedNodes == 9)
        let seven = try #require(result.nodes.position(of: 7))
        #expect(seven.latitude == 43.7007 && seven.longitude == 7.4007)
        #expect(result.nodes.position(of: 8) == nil)
    }

    @Test func feedsTheRoadNetworkBuilder() throws {
        var builder = try importDocument(Self.document).makeBuilder()
        let graph = builder.build()
        #expect(builder.missingNodeReferences == 0 && builder.droppedWays == 0)
        // Junctions and ends 1, 3, 4, 5, 6, 9, 100 (2 and 7 are shape points). Edges: 1-3 both ways, 4→3
        // (oneway=-1), the roundabout 4→5→4, the motorway 6→9, the pieces of way 31: 5-6 and 9-100 both ways.
        #expect(graph.nodeCount == 7)
        #expect(graph.edgeCount == 10)
        let wayIDs = (0 ..< graph.edgeCount).map(graph.wayID).sorted()
        #expect(wayIDs == [10, 10, 11, 12, 12, 29, 31, 31, 31, 31])
        let backward = try #require((0 ..< graph.edgeCount).first { graph.wayID($0) == 11 })
        #expect(abs(graph.coordinate(ofNode: graph.tail(backward)).latitude - 43.7004) < 1e-9)
        #expect(graph.ref(backward) == "D 6007")
    }

    @Test func aDocumentWithoutRoadsImportsNothing() throws {
        let result = try importDocument(#"<osm version="0.6"><node id="1" lat="1" lon="1"/></osm>"#)
        #expect(result.ways.isEmpty && result.nodes.count == 0)
        #expect(result.statistics.nodes == 1 && result.statistics.skippedSummary == "none")
    }

    @Test func malformedXMLIsAnErrorWithItsLine() throws {
        let mismatched = """
            <?xml version="1.0"?>
            <osm version="0.6">
              <node id="1" lat="43.7" lon="7.4"/>
              <way id="2">
                <nd ref="1"/>
              </node>
            </osm>
            """
        let error = try #require(try importError(mismatched))
        #expect(error.code == .malformedXML)
        #expect(error.line == 6)
        #expect(error.message == "an end tag that does not match the open element")
        #expect(error.description.hasPrefix("malformed_xml: /"))
        #expect(error.description.hasSuffix(".osm, line 6: an end tag that does not match the open element"))
    }

    @Test(arguments: [
        ("<osm>\n<node id=\"1\" lat=\"1\" lon=\"1\">\n", 2),  // truncated
        ("<osm>\n<way id=\"1\"><tag k=\"name\" v=\"A & B\"/></way></osm>", 2),  // bare ampersand
        ("<osm><node id=1 lat=\"1\" lon=\"1\"/></osm>", 1),  // unquoted attribute
        ("<osm></osm>\n<osm></osm>", 2),  // a second root
        ("PBF\u{1}\u{2}binary", 1),
    ])
    func brokenDocumentsAreMalformed(text: String, line: Int) throws {
        let error = try #require(try importError(text))
        #expect(error.code == .malformedXML)
        #expect(error.line == line)
    }

    @Test func invalidUTF8IsMalformed() throws {
        var data = Data(#"<osm><way id="1"><tag k="name" v=""#.utf8)
        data.append(contentsOf: [0xFF, 0xFE])
        data.append(Data(#""/></way></osm>"#.utf8))
        let path = try TestFiles.temporary(data)
        defer { TestFiles.remove(path) }
        #expect(throws: OSMImportError.self) { try OSMImporter().importFile(atPath: path) }
    }

    @Test func otherDocumentsAreNotOSM() throws {
        let other = try #require(try importError(#"<?xml version="1.0"?><gpx><trk/></gpx>"#))
        #expect(other.code == .notOSM)
        #expect(other.message == "the root element is <gpx>, not <osm>")
        let empty = try #require(try importError(""))
        #expect(empty.code == .notOSM)
    }

    @Test func unreadableFilesAreIOErrors() throws {
        let missing = "/nonexistent/fixstream/map.osm"
        #expect {
            try OSMImporter().importFile(atPath: missing)
        } throws: { error in
            guard let error = error as? OSMImportError else { return false }
            return error.code == .io && error.description == "io: \(missing): cannot open: No such file or directory"
        }
        let directory = FileManager.default.temporaryDirectory.path
        #expect {
            try OSMImporter().importFile(atPath: directory)
        } throws: { error in
            (error as? OSMImportError)?.message == "cannot read: is a directory"
        }
    }

    @Test func reportsProgressWhileReading() throws {
        var text = "<osm>\n"
        for id in 1 ... 5_000 { text += #"<node id="\#(id)" lat="43.7" lon="7.4"/>"# + "\n" }
        text += "</osm>\n"
        let path = try TestFiles.temporary(text)
        defer { TestFiles.remove(path) }
        var importer = OSMImporter()
        importer.progressInterval = .zero
        var reports: [OSMImportProgress] = []
        let result = try importer.importFile(atPath: path) { reports.append($0) }
        #expect(result.statistics.nodes == 5_000)
        #expect(reports.count == 4)  // every 1,024 elements
        #expect(reports.map(\.nodes) == [1_024, 2_048, 3_072, 4_096])
        for report in reports {
            #expect(report.totalBytes == text.utf8.count)
            #expect(report.bytesRead > 0 && report.bytesRead <= text.utf8.count)
            #expect(report.ways == 0 && report.seconds >= 0)
        }
    }

    /// `XMLParser(data:)` fails on documents over about 10 MB; the importer streams.
    @Test func importsDocumentsOverTenMegabytes() throws {
        var text = "<osm version=\"0.6\">\n"
        let nodes = 130_000
        for id in 1 ... nodes {
            let latitude = 43.7 + Double(id % 1000) * 1e-5
            text += #"  <node id="\#(id)" version="1" timestamp="2016-03-05T00:00:00Z" lat="\#(latitude)" lon="7.42"/>"#
            text += "\n"
        }
        for way in 0 ..< nodes / 10 {
            text += #"  <way id="\#(way + 1)"><nd ref="\#(way * 10 + 1)"/><nd ref="\#(way * 10 + 10)"/>"#
            text += #"<tag k="highway" v="\#(way.isMultiple(of: 2) ? "residential" : "footway")"/></way>"#
            text += "\n"
        }
        text += "</osm>\n"
        #expect(text.utf8.count > 12_000_000)
        let result = try importDocument(text)
        #expect(result.statistics.nodes == nodes)
        #expect(result.statistics.waysKept == nodes / 20)
        #expect(result.statistics.skipped == [.notARoad: nodes / 20])
        #expect(result.nodes.count == nodes / 10)
        #expect(result.statistics.bytes == text.utf8.count)
    }

    @Test func importsMonaco() throws {
        let start = ContinuousClock.now
        let result = try OSMImporter().importFile(atPath: TestFiles.monaco)
        let elapsed = ContinuousClock.now - start
        let statistics = result.statistics
        #expect(statistics.bytes == 5_479_781)
        #expect(statistics.nodes == 26_088 && statistics.nodesRejected == 0)
        #expect(statistics.ways == 2_927 && statistics.relations == 0)
        // Counted independently with Python's xml.etree and the same rules.
        #expect(statistics.waysKept == 1_806)
        #expect(statistics.skipped == [.notARoad: 1_098, .noAccess: 19, .tooFewNodes: 3, .area: 1])
        #expect(statistics.usedNodes == 17_237)
        #expect(statistics.waysCut == 0 && statistics.missingNodeReferences == 0)
        #expect(result.nodes.count == 17_237)
        #expect(result.ways.count == 1_806)
        // Plausible content: the roads of Monaco, its motorway one-way, every node inside the extract's box.
        #expect(result.ways.contains { $0.name == "Boulevard du Larvotto" })
        #expect(result.ways.filter { $0.roadClass == .motorway }.allSatisfy { $0.direction != .both })
        #expect(result.ways.filter { $0.direction == .forward }.count > 600)
        for index in 0 ..< result.nodes.count {
            #expect((43.70 ... 43.78).contains(result.nodes.latitude(at: index)))
            #expect((7.34 ... 7.50).contains(result.nodes.longitude(at: index)))
        }
        #expect(elapsed < .seconds(30))  // debug build; release reads it in well under a second
    }
}
