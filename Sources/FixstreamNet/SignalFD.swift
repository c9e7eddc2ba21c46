import CFixstreamNet
@preconcurrency import Glibc

/// A `signalfd`: blocked signals as readable events, so an epoll loop can wait for `SIGTERM` like for a socket.
///
/// The signals must be blocked (``Signals/block(_:)``) in every thread, or the kernel may deliver them the
/// usual way instead. It reports signals sent to the process and signals sent to the thread that reads it.
public final class SignalFD: Sendable {
    /// The descriptor (non-blocking, close-on-exec), readable while one of the signals is pending.
    public let fd: Int32

    /// Creates a signalfd for `signals`.
    /// - Parameter signals: Signal numbers, such as ``Signals/interrupt`` and ``Signals/terminate``.
    /// - Throws: ``SystemError``.
    public init(signals: [Int32]) throws(SystemError) {
        var set = try Signals.signalSet(signals)
        fd = try Syscall.call("signalfd") { signalfd(-1, &set, Int32(SFD_NONBLOCK) | Int32(SFD_CLOEXEC)) }
    }

    deinit {
        Syscall.close(fd)
    }

    /// Takes one pending signal.
    /// - Returns: Its number, or `nil` when none is pending.
    /// - Throws: ``SystemError``.
    public func read() throws(SystemError) -> Int32? {
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        guard let count = try Syscall.nonBlocking("read(signalfd)", { Glibc.read(fd, &info, size) }) else {
            return nil
        }
        precondition(count == size, "short read from a signalfd")
        return Int32(bitPattern: info.ssi_signo)
    }
}
