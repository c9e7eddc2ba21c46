/// Limits that keep one misbehaving client from hurting the others. Each violation is counted by reason.
public struct ServerLimits: Sendable, Equatable {
    /// Longest NMEA/text line, bytes. Longer lines are rejected as `too_long`.
    public var maxLineLength = 1024
    /// Longest JSON object, bytes.
    public var maxObjectLength = 64 * 1024
    /// Open device connections (TCP ingest) at most; more are refused as `connection_limit`.
    public var maxConnections = 20_000
    /// Open device connections from one IP address at most (cellular carriers put many devices behind one
    /// address, so this is generous); more are refused as `address_limit`.
    public var maxConnectionsPerAddress = 2_000
    /// A connection silent for this long is closed as `idle_timeout`, milliseconds.
    public var idleTimeout: Int64 = 600_000
    /// Bytes read from a connection per read call (and the UDP datagram size); the decoder keeps at most one
    /// partial record besides.
    public var readChunk = 64 * 1024
    /// Largest HTTP request (head and body), bytes; more is refused with 413/431.
    public var maxHTTPRequest = 64 * 1024
    /// Largest request body on the API port (a fence or trip document for the admin API), bytes. Default 4 MiB.
    public var maxAPIBody = 4 << 20
    /// Open HTTP connections at most (OsmAnd and API ports together).
    public var maxHTTPConnections = 10_000
    /// Fixes per ring between one IO thread and one shard.
    public var ringCapacity = 65_536
    /// Receive buffer of the ingest UDP socket, bytes (the kernel doubles it): past `net.core.rmem_max` when the
    /// process has `CAP_NET_ADMIN` (`SO_RCVBUFFORCE`), capped by it otherwise. The kernel drops datagrams once it
    /// is full. The default, 32 MiB (64 MiB granted), is eight times what an 8 MiB request got under Debian's
    /// default `rmem_max` (4 MiB, doubled), which lasts only some 10 ms at 3 M fixes/s in 10-fix datagrams: a
    /// moment without the CPU on a busy machine then costs no fix.
    public var udpReceiveBuffer = 32 << 20

    /// The documented defaults.
    public init() {}
}
