import FixstreamNet
import FixstreamStore
import Foundation
import Testing

/// The delivery promise under crashes: `fixstream serve` runs as a child process, geofence alerts stream out of it,
/// and it is killed with SIGKILL at random moments, then restarted on the same data directory. Every alert the
/// journal had committed before a kill is still there afterwards, and an SSE client that resumes with
/// `Last-Event-ID` receives every alert exactly once, in order; a webhook receiver that fails its first attempts
/// receives every alert at least once, and exactly once deduplicated by id.
@Suite(.serialized)
struct CrashSafetyTests {
    /// The `fixstream` binary SwiftPM built next to this test runner.
    static var binary: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("fixstream")
    }

    /// A running `fixstream serve` child.
    final class Child {
        let process = Process()
        let apiPort: UInt16
        let ingestPort: UInt16

        init(data: String, config: String) throws {
            process.executableURL = CrashSafetyTests.binary
            process.arguments = [
                "serve", "--config", config, "--data", data, "--ingest-port", "0", "--osmand-port", "0", "--http-port",
                "0", "--shards",
                "2", "--gps-lost", "0", "--idle-after", "0",
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var line = ""
            while !line.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { break }
                line += String(decoding: chunk, as: UTF8.self)
            }
            func port(_ name: String) -> UInt16 {
                guard let range = line.range(of: name + "=127.0.0.1:") else { return 0 }
                return UInt16(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            apiPort = port("http")
            ingestPort = port("ingest")
        }

        func kill() {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// An SSE client collecting alert ids on its own thread.
    final class StreamReader: @unchecked Sendable {
        private let lock = NSLock()
        private var ids: [Int64] = []
        private let fd: Int32

        init(port: UInt16, after lastID: Int64?) throws {
            fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port))
            var request = "GET /alerts/stream?since=0 HTTP/1.1\r\nHost: t\r\n"
            if let lastID { request += "Last-Event-ID: \(lastID)\r\n" }
            try CrashSafetyTests.send(fd, request + "\r\n")
            Thread.detachNewThread { [self] in read() }
        }

        var received: [Int64] { lock.withLock { ids } }

        private func read() {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var text = ""
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                text += String(decoding: buffer[0 ..< count], as: UTF8.self)
                // Whole events only: up to the last blank line.
                guard let end = text.range(of: "\n\n", options: .backwards) else { continue }
                let complete = text[..<end.upperBound]
                let found = complete.split(separator: "\n").compactMap { line -> Int64? in
                    line.hasPrefix("id: ") ? Int64(line.dropFirst(4)) : nil
                }
                lock.withLock { ids.append(contentsOf: found) }
                text = String(text[end.upperBound...])
            }
            Socket.close(fd)
        }
    }

    /// A webhook receiver on 127.0.0.1 that fails its first `failures` requests with 500, then records the alert
    /// ids of every batch it accepts (duplicates included: delivery is at least once).
    final class Receiver: @unchecked Sendable {
        let port: UInt16
        private let listener: Int32
        private let lock = NSLock()
        private var ids: [Int64] = []
        private var failuresLeft: Int

        init(failures: Int) throws {
            failuresLeft = failures
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.listener = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
            }
            listen(listener, 64)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
            }
            port = UInt16(bigEndian: address.sin_port)
            Thread.detachNewThread { [self] in serve() }
        }

        var received: [Int64] { lock.withLock { ids } }

        private func serve() {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }
                handle(connection)
                Glibc.close(connection)
            }
        }

        private func handle(_ fd: Int32) {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var bodyStart: Int?
            var length = 0
            while bodyStart == nil || data.count < bodyStart! + length {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                data += buffer[0 ..< count]
                if bodyStart == nil, let end = String(decoding: data, as: UTF8.self).range(of: "\r\n\r\n") {
                    let head = String(decoding: data, as: UTF8.self)[..<end.lowerBound].lowercased()
                    bodyStart = String(decoding: data, as: UTF8.self)[..<end.upperBound].utf8.count
                    if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                        length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            let fail = lock.withLock { () -> Bool in
                guard failuresLeft > 0 else { return false }
                failuresLeft -= 1
                return true
            }
            if !fail, let start = bodyStart,
                let batch = try? JSONSerialization.jsonObject(with: Data(data[start...])) as? [[String: Any]]
            {
                let found = batch.compactMap { ($0["id"] as? NSNumber)?.int64Value }
                lock.withLock { ids.append(contentsOf: found) }
            }
            let status = fail ? "500 Internal Server Error" : "200 OK"
            try? CrashSafetyTests.send(fd, "HTTP/1.1 \(status)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
    }

    static func send(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            offset +=
                try bytes.withUnsafeBytes { try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) } ?? 0
        }
    }

    /// Sends one HTTP request and returns the status.
    static func request(_ method: String, _ path: String, body: String, port: UInt16) throws -> Int {
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port))
        defer { Socket.close(fd) }
        try send(
            fd,
            "\(method) \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return 0 }
        return Int(String(decoding: buffer[9 ..< 12], as: UTF8.self)) ?? 0
    }

    /// `vehicles` vehicles drive north through the depot (a circle at 46.5, 7.25), one fix a second.
    static func drive(port: UInt16, run: Int, vehicles: Int) throws {
        let fd = try Socket.connectTCP(to: SocketAddress(host: "127.0.0.1", port: port))
        defer { Socket.close(fd) }
        var lines = ""
        for step in 0 ..< 60 {
            for vehicle in 0 ..< vehicles {
                let latitude = 46.5 + Double(-300 + 10 * step) / 111_195
                lines +=
                    #"{"id":"r\#(run)-v\#(vehicle)","t":\#(1_795_255_200 + step),"lat":\#(latitude),"lon":7.25,"speed":10}"#
                    + "\n"
            }
        }
        try send(fd, lines)
    }

    @Test func killedAtRandomTheServerLosesNoCommittedAlertAndResumedStreamsSeeEachOnce() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "\(Self.binary.path)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-crash-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A webhook whose receiver fails its first attempts: every alert still arrives, at least once.
        let receiver = try Receiver(failures: 3)
        let config = directory.appendingPathComponent("config.json").path
        try Data(
            #"{"webhooks":[{"name":"ops","url":"http://127.0.0.1:\#(receiver.port)/hook","secret":"s3cret","from":"start"}]}"#
                .utf8
        ).write(to: URL(fileURLWithPath: config))
        var random = SystemRandomNumberGenerator()
        var seen: [Int64] = []
        var committedBeforeKill: Int64 = 0
        for run in 0 ..< 4 {
            let child = try Child(data: data, config: config)
            #expect(child.apiPort != 0)
            if run == 0 {
                let depot =
                    #"{"type":"Feature","properties":{"id":"depot","radius":100},"geometry":{"type":"Point","coordinates":[7.25,46.5]}}"#
                #expect(try Self.request("PUT", "/fences/depot", body: depot, port: child.apiPort) == 201)
            }
            // Nothing committed before a kill is lost.
            let journal = try AlertJournal(dataDirectory: data, access: .readOnly)
            #expect(try journal.lastID >= committedBeforeKill)
            if committedBeforeKill > 0 {
                let kept = try journal.read(after: 0, limit: Int(committedBeforeKill)).entries.map(\.id)
                #expect(kept == Array(1 ... committedBeforeKill))
            }

            let reader = try StreamReader(port: child.apiPort, after: seen.last ?? 0)
            // 12,000 fixes, 400 alerts; the kill lands anywhere from the first fixes to well after the last.
            try Self.drive(port: child.ingestPort, run: run, vehicles: 200)
            usleep(UInt32.random(in: 2_000 ... 300_000, using: &random))
            committedBeforeKill = try journal.lastID
            child.kill()
            usleep(100_000)  // the reader sees the connection close
            seen += reader.received
        }
        // A last, graceful run: the stream catches up with everything committed.
        let child = try Child(data: data, config: config)
        let reader = try StreamReader(port: child.apiPort, after: seen.last ?? 0)
        let journal = try AlertJournal(dataDirectory: data, access: .readOnly)
        let last = try journal.lastID
        for _ in 0 ..< 300 where (reader.received.last ?? seen.last ?? 0) < last { usleep(10_000) }
        seen += reader.received
        for _ in 0 ..< 1000 where Set(receiver.received).count < Int(last) { usleep(10_000) }
        child.kill()
        let delivered = receiver.received
        #expect(Set(delivered) == Set(1 ... last), "the webhook got \(Set(delivered).count) of \(last) alerts")
        #expect(delivered.count >= Int(last))
        #expect(last > 0)
        #expect(seen == Array(1 ... last), "received \(seen.count) of \(last), duplicates or gaps")
    }
}
