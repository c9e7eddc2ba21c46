import FixstreamDeliver
import FixstreamNet
import Foundation
import Testing

@testable import FixstreamServer

/// A webhook nobody answers: its batches become dead letters, which the admin API lists, replays and deletes.
@Suite(.serialized)
struct DeadLetterAPITests {
    @Test func deadLettersAreListedReplayedAndDeleted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-dead-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = ServerConfig(cores: 1)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        config.adminToken = "admin-token-0123456789abcdef"
        // Port 9 (discard) on loopback refuses connections: every attempt fails.
        config.webhooks = [
            try WebhookEndpoint(
                name: "nobody",
                url: "http://127.0.0.1:9/hook",
                secret: "s",
                maxAge: .seconds(1),
                from: .start
            )
        ]
        let server = try Server.start(config, stages: { _ in [AlertPerFixStage()] })
        defer { server.stop() }
        try Client.sendTCP(
            jsonLine("a", second: 0) + jsonLine("a", second: 1),
            to: SocketAddress(host: "127.0.0.1", port: server.ingestPort)
        )

        func get(_ method: String, _ path: String, token: String? = "admin-token-0123456789abcdef") throws -> String {
            var request = "\(method) \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n"
            if let token { request += "Authorization: Bearer \(token)\r\n" }
            return try Client.http(request + "\r\n", port: server.httpPort)
        }
        var listing = ""
        for _ in 0 ..< 100 {
            listing = try get("GET", "/dead-letters")
            if listing.contains(#""endpoint":"nobody""#) { break }
            usleep(100_000)
        }
        #expect(listing.hasPrefix("HTTP/1.1 200"))
        #expect(listing.contains(#""endpoint":"nobody""#))
        #expect(listing.contains(#""first_alert":1"#))
        #expect(server.metricsText().contains(#"fixstream_webhook_dead_lettered_total{endpoint="nobody"}"#))
        let id = listing.range(of: #"{"id":"#).map { listing[$0.upperBound...].prefix { $0.isNumber } } ?? ""
        #expect(try get("POST", "/dead-letters/\(id)/replay").hasPrefix("HTTP/1.1 200"))
        #expect(try get("DELETE", "/dead-letters/\(id)").hasPrefix("HTTP/1.1 200"))
        #expect(try get("DELETE", "/dead-letters/\(id)").hasPrefix("HTTP/1.1 404"))
        #expect(try get("GET", "/dead-letters", token: nil).hasPrefix("HTTP/1.1 401"))
    }
}
