import FixstreamNet
import FixstreamPipeline
import FixstreamStore
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamServer

@Suite(.serialized)
struct AlertFeedTests {
    static let reader = "read-token-0123456789abcdef"

    private func start(_ directory: URL, tokens: Bool = false) throws -> Server {
        var config = ServerConfig(cores: 2)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        if tokens {
            config.readToken = Self.reader
            config.adminToken = "admin-token-0123456789abcdef"
        }
        return try Server.start(config, stages: { _ in [AlertPerFixStage()] })
    }

    private func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-feed-\(UUID())")
    }

    /// `count` fixes of `vehicle`, one second apart from `second`, each raising one alert; waits until journaled.
    private func raise(_ server: Server, _ vehicle: String, count: Int, from second: Int = 0) throws {
        let before = server.metrics.snapshot().alerts.written
        var text = ""
        for step in 0 ..< count { text += jsonLine(vehicle, second: second + step) }
        try Client.sendTCP(text, to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
        for _ in 0 ..< 500 where server.alerts.lastCommittedID < before + Int64(count) { usleep(10_000) }
    }

    private func get(
        _ server: Server,
        _ target: String,
        token: String? = nil
    ) throws -> (status: Int, json: [String: Any]) {
        var request = "GET \(target) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        let text = try Client.http(request + "\r\n", port: server.httpPort)
        let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
        return (status, json)
    }

    private func ids(_ json: [String: Any]) -> [Int] {
        (json["alerts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func pagesFollowSinceLimitAndFilters() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        defer { server.stop() }
        try raise(server, "a", count: 5)
        try raise(server, "b", count: 5)
        let all = try get(server, "/alerts")
        #expect(all.status == 200)
        #expect(ids(all.json) == Array(1 ... 10))
        #expect(all.json["next"] as? Int == 10)
        #expect(all.json["more"] as? Bool == false)
        let page = try get(server, "/alerts?since=3&limit=4")
        #expect(ids(page.json) == [4, 5, 6, 7])
        #expect(page.json["next"] as? Int == 7)
        #expect(page.json["more"] as? Bool == true)
        let vehicle = try get(server, "/alerts?vehicle=b&limit=2")
        #expect((vehicle.json["alerts"] as? [[String: Any]])?.allSatisfy { $0["vehicle"] as? String == "b" } == true)
        #expect(ids(vehicle.json).count == 2)
        #expect(ids(try get(server, "/alerts?fence=f-a").json) == Array(1 ... 5))
        #expect(ids(try get(server, "/alerts?type=gps.").json).count == 10)
        #expect(ids(try get(server, "/alerts?type=geofence.").json).isEmpty)
        #expect(try get(server, "/alerts?vehicel=b").status == 400)
        #expect(try get(server, "/alerts?limit=0").status == 400)
        #expect(try get(server, "/alerts?since=-1").status == 400)
    }

    /// A state request waits for the shards; requests pipelined behind it are answered after it, in order.
    @Test func pipelinedRequestsBehindAStateQuestionKeepTheirOrder() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        defer { server.stop() }
        try raise(server, "a", count: 2)
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.httpPort))
        defer { Socket.close(fd) }
        let requests =
            "GET /vehicles/a HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
            + "GET /vehicles/zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        try Client.writeAll(fd, Array(requests.utf8))
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {  // until the server closes after the last response
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0 ..< count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let vehicle = text.range(of: #"{"id":"a","state":"moving""#)
        let health = text.range(of: #"{"status":"ok"}"#)
        let missing = text.range(of: "no_such_vehicle")
        #expect(vehicle != nil && health != nil && missing != nil)
        if let vehicle, let health, let missing {
            #expect(vehicle.lowerBound < health.lowerBound && health.lowerBound < missing.lowerBound)
        }
    }

    /// Review findings: a client that sends its request and half-closes still gets the state answer; HEAD works.
    @Test func halfClosedClientsGetTheirStateAnswerAndHeadIsAnswered() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        defer { server.stop() }
        try raise(server, "a", count: 1)
        for _ in 0 ..< 5 {
            let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.httpPort))
            defer { Socket.close(fd) }
            try Client.writeAll(fd, Array("GET /vehicles/a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
            shutdown(fd, Int32(SHUT_WR))
            var timeout = timeval(tv_sec: 3, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received += buffer[0 ..< count]
            }
            #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        }
        let head = try Client.http(
            "HEAD /vehicles HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            port: server.httpPort
        )
        #expect(head.hasPrefix("HTTP/1.1 200 OK"))
        #expect(head.hasSuffix("\r\n\r\n"))
    }

    @Test func feedsNeedTheReadTokenWhenTokensAreSet() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory, tokens: true)
        defer { server.stop() }
        #expect(try get(server, "/alerts").status == 401)
        #expect(try get(server, "/alerts", token: "wrong-token-0123456789abcdef").status == 401)
        #expect(try get(server, "/alerts", token: Self.reader).status == 200)
        #expect(try get(server, "/alerts", token: "admin-token-0123456789abcdef").status == 200)
    }

    /// An SSE client on a raw socket: sends the request, then collects events until it has `count`.
    private final class StreamClient {
        let fd: Int32
        var received = ""

        init(port: UInt16, target: String, lastEventID: Int? = nil) throws {
            fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port))
            var request = "GET \(target) HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n"
            if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
            try Client.writeAll(fd, Array((request + "\r\n").utf8))
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { Socket.close(fd) }

        /// The events so far as (id, type, data JSON).
        var events: [(id: Int, type: String, data: [String: Any])] {
            received.components(separatedBy: "\n\n").compactMap { block in
                var id: Int?
                var type: String?
                var data: [String: Any]?
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") {
                        data = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
                    }
                }
                guard let id, let type, let data else { return nil }
                return (id, type, data)
            }
        }

        /// Reads until the response head arrived (or 5 s passed).
        func waitForHead() {
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0 ..< 50 where !received.contains("\r\n\r\n") {
                let read = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if read > 0 { received += String(decoding: buffer[0 ..< read], as: UTF8.self) }
                if read == 0 { return }
            }
        }

        /// Reads until `count` events arrived or 5 s passed.
        func wait(for count: Int) {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            for _ in 0 ..< 50 where events.count < count {
                let read = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if read > 0 { received += String(decoding: buffer[0 ..< read], as: UTF8.self) }
                if read == 0 { return }
            }
        }
    }

    @Test func aStreamDeliversNewAlertsAndResumesAfterLastEventIDExactlyOnce() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        defer { server.stop() }
        try raise(server, "a", count: 3)  // before the stream: not sent to a stream that starts now

        let live = try StreamClient(port: server.httpPort, target: "/alerts/stream")
        live.waitForHead()
        #expect(live.received.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(live.received.contains("Content-Type: text/event-stream"))
        try raise(server, "b", count: 4, from: 10)
        live.wait(for: 4)
        #expect(live.events.map(\.id) == [4, 5, 6, 7])
        #expect(live.events.allSatisfy { $0.type == "gps.restored" && $0.data["id"] as? Int == $0.id })

        // A client that saw up to 5 reconnects: 6 and 7, then the new ones, each once and in order.
        let resumed = try StreamClient(port: server.httpPort, target: "/alerts/stream", lastEventID: 5)
        resumed.wait(for: 2)
        try raise(server, "c", count: 3, from: 20)
        resumed.wait(for: 5)
        #expect(resumed.events.map(\.id) == [6, 7, 8, 9, 10])

        // since= with a filter: only vehicle a's alerts, from the start.
        let filtered = try StreamClient(port: server.httpPort, target: "/alerts/stream?since=0&vehicle=a")
        filtered.wait(for: 3)
        #expect(filtered.events.map(\.id) == [1, 2, 3])
    }

    @Test func aSlowStreamReaderGetsEverythingWithoutTheServerBuffering() throws {
        let directory = temporary()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try start(directory)
        defer { server.stop() }
        // About 4,000 alerts of ~200 bytes: far more than one stream may queue (64 KiB).
        for vehicle in 0 ..< 8 { try raise(server, "v\(vehicle)", count: 500) }
        let client = try StreamClient(port: server.httpPort, target: "/alerts/stream?since=0")
        usleep(300_000)  // the server fills the socket and waits
        client.wait(for: 4000)
        let ids = client.events.map(\.id)
        #expect(ids.count == 4000)
        #expect(
            ids == Array(1 ... 4000),
            "first id out of order: \(zip(ids, 1...).first { $0 != $1 }.map { "\($0)" } ?? "none")"
        )
    }
}
