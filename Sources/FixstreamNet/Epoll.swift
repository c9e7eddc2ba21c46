import CFixstreamNet
@preconcurrency import Glibc

/// An epoll set with a preallocated event buffer: ``wait(timeoutMilliseconds:)`` allocates nothing.
///
/// Each registered descriptor carries a caller-chosen 64-bit token (a connection slot index, say), handed back
/// with its events.
///
/// Threading: not `Sendable`; one thread owns it (create it there, or move it there with ``spawnThread(name:_:)``)
/// and calls ``wait(timeoutMilliseconds:)``, ``token(at:)`` and ``events(at:)``. To wake that thread from
/// elsewhere, register an ``EventNotifier``.
public final class Epoll {
    /// The epoll descriptor.
    public let fd: Int32
    /// The most events one ``wait(timeoutMilliseconds:)`` returns.
    public let capacity: Int
    private let events: UnsafeMutablePointer<epoll_event>
    private var ready = 0

    /// Creates an epoll set (close-on-exec).
    /// - Parameter capacity: The size of the event buffer: the most events one wait reports (more stay pending
    ///   for the next wait).
    /// - Throws: ``SystemError``.
    public init(capacity: Int = 256) throws(SystemError) {
        precondition(capacity > 0 && capacity <= Int(Int32.max), "Epoll capacity must be positive")
        fd = try Syscall.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
        events.initialize(repeating: epoll_event(), count: capacity)
    }

    deinit {
        events.deallocate()
        Syscall.close(fd)
    }

    /// Starts watching `target`.
    /// - Parameters:
    ///   - target: The descriptor.
    ///   - events: What to watch for (``EpollEvents/hangup`` and ``EpollEvents/error`` are always reported).
    ///   - token: Handed back by ``token(at:)`` with each event of `target`.
    /// - Throws: ``SystemError`` (`EEXIST` if already watched).
    public func add(_ target: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_ADD, target, events, token, "epoll_ctl(ADD)")
    }

    /// Changes what `target` is watched for, and its token (also re-arms a ``EpollEvents/oneShot`` descriptor).
    /// - Throws: ``SystemError`` (`ENOENT` if not watched).
    public func modify(_ target: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try control(EPOLL_CTL_MOD, target, events, token, "epoll_ctl(MOD)")
    }

    /// Stops watching `target`. Unneeded before closing it (closing removes it) and wrong after: the descriptor
    /// is then invalid, which stops the process.
    /// - Throws: ``SystemError`` (`ENOENT` if not watched).
    public func remove(_ target: Int32) throws(SystemError) {
        _ = try Syscall.call("epoll_ctl(DEL)") { epoll_ctl(fd, EPOLL_CTL_DEL, target, nil) }
    }

    /// Waits for events; then ``token(at:)`` and ``events(at:)`` describe events `0..<count`.
    ///
    /// A signal interrupting the wait restarts it with the full timeout.
    /// - Parameter timeoutMilliseconds: How long to wait: -1 forever, 0 not at all.
    /// - Returns: The number of ready descriptors (0 on timeout).
    /// - Throws: ``SystemError``.
    @discardableResult
    public func wait(timeoutMilliseconds: Int32 = -1) throws(SystemError) -> Int {
        ready = 0
        let count = try Syscall.call("epoll_wait") { epoll_wait(fd, events, Int32(capacity), timeoutMilliseconds) }
        ready = Int(count)
        return ready
    }

    /// The token of the `index`th event of the last wait.
    public func token(at index: Int) -> UInt64 {
        precondition(index >= 0 && index < ready, "Epoll event index out of range")
        return events[index].data.u64
    }

    /// What happened in the `index`th event of the last wait.
    public func events(at index: Int) -> EpollEvents {
        precondition(index >= 0 && index < ready, "Epoll event index out of range")
        return EpollEvents(rawValue: events[index].events)
    }

    private func control(
        _ operation: Int32,
        _ target: Int32,
        _ watched: EpollEvents,
        _ token: UInt64,
        _ name: StaticString
    ) throws(SystemError) {
        var event = epoll_event()
        event.events = watched.rawValue
        event.data.u64 = token
        _ = try Syscall.call(name) { epoll_ctl(fd, operation, target, &event) }
    }
}
