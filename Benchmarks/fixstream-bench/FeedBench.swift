import FixstreamNet
import FixstreamPipeline
import FixstreamServer
import FixstreamWire
@preconcurrency import Foundation

/// `sse.fanout`: alerts/s delivered to 100 concurrent Server-Sent Events clients. A server whose one stage raises
/// an alert per fix journals 20,000 alerts; then 100 clients open `GET /alerts/stream?since=0` at once and each
/// reads until it has every alert. The figure is alerts delivered (clients × alerts) per second of wall time,
/// from the first connect to the last client done: journal reads, event framing and socket writes on the one
/// HTTP thread, with the clients on the same 2 cores.
struct FeedBench {
    /// A stage that raises one `gps.restored` alert per fix (the bench's alert source).
    final class AlertPerFix: PipelineStage {
        func process(_ fix: Fix, context: inout StageContext) {
            context.emit(
                Alert(
                    type: .gpsRestored,
                    vehicle: context.vehicle,
                    time: fix.time,
                    latitude: fix.latitude,
                    longitude: fix.longitude,
                    fields: [AlertField("gap", .number(1))]
                )
            )
        }
    }

    static func run(filter: String?) throws {
        guard filter.map({ "sse.fanout".contains($0) || $0.hasPrefix("sse") }) ?? true else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-feed-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        var config = ServerConfig(cores: 1)
        config.dataDirectory = directory.path
        config.alertsOut = "/dev/null"
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        let server = try Server.start(config, stages: { _ in [AlertPerFix()] })
        defer { server.stop() }

        let alerts = 20_000
        var lines = ""
        for number in 0 ..< alerts {
            let latitude = 46.5 + Double(number % 1000) * 1e-5
            lines += #"{"id":"v\#(number / 1000)","t":\#(1_795_255_200 + number % 1000),"lat":\#(latitude),"lon":7.25}"#
            lines += "\n"
        }
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: server.ingestPort))
        try writeAll(fd, Array(lines.utf8))
        Socket.close(fd)
        let deadline = Date().addingTimeInterval(30)
        while server.statistics().processed < alerts && Date() < deadline { usleep(10_000) }
        usleep(300_000)  // the last batch committed

        let clients = 100
        let done = DispatchGroup()
        let received = LockedCounter()
        let start = Date()
        for _ in 0 ..< clients {
            done.enter()
            let port = server.httpPort
            Thread.detachNewThread {
                defer { done.leave() }
                received.add(readStream(port: port, events: alerts))
            }
        }
        done.wait()
        let seconds = Date().timeIntervalSince(start)
        let delivered = received.value
        print(
            #"{"name":"sse.fanout","unit":"alerts/s","value":\#(Int(Double(delivered) / seconds)),"clients":\#(clients),"alerts":\#(alerts),"delivered":\#(delivered),"seconds":\#(String(format: "%.3f", seconds))}"#
        )
        fflush(stdout)
    }

    /// Reads one stream until `events` events arrived (or 60 s passed); returns how many arrived.
    private static func readStream(port: UInt16, events: Int) -> Int {
        guard let fd = try? Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port)) else { return 0 }
        defer { Socket.close(fd) }
        guard (try? writeAll(fd, Array("GET /alerts/stream?since=0 HTTP/1.1\r\nHost: b\r\n\r\n".utf8))) != nil else {
            return 0
        }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var count = 0
        // Events are counted by their "\nid: " (every event's first line follows the blank line of the last).
        var previous: [UInt8] = [0, 0, 0, 0, 0]
        while count < events {
            let read = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard read > 0 else { break }
            for index in 0 ..< read {
                previous.removeFirst()
                previous.append(buffer[index])
                if previous == [10, 105, 100, 58, 32] { count += 1 }  // "\nid: "
            }
        }
        return count
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes {
                try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
            }
            offset += written ?? 0
        }
    }
}

/// A counter several threads add to.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    func add(_ amount: Int) {
        lock.lock()
        total += amount
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return total
    }
}
