@preconcurrency import Glibc

extension SocketAddress {
    /// An IPv4 or IPv6 address without a port: the ``SocketAddress/hostKey`` for per-source limits.
    public struct Host: Hashable, Sendable, CustomStringConvertible {
        /// The address bytes: IPv4 as the `s_addr` word (network order), IPv6 as its 16 bytes in memory order.
        enum Storage: Hashable {
            case ipv4(UInt32)
            case ipv6(UInt64, UInt64)
        }

        let storage: Storage

        /// Parses a numeric IPv4 (`"127.0.0.1"`) or IPv6 (`"::1"`) address with `inet_pton`; no name lookup.
        /// - Throws: ``SystemError`` with code ``SystemError/Code/invalidArgument`` when `text` is neither.
        public init(_ text: String) throws(SystemError) {
            var ipv4 = in_addr()
            if inet_pton(AF_INET, text, &ipv4) == 1 {
                self.init(ipv4NetworkOrder: ipv4.s_addr)
                return
            }
            var ipv6 = in6_addr()
            if inet_pton(AF_INET6, text, &ipv6) == 1 {
                self.init(ipv6: ipv6)
                return
            }
            throw SystemError(
                code: .invalidArgument,
                operation: "inet_pton",
                detail: "not a numeric IPv4 or IPv6 address: '\(text)'"
            )
        }

        /// An IPv4 address from its `s_addr` word (network byte order).
        init(ipv4NetworkOrder: UInt32) {
            storage = .ipv4(ipv4NetworkOrder)
        }

        /// An IPv6 address.
        init(ipv6 address: in6_addr) {
            storage = withUnsafeBytes(of: address) { bytes in
                .ipv6(bytes.loadUnaligned(as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        }

        /// Whether this is an IPv6 address (including IPv4-mapped ones).
        public var isIPv6: Bool {
            if case .ipv6 = storage { return true }
            return false
        }

        /// Whether this is a loopback address: 127.0.0.0/8, `::1`, or an IPv4-mapped loopback address.
        public var isLoopback: Bool {
            switch unmapped.storage {
            case .ipv4(let networkOrder): return UInt32(bigEndian: networkOrder) >> 24 == 127
            case .ipv6(let high, let low): return high == 0 && low == UInt64(1).bigEndian
            }
        }

        /// The IPv6 address as the C type; all zeros for IPv4.
        var in6: in6_addr {
            var address = in6_addr()
            if case .ipv6(let high, let low) = storage {
                withUnsafeMutableBytes(of: &address) { bytes in
                    bytes.storeBytes(of: high, as: UInt64.self)
                    bytes.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
                }
            }
            return address
        }

        /// The IPv4 address for an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`); otherwise `self`.
        var unmapped: Host {
            guard case .ipv6(let high, _) = storage, high == 0 else { return self }
            // Mapped: bytes 0...9 zero, bytes 10...11 ff ff, bytes 12...15 the IPv4 address (as s_addr holds it).
            return withUnsafeBytes(of: in6) { bytes in
                guard bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self) == UInt32(0x0000_FFFF).bigEndian else {
                    return self
                }
                return Host(ipv4NetworkOrder: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            }
        }

        /// The numeric form `inet_ntop` gives: `"127.0.0.1"`, `"::1"`.
        public var description: String {
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN)) { buffer in
                let written: UnsafePointer<CChar>?
                switch storage {
                case .ipv4(let networkOrder):
                    var address = in_addr(s_addr: networkOrder)
                    written = inet_ntop(AF_INET, &address, buffer.baseAddress, socklen_t(buffer.count))
                case .ipv6:
                    var address = in6
                    written = inet_ntop(AF_INET6, &address, buffer.baseAddress, socklen_t(buffer.count))
                }
                return written.map { String(cString: $0) } ?? "?"
            }
        }
    }
}
