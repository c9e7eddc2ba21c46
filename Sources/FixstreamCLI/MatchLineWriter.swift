import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamWire

/// Writes `fixstream match` output: a JSON line per confirmed fix, then the route line.
struct MatchLineWriter {
    let points: [TracePoint]
    let graph: RoadGraph
    private(set) var bytes: [UInt8] = []
    /// Fixes written with a road.
    private(set) var matched = 0

    init(points: [TracePoint], graph: RoadGraph) {
        self.points = points
        self.graph = graph
    }

    /// `{"seq":…,"time":…,"lat":…,"lon":…,"matched":…[,"way":…,"lat_snapped":…,"lon_snapped":…,"road":…]}`.
    mutating func append(_ fix: MatchedFix) {
        let point = points[fix.sequence]
        bytes.append(contentsOf: #"{"seq":"#.utf8)
        FixJSONWriter.appendInteger(Int64(fix.sequence), to: &bytes)
        bytes.append(contentsOf: #","time":""#.utf8)
        FixJSONWriter.appendTime(point.time, to: &bytes)
        bytes.append(contentsOf: #"","lat":"#.utf8)
        FixJSONWriter.appendFixed(point.latitude, decimals: 7, to: &bytes)
        bytes.append(contentsOf: #","lon":"#.utf8)
        FixJSONWriter.appendFixed(point.longitude, decimals: 7, to: &bytes)
        if let position = fix.position {
            matched += 1
            let edge = Int(position.edge)
            bytes.append(contentsOf: #","matched":true,"way":"#.utf8)
            FixJSONWriter.appendInteger(graph.wayID(edge), to: &bytes)
            bytes.append(contentsOf: #","lat_snapped":"#.utf8)
            FixJSONWriter.appendFixed(position.latitude, decimals: 7, to: &bytes)
            bytes.append(contentsOf: #","lon_snapped":"#.utf8)
            FixJSONWriter.appendFixed(position.longitude, decimals: 7, to: &bytes)
            let name = graph.name(edge)
            if !name.isEmpty {
                bytes.append(contentsOf: #","road":""#.utf8)
                AlertJSONWriter.appendEscaped(name, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
        } else {
            bytes.append(contentsOf: #","matched":false"#.utf8)
        }
        bytes.append(contentsOf: "}\n".utf8)
    }

    /// `{"route":{"ways":[…],"coordinates":[[lon,lat],…]}}`.
    mutating func appendRoute(_ route: MatchedRoute) {
        bytes.append(contentsOf: #"{"route":{"ways":["#.utf8)
        for (index, way) in route.ways.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            FixJSONWriter.appendInteger(way, to: &bytes)
        }
        bytes.append(contentsOf: #"],"coordinates":["#.utf8)
        for (index, point) in route.coordinates.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            FixJSONWriter.appendFixed(point.longitude, decimals: 7, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            FixJSONWriter.appendFixed(point.latitude, decimals: 7, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(contentsOf: "]}}\n".utf8)
    }

    /// Writes what is buffered once there is more than `threshold` bytes of it.
    mutating func flush(to output: some ByteOutput, ifOver threshold: Int) throws {
        guard bytes.count > threshold else { return }
        try bytes.withUnsafeBytes { try output.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

}
