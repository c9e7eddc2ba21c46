import FixstreamNet
import FixstreamPipeline
import FixstreamWire
import Foundation
import Synchronization

@testable import FixstreamServer

/// Every fix the shards processed, from all shard threads.
final class ProcessedLog: Sendable {
    private let fixes = Mutex<[Fix]>([])

    func append(_ fix: Fix) { fixes.withLock { $0.append(fix) } }

    var all: [Fix] { fixes.withLock { $0 } }

    /// The processed fixes of each vehicle, in processing order.
    var byVehicle: [String: [Fix]] {
        Dictionary(grouping: all, by: { $0.vehicle.description })
    }
}

/// A stage that logs processed fixes, optionally slowly (to fill the rings and exercise backpressure).
final class LoggingStage: PipelineStage {
    let log: ProcessedLog
    let delayMicroseconds: UInt32

    init(log: ProcessedLog, delayMicroseconds: UInt32 = 0) {
        self.log = log
        self.delayMicroseconds = delayMicroseconds
    }

    func process(_ fix: Fix, context: inout StageContext) {
        if delayMicroseconds > 0 { usleep(delayMicroseconds) }
        log.append(fix)
    }
}

/// A server on free loopback ports with a temporary data directory.
struct TestServer {
    let server: Server
    let log = ProcessedLog()
    let directory: URL

    init(
        shards: Int = 2,
        delayMicroseconds: UInt32 = 0,
        controlPlane: sending (any ControlPlane)? = nil,
        configure: (inout ServerConfig) -> Void = { _ in }
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-server-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var config = ServerConfig(cores: shards)
        config.dataDirectory = directory.path
        config.ingestPort = 0
        config.osmandPort = 0
        config.httpPort = 0
        configure(&config)
        let log = self.log
        server = try Server.start(
            config,
            stages: { _ in [LoggingStage(log: log, delayMicroseconds: delayMicroseconds)] },
            controlPlane: controlPlane
        )
    }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var snapshot: ServerMetrics.Snapshot { server.metrics.snapshot() }

    var ingest: SocketAddress { try! SocketAddress(host: "127.0.0.1", port: server.ingestPort) }

    /// Waits (up to 5 s) until `condition` holds, re-checking every 10 ms.
    func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0 ..< 500 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}

/// Blocking client helpers.
enum Client {
    /// Connects to the device port and writes `text`; closes unless `keepOpen`.
    @discardableResult
    static func sendTCP(_ text: String, to address: SocketAddress, keepOpen: Bool = false) throws -> Int32 {
        let fd = try Socket.connectTCP(to: address)
        try writeAll(fd, Array(text.utf8))
        if !keepOpen { Socket.close(fd) }
        return fd
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = try bytes.withUnsafeBytes {
                try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
            }
            offset += written ?? 0
        }
    }

    static func sendUDP(_ text: String, to address: SocketAddress) throws {
        let fd = try Socket.connectUDP(to: address)
        defer { Socket.close(fd) }
        _ = try Array(text.utf8).withUnsafeBytes { try Socket.send(fd, $0) }
    }

    /// Sends raw request bytes and reads until the server closes or `timeout` passes; returns the response text.
    static func http(_ request: String, port: UInt16, timeout: Double = 3) throws -> String {
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port))
        defer { Socket.close(fd) }
        try writeAll(fd, Array(request.utf8))
        var received: [UInt8] = []
        var timeval = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeval, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0 ..< count])
            if let text = String(bytes: received, encoding: .utf8), isComplete(text) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether a response with Content-Length has all of its body.
    private static func isComplete(_ text: String) -> Bool {
        guard let split = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<split.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        else { return false }
        return text.utf8.count - text[..<split.upperBound].utf8.count >= length
    }
}

/// A native JSON line.
func jsonLine(_ id: String, second: Int, north: Double = 0) -> String {
    let lat = 46.5 + (north + Double(second)) / 111_195
    return #"{"id":"\#(id)","t":\#(1_795_255_200 + second),"lat":\#(lat),"lon":7.25}"# + "\n"
}
