public import FixstreamNet

/// Where `replay` sends: `tcp://HOST:PORT`, `udp://HOST:PORT` (device lines) or `http://HOST:PORT` (OsmAnd).
public enum ReplayTarget: Sendable, Equatable, CustomStringConvertible {
    /// Native JSON lines over TCP connections.
    case tcp(SocketAddress)
    /// Native JSON lines in UDP datagrams (several lines per datagram).
    case udp(SocketAddress)
    /// OsmAnd `GET /?id=…` requests over keep-alive HTTP connections.
    case http(SocketAddress)

    /// Parses `scheme://host:port` with a numeric host (`[::1]` for IPv6).
    public init?(_ text: String) {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let scheme = parts[0]
        var rest = parts[1]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) else {
            return nil
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" { host = "127.0.0.1" }
        guard let address = try? SocketAddress(host: host, port: port) else { return nil }
        switch scheme {
        case "tcp": self = .tcp(address)
        case "udp": self = .udp(address)
        case "http": self = .http(address)
        default: return nil
        }
    }

    /// The address sent to.
    public var address: SocketAddress {
        switch self {
        case .tcp(let address), .udp(let address), .http(let address): address
        }
    }

    /// `tcp`, `udp` or `http`.
    public var scheme: String {
        switch self {
        case .tcp: "tcp"
        case .udp: "udp"
        case .http: "http"
        }
    }

    /// The target as written.
    public var description: String { "\(scheme)://\(address)" }
}
