import FixstreamNet
@preconcurrency import Glibc
import Testing

struct SocketTests {
    @Test func listenOnPortZeroReportsTheRealPort() throws {
        let (fd, address) = try Loopback.listener()
        defer { Socket.close(fd) }
        #expect(address.port != 0)
        #expect(address.host == Loopback.anyPort.host)
    }

    @Test func listensOnIPv6Loopback() throws {
        let fd = try Socket.listenTCP(on: SocketAddress(host: "::1", port: 0))
        defer { Socket.close(fd) }
        let address = try Socket.localAddress(fd)
        #expect(address.isIPv6 && address.port != 0)
        let client = try Socket.connectTCP(to: address)
        defer { Socket.close(client) }
        let accepted = try Loopback.accept(fd)
        defer { Socket.close(accepted.fd) }
        #expect(accepted.peer == (try Socket.localAddress(client)))
        #expect(accepted.peer.description.hasPrefix("[::1]:"))
    }

    @Test func acceptReturnsNilWhenNothingIsPending() throws {
        let (fd, _) = try Loopback.listener()
        defer { Socket.close(fd) }
        #expect(try Socket.accept(fd) == nil)
    }

    @Test func secondListenerOnTheSamePortFails() throws {
        let (fd, address) = try Loopback.listener()
        defer { Socket.close(fd) }
        #expect {
            _ = try Socket.listenTCP(on: address)
        } throws: { error in
            (error as? SystemError)?.code == .addressInUse
        }
    }

    @Test func epollReportsDataThenEndOfFile() throws {
        let (listener, address) = try Loopback.listener()
        defer { Socket.close(listener) }
        let epoll = try Epoll(capacity: 8)
        try epoll.add(listener, events: .readable, token: 1)

        let client = try Socket.connectTCP(to: address)
        #expect(try epoll.wait(timeoutMilliseconds: 5000) == 1)
        #expect(epoll.token(at: 0) == 1)
        #expect(epoll.events(at: 0).contains(.readable))
        let accepted = try #require(try Socket.accept(listener))
        defer { Socket.close(accepted.fd) }
        #expect(accepted.peer == (try Socket.localAddress(client)))
        #expect(try Socket.peerAddress(accepted.fd) == accepted.peer)
        #expect(try Socket.accept(listener) == nil)

        try epoll.add(accepted.fd, events: [.readable, .readHangup], token: 2)
        #expect(try epoll.wait(timeoutMilliseconds: 0) == 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(try buffer.withUnsafeMutableBytes { try Socket.read(accepted.fd, into: $0) } == .wouldBlock)

        try Loopback.sendAll(client, Array("hello".utf8))
        #expect(try epoll.wait(timeoutMilliseconds: 5000) == 1)
        #expect(epoll.token(at: 0) == 2)
        #expect(try buffer.withUnsafeMutableBytes { try Socket.read(accepted.fd, into: $0) } == .bytes(5))
        #expect(buffer.prefix(5) == ArraySlice("hello".utf8))

        Socket.close(client)
        #expect(try epoll.wait(timeoutMilliseconds: 5000) == 1)
        #expect(epoll.events(at: 0).isSuperset(of: [.readable, .readHangup]))
        #expect(try buffer.withUnsafeMutableBytes { try Socket.read(accepted.fd, into: $0) } == .endOfFile)
    }

    @Test func megabyteRoundTripThroughNonBlockingPair() throws {
        let (client, server) = try Loopback.connectedPair()
        defer {
            Socket.close(client)
            Socket.close(server)
        }
        try Socket.setNonBlocking(client)
        try Socket.setSendBuffer(client, bytes: 16 * 1024)
        try Socket.setReceiveBuffer(server, bytes: 16 * 1024)
        let payload = (0 ..< (1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        var received = [UInt8]()
        received.reserveCapacity(payload.count)
        var buffer = [UInt8](repeating: 0, count: 8192)
        var sent = 0
        var writeWouldBlock = 0
        var readWouldBlock = 0
        var endOfFile = false

        let epoll = try Epoll(capacity: 4)
        try epoll.add(client, events: .writable, token: 1)
        try epoll.add(server, events: .readable, token: 2)
        let deadline = MonotonicClock.nanoseconds() + 20_000_000_000
        while !endOfFile, MonotonicClock.nanoseconds() < deadline {
            try epoll.wait(timeoutMilliseconds: 1000)
            while sent < payload.count {
                let count = try payload.withUnsafeBytes { bytes in
                    try Socket.write(client, UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
                guard let count else {
                    writeWouldBlock += 1
                    break
                }
                sent += count
                if sent == payload.count {
                    try Socket.shutdownWrite(client)
                    try epoll.remove(client)
                }
            }
            reading: while true {
                switch try buffer.withUnsafeMutableBytes({ try Socket.read(server, into: $0) }) {
                case .bytes(let count): received += buffer[..<count]
                case .wouldBlock:
                    readWouldBlock += 1
                    break reading
                case .endOfFile:
                    endOfFile = true
                    break reading
                case .connectionReset:
                    Issue.record("unexpected reset")
                    return
                }
            }
        }
        #expect(endOfFile)
        #expect(received.count == payload.count)
        #expect(received == payload)
        #expect(writeWouldBlock > 0)
        #expect(readWouldBlock > 0)
    }

    @Test func resetIsADistinctReadResult() throws {
        let (client, server) = try Loopback.connectedPair()
        defer { Socket.close(server) }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        #expect(setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size)) == 0)
        Socket.close(client)  // With a zero linger time, close sends RST.
        let epoll = try Epoll(capacity: 1)
        try epoll.add(server, events: .readable, token: 0)
        #expect(try epoll.wait(timeoutMilliseconds: 5000) == 1)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try Socket.read(server, into: $0) } == .connectionReset)
    }

    @Test func writingToAClosedPeerThrowsInsteadOfRaisingSIGPIPE() throws {
        let (client, server) = try Loopback.connectedPair()
        defer { Socket.close(server) }
        Socket.close(client)
        let chunk = [UInt8](repeating: 7, count: 4096)
        var failure: SystemError?
        for _ in 0 ..< 1000 where failure == nil {
            do {
                _ = try chunk.withUnsafeBytes { try Socket.write(server, $0) }
                usleep(1000)
            } catch {
                failure = error as? SystemError
            }
        }
        let code = try #require(failure?.code)
        #expect(code == .brokenPipe || code == .connectionReset)
        #expect(failure?.operation == "send")
    }

    @Test func connectToAClosedPortIsRefused() throws {
        let (fd, address) = try Loopback.listener()
        Socket.close(fd)
        #expect {
            _ = try Socket.connectTCP(to: address)
        } throws: { error in
            (error as? SystemError)?.code == .connectionRefused
        }
    }

    @Test func optionsAreApplied() throws {
        let fd = try Socket.bindUDP(on: Loopback.anyPort, receiveBufferSize: 256 * 1024)
        defer { Socket.close(fd) }
        #expect(try Socket.receiveBufferSize(fd) >= 256 * 1024)
        try Socket.setSendBuffer(fd, bytes: 64 * 1024)
        #expect(try Socket.sendBufferSize(fd) >= 64 * 1024)
        #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        try Socket.setNonBlocking(fd, false)
        #expect(fcntl(fd, F_GETFL) & O_NONBLOCK == 0)
    }

    /// Past `net.core.rmem_max` with `CAP_NET_ADMIN`; without it, as much as a plain `SO_RCVBUF` gets.
    @Test func aRaisedReceiveBufferIsAtLeastWhatThePlainOptionGives() throws {
        let bytes = 64 << 20
        let plain = try Socket.bindUDP(on: Loopback.anyPort)
        defer { Socket.close(plain) }
        try Socket.setReceiveBuffer(plain, bytes: bytes)
        let raised = try Socket.bindUDP(on: Loopback.anyPort)
        defer { Socket.close(raised) }
        try Socket.raiseReceiveBuffer(raised, bytes: bytes)
        #expect(try Socket.receiveBufferSize(raised) >= Socket.receiveBufferSize(plain))
        if geteuid() == 0 { #expect(try Socket.receiveBufferSize(raised) >= bytes) }
    }

    @Test func acceptReportsFileDescriptorExhaustionDistinctly() async {
        await #expect(processExitsWith: .success) {
            let (listener, address) = try! Loopback.listener()
            let client = try! Socket.connectTCP(to: address)
            _ = client
            var limit = rlimit(rlim_cur: 256, rlim_max: 256)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            while dup(listener) >= 0 {}
            do {
                _ = try Socket.accept(listener)
                exit(2)
            } catch {
                exit((error as? SystemError)?.code == .tooManyOpenFiles ? 0 : 1)
            }
        }
    }

    @Test func closingAnUnopenedDescriptorIsAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            Socket.close(1_000_000)
        }
    }
}
