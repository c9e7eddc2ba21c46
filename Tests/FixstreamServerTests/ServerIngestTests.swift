import FixstreamNet
import FixstreamPipeline
import FixstreamWire
import Foundation
import Testing

@testable import FixstreamServer

/// The server end to end on loopback: what devices send arrives once, in order, and bad input is counted.
@Suite(.serialized)
struct ServerIngestTests {
    @Test func everyTCPFixIsProcessedExactlyOnceAndInOrderPerVehicle() throws {
        let test = try TestServer(shards: 2)
        let vehicles = 20
        let perVehicle = 500
        // Four connections, each carrying five vehicles interleaved, written in odd-sized pieces.
        for connection in 0 ..< 4 {
            var text = ""
            for second in 0 ..< perVehicle {
                for v in 0 ..< 5 { text += jsonLine("veh-\(connection * 5 + v)", second: second) }
            }
            let fd = try Socket.connectTCP(to: test.ingest)
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 997)
                try Client.writeAll(fd, Array(bytes[offset ..< end]))
                offset = end
            }
            Socket.close(fd)
        }
        #expect(test.eventually { test.log.all.count == vehicles * perVehicle })
        test.stop()
        let byVehicle = test.log.byVehicle
        #expect(byVehicle.count == vehicles)
        for (vehicle, fixes) in byVehicle {
            let times = fixes.map(\.time.millisecondsSinceEpoch)
            #expect(times.count == perVehicle, "\(vehicle)")
            #expect(times == times.sorted() && Set(times).count == times.count, "\(vehicle) out of order or repeated")
        }
        let snapshot = test.snapshot
        #expect(snapshot.pipeline.processed == vehicles * perVehicle)
        #expect(snapshot.ingest.tcp.records == vehicles * perVehicle)
        #expect(snapshot.ingest.acceptedConnections == 4)
    }

    @Test func nmeaWithAnIDPrefixAndTheLastEpochIsFlushedOnClose() throws {
        let test = try TestServer()
        let rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"
        let body2 = "GPRMC,123520,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W"
        let rmc2 = "$\(body2)*\(checksum(body2))"
        try Client.sendTCP("866000001,\(rmc)\r\n866000001,\(rmc2)\r\n", to: test.ingest)
        #expect(test.eventually { test.log.all.count == 2 })
        test.stop()
        #expect(test.log.all.map(\.vehicle.description) == ["866000001", "866000001"])
    }

    @Test func udpDatagramsAndOsmAndReportsArrive() throws {
        let test = try TestServer()
        try Client.sendUDP(jsonLine("udp-1", second: 0) + jsonLine("udp-1", second: 1), to: test.ingest)
        // A datagram is complete in itself: its $PFXID does not name the next datagram's lines.
        let rmc = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A"
        try Client.sendUDP("$PFXID,udp-2*\(checksum("PFXID,udp-2"))\r\n\(rmc)\r\n", to: test.ingest)
        try Client.sendUDP("\(rmc)\r\n", to: test.ingest)
        let ok = try Client.http(
            "GET /?id=phone-1&lat=46.5&lon=7.25&timestamp=1795255200&speed=10 HTTP/1.1\r\nHost: x\r\n\r\n",
            port: test.server.osmandPort
        )
        #expect(ok.hasPrefix("HTTP/1.1 200"))
        let body =
            #"{"device_id":"phone-2","location":{"timestamp":"2026-11-21T10:00:00Z","coords":{"latitude":46.5,"longitude":7.25,"speed":3}}}"#
        let posted = try Client.http(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
            port: test.server.osmandPort
        )
        #expect(posted.hasPrefix("HTTP/1.1 200"))
        let refused = try Client.http(
            "GET /?id=phone-1&lat=91&lon=7 HTTP/1.1\r\nHost: x\r\n\r\n",
            port: test.server.osmandPort
        )
        #expect(refused.hasPrefix("HTTP/1.1 400"))
        #expect(refused.contains(#""reason":"bad_coordinates""#))
        #expect(test.eventually { test.log.all.count == 5 })
        test.stop()
        #expect(Set(test.log.all.map(\.vehicle.description)) == ["udp-1", "udp-2", "phone-1", "phone-2"])
        let snapshot = test.snapshot
        #expect(snapshot.ingest.udp[.missingVehicleID] == 1)
        #expect(snapshot.http.http[.badCoordinates] == 1)
        #expect(snapshot.ingest.udpDatagrams == 3)
    }

    @Test func garbageBinaryAndOverlongLinesAreCountedWhileGoodDevicesAreServed() throws {
        let test = try TestServer { $0.limits.maxLineLength = 128 }
        let bad = try Socket.connectTCP(to: test.ingest)
        try Client.writeAll(bad, Array("hello there\n".utf8))
        try Client.writeAll(bad, (0 ..< 4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) } + [0x0A])
        try Client.writeAll(bad, Array(String(repeating: "A", count: 10_000).utf8) + [0x0A])
        try Client.writeAll(bad, Array(#"{"id":"x","t":"#.utf8) + [0x0A])
        try Client.sendTCP((0 ..< 50).map { jsonLine("good", second: $0) }.joined(), to: test.ingest)
        #expect(test.eventually { test.log.all.count == 50 })
        Socket.close(bad)
        #expect(test.eventually { test.snapshot.ingest.openConnections == 0 })
        usleep(150_000)  // the ingest thread publishes its counters every 100 ms
        let stats = test.snapshot.ingest.tcp
        test.stop()
        #expect(stats[.tooLong] >= 1)
        #expect(stats[.unrecognized] >= 1)
        #expect(stats.rejected >= 3)
        #expect(stats.fixes == 50)
    }

    @Test func idleAndHalfOpenConnectionsAreClosedAfterTheTimeout() throws {
        let test = try TestServer { $0.limits.idleTimeout = 1_000 }
        let silent = try Socket.connectTCP(to: test.ingest)
        let partial = try Socket.connectTCP(to: test.ingest)
        try Client.writeAll(partial, Array(#"{"id":"half","t":1795255200,"lat"#.utf8))
        #expect(test.eventually { test.snapshot.ingest.openConnections == 2 })
        #expect(test.eventually { test.snapshot.ingest[.idleTimeout] == 2 })
        #expect(test.snapshot.ingest.openConnections == 0)
        test.stop()
        Socket.close(silent)
        Socket.close(partial)
    }

    @Test func connectionsBeyondTheLimitsAreRefusedAndCounted() throws {
        let test = try TestServer {
            $0.limits.maxConnections = 8
            $0.limits.maxConnectionsPerAddress = 5
        }
        var open: [Int32] = []
        for _ in 0 ..< 12 { open.append(try Socket.connectTCP(to: test.ingest)) }
        #expect(test.eventually { test.snapshot.ingest[.addressLimit] == 7 })
        #expect(test.snapshot.ingest.openConnections == 5)
        for fd in open { Socket.close(fd) }
        #expect(test.eventually { test.snapshot.ingest.openConnections == 0 })
        // Once they are gone, a well-behaved device is served again.
        try Client.sendTCP(jsonLine("after", second: 0), to: test.ingest)
        #expect(test.eventually { test.log.all.count == 1 })
        test.stop()
    }

    @Test func malformedHTTPIsRefusedWithAReasonAndCounted() throws {
        let test = try TestServer { $0.limits.maxHTTPRequest = 4096 }
        let port = test.server.osmandPort
        #expect(try Client.http("\u{16}\u{03}\u{01}binary\r\n\r\n", port: port).hasPrefix("HTTP/1.1 400"))
        #expect(try Client.http("GET / HTTP/9.9\r\n\r\n", port: port).hasPrefix("HTTP/1.1 505"))
        let huge = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
        #expect(try Client.http(huge, port: port).hasPrefix("HTTP/1.1 413"))
        #expect(try Client.http("GET /?id=a HTTP/1.1\r\nHost: x\r\n\r\n", port: port).contains("missing_field"))
        #expect(
            try Client.http("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", port: test.server.httpPort).hasPrefix(
                "HTTP/1.1 404"
            )
        )
        #expect(test.eventually { test.snapshot.http[.badHTTPRequest] == 3 })
        test.stop()
    }

    @Test func metricsAndHealthAreServed() throws {
        let test = try TestServer()
        try Client.sendTCP(jsonLine("m", second: 0) + "junk\n", to: test.ingest)
        #expect(test.eventually { test.log.all.count == 1 })
        usleep(250_000)
        let health = try Client.http("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", port: test.server.httpPort)
        #expect(health.hasPrefix("HTTP/1.1 200") && health.hasSuffix(#"{"status":"ok"}"#))
        let metrics = try Client.http("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", port: test.server.httpPort)
        test.stop()
        for line in [
            #"fixstream_lines_received_total{transport="tcp"} 2"#,
            #"fixstream_fixes_decoded_total{format="json"} 1"#,
            #"fixstream_fixes_rejected_total{reason="unrecognized"} 1"#,
            "fixstream_fixes_processed_total 1",
            #"fixstream_queue_depth{shard="0"} 0"#,
            "fixstream_vehicles 1",
            "fixstream_fix_latency_seconds_count 1",
        ] {
            #expect(metrics.contains(line + "\n"), "missing: \(line)")
        }
        #expect(metrics.contains("# TYPE fixstream_fix_latency_seconds histogram"))
        #expect(metrics.contains("fixstream_queue_drops_total 0"))
        #expect(metrics.contains("fixstream_udp_kernel_drops_total 0"))
        #expect(metrics.contains(#"fixstream_alerts_total{type="gps.lost"} 0"#))
    }

    @Test func fullQueuesSlowTCPDownWithoutLosingFixes() throws {
        // Rings of 4 and a slow stage: the ingest thread must pause connections instead of dropping fixes.
        let test = try TestServer(shards: 1, delayMicroseconds: 200) { $0.limits.ringCapacity = 4 }
        let text = (0 ..< 2_000).map { jsonLine("slow", second: $0) }.joined()
        try Client.sendTCP(text, to: test.ingest)
        #expect(test.eventually { test.log.all.count == 2_000 })
        test.stop()
        #expect(
            test.log.all.map(\.time.millisecondsSinceEpoch)
                == (0 ..< 2_000).map { 1_795_255_200_000 + Int64($0) * 1000 }
        )
        #expect(test.snapshot.ingest.queueDrops == 0)
    }

    @Test func fullQueuesLeaveDatagramsInTheKernelInsteadOfDroppingThem() throws {
        // Rings of 64 and a slow stage: 2,000 fixes in 200 datagrams of 10 arrive far faster than the shard takes
        // them. The ingest thread must stop reading the socket while the ring is full (the datagrams wait in the
        // kernel's buffer, which holds them all), not read them and drop what does not fit.
        let test = try TestServer(shards: 1, delayMicroseconds: 200) { $0.limits.ringCapacity = 64 }
        let fd = try Socket.connectUDP(to: test.ingest)
        defer { Socket.close(fd) }
        for datagram in 0 ..< 200 {
            let text = (0 ..< 10).map { jsonLine("udp-slow", second: datagram * 10 + $0) }.joined()
            _ = try Array(text.utf8).withUnsafeBytes { try Socket.send(fd, $0) }
        }
        #expect(test.eventually { test.log.all.count == 2_000 })
        test.stop()
        #expect(test.snapshot.ingest.queueDrops == 0)
        #expect(test.log.all.count == 2_000)
    }

    @Test func stopDrainsWhatWasAccepted() throws {
        let test = try TestServer(shards: 2, delayMicroseconds: 20)
        let fd = try Socket.connectTCP(to: test.ingest)
        try Client.writeAll(fd, Array((0 ..< 3_000).map { jsonLine("drain-\($0 % 7)", second: $0) }.joined().utf8))
        // Stop while the connection is still open and the shards are still busy.
        test.stop()
        Socket.close(fd)
        #expect(test.log.all.count == 3_000)
    }
}

/// The NMEA checksum of a sentence body (between `$` and `*`).
func checksum(_ body: String) -> String {
    let value = body.utf8.reduce(UInt8(0), ^)
    return String(value, radix: 16, uppercase: true).count == 1
        ? "0" + String(value, radix: 16, uppercase: true) : String(value, radix: 16, uppercase: true)
}

/// HTTP clients that misbehave: they cost bounded memory, no busy loop, and never delay others.
@Suite(.serialized)
struct HTTPAbuseTests {
    @Test func aClientThatNeverReadsItsAnswersDoesNotHoldUpOthers() throws {
        let test = try TestServer()
        defer { test.stop() }
        let greedy = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: test.server.httpPort))
        defer { Socket.close(greedy) }
        try Socket.setNonBlocking(greedy)
        let request = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        var sent = 0
        // Send as much as the kernel takes without ever reading: the server must stop reading this client.
        for _ in 0 ..< 20_000 {
            guard let written = try request.withUnsafeBytes({ try Socket.write(greedy, $0) }), written > 0 else {
                break
            }
            sent += 1
        }
        #expect(sent > 100)
        let start = MonotonicClock.nanoseconds()
        let health = try Client.http("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", port: test.server.httpPort)
        #expect(health.hasPrefix("HTTP/1.1 200"))
        #expect(MonotonicClock.nanoseconds() - start < 2_000_000_000)
    }

    @Test func aRefusedRequestFollowedByMoreBytesIsClosed() throws {
        let test = try TestServer { $0.limits.maxHTTPRequest = 4096 }
        defer { test.stop() }
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: test.server.osmandPort))
        defer { Socket.close(fd) }
        try Client.writeAll(fd, Array("\u{1}\u{2} garbage\r\n\r\n".utf8) + [UInt8](repeating: 65, count: 20_000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0 ..< count])
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 400"))
        #expect(text.components(separatedBy: "HTTP/1.1").count == 2)  // one answer, then the close
    }
}

/// Alert ids keep increasing across restarts of a server writing to the same file.
struct AlertIDTests {
    @Test func theNextIDFollowsTheLastOneInTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(JSONLinesAlertSink.lastID(in: path) == 0)
        let lines = (1 ... 3000).map { #"{"id":\#($0),"type":"gps.lost","vehicle":"v","note":"{\"id\":99999}"}"# }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(JSONLinesAlertSink.lastID(in: path) == 3000)
        #expect(JSONLinesAlertSink.lastID(in: "-") == 0)
    }
}
