import FixstreamNet
import Testing

/// Loopback fixtures: listeners and connected pairs on 127.0.0.1 with kernel-chosen ports.
enum Loopback {
    /// 127.0.0.1 port 0.
    static var anyPort: SocketAddress {
        try! SocketAddress(host: "127.0.0.1", port: 0)
    }

    /// A listener on 127.0.0.1 and its real address.
    static func listener() throws -> (fd: Int32, address: SocketAddress) {
        let fd = try Socket.listenTCP(on: anyPort, backlog: 16)
        return (fd, try Socket.localAddress(fd))
    }

    /// Accepts on a non-blocking listener, waiting up to five seconds for the connection to arrive.
    static func accept(_ listener: Int32) throws -> (fd: Int32, peer: SocketAddress) {
        let epoll = try Epoll(capacity: 1)
        try epoll.add(listener, events: .readable, token: 0)
        let deadline = MonotonicClock.nanoseconds() + 5_000_000_000
        while MonotonicClock.nanoseconds() < deadline {
            if let accepted = try Socket.accept(listener) { return accepted }
            try epoll.wait(timeoutMilliseconds: 100)
        }
        throw LoopbackTimeout()
    }

    /// A connected pair: a blocking client (from ``Socket/connectTCP(to:)``) and the non-blocking accepted side.
    static func connectedPair() throws -> (client: Int32, server: Int32) {
        let listener = try listener()
        defer { Socket.close(listener.fd) }
        let client = try Socket.connectTCP(to: listener.address)
        let server = try accept(listener.fd)
        return (client, server.fd)
    }

    /// Sends all of `bytes` on a blocking socket.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = try bytes.withUnsafeBytes {
                try Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...]))
            }
            offset += try #require(sent)
        }
    }
}

/// A fixture waited too long.
struct LoopbackTimeout: Error {}
