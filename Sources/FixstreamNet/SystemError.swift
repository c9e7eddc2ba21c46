@preconcurrency import Glibc

/// A failed system call: the `errno` it set, the call's name and the C library's message for that `errno`.
///
/// Thrown by every call in this module; would-block is never an error here (see ``Socket/read(_:into:)``,
/// ``Socket/write(_:_:)``, ``Socket/accept(_:)``), and `EBADF`/`EFAULT` stop the process (they mean a bug in
/// the caller, not a condition to handle).
public struct SystemError: Error, CustomStringConvertible, Hashable, Sendable {
    /// An `errno` value. Open-ended: any value the kernel returns can appear, the named ones are the cases a
    /// server distinguishes.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The `errno` value.
        public var rawValue: Int32

        /// Wraps an `errno` value.
        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// `EINVAL`: a bad argument (also used for an unparsable numeric address).
        public static let invalidArgument = Code(rawValue: EINVAL)
        /// `EMFILE`: the process is out of file descriptors.
        public static let tooManyOpenFiles = Code(rawValue: EMFILE)
        /// `ENFILE`: the system is out of file descriptors.
        public static let fileTableOverflow = Code(rawValue: ENFILE)
        /// `ENOBUFS`: the kernel is out of socket buffer memory.
        public static let noBufferSpace = Code(rawValue: ENOBUFS)
        /// `ENOMEM`: the kernel is out of memory.
        public static let outOfMemory = Code(rawValue: ENOMEM)
        /// `ECONNABORTED`: a pending connection was aborted before `accept` took it.
        public static let connectionAborted = Code(rawValue: ECONNABORTED)
        /// `ECONNRESET`: the peer reset the connection.
        public static let connectionReset = Code(rawValue: ECONNRESET)
        /// `ECONNREFUSED`: nobody listens there (for UDP: an earlier datagram earned an ICMP port unreachable).
        public static let connectionRefused = Code(rawValue: ECONNREFUSED)
        /// `EPIPE`: writing to a connection whose sending side is shut down.
        public static let brokenPipe = Code(rawValue: EPIPE)
        /// `EADDRINUSE`: the address is already bound.
        public static let addressInUse = Code(rawValue: EADDRINUSE)
        /// `ENOTCONN`: the socket is not connected.
        public static let notConnected = Code(rawValue: ENOTCONN)
        /// `ETIMEDOUT`: the connection timed out.
        public static let timedOut = Code(rawValue: ETIMEDOUT)
        /// `EPERM`: the process lacks the privilege the call needs.
        public static let notPermitted = Code(rawValue: EPERM)

        /// The C library's message for this value, as `strerror` gives it.
        public var message: String {
            String(cString: strerror(rawValue))
        }

        /// The number, as in `"errno 24"`.
        public var description: String {
            "errno \(rawValue)"
        }
    }

    /// The `errno` the call set.
    public var code: Code
    /// The system call that failed, such as `"accept4"`.
    public var operation: String
    /// What was being attempted, when the call alone does not say (such as the text that failed to parse).
    public var detail: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The `errno` value.
    ///   - operation: The system call's name.
    ///   - detail: Optional context appended to the description.
    public init(code: Code, operation: String, detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    /// The C library's message for ``code``, as `strerror` gives it.
    public var message: String {
        code.message
    }

    /// `"accept4: Too many open files (errno 24)"`, followed by `": detail"` when there is one.
    public var description: String {
        let base = "\(operation): \(message) (errno \(code.rawValue))"
        guard let detail else { return base }
        return base + ": " + detail
    }
}
