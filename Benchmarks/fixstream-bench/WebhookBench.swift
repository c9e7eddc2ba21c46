import FixstreamDeliver
import FixstreamNet
import FixstreamStore
@preconcurrency import Foundation

/// `webhook.deliver.bN`: 100,000 journalled alerts (bodies of about 180 bytes, as `journal.*` uses) delivered to
/// one endpoint in batches of N by a `WebhookDispatcher`, through URLSession over loopback, to a receiver that
/// reads each POST and answers 200 at once. Each sample is a new endpoint starting at the journal's oldest alert;
/// it ends when the endpoint's cursor reaches the last alert (every batch acknowledged and its cursor written).
/// Everything lives in a temporary directory removed at the end.
struct WebhookBench {
    static let alerts = 100_000
    static let names = ["webhook.deliver.b100", "webhook.deliver.b1000"]

    /// Runs the webhook benchmarks that pass the suite's filter, then removes every file it made.
    static func run(_ suite: inout BenchSuite) throws {
        if let filter = suite.filter, !names.contains(where: { $0.contains(filter) }) { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixstream-webhook-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let journal = try AlertJournal(dataDirectory: directory.path)
        let records = JournalBench.makeRecords(count: alerts)
        for start in stride(from: 0, to: records.count, by: 1024) {
            try journal.append(records[start ..< min(records.count, start + 1024)])
        }
        let last = try journal.lastID
        let receiver = try BenchReceiver()
        defer { receiver.stop() }

        var local = suite
        local.samples = 3
        var run = 0
        for batch in [100, 1000] {
            local.run(
                "webhook.deliver.b\(batch)",
                work: { () -> Int in
                    run += 1
                    let endpoint = try! WebhookEndpoint(
                        name: "bench-\(run)",
                        url: "http://127.0.0.1:\(receiver.port)/hook",
                        secret: "bench-secret",
                        batchSize: batch,
                        from: .start
                    )
                    let dispatcher = try! WebhookDispatcher(
                        dataDirectory: directory.path,
                        endpoints: [endpoint],
                        lastCommittedID: { last }
                    )
                    while dispatcher.metrics[0].cursor < last { usleep(500) }
                    dispatcher.stop()
                    return Int(dispatcher.metrics[0].delivered)
                }
            ) { delivered, seconds in
                precondition(delivered == alerts, "delivered \(delivered) of \(alerts) alerts")
                return [("alerts/s", Double(alerts) / seconds), ("batches/s", Double(alerts / batch) / seconds)]
            }
        }
    }
}

/// A minimal HTTP/1.1 receiver on 127.0.0.1: reads each request whole (head, then `Content-Length` bytes) and
/// answers `200` with an empty body on the same keep-alive connection. One thread per connection.
private final class BenchReceiver: Sendable {
    let port: UInt16
    private let listener: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw SystemError(code: .init(rawValue: errno), operation: "bench receiver") }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        _ = try spawnThread(name: "bench-hook-rx") { [self] in acceptLoop() }
    }

    /// Stops accepting; connections end when the client closes them.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            if (try? spawnThread(name: "bench-hook-conn", { Self.serve(fd) })) == nil { close(fd) }
        }
    }

    private static func serve(_ fd: Int32) {
        defer { close(fd) }
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            if let consumed = requestLength(buffer) {
                buffer.removeFirst(consumed)
                let sent = answer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent == answer.count else { return }
                continue
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            buffer.append(contentsOf: chunk[0 ..< count])
        }
    }

    /// The length of the whole request at the start of `buffer`, or nil while it is incomplete.
    private static func requestLength(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var end = 0
        while end + 3 < buffer.count {
            if buffer[end] == 13 && buffer[end + 1] == 10 && buffer[end + 2] == 13 && buffer[end + 3] == 10 { break }
            end += 1
        }
        guard end + 3 < buffer.count else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self).lowercased()
        var length = 0
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let total = end + 4 + length
        return buffer.count >= total ? total : nil
    }
}
