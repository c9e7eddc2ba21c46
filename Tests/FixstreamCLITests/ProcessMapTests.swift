import FixstreamNet
import FixstreamRoads
import FixstreamServer
import Foundation
import Testing

@testable import FixstreamCLI

/// `--map`: a road graph file for `process` and `serve`, written by the test (as `fixstream map import` would).
@Suite(.serialized)
struct ProcessMapTests {
    static let originLatitude = 46.5
    static let originLongitude = 7.25

    static func latitude(north: Double) -> Double { originLatitude + north / 111_195 }
    static func longitude(east: Double) -> Double {
        originLongitude + east / (111_195 * cos(originLatitude * .pi / 180))
    }

    /// Two streets 100 m apart joined only at their east end (x = 1,000 m) and by a one-way street south at their
    /// west end: from the south street the north one is 2 km away by road. Written to `map.graph`.
    static func writeMap(_ directory: TemporaryDirectory) throws -> String {
        var builder = RoadNetworkBuilder()
        let corners: [(Int64, Double, Double)] = [(1, 0, 0), (2, 1000, 0), (3, 0, 100), (4, 1000, 100)]
        for (id, east, north) in corners {
            builder.addNode(id: id, latitude: latitude(north: north), longitude: longitude(east: east))
        }
        builder.addWay(
            RoadWay(id: 101, nodes: [1, 2], direction: .both, roadClass: .residential, name: "South Street")
        )
        builder.addWay(
            RoadWay(id: 102, nodes: [3, 4], direction: .both, roadClass: .residential, name: "North Street")
        )
        builder.addWay(RoadWay(id: 103, nodes: [2, 4], direction: .both, roadClass: .residential))
        builder.addWay(RoadWay(id: 104, nodes: [3, 1], direction: .forward, roadClass: .residential))
        let path = directory.path("map.graph")
        try builder.build().write(toFile: path)
        return path
    }

    /// East along the south street at 10 m/s from x = 20 m, 3 m off its centre line, a fix a second.
    static func trace(_ directory: TemporaryDirectory, seconds: Int = 40) throws -> String {
        let lines = (0 ..< seconds).map { second in
            let lat = latitude(north: 3)
            let lon = longitude(east: 20 + Double(second) * 10)
            return #"{"id":"van-1","t":\#(1_795_255_200 + second),"lat":\#(lat),"lon":\#(lon),"speed":10}"#
        }
        return try directory.write("drive.jsonl", lines.joined(separator: "\n") + "\n")
    }

    /// A trip without a route to a stop on the north street, 100 m north of the start.
    static func trips(_ directory: TemporaryDirectory) throws -> String {
        let trip = #"""
            {"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":\#(latitude(north: 100)),"lon":\#(longitude(east: 20))}]}
            """#
        return try directory.write("trips.json", trip)
    }

    private func objects(_ run: CommandRun) -> [[String: Any]] {
        run.stdoutLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func processWithAMapTimesTripsOverTheRoadsAndIsDeterministic() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try Self.writeMap(directory)
        let trace = try Self.trace(directory)
        let trips = try Self.trips(directory)
        let arguments = ["process", "--map", map, "--trips", trips, "--eta", "--gps-lost", "0", trace]
        let first = runFixstream(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let second = runFixstream(arguments)
        #expect(first.stdout == second.stdout)
        let etas = objects(first).filter { $0["type"] as? String == "eta" }
        #expect(etas.count == 40)
        // The last fix is 410 m along: 590 m on, 100 m up the link, 980 m back west.
        let last = (etas.last?["stops"] as? [[String: Any]])?.first
        let distance = try #require(last?["distance"] as? Int)
        #expect(abs(distance - 1670) <= 3)
        #expect(first.stderr.contains("map matched 40 unmatched 0 route_searches 2 eta_fallbacks 0"))
        // Without the map: straight lines.
        let plain = runFixstream(["process", "--trips", trips, "--eta", "--gps-lost", "0", trace])
        let straight = (objects(plain).last?["stops"] as? [[String: Any]])?.first?["distance"] as? Int
        #expect((straight ?? 0) < 600)
        #expect(!plain.stderr.contains("map"))
    }

    @Test func aMissingOrDamagedMapIsOneLineAndAnExitStatus() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = try Self.trace(directory, seconds: 2)
        let missing = runFixstream(["process", "--map", directory.path("nowhere.graph"), trace])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("fixstream: --map: cannot open "))
        #expect(missing.stderr.filter { $0 == "\n" }.count == 1)
        let garbage = try directory.write("garbage.graph", String(repeating: "not a graph ", count: 100))
        let damaged = runFixstream(["process", "--map", garbage, trace])
        #expect(damaged.status == 2)
        #expect(damaged.stderr == "fixstream: --map: \(garbage) is not a Fixstream road graph\n")
        // A real map cut short.
        let map = try Self.writeMap(directory)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: map))
        let cut = directory.path("cut.graph")
        try bytes.prefix(bytes.count - 9).write(to: URL(fileURLWithPath: cut))
        let truncated = runFixstream(["process", "--map", cut, trace])
        #expect(truncated.status == 2)
        #expect(truncated.stderr.hasPrefix("fixstream: --map: \(cut) is damaged"))
        // `serve` refuses it at start, before anything listens.
        do {
            _ = try ServeCommand.start(
                try Arguments(["--map", garbage, "--data", directory.path("data")], valued: ServeCommand.valued)
            )
            Issue.record("serve started with a damaged map")
        } catch let error as CLIError {
            #expect(error.code == .usage)
            #expect(error.message == "--map: \(garbage) is not a Fixstream road graph")
        }
    }

    @Test func serveWithAMapShowsEachVehiclesRoad() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let map = try Self.writeMap(directory)
        let config = directory.path("map-config.json")
        try Data(#"{"map":"\#(map)"}"#.utf8).write(to: URL(fileURLWithPath: config))
        // The map from the config file's "map" key.
        let arguments = [
            "--config", config, "--data", directory.path("data"), "--ingest-port", "0", "--osmand-port", "0",
            "--http-port", "0", "--shards", "2", "--alerts-out", directory.path("alerts.jsonl"), "--gps-lost", "0",
        ]
        let server = try ServeCommand.start(try Arguments(arguments, valued: ServeCommand.valued))
        defer { server.stop() }
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
        let lines = try String(contentsOfFile: try Self.trace(directory, seconds: 10), encoding: .utf8)
        _ = try Array(lines.utf8).withUnsafeBytes { try Socket.write(fd, $0) }
        Socket.close(fd)
        for _ in 0 ..< 500 where server.statistics().processed < 10 { usleep(10_000) }
        let answer = try get(server, "/vehicles/van-1")
        let view = (try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]) ?? [:]
        let road = try #require(view["road"] as? [String: Any], "\(answer)")
        #expect(road["way"] as? Int == 101)
        #expect(road["name"] as? String == "South Street")
        let lat = try #require(road["lat"] as? Double)
        #expect(abs(lat - Self.latitude(north: 0)) < 1e-6)
        let metrics = try get(server, "/metrics")
        #expect(metrics.contains(#"fixstream_map_fixes_total{result="matched"} 10"#), "\(metrics)")
    }

    private func get(_ server: Server, _ path: String) throws -> String {
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.httpPort))
        defer { Socket.close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        _ = try Array(request.utf8).withUnsafeBytes { try Socket.write(fd, $0) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[0 ..< count]
        }
        let response = String(decoding: received, as: UTF8.self)
        return response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
    }
}
