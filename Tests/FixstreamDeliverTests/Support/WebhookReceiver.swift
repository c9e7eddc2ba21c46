import FixstreamDeliver
import FixstreamJSON
import FixstreamNet
import Foundation
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// A small blocking HTTP/1.1 server on 127.0.0.1 that plays a webhook receiver: it records every POST, checks
/// its signature, and answers as the test tells it (fail the next N, answer a fixed status, hold answers back).
///
/// One thread accepts; each connection gets its own thread and is kept alive as the client likes. Answers are
/// written with `MSG_NOSIGNAL`, so a client that gave up never kills the test process with SIGPIPE. The threads
/// keep the receiver alive: call ``stop()`` when done (it closes the port and every connection).
final class WebhookReceiver: Sendable {
    /// One POST as received, and what it was answered.
    struct Request: Sendable {
        var path: String
        /// Header names in lower case.
        var headers: [String: String]
        var body: [UInt8]
        var status: Int
        /// Whether `X-Fixstream-Signature` is the HMAC-SHA256 of the body with the receiver's secret.
        var signatureValid: Bool
        /// The `id` of each alert in the body (a JSON array of objects), in order.
        var alertIDs: [Int64]
    }

    private struct State {
        var answered: [Request] = []
        var arrived = 0
        var failuresLeft = 0
        var failureStatus = 500
        var status = 200
        var holding = false
        var connections: Set<Int32> = []
        var stopped = false
    }

    let port: UInt16
    let secret: String
    private let listener: Int32
    private let state = Mutex(State())

    /// Listens on 127.0.0.1:`port` (0: any free port).
    init(secret: String = "s3cret", port: UInt16 = 0) throws {
        self.secret = secret
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SystemError(code: .init(rawValue: errno), operation: "socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw SystemError(code: .init(rawValue: code), operation: "bind/listen", detail: "127.0.0.1:\(port)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        _ = try spawnThread(name: "test-receiver") { [self] in acceptLoop() }
    }

    /// The URL to configure.
    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Answers the next `count` POSTs with `status` (then the usual status again).
    func failNext(_ count: Int, status: Int = 500) {
        state.withLock {
            $0.failuresLeft = count
            $0.failureStatus = status
        }
    }

    /// Answers every POST with `status` from now on.
    func answer(_ status: Int) {
        state.withLock { $0.status = status }
    }

    /// Holds every answer back until ``release()``.
    func hold() {
        state.withLock { $0.holding = true }
    }

    /// Lets held answers go.
    func release() {
        state.withLock { $0.holding = false }
    }

    /// POSTs whose request arrived, answered or not.
    var arrived: Int { state.withLock { $0.arrived } }

    /// POSTs answered, in the order answered.
    var requests: [Request] { state.withLock { $0.answered } }

    /// POSTs answered with a 2xx.
    var accepted: [Request] { requests.filter { (200 ..< 300).contains($0.status) } }

    /// The alert ids of the accepted POSTs, in order.
    var acceptedIDs: [Int64] { accepted.flatMap(\.alertIDs) }

    /// Stops listening and closes every connection; later calls do nothing.
    func stop() {
        let open = state.withLock { state -> Set<Int32>? in
            guard !state.stopped else { return nil }
            state.stopped = true
            state.holding = false
            return state.connections
        }
        guard let open else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.connections.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                return
            }
            if (try? spawnThread(name: "test-conn", { [self] in serve(fd) })) == nil { close(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            state.withLock { _ = $0.connections.remove(fd) }
            close(fd)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let (request, consumed, keepAlive) = Self.parse(buffer) {
                buffer.removeFirst(consumed)
                let status = respond(to: request)
                let answer = Array("HTTP/1.1 \(status) Status\r\nContent-Length: 0\r\n\r\n".utf8)
                let sent = answer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent == answer.count, keepAlive else { return }
                continue
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            buffer.append(contentsOf: chunk[0 ..< count])
        }
    }

    /// Decides the status, holds the answer while told to, and records the request.
    private func respond(to request: Request) -> Int {
        var request = request
        request.status = state.withLock { state in
            state.arrived += 1
            guard state.failuresLeft == 0 else {
                state.failuresLeft -= 1
                return state.failureStatus
            }
            return state.status
        }
        while state.withLock({ $0.holding && !$0.stopped }) { usleep(5_000) }
        request.signatureValid =
            request.headers["x-fixstream-signature"] == HMACSHA256.signature(request.body, secret: secret)
        state.withLock { $0.answered.append(request) }
        return request.status
    }

    /// One whole request at the start of `buffer`: the request, the bytes it took, and whether the connection
    /// stays open.
    private static func parse(_ buffer: [UInt8]) -> (Request, Int, Bool)? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4,
            let end = (0 ... buffer.count - 4).first(where: { buffer[$0 ..< $0 + 4].elementsEqual(terminator) })
        else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + 4
        guard buffer.count >= bodyStart + length else { return nil }
        let body = Array(buffer[bodyStart ..< bodyStart + length])
        var ids: [Int64] = []
        if let alerts = try? JSONValue.parse(body).array {
            ids = alerts.compactMap { $0["id"]?.number.map { Int64($0) } }
        }
        let request = Request(
            path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers,
            body: body,
            status: 0,
            signatureValid: false,
            alertIDs: ids
        )
        return (request, bodyStart + length, headers["connection"]?.lowercased() != "close")
    }
}
