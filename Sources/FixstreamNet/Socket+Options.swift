@preconcurrency import Glibc

extension Socket {
    /// Sets or clears `O_NONBLOCK`.
    /// - Throws: ``SystemError``.
    public static func setNonBlocking(_ fd: Int32, _ nonBlocking: Bool = true) throws(SystemError) {
        let flags = try Syscall.call("fcntl") { fcntl(fd, F_GETFL) }
        let wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
        if wanted != flags { _ = try Syscall.call("fcntl") { fcntl(fd, F_SETFL, wanted) } }
    }

    /// Sets or clears `TCP_NODELAY` (sends small writes at once instead of waiting to coalesce them).
    /// - Throws: ``SystemError``.
    public static func setNoDelay(_ fd: Int32, _ noDelay: Bool = true) throws(SystemError) {
        try setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: noDelay ? 1 : 0)
    }

    /// Asks for a receive buffer of `bytes` (`SO_RCVBUF`; the kernel doubles it and caps it at
    /// `net.core.rmem_max`: read the result back with ``receiveBufferSize(_:)``).
    /// - Throws: ``SystemError``.
    public static func setReceiveBuffer(_ fd: Int32, bytes: Int) throws(SystemError) {
        try setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF, value: Int32(clamping: bytes))
    }

    /// Asks for a receive buffer of `bytes` past `net.core.rmem_max` when the process may (`SO_RCVBUFFORCE`, which
    /// needs `CAP_NET_ADMIN`), and otherwise as ``setReceiveBuffer(_:bytes:)`` does (capped). The kernel doubles
    /// it either way. For UDP, whose datagrams the kernel drops once the buffer is full: a deeper buffer rides out
    /// the moments the reading thread is not scheduled.
    /// - Throws: ``SystemError`` (not for the missing capability, which falls back).
    public static func raiseReceiveBuffer(_ fd: Int32, bytes: Int) throws(SystemError) {
        do {
            try setOption(fd, level: SOL_SOCKET, name: SO_RCVBUFFORCE, value: Int32(clamping: bytes))
        } catch  where error.code == .notPermitted {
            try setReceiveBuffer(fd, bytes: bytes)
        }
    }

    /// Asks for a send buffer of `bytes` (`SO_SNDBUF`; doubled and capped at `net.core.wmem_max`).
    /// - Throws: ``SystemError``.
    public static func setSendBuffer(_ fd: Int32, bytes: Int) throws(SystemError) {
        try setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: Int32(clamping: bytes))
    }

    /// The receive buffer size the kernel actually granted (`SO_RCVBUF`), in bytes.
    /// - Throws: ``SystemError``.
    public static func receiveBufferSize(_ fd: Int32) throws(SystemError) -> Int {
        Int(try option(fd, level: SOL_SOCKET, name: SO_RCVBUF))
    }

    /// The send buffer size the kernel actually granted (`SO_SNDBUF`), in bytes.
    /// - Throws: ``SystemError``.
    public static func sendBufferSize(_ fd: Int32) throws(SystemError) -> Int {
        Int(try option(fd, level: SOL_SOCKET, name: SO_SNDBUF))
    }

    /// `setsockopt` with an `int` value.
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        let length = socklen_t(MemoryLayout<Int32>.size)
        _ = try Syscall.call("setsockopt") { setsockopt(fd, level, name, &value, length) }
    }

    /// `getsockopt` of an `int` value.
    static func option(_ fd: Int32, level: Int32, name: Int32) throws(SystemError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try Syscall.call("getsockopt") { getsockopt(fd, level, name, &value, &length) }
        return value
    }
}
