import FixstreamCLI
import FixstreamRoads
import Foundation
import Testing

/// `fixstream match`: one trace matched to a road graph, a JSON line per fix and the route.
struct MatchCommandTests {
    private static let latitude = 46.5
    private static let longitude = 7.25
    private static let metresPerDegreeLongitude = 111_195 * cos(46.5 * Double.pi / 180)

    /// Two two-way streets meeting at a right angle: way 10 east from the origin for 300 m, way 20 north from
    /// its east end for 300 m.
    private func writeGraph(in directory: TemporaryDirectory) throws -> String {
        var builder = RoadNetworkBuilder()
        let corners: [(Int64, Double, Double)] = [(1, 0, 0), (2, 300, 0), (3, 300, 300)]
        for (id, east, north) in corners {
            builder.addNode(
                id: id,
                latitude: Self.latitude + north / 111_195,
                longitude: Self.longitude + east / Self.metresPerDegreeLongitude
            )
        }
        builder.addWay(RoadWay(id: 10, nodes: [1, 2], direction: .both, roadClass: .residential, name: "Rue \"A\""))
        builder.addWay(RoadWay(id: 20, nodes: [2, 3], direction: .both, roadClass: .residential))
        let path = directory.path("roads.fxg")
        try builder.build().write(toFile: path)
        return path
    }

    /// A drive east then north at 10 m/s, 3 m off the centre line, one fix a second.
    private func drive() -> [(second: Int, latitude: Double, longitude: Double)] {
        (0 ..< 50).map { second in
            let along = 10 + Double(second) * 10
            let (east, north) = along <= 300 ? (along, 3.0) : (303.0, along - 300)
            return (
                second, Self.latitude + north / 111_195, Self.longitude + east / Self.metresPerDegreeLongitude
            )
        }
    }

    @Test func matchesACSVTraceFixByFixAndAsARoute() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try writeGraph(in: directory)
        let rows = ["id,t,lon,lat"] + drive().map { "x,\(1_795_255_200 + $0.second),\($0.longitude),\($0.latitude)" }
        let trace = try directory.write("drive.csv", rows.joined(separator: "\r\n") + "\r\nx,oops,1,2\r\n")
        let run = runFixstream(["match", "--map", map, "--lag", "2", trace])
        #expect(run.status == 0)
        let lines = run.stdoutLines
        #expect(lines.count == 51)
        let fixes = try lines.dropLast().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(fixes.map { $0["seq"] as! Int } == Array(0 ..< 50))
        #expect(fixes.allSatisfy { $0["matched"] as? Bool == true })
        #expect(fixes[0]["way"] as? Int == 10)
        #expect(fixes[0]["road"] as? String == "Rue \"A\"")
        #expect(fixes[0]["time"] as? String == "2026-11-21T10:00:00.000Z")
        #expect(fixes[49]["way"] as? Int == 20)
        #expect(fixes[49]["road"] == nil)
        let snapped = fixes[5]["lat_snapped"] as! Double
        #expect(abs(snapped - Self.latitude) < 1e-6)
        let route = try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as! [String: Any]
        let body = route["route"] as! [String: Any]
        #expect(body["ways"] as? [Int] == [10, 20])
        let coordinates = body["coordinates"] as! [[Double]]
        #expect(coordinates.count >= 3)
        #expect(coordinates.contains { abs($0[0] - (Self.longitude + 300 / Self.metresPerDegreeLongitude)) < 1e-6 })
        #expect(run.stderr.contains("matched 50 of 50 fixes (0 unmatched) in 1 chain(s)"))
        #expect(run.stderr.contains("unreadable_line=1"))
    }

    @Test func matchesNativeJSONAndRefusesTracesOfSeveralVehicles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try writeGraph(in: directory)
        let lines = drive().map {
            #"{"id":"\#($0.second % 2 == 0 ? "a" : "b")","t":\#(1_795_255_200 + $0.second),"lat":\#($0.latitude),"lon":\#($0.longitude)}"#
        }
        let trace = try directory.write("two.jsonl", lines.joined(separator: "\n"))
        let refused = runFixstream(["match", "--map", map, trace])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("holds 2 vehicles"))
        let picked = runFixstream(["match", "--map", map, "--vehicle", "a", trace])
        #expect(picked.status == 0)
        #expect(picked.stdoutLines.count == 26)
    }

    @Test func takesTheOpenStreetMapFileItself() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try directory.write(
            "two.osm",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <osm version="0.6">
              <node id="1" lat="\(Self.latitude)" lon="\(Self.longitude)"/>
              <node id="2" lat="\(Self.latitude)" lon="\(Self.longitude + 300 / Self.metresPerDegreeLongitude)"/>
              <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
            </osm>
            """
        )
        let rows = ["lat,lon,t"] + drive().prefix(25).map { "\($0.latitude),\($0.longitude),\($0.second)" }
        let trace = try directory.write("drive.csv", rows.joined(separator: "\n"))
        let run = runFixstream(["match", "--map", map, trace])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.count == 26)
        #expect(run.stdoutLines.last?.hasPrefix(#"{"route":{"ways":[10],"#) == true)
    }

    @Test func aMissingOrDamagedMapIsAOneLineError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try directory.write("t.csv", "lat,lon,t\n46.5,7.25,0\n")
        let missing = runFixstream(["match", "--map", directory.path("none.fxg"), trace])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("none.fxg"))
        let damaged = try directory.write("bad.fxg", "FXROADS\0 not really")
        let refused = runFixstream(["match", "--map", damaged, trace])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("fixstream: "))
        let noMap = runFixstream(["match", trace])
        #expect(noMap.status == 2)
    }
}
