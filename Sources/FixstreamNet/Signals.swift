import CFixstreamNet
@preconcurrency import Glibc

/// Process and thread signal settings for a server that handles shutdown signals in its event loop.
///
/// The usual order at startup: ``ignoreBrokenPipe()``; ``block(_:)`` with ``interrupt`` and ``terminate`` on the
/// main thread before any other thread exists (threads inherit the mask, and a signal is delivered to any thread
/// that does not block it, whose default action would end the process); then a ``SignalFD`` for the same
/// signals in an epoll loop.
public enum Signals {
    /// `SIGINT` (Ctrl-C).
    public static let interrupt = SIGINT
    /// `SIGTERM` (`kill`, systemd stop).
    public static let terminate = SIGTERM
    /// `SIGHUP` (conventionally: reload).
    public static let hangup = SIGHUP
    /// `SIGUSR1`.
    public static let user1 = SIGUSR1
    /// `SIGUSR2`.
    public static let user2 = SIGUSR2

    /// Ignores `SIGPIPE` in the whole process, so writing to a closed connection returns `EPIPE` instead of
    /// ending the process. (This module's own sends already pass `MSG_NOSIGNAL`; this covers everything else.)
    public static func ignoreBrokenPipe() {
        let result = CFixstreamNet_ignore_sigpipe()
        precondition(result == 0, "sigaction(SIGPIPE) failed")
    }

    /// Blocks `signals` in the calling thread (`pthread_sigmask`); threads it spawns afterwards inherit that.
    /// - Throws: ``SystemError`` (``SystemError/Code/invalidArgument`` for an invalid signal number).
    public static func block(_ signals: [Int32]) throws(SystemError) {
        var set = try signalSet(signals)
        try Syscall.pthread("pthread_sigmask") { pthread_sigmask(SIG_BLOCK, &set, nil) }
    }

    /// Unblocks `signals` in the calling thread.
    /// - Throws: ``SystemError`` (``SystemError/Code/invalidArgument`` for an invalid signal number).
    public static func unblock(_ signals: [Int32]) throws(SystemError) {
        var set = try signalSet(signals)
        try Syscall.pthread("pthread_sigmask") { pthread_sigmask(SIG_UNBLOCK, &set, nil) }
    }

    /// Sends `signal` to the calling thread only (`pthread_kill(pthread_self())`); for tests.
    /// - Throws: ``SystemError``.
    public static func raiseInCurrentThread(_ signal: Int32) throws(SystemError) {
        try Syscall.pthread("pthread_kill") { pthread_kill(pthread_self(), signal) }
    }

    /// A `sigset_t` holding `signals`.
    static func signalSet(_ signals: [Int32]) throws(SystemError) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            _ = try Syscall.call("sigaddset") { sigaddset(&set, signal) }
        }
        return set
    }
}
