import FixstreamNet

/// One HTTP client connection: what has been read and not yet parsed, and what is waiting to be written.
struct HTTPConnection {
    enum Port {
        /// Phone trackers posting positions.
        case osmand
        /// Metrics, health, the alert feeds and the admin API.
        case api
    }

    let fd: Int32
    let port: Port
    /// Received bytes not yet consumed by a complete request, in `input[0 ..< used]`.
    var input: [UInt8]
    var used = 0
    /// Response bytes not yet written, from `outputStart`.
    var output: [UInt8] = []
    var outputStart = 0
    /// Close once the output is written (an error response, `Connection: close`).
    var closeAfterWrite = false
    /// The events registered with epoll now.
    var interest: EpollEvents = [.readable, .readHangup]
    /// Monotonic milliseconds of the last activity, and when the current partial request began (0: none).
    var lastActivity: Int64
    var partialSince: Int64 = 0
    /// Set once the connection carries an alert stream: it answers no more requests.
    var feed: AlertFeeds.Stream?
    /// The client half-closed while an answer was awaited: close once it is written.
    var peerClosed = false
    /// `100 Continue` was sent for the request being received.
    var continueSent = false
    /// The ticket of a state question the shards are answering: later requests wait for its response.
    var awaiting: UInt64?

    var hasOutput: Bool { outputStart < output.count }

    /// Response bytes not yet written.
    var pendingOutput: Int { output.count - outputStart }
}
