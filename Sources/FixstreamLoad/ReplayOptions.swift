/// How a replay runs.
public struct ReplayOptions: Sendable {
    /// Playback speed: 1 is real time, 10 ten times faster; nil sends as fast as possible.
    public var speed: Double? = 1
    /// Vehicles the traces are fanned out to (distinct ids, staggered starts, small position offsets).
    public var vehicles = 1
    /// At most this many fixes per second in total; nil for no cap.
    public var rate: Double?
    /// Stop after this many seconds, looping the traces if they are shorter; nil plays them once.
    public var duration: Double?
    /// TCP connections, UDP sockets or HTTP connections to spread the vehicles over.
    public var connections = 1
    /// Vehicles start spread over this many seconds (at most the trace's length). Default 60.
    public var staggerWindow = 60.0
    /// Lines per UDP datagram at most (and bytes at most 1,400).
    public var linesPerDatagram = 16

    /// Real time, one vehicle, one connection, one pass.
    public init() {}
}

/// What a replay did.
public struct ReplayResult: Sendable {
    /// Fixes sent.
    public var sent = 0
    /// Bytes sent.
    public var bytes = 0
    /// Seconds from the first send to the last.
    public var seconds = 0.0
    /// HTTP answers by status (only for `http://`).
    public var statuses: [Int: Int] = [:]
    /// Send errors (a refused or reset connection).
    public var errors = 0

    /// Fixes per second achieved.
    public var rate: Double { seconds > 0 ? Double(sent) / seconds : 0 }
}
