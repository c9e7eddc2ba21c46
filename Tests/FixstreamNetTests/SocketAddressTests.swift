import CFixstreamNet
import FixstreamNet
@preconcurrency import Glibc
import Testing

struct SocketAddressTests {
    @Test(arguments: [
        ("127.0.0.1", UInt16(5005), "127.0.0.1:5005", false),
        ("0.0.0.0", 0, "0.0.0.0:0", false),
        ("192.0.2.255", 65535, "192.0.2.255:65535", false),
        ("::1", 5005, "[::1]:5005", true),
        ("::", 80, "[::]:80", true),
        ("2001:DB8::A:1", 443, "[2001:db8::a:1]:443", true),
        ("::ffff:192.0.2.1", 1, "[::ffff:192.0.2.1]:1", true),
    ])
    func parsesAndDescribes(text: String, port: UInt16, description: String, isIPv6: Bool) throws {
        let address = try SocketAddress(host: text, port: port)
        #expect(address.description == description)
        #expect(address.port == port)
        #expect(address.isIPv6 == isIPv6)
        #expect(address.host.isIPv6 == isIPv6)
    }

    @Test(arguments: [
        "", "localhost", "1.2.3", "256.1.1.1", "1.2.3.4.5", "1.2.3.4:80", " 127.0.0.1", "127.0.0.1 ", "::g", "[::1]",
        "1:2:3:4:5:6:7:8:9", "fe80::1%lo", "0x7f.0.0.1",
    ])
    func rejectsGarbage(text: String) {
        #expect {
            _ = try SocketAddress(host: text, port: 1)
        } throws: { error in
            guard let error = error as? SystemError else { return false }
            return error.code == .invalidArgument && error.operation == "inet_pton"
                && error.description.contains("'\(text)'")
        }
    }

    @Test(arguments: ["127.0.0.1", "10.1.2.3", "::1", "2001:db8::1", "::"])
    func roundTripsThroughSockaddr(text: String) throws {
        let address = try SocketAddress(host: text, port: 4242)
        let copy = address.withSockaddr { pointer, length in
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { bytes in
                bytes.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: Int(length)))
            }
            return SocketAddress(storage: storage)
        }
        #expect(copy == address)
    }

    @Test func hostKeyIgnoresThePortAndUnmapsIPv4() throws {
        let a = try SocketAddress(host: "192.0.2.1", port: 1000)
        let b = try SocketAddress(host: "192.0.2.1", port: 2000)
        let mapped = try SocketAddress(host: "::ffff:192.0.2.1", port: 3000)
        let other = try SocketAddress(host: "192.0.2.2", port: 1000)
        #expect(a != b)
        #expect(a.hostKey == b.hostKey)
        #expect(mapped.hostKey == a.hostKey)
        #expect(mapped.hostKey.description == "192.0.2.1")
        #expect(other.hostKey != a.hostKey)
        #expect(try SocketAddress(host: "::1", port: 1).hostKey != SocketAddress(host: "127.0.0.1", port: 1).hostKey)
        #expect(Set([a.hostKey, b.hostKey, mapped.hostKey, other.hostKey]).count == 2)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.255.0.9", true), ("::1", true), ("::ffff:127.0.0.1", true), ("0.0.0.0", false),
        ("::", false), ("10.0.0.1", false), ("128.0.0.1", false), ("::2", false), ("2001:db8::1", false),
    ])
    func loopbackAddressesAreRecognised(text: String, loopback: Bool) throws {
        #expect(try SocketAddress.Host(text).isLoopback == loopback)
    }

    @Test func hostParsesOnItsOwn() throws {
        #expect(try SocketAddress.Host("127.0.0.1") == SocketAddress(host: "127.0.0.1", port: 9).host)
        #expect(try SocketAddress.Host("::1").description == "::1")
        #expect(throws: SystemError.self) { try SocketAddress.Host("nope") }
    }
}
