import FixstreamNet
import FixstreamStore
import Foundation
import Testing

/// The delivery promise under crashes: `fixstream serve` runs as a child process, geofence alerts stream out of it,
/// and it is killed with SIGKILL at random moments, then restarted on the same data directory. Every alert the
/// journal had committed before a kill is still there afterwards, and an SSE client that resumes with
/// `Last-Event-ID` receives every alert exactly once, in order.
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

        init(data: String) throws {
            process.executableURL = CrashSafetyTests.binary
            process.arguments = [
                "serve", "--data", data, "--ingest-port", "0", "--osmand-port", "0", "--http-port", "0", "--shards",
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
        var random = SystemRandomNumberGenerator()
        var seen: [Int64] = []
        var committedBeforeKill: Int64 = 0
        for run in 0 ..< 4 {
            let child = try Child(data: data)
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
        let child = try Child(data: data)
        let reader = try StreamReader(port: child.apiPort, after: seen.last ?? 0)
        let journal = try AlertJournal(dataDirectory: data, access: .readOnly)
        let last = try journal.lastID
        for _ in 0 ..< 300 where (reader.received.last ?? seen.last ?? 0) < last { usleep(10_000) }
        seen += reader.received
        child.kill()
        #expect(last > 0)
        #expect(seen == Array(1 ... last), "received \(seen.count) of \(last), duplicates or gaps")
    }
}
