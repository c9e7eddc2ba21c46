import FixstreamNet
import FixstreamServer
import FixstreamStore
import Foundation
import Testing

@testable import FixstreamCLI

/// `serve`'s admin API end to end: documents go through the HTTP port into the control store and into the
/// running shards, which apply them to the next fixes.
@Suite(.serialized)
struct ServeAdminAPITests {
    static let admin = "admin-token-abcdefghijklmnop"

    /// A served data directory: config with tokens, alerts into a file, free ports.
    struct Served {
        let directory: TemporaryDirectory
        let server: Server

        init(directory: TemporaryDirectory, extra: [String] = []) throws {
            self.directory = directory
            let config = directory.path("config.json")
            try Data(#"{"admin-token":"\#(ServeAdminAPITests.admin)","read-token":"read-token-abcdefghijklmnop"}"#.utf8)
                .write(to: URL(fileURLWithPath: config))
            let arguments =
                [
                    "--config", config, "--data", directory.path("data"), "--ingest-port", "0", "--osmand-port", "0",
                    "--http-port", "0", "--shards", "2", "--alerts-out", directory.path("alerts.jsonl"),
                    "--gps-lost", "0",
                ] + extra
            server = try ServeCommand.start(try Arguments(arguments, valued: ServeCommand.valued))
        }

        /// Sends one request and reads the whole answer (the server closes after it).
        func request(
            _ method: String,
            _ path: String,
            body: String = "",
            token: String? = admin
        ) throws -> (
            status: Int, body: String
        ) {
            let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.httpPort))
            defer { Socket.close(fd) }
            var text =
                "\(method) \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
            if let token { text += "Authorization: Bearer \(token)\r\n" }
            try send(fd, Array((text + "\r\n" + body).utf8))
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received += chunk[0 ..< count]
            }
            let response = String(decoding: received, as: UTF8.self)
            let status = Int(response.split(separator: " ").dropFirst().first ?? "") ?? 0
            let answer = response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
            return (status, answer)
        }

        /// Drives `vehicle` north through (46.5, 7.25) at 10 m/s, a fix a second, starting `start` s after the
        /// test epoch.
        /// 60 fixes a second apart driving north at 10 m/s from 300 m south of 46.5° N, standing five seconds
        /// `halt` metres north of it (a delivery).
        func drive(_ vehicle: String, start: Int, halt: Int = 0) throws {
            var lines = ""
            var north = -300
            var stood = 0
            for step in 0 ..< 60 {
                let latitude = 46.5 + Double(north) / 111_195
                let speed = north == halt && stood > 0 ? 0 : 10
                lines +=
                    #"{"id":"\#(vehicle)","t":\#(1_795_255_200 + start + step),"lat":\#(latitude),"lon":7.25,"speed":\#(speed)}"#
                lines += "\n"
                if north == halt && stood < 5 { stood += 1 } else { north += 10 }
            }
            let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
            defer { Socket.close(fd) }
            try send(fd, Array(lines.utf8))
        }

        /// Waits (up to 5 s) until the shards have processed `count` fixes: what a change must not reach back to.
        func waitProcessed(_ count: Int) {
            for _ in 0 ..< 500 where server.statistics().processed < count { usleep(10_000) }
        }

        /// Stops the server and returns the alerts it wrote, as `type subject` strings.
        func stop() throws -> [String] {
            server.stop()
            let text = try String(contentsOfFile: directory.path("alerts.jsonl"), encoding: .utf8)
            return text.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let type = object["type"] as? String
                else { return nil }
                return type + " " + ((object["fence"] ?? object["stop"]) as? String ?? "")
            }
        }

        private func send(_ fd: Int32, _ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                offset +=
                    try bytes.withUnsafeBytes { try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                    ?? 0
            }
        }
    }

    static let depot = #"""
        {"type":"Feature","properties":{"id":"depot","name":"Depot","radius":100},
         "geometry":{"type":"Point","coordinates":[7.25,46.5]}}
        """#

    @Test func aFencePutWhileRunningAppliesToTheNextFixesAndIsStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try Served(directory: directory)
        try served.drive("van-1", start: 0)
        served.waitProcessed(60)
        let put = try served.request("PUT", "/fences/depot", body: Self.depot)
        #expect(put.status == 201)
        #expect(put.body == #"{"id":"depot","status":"created"}"#)
        try served.drive("van-2", start: 0)
        let alerts = try served.stop()
        #expect(alerts.filter { $0.hasPrefix("geofence.") } == ["geofence.enter depot", "geofence.exit depot"])
        let stored = try ControlStore(dataDirectory: directory.path("data")).fences().map(\.id)
        #expect(stored == ["depot"])
    }

    @Test func malformedDocumentsAre400WithAPreciseReasonAndNothingIsStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try Served(directory: directory)
        let open = #"""
            {"type":"Feature","properties":{"id":"yard"},
             "geometry":{"type":"Polygon","coordinates":[[[7.25,46.5],[7.26,46.5],[7.26,46.51]]]}}
            """#
        let polygon = try served.request("PUT", "/fences/yard", body: open)
        #expect(polygon.status == 400)
        #expect(polygon.body.contains(#""reason":"#))
        #expect(polygon.body.contains("yard"))
        let mismatch = try served.request("PUT", "/fences/other", body: Self.depot)
        #expect(mismatch.status == 400)
        #expect(mismatch.body.contains(#""reason":"id_mismatch""#))
        let trip = try served.request(
            "PUT",
            "/trips/T1",
            body: #"{"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":95,"lon":7}]}"#
        )
        #expect(trip.status == 400)
        #expect(trip.body.contains("S1"))
        #expect(try served.request("PUT", "/trips/T1", body: "{not json").status == 400)
        _ = try served.stop()
        let store = try ControlStore(dataDirectory: directory.path("data"))
        #expect(try store.fences().isEmpty)
        #expect(try store.trips().isEmpty)
    }

    @Test func aTripPutWhileRunningRaisesItsStopAlertsAndDeleteStopsThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try Served(directory: directory)
        let trip = #"{"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":46.5,"lon":7.25,"radius":40}]}"#
        #expect(try served.request("PUT", "/trips/T1", body: trip).status == 201)
        try served.drive("van-1", start: 0)
        served.waitProcessed(60)
        #expect(try served.request("DELETE", "/trips/T1").status == 200)
        #expect(try served.request("DELETE", "/trips/T1").status == 404)
        try served.drive("van-1", start: 100)
        let alerts = try served.stop()
        #expect(alerts.filter { $0.hasPrefix("stop.arrived") } == ["stop.arrived S1"])
        #expect(try ControlStore(dataDirectory: directory.path("data")).trips().isEmpty)
    }

    @Test func storedChangesAreLoadedAtTheNextStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Served(directory: directory)
        #expect(try first.request("PUT", "/fences/depot", body: Self.depot).status == 201)
        _ = try first.stop()
        let second = try Served(directory: directory)
        try second.drive("van-3", start: 0)
        #expect(try second.stop().filter { $0.hasPrefix("geofence.enter") } == ["geofence.enter depot"])
    }

    @Test func fencesFromAFileCannotBeChangedThroughTheAPI() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.path("fences.geojson")
        try Data(#"{"type":"FeatureCollection","features":[\#(Self.depot)]}"#.utf8).write(
            to: URL(fileURLWithPath: file)
        )
        let served = try Served(directory: directory, extra: ["--fences", file])
        let put = try served.request("PUT", "/fences/depot", body: Self.depot)
        #expect(put.status == 409)
        #expect(put.body.contains(#""reason":"fences_from_file""#))
        // Trips are still the stored ones, and changeable.
        let trip = #"{"id":"T1","vehicle":"van-1","stops":[{"id":"S1","lat":46.5,"lon":7.25}]}"#
        #expect(try served.request("PUT", "/trips/T1", body: trip).status == 201)
        _ = try served.stop()
    }

    /// Review finding: ids that Swift calls equal but whose bytes differ (é as one character or as e + U+0301)
    /// are two fences, as the store sees them.
    @Test func idsAreComparedByteForByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let served = try Served(directory: directory)
        func feature(_ id: String) -> String {
            #"{"type":"Feature","properties":{"id":"\#(id)","radius":50},"geometry":{"type":"Point","coordinates":[7.25,46.5]}}"#
        }
        #expect(try served.request("PUT", "/fences/caf%C3%A9", body: feature("caf\u{E9}")).status == 201)
        #expect(try served.request("PUT", "/fences/cafe%CC%81", body: feature("cafe\u{301}")).status == 201)
        #expect(try served.request("PUT", "/fences/cafe%CC%81", body: feature("caf\u{E9}")).status == 400)
        #expect(try served.request("DELETE", "/fences/caf%C3%A9").status == 200)
        _ = try served.stop()
        let stored = try ControlStore(dataDirectory: directory.path("data")).fences().map { Array($0.id.utf8) }
        #expect(stored == [Array("cafe\u{301}".utf8)])
    }

    @Test func tokensAreReadFromTheConfigFileOnly() throws {
        #expect(throws: CLIError.self) {
            _ = try ServeCommand.start(try Arguments(["--admin-token", "x"], valued: ServeCommand.valued))
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = directory.path("short.json")
        try Data(#"{"admin-token":"short"}"#.utf8).write(to: URL(fileURLWithPath: config))
        #expect(throws: CLIError.self) {
            _ = try ServeCommand.start(try Arguments(["--config", config], valued: ServeCommand.valued))
        }
    }
}
