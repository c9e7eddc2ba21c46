import CFixstreamNet
@preconcurrency import Glibc

/// Socket calls on plain `Int32` descriptors, so the same numbers go straight into ``Epoll``.
///
/// Descriptors are created close-on-exec. The server side (``listenTCP(on:backlog:reusePort:)``,
/// ``bindUDP(on:receiveBufferSize:reusePort:)``, ``accept(_:)``) is non-blocking; the client side
/// (``connectTCP(to:)``, ``connectUDP(to:)``) is blocking, for load generators and tests. The caller owns every
/// descriptor returned and releases it with ``close(_:)``.
///
/// Threading: these are stateless wrappers; any thread may call them, and the usual kernel rules apply (one
/// reader and one writer per stream socket at a time, or the bytes interleave unpredictably).
public enum Socket {
    /// Opens a non-blocking TCP listener.
    ///
    /// `SO_REUSEADDR` is set, so a restarted server can bind while old connections linger in `TIME_WAIT`. An
    /// IPv6 wildcard (`::`) also accepts IPv4 peers (as IPv4-mapped addresses) unless the system says otherwise.
    /// - Parameters:
    ///   - address: Where to listen; port 0 picks a free port (see ``localAddress(_:)``).
    ///   - backlog: The pending-connection queue length (capped by `net.core.somaxconn`).
    ///   - reusePort: Sets `SO_REUSEPORT`, so several listeners (one per thread) share the port.
    /// - Returns: The listening descriptor.
    /// - Throws: ``SystemError``, such as ``SystemError/Code/addressInUse``.
    public static func listenTCP(
        on address: SocketAddress,
        backlog: Int32 = 1024,
        reusePort: Bool = false
    ) throws(SystemError) -> Int32 {
        let fd = try open(family: address.family, type: SOCK_STREAM, nonBlocking: true)
        do {
            try setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if reusePort { try setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            try bind(fd, to: address)
            _ = try Syscall.call("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Opens a non-blocking UDP socket bound to `address`.
    /// - Parameters:
    ///   - address: Where to receive; port 0 picks a free port (see ``localAddress(_:)``).
    ///   - receiveBufferSize: If given, `SO_RCVBUF` in bytes (the kernel doubles it and caps it at
    ///     `net.core.rmem_max`); a large buffer absorbs bursts while the reader is busy.
    ///   - reusePort: Sets `SO_REUSEPORT`, so several sockets (one per thread) share the port; the kernel spreads
    ///     datagrams over them by source address hash.
    /// - Returns: The bound descriptor.
    /// - Throws: ``SystemError``.
    public static func bindUDP(
        on address: SocketAddress,
        receiveBufferSize: Int? = nil,
        reusePort: Bool = false
    ) throws(SystemError) -> Int32 {
        let fd = try open(family: address.family, type: SOCK_DGRAM, nonBlocking: true)
        do {
            if let receiveBufferSize { try setReceiveBuffer(fd, bytes: receiveBufferSize) }
            if reusePort { try setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            try bind(fd, to: address)
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Opens a blocking TCP connection with `TCP_NODELAY` set.
    /// - Parameter address: The server.
    /// - Returns: The connected descriptor (blocking; see ``setNonBlocking(_:_:)``).
    /// - Throws: ``SystemError``, such as ``SystemError/Code/connectionRefused``.
    public static func connectTCP(to address: SocketAddress) throws(SystemError) -> Int32 {
        let fd = try open(family: address.family, type: SOCK_STREAM, nonBlocking: false)
        do {
            try connect(fd, to: address)
            try setNoDelay(fd)
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Opens a blocking UDP socket connected to `address`: ``send(_:_:)`` and ``DatagramBatchSender`` then need
    /// no destination, and only datagrams from `address` are received.
    /// - Parameter address: The destination.
    /// - Returns: The connected descriptor (blocking; see ``setNonBlocking(_:_:)``).
    /// - Throws: ``SystemError``.
    public static func connectUDP(to address: SocketAddress) throws(SystemError) -> Int32 {
        let fd = try open(family: address.family, type: SOCK_DGRAM, nonBlocking: false)
        do {
            try connect(fd, to: address)
            return fd
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec descriptor (`accept4`).
    ///
    /// Every thrown error concerns one connection attempt or a resource limit; the listener stays usable, so
    /// count the error by its code and carry on. ``SystemError/Code/tooManyOpenFiles`` and
    /// ``SystemError/Code/fileTableOverflow`` leave the connection pending and the listener readable: with
    /// level-triggered epoll, stop watching the listener for a moment or the loop spins.
    /// ``SystemError/Code/connectionAborted`` (and the network errors Linux passes on from the new socket, such
    /// as `EPROTO` or `ENETDOWN`) mean that connection is gone.
    /// - Parameter listener: A descriptor from ``listenTCP(on:backlog:reusePort:)``.
    /// - Returns: The new descriptor and the peer's address, or `nil` when no connection is pending.
    /// - Throws: ``SystemError``.
    public static func accept(_ listener: Int32) throws(SystemError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let accepted = try withUnsafeMutablePointer(to: &storage) { (pointer) throws(SystemError) -> Int32? in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(SystemError) -> Int32? in
                try Syscall.nonBlocking("accept4") { CFixstreamNet_accept4(listener, address, &length, flags) }
            }
        }
        guard let accepted else { return nil }
        return (accepted, SocketAddress(storage: storage) ?? .unspecified)
    }

    /// The address a socket is bound to (`getsockname`): the real port after binding port 0.
    /// - Throws: ``SystemError``.
    public static func localAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        try address(fd, "getsockname") { getsockname($0, $1, $2) }
    }

    /// The address a socket is connected to (`getpeername`).
    /// - Throws: ``SystemError``, such as ``SystemError/Code/notConnected``.
    public static func peerAddress(_ fd: Int32) throws(SystemError) -> SocketAddress {
        try address(fd, "getpeername") { getpeername($0, $1, $2) }
    }

    /// Shuts down the sending side: the peer reads end-of-file once it has read everything sent before.
    /// - Throws: ``SystemError``, such as ``SystemError/Code/notConnected`` if the peer is already gone.
    public static func shutdownWrite(_ fd: Int32) throws(SystemError) {
        _ = try Syscall.call("shutdown") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Closes a descriptor (which also removes it from every epoll set it was in).
    ///
    /// Never fails: Linux releases the descriptor even when `close` reports an error. Closing a descriptor that
    /// is not open stops the process: it may already belong to someone else.
    public static func close(_ fd: Int32) {
        Syscall.close(fd)
    }

    /// `socket(2)` with close-on-exec and optionally non-blocking.
    static func open(family: Int32, type: __socket_type, nonBlocking: Bool) throws(SystemError) -> Int32 {
        var flags = Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { flags |= Int32(SOCK_NONBLOCK.rawValue) }
        return try Syscall.call("socket") { socket(family, flags, 0) }
    }

    /// `bind(2)`.
    static func bind(_ fd: Int32, to address: SocketAddress) throws(SystemError) {
        _ = try address.withSockaddr { (pointer, length) throws(SystemError) -> Int32 in
            try Syscall.call("bind") { Glibc.bind(fd, pointer, length) }
        }
    }

    /// `connect(2)` on a blocking socket. An interrupted connect goes on in the background and cannot be
    /// restarted, so after `EINTR` this waits for the outcome with `poll` and reads it from `SO_ERROR`.
    static func connect(_ fd: Int32, to address: SocketAddress) throws(SystemError) {
        let result = address.withSockaddr { pointer, length in Glibc.connect(fd, pointer, length) }
        guard result == -1 else { return }
        let code = errno
        guard code == EINTR || code == EINPROGRESS else { throw Syscall.failure("connect", code) }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = try Syscall.call("poll") { poll(&descriptor, 1, -1) }
        let pending = try option(fd, level: SOL_SOCKET, name: SO_ERROR)
        if pending != 0 { throw Syscall.failure("connect", pending) }
    }

    /// `getsockname`/`getpeername` into a `sockaddr_storage`.
    private static func address(
        _ fd: Int32,
        _ operation: StaticString,
        _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { (pointer) throws(SystemError) -> Int32 in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(SystemError) -> Int32 in
                try Syscall.call(operation) { call(fd, address, &length) }
            }
        }
        guard let address = SocketAddress(storage: storage) else {
            throw SystemError(code: SystemError.Code(rawValue: EAFNOSUPPORT), operation: "\(operation)")
        }
        return address
    }
}
