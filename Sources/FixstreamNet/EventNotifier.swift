import CFixstreamNet
@preconcurrency import Glibc

/// An `eventfd` to wake an epoll loop from another thread: register ``fd`` as readable, call ``signal()`` from
/// anywhere, and ``drain()`` in the loop when it reports readable.
///
/// Signals coalesce: several before a drain wake the loop once. `Sendable`: any thread may signal.
public final class EventNotifier: Sendable {
    /// The eventfd (non-blocking, close-on-exec), readable while signalled.
    public let fd: Int32

    /// Creates an unsignalled notifier.
    /// - Throws: ``SystemError``.
    public init() throws(SystemError) {
        fd = try Syscall.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
    }

    deinit {
        Syscall.close(fd)
    }

    /// Makes ``fd`` readable until the next ``drain()``. Safe from any thread; never blocks.
    public func signal() {
        var one: UInt64 = 1
        // Would-block means the counter is at its maximum: still signalled, which is all that matters.
        // An error here is impossible for a valid eventfd and an 8-byte write.
        _ = try? Syscall.nonBlocking("write(eventfd)") { Glibc.write(fd, &one, MemoryLayout<UInt64>.size) }
    }

    /// Resets the notifier.
    /// - Returns: How many signals arrived since the last drain (0 if none).
    @discardableResult
    public func drain() -> UInt64 {
        var count: UInt64 = 0
        let result = try? Syscall.nonBlocking("read(eventfd)") { Glibc.read(fd, &count, MemoryLayout<UInt64>.size) }
        return result == nil ? 0 : count
    }
}
