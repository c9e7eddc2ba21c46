@preconcurrency import Glibc

extension Socket {
    /// Reads what is available, up to the buffer's size (`read(2)`).
    /// - Parameters:
    ///   - fd: A connected stream socket (or any readable descriptor).
    ///   - buffer: Where the bytes go; must not be empty (an empty read would look like end-of-file).
    /// - Returns: The byte count, end-of-file, would-block, or a reset by the peer.
    /// - Throws: ``SystemError`` for any other failure (such as ``SystemError/Code/timedOut``).
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> ReadResult {
        precondition(!buffer.isEmpty, "Socket.read needs a non-empty buffer")
        let count: Int?
        do {
            count = try Syscall.nonBlocking("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        } catch  where error.code == .connectionReset {
            return .connectionReset
        }
        guard let count else { return .wouldBlock }
        return count == 0 ? .endOfFile : .bytes(count)
    }

    /// Writes as much of `bytes` as the socket takes now (`send(2)` with `MSG_NOSIGNAL`: a closed peer is
    /// reported as ``SystemError/Code/brokenPipe``, never by a `SIGPIPE`).
    /// - Parameters:
    ///   - fd: A connected stream socket.
    ///   - bytes: What to send; an empty buffer sends nothing and returns 0.
    /// - Returns: How many bytes were taken (possibly fewer than `bytes.count`), or `nil` when the send buffer is
    ///   full: wait for writability.
    /// - Throws: ``SystemError``, such as ``SystemError/Code/brokenPipe`` or ``SystemError/Code/connectionReset``.
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        guard !bytes.isEmpty else { return 0 }
        return try Syscall.nonBlocking("send") { Glibc.send(fd, bytes.baseAddress, bytes.count, noSignal) }
    }

    /// Sends one datagram on a connected socket (or bytes on a stream socket), with `MSG_NOSIGNAL`.
    /// - Parameters:
    ///   - fd: A connected socket, such as one from ``connectUDP(to:)``.
    ///   - bytes: The datagram.
    /// - Returns: The bytes sent, or `nil` when the socket is non-blocking and its buffer is full.
    /// - Throws: ``SystemError``; on UDP, ``SystemError/Code/connectionRefused`` reports that an earlier datagram
    ///   found no listener.
    public static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int? {
        try Syscall.nonBlocking("send") { Glibc.send(fd, bytes.baseAddress, bytes.count, noSignal) }
    }

    /// Sends one datagram to `address` on an unconnected UDP socket (`sendto(2)`).
    /// - Parameters:
    ///   - fd: A UDP socket, such as one from ``bindUDP(on:receiveBufferSize:reusePort:)``.
    ///   - bytes: The datagram.
    ///   - address: The destination; same family as the socket.
    /// - Returns: The bytes sent, or `nil` when the socket is non-blocking and its buffer is full.
    /// - Throws: ``SystemError``.
    public static func send(
        _ fd: Int32,
        _ bytes: UnsafeRawBufferPointer,
        to address: SocketAddress
    ) throws(SystemError) -> Int? {
        try address.withSockaddr { (pointer, length) throws(SystemError) -> Int? in
            try Syscall.nonBlocking("sendto") { sendto(fd, bytes.baseAddress, bytes.count, noSignal, pointer, length) }
        }
    }

    /// `MSG_NOSIGNAL` as the flags argument.
    static let noSignal = Int32(MSG_NOSIGNAL)
}
