import FixstreamNet
import FixstreamWire

/// One device's TCP connection: its decoder (partial line, open epochs, stream vehicle id) and any decoded fixes
/// still waiting for room in a full shard queue.
struct DeviceConnection {
    let fd: Int32
    let host: SocketAddress.Host
    var decoder: FixDecoder
    /// Monotonic milliseconds of the last byte received.
    var lastActivity: Int64
    /// Decoded fixes not yet queued because a shard's ring was full (backpressure); reading is paused meanwhile.
    var pending: [IngestItem] = []
    var pendingStart = 0
    /// Whether the socket is out of epoll because of backpressure.
    var paused = false
    /// The socket is closed; the slot lives on until `pending` is queued.
    var closed = false

    var hasPending: Bool { pendingStart < pending.count }
}
