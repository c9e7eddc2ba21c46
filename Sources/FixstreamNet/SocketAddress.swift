public import CFixstreamNet
@preconcurrency public import Glibc

/// An IPv4 or IPv6 socket address: a ``Host`` and a port (plus the scope of a link-local IPv6 address).
///
/// A plain value: comparing and hashing it touch no C memory, so it works as a dictionary key on a hot path.
/// Use ``hostKey`` (the address without the port) to count connections per source.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address.
    public let host: Host
    /// The port, in host byte order.
    public let port: UInt16
    /// The IPv6 scope (interface index) of a link-local address; 0 otherwise.
    public let scopeID: UInt32

    /// Creates an address from its parts.
    /// - Parameters:
    ///   - host: The IP address.
    ///   - port: The port, in host byte order.
    ///   - scopeID: The IPv6 interface index for a link-local address; ignored for IPv4.
    public init(host: Host, port: UInt16, scopeID: UInt32 = 0) {
        self.host = host
        self.port = port
        self.scopeID = host.isIPv6 ? scopeID : 0
    }

    /// Parses a numeric address such as `"127.0.0.1"`, `"0.0.0.0"`, `"::1"` or `"::"`; no name lookup.
    /// - Parameters:
    ///   - host: An IPv4 dotted quad or an IPv6 address, without brackets or zone.
    ///   - port: The port, in host byte order.
    /// - Throws: ``SystemError`` with code ``SystemError/Code/invalidArgument`` when `host` is neither.
    public init(host: String, port: UInt16) throws(SystemError) {
        self.init(host: try Host(host), port: port)
    }

    /// Reads an `AF_INET` or `AF_INET6` address, as `accept`, `recvmmsg` or `getsockname` fill it in.
    /// - Returns: `nil` for any other address family.
    public init?(storage: UnsafePointer<sockaddr_storage>) {
        let raw = UnsafeRawPointer(storage)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let address = raw.load(as: sockaddr_in.self)
            self.init(host: Host(ipv4NetworkOrder: address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port))
        case AF_INET6:
            let address = raw.load(as: sockaddr_in6.self)
            self.init(
                host: Host(ipv6: address.sin6_addr),
                port: UInt16(bigEndian: address.sin6_port),
                scopeID: address.sin6_scope_id
            )
        default:
            return nil
        }
    }

    /// Reads an `AF_INET` or `AF_INET6` address held by value.
    /// - Returns: `nil` for any other address family.
    public init?(storage: sockaddr_storage) {
        var copy = storage
        guard let address = withUnsafePointer(to: &copy, { SocketAddress(storage: $0) }) else { return nil }
        self = address
    }

    /// The identity of the source without its port, for per-address limits. An IPv4-mapped IPv6 address
    /// (`::ffff:192.0.2.1`, as a dual-stack listener reports IPv4 peers) gives the same key as the IPv4 address.
    public var hostKey: Host {
        host.unmapped
    }

    /// Whether this is an IPv6 address.
    public var isIPv6: Bool {
        host.isIPv6
    }

    /// `"127.0.0.1:5005"`, `"[::1]:5005"`, or `"[fe80::1%2]:5005"` with a scope.
    public var description: String {
        guard host.isIPv6 else { return "\(host):\(port)" }
        let scope = scopeID == 0 ? "" : "%\(scopeID)"
        return "[\(host)\(scope)]:\(port)"
    }

    /// The address family, `AF_INET` or `AF_INET6`.
    var family: Int32 {
        host.isIPv6 ? AF_INET6 : AF_INET
    }

    /// Calls `body` with this address as a C `sockaddr` and its length, for `bind`, `connect` or `sendto`.
    /// - Parameter body: Gets a pointer valid only during the call, and the length of what it points to.
    /// - Returns: What `body` returns.
    public func withSockaddr<Result, Failure: Error>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch host.storage {
        case .ipv4(let networkOrder):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = networkOrder
            return try withUnsafeBytes(of: &address) { (bytes) throws(Failure) -> Result in
                try body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(bytes.count))
            }
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = host.in6
            address.sin6_scope_id = scopeID
            return try withUnsafeBytes(of: &address) { (bytes) throws(Failure) -> Result in
                try body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(bytes.count))
            }
        }
    }

    /// `0.0.0.0:0`, for the (IP sockets only: impossible) case of a peer address of another family.
    static let unspecified = SocketAddress(host: Host(ipv4NetworkOrder: 0), port: 0)
}
