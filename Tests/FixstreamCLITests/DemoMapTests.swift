import Foundation
import Testing

@testable import FixstreamCLI

struct DemoMapTests {
    /// A two-node residential street at `latitude`, `longitude`.
    private func osm(_ latitude: Double, _ longitude: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <osm version="0.6">
          <node id="1" lat="\(latitude)" lon="\(longitude)"/>
          <node id="2" lat="\(latitude + 0.001)" lon="\(longitude + 0.001)"/>
          <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
        </osm>
        """
    }

    /// `demo --map B.osm` after a demo on A.osm in the same directory: the graph imported from A is newer than B,
    /// but it is A's map, not B's. B must be imported.
    @Test func anotherMapIsImportedEvenWhenTheGraphIsNewer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try directory.write("a.osm", osm(43.73, 7.42))
        let second = try directory.write("b.osm", osm(52.52, 13.40))
        // B was downloaded before the first demo ran.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)],
            ofItemAtPath: second
        )
        let data = directory.path("demo")
        let output = MemoryOutput()
        let graph = try DemoMap.graphFile(map: first, dataDirectory: data, stdout: output)
        let again = try DemoMap.graphFile(map: second, dataDirectory: data, stdout: output)
        #expect(graph == again)
        let lines = String(decoding: output.bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.contains("b.osm") == true)
        // And the same map again is not imported again.
        _ = try DemoMap.graphFile(map: second, dataDirectory: data, stdout: output)
        #expect(String(decoding: output.bytes, as: UTF8.self).split(separator: "\n").count == 2)
    }
}
