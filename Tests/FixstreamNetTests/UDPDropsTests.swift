import FixstreamNet
@preconcurrency import Glibc
import Testing

struct UDPDropsTests {
    @Test func datagramsBeyondAFullBufferAreCounted() throws {
        // A receiver with the smallest buffer that is never read, and more datagrams than it can hold.
        let receiver = try Socket.bindUDP(on: Loopback.anyPort, receiveBufferSize: 4_096)
        defer { Socket.close(receiver) }
        let drops = try #require(UDPDrops(socket: receiver))
        #expect(drops.read() == 0)
        let sender = try Socket.connectUDP(to: try Socket.localAddress(receiver))
        defer { Socket.close(sender) }
        let datagram = [UInt8](repeating: 0x41, count: 512)
        for _ in 0 ..< 200 {
            _ = try datagram.withUnsafeBytes { try Socket.send(sender, $0) }
        }
        let counted = try #require(drops.read())
        // Whatever the buffer held was not dropped; the rest was, and is counted.
        #expect(counted > 100)
        #expect(counted <= 200)
    }

    @Test func aClosedSocketIsNoLongerListed() throws {
        let receiver = try Socket.bindUDP(on: Loopback.anyPort)
        let drops = try #require(UDPDrops(socket: receiver))
        #expect(drops.read() == 0)
        Socket.close(receiver)
        #expect(drops.read() == nil)
    }
}
