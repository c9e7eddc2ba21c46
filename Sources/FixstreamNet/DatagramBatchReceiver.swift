import CFixstreamNet
@preconcurrency import Glibc

/// Receives up to ``capacity`` UDP datagrams per system call (`recvmmsg`) into buffers allocated once.
///
/// After ``receive(from:wait:)`` returns `n`, slots `0..<n` hold the datagrams: ``datagram(at:)``,
/// ``source(at:)``, ``isTruncated(at:)``. They stay valid until the next receive. No call allocates.
///
/// Threading: not `Sendable`; one thread owns it (typically the one that owns the socket).
public final class DatagramBatchReceiver {
    /// The number of slots: the most datagrams one receive returns.
    public let capacity: Int
    /// The size of each slot; a longer datagram is cut to this and flagged by ``isTruncated(at:)``.
    public let maximumDatagramSize: Int

    private let buffer: UnsafeMutableRawPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let headers: UnsafeMutablePointer<CFixstreamNet_mmsghdr>
    private var received = 0

    /// Allocates the slots.
    /// - Parameters:
    ///   - capacity: How many datagrams one receive can return (64 is plenty; the kernel caps a call at 1024).
    ///   - maximumDatagramSize: Bytes per slot. 65,507 holds any IPv4 UDP datagram; 2,048 covers typical
    ///     telemetry, with truncation flagged for the rest.
    public init(capacity: Int = 64, maximumDatagramSize: Int = 2048) {
        precondition(capacity > 0 && capacity <= 1024, "DatagramBatchReceiver capacity must be in 1...1024")
        precondition(maximumDatagramSize > 0, "DatagramBatchReceiver slots must be non-empty")
        self.capacity = capacity
        self.maximumDatagramSize = maximumDatagramSize
        buffer = .allocate(byteCount: capacity * maximumDatagramSize, alignment: 16)
        iovecs = .allocate(capacity: capacity)
        addresses = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        addresses.initialize(repeating: sockaddr_storage(), count: capacity)
        for slot in 0 ..< capacity {
            (iovecs + slot).initialize(
                to: iovec(iov_base: buffer + slot * maximumDatagramSize, iov_len: maximumDatagramSize)
            )
            var header = CFixstreamNet_mmsghdr()
            header.msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + slot)
            header.msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            header.msg_hdr.msg_iov = iovecs + slot
            header.msg_hdr.msg_iovlen = 1
            (headers + slot).initialize(to: header)
        }
    }

    deinit {
        buffer.deallocate()
        iovecs.deallocate()
        addresses.deallocate()
        headers.deallocate()
    }

    /// Receives up to ``capacity`` (or `limit`) datagrams in one `recvmmsg` call.
    /// - Parameters:
    ///   - fd: A UDP socket.
    ///   - wait: `false` (`MSG_DONTWAIT`) never blocks. `true` (`MSG_WAITFORONE`) blocks for the first datagram
    ///     and then takes what is queued, but only on a blocking socket: on a non-blocking one (as
    ///     ``Socket/bindUDP(on:receiveBufferSize:reusePort:)`` makes) it returns 0 at once when nothing is queued.
    ///   - limit: Take at most this many datagrams (at least 1), leaving the rest queued in the kernel.
    /// - Returns: The number of datagrams now in slots `0..<count`; 0 when none are queued.
    /// - Throws: ``SystemError``, such as ``SystemError/Code/connectionRefused`` on a connected socket whose
    ///   earlier send found no listener.
    public func receive(from fd: Int32, wait: Bool = false, limit: Int = .max) throws(SystemError) -> Int {
        // The kernel overwrote the name lengths and flags of the slots it filled last time.
        for slot in 0 ..< received {
            headers[slot].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[slot].msg_hdr.msg_flags = 0
        }
        received = 0
        let flags = wait ? Int32(MSG_WAITFORONE) : Int32(MSG_DONTWAIT)
        let headers = self.headers
        let count = UInt32(max(1, min(capacity, limit)))
        let result = try Syscall.nonBlocking("recvmmsg") { CFixstreamNet_recvmmsg(fd, headers, count, flags) }
        received = Int(result ?? 0)
        return received
    }

    /// The bytes of datagram `index` (cut to ``maximumDatagramSize`` if truncated); valid until the next receive.
    public func datagram(at index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < received, "DatagramBatchReceiver index out of range")
        let length = min(Int(headers[index].msg_len), maximumDatagramSize)
        return UnsafeRawBufferPointer(start: buffer + index * maximumDatagramSize, count: length)
    }

    /// The sender of datagram `index`. (`0.0.0.0:0` if the kernel gave no IPv4 or IPv6 address, which it does
    /// not for UDP sockets.)
    public func source(at index: Int) -> SocketAddress {
        precondition(index >= 0 && index < received, "DatagramBatchReceiver index out of range")
        return SocketAddress(storage: addresses + index) ?? .unspecified
    }

    /// Whether datagram `index` was longer than ``maximumDatagramSize`` and lost its tail (`MSG_TRUNC`).
    public func isTruncated(at index: Int) -> Bool {
        precondition(index >= 0 && index < received, "DatagramBatchReceiver index out of range")
        return headers[index].msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0
    }
}
