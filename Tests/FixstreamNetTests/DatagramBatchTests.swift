import FixstreamNet
@preconcurrency import Glibc
import Testing

struct DatagramBatchTests {
    /// A non-blocking receiver on 127.0.0.1 and its address.
    func receiver() throws -> (fd: Int32, address: SocketAddress) {
        let fd = try Socket.bindUDP(on: Loopback.anyPort, receiveBufferSize: 1 << 20)
        return (fd, try Socket.localAddress(fd))
    }

    @Test func hundredDatagramsArriveAsSixtyFourThenThirtySix() throws {
        let (fd, address) = try receiver()
        defer { Socket.close(fd) }
        let sender = try Socket.bindUDP(on: Loopback.anyPort)
        defer { Socket.close(sender) }
        let senderAddress = try Socket.localAddress(sender)
        for index in 0 ..< 100 {
            let sent = try Array("datagram \(index)".utf8).withUnsafeBytes { try Socket.send(sender, $0, to: address) }
            #expect(sent == "datagram \(index)".utf8.count)
        }

        let batch = DatagramBatchReceiver(capacity: 64, maximumDatagramSize: 128)
        var seen = 0
        for expected in [64, 36] {
            let count = try batch.receive(from: fd)
            #expect(count == expected)
            for slot in 0 ..< count {
                #expect(String(decoding: batch.datagram(at: slot), as: UTF8.self) == "datagram \(seen)")
                #expect(batch.source(at: slot) == senderAddress)
                #expect(!batch.isTruncated(at: slot))
                seen += 1
            }
        }
        #expect(try batch.receive(from: fd) == 0)
        #expect(seen == 100)
    }

    @Test func oversizedDatagramIsFlaggedAsTruncated() throws {
        let (fd, address) = try receiver()
        defer { Socket.close(fd) }
        let sender = try Socket.connectUDP(to: address)
        defer { Socket.close(sender) }
        let long = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        _ = try long.withUnsafeBytes { try Socket.send(sender, $0) }
        _ = try Array("short".utf8).withUnsafeBytes { try Socket.send(sender, $0) }

        let batch = DatagramBatchReceiver(capacity: 8, maximumDatagramSize: 16)
        #expect(try batch.receive(from: fd) == 2)
        #expect(batch.isTruncated(at: 0))
        #expect(Array(batch.datagram(at: 0)) == Array(long.prefix(16)))
        #expect(!batch.isTruncated(at: 1))
        #expect(Array(batch.datagram(at: 1)) == Array("short".utf8))
        // The next batch starts clean.
        _ = try Array("again".utf8).withUnsafeBytes { try Socket.send(sender, $0) }
        #expect(try batch.receive(from: fd) == 1)
        #expect(!batch.isTruncated(at: 0))
    }

    @Test func batchSenderDeliversInOrderAndWaitingReceiveBlocksForTheFirst() throws {
        let (fd, address) = try receiver()
        defer { Socket.close(fd) }
        try Socket.setNonBlocking(fd, false)
        let connected = try Socket.connectUDP(to: address)
        defer { Socket.close(connected) }

        let sender = DatagramBatchSender(capacity: 16, maximumDatagramSize: 64)
        for slot in 0 ..< 16 {
            Array("fix \(slot)".utf8).withUnsafeBytes { sender.store($0, at: slot) }
        }
        #expect(sender.length(at: 3) == 5)
        #expect(try sender.send(to: connected, slots: 0 ..< 10) == 10)
        #expect(try sender.send(to: connected, slots: 10 ..< 16) == 6)
        #expect(try sender.send(to: connected, slots: 4 ..< 4) == 0)

        let batch = DatagramBatchReceiver(capacity: 32, maximumDatagramSize: 64)
        var texts: [String] = []
        while texts.count < 16 {
            let count = try batch.receive(from: fd, wait: true)
            #expect(count > 0)
            for slot in 0 ..< count {
                texts.append(String(decoding: batch.datagram(at: slot), as: UTF8.self))
                #expect(batch.source(at: slot) == (try Socket.localAddress(connected)))
            }
        }
        #expect(texts == (0 ..< 16).map { "fix \($0)" })
    }

    @Test func receivesOverIPv6WithSourceAddress() throws {
        let fd = try Socket.bindUDP(on: SocketAddress(host: "::1", port: 0))
        defer { Socket.close(fd) }
        let sender = try Socket.connectUDP(to: Socket.localAddress(fd))
        defer { Socket.close(sender) }
        let epoll = try Epoll(capacity: 2)
        try epoll.add(fd, events: .readable, token: 6)
        _ = try Array("v6".utf8).withUnsafeBytes { try Socket.send(sender, $0) }
        #expect(try epoll.wait(timeoutMilliseconds: 5000) == 1)
        let batch = DatagramBatchReceiver(capacity: 4, maximumDatagramSize: 32)
        #expect(try batch.receive(from: fd) == 1)
        #expect(batch.source(at: 0) == (try Socket.localAddress(sender)))
        #expect(batch.source(at: 0).description.hasPrefix("[::1]:"))
    }
}
