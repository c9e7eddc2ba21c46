import CFixstreamNet

/// The epoll event bits: what to watch for in ``Epoll/add(_:events:token:)``, and what happened in
/// ``Epoll/events(at:)``.
public struct EpollEvents: OptionSet, Hashable, Sendable {
    /// The `EPOLL*` bits.
    public var rawValue: UInt32

    /// Wraps `EPOLL*` bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `EPOLLIN`: data to read, a connection to accept, or end-of-file.
    public static let readable = EpollEvents(rawValue: EPOLLIN.rawValue)
    /// `EPOLLOUT`: room to write.
    public static let writable = EpollEvents(rawValue: EPOLLOUT.rawValue)
    /// `EPOLLRDHUP`: the peer shut down its sending side (reading will reach end-of-file).
    public static let readHangup = EpollEvents(rawValue: EPOLLRDHUP.rawValue)
    /// `EPOLLHUP`: both directions are closed. Always reported; need not be asked for.
    public static let hangup = EpollEvents(rawValue: EPOLLHUP.rawValue)
    /// `EPOLLERR`: an error is pending on the socket. Always reported; need not be asked for.
    public static let error = EpollEvents(rawValue: EPOLLERR.rawValue)
    /// `EPOLLET`: edge-triggered: reported once per change, so read or write until would-block each time.
    public static let edgeTriggered = EpollEvents(rawValue: EPOLLET.rawValue)
    /// `EPOLLONESHOT`: reported once, then disabled until re-armed with ``Epoll/modify(_:events:token:)``.
    public static let oneShot = EpollEvents(rawValue: EPOLLONESHOT.rawValue)
    /// `EPOLLEXCLUSIVE`: when several epoll sets watch one listener, wake only one of them (``Epoll/add(_:events:token:)``
    /// only; cannot be modified).
    public static let exclusive = EpollEvents(rawValue: EPOLLEXCLUSIVE.rawValue)
}
