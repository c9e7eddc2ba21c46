import FixstreamWire

/// Why the server refused or cut a connection or datagram (as opposed to rejecting a record inside it).
public enum ConnectionReject: UInt8, Sendable, CaseIterable {
    /// The total connection limit was reached.
    case connectionLimit
    /// The per-address connection limit was reached.
    case addressLimit
    /// Closed after the idle timeout.
    case idleTimeout
    /// A datagram larger than the receive slot (cut, then rejected).
    case datagramTruncated
    /// The shard queue was full: a UDP datagram's fix was dropped (TCP waits instead).
    case queueFull
    /// An HTTP request that could not be parsed or broke a limit.
    case badHTTPRequest
    /// The kernel refused to accept (out of file descriptors).
    case acceptFailed
    /// The peer reset the connection.
    case reset

    /// Stable name for metrics.
    public var name: String {
        switch self {
        case .connectionLimit: "connection_limit"
        case .addressLimit: "address_limit"
        case .idleTimeout: "idle_timeout"
        case .datagramTruncated: "datagram_truncated"
        case .queueFull: "queue_full"
        case .badHTTPRequest: "bad_http_request"
        case .acceptFailed: "accept_failed"
        case .reset: "connection_reset"
        }
    }
}

/// Counters of one IO thread, published for metrics.
struct IngestCounters: Sendable {
    /// Records (lines, objects, HTTP requests) received, by transport.
    var tcpRecords = 0
    var udpRecords = 0
    var httpRequests = 0
    var udpDatagrams = 0
    /// Decoder counters (fixes, rejects by reason), by transport.
    var tcp = DecodeStats()
    var udp = DecodeStats()
    var http = DecodeStats()
    /// Fixes decoded by wire format.
    var fixesBySource = [Int](repeating: 0, count: FixSource.allCases.count)
    /// Connection-level rejects.
    var rejects = [Int](repeating: 0, count: ConnectionReject.allCases.count)
    /// Connections open now and accepted in total.
    var openConnections = 0
    var acceptedConnections = 0
    /// UDP fixes dropped because their shard's queue was full.
    var queueDrops = 0
    /// API responses by status code.
    var apiResponses: [Int: Int] = [:]

    mutating func count(_ reject: ConnectionReject) { rejects[Int(reject.rawValue)] += 1 }

    subscript(reject: ConnectionReject) -> Int { rejects[Int(reject.rawValue)] }
}
