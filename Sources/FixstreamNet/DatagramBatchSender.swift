import CFixstreamNet
@preconcurrency import Glibc

/// Sends up to ``capacity`` datagrams per system call (`sendmmsg`) on a connected UDP socket, from buffers
/// allocated once: a load generator fills the slots (once, or before each send) and sends them repeatedly.
///
/// Threading: not `Sendable`; one thread owns it.
public final class DatagramBatchSender {
    /// The number of slots.
    public let capacity: Int
    /// The size of each slot: the longest datagram it can send.
    public let maximumDatagramSize: Int

    private let buffer: UnsafeMutableRawPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    private let headers: UnsafeMutablePointer<CFixstreamNet_mmsghdr>

    /// Allocates the slots, each holding an empty datagram.
    /// - Parameters:
    ///   - capacity: Slots (the kernel sends at most 1024 per call).
    ///   - maximumDatagramSize: Bytes per slot.
    public init(capacity: Int = 64, maximumDatagramSize: Int = 2048) {
        precondition(capacity > 0 && capacity <= 1024, "DatagramBatchSender capacity must be in 1...1024")
        precondition(maximumDatagramSize > 0, "DatagramBatchSender slots must be non-empty")
        self.capacity = capacity
        self.maximumDatagramSize = maximumDatagramSize
        buffer = .allocate(byteCount: capacity * maximumDatagramSize, alignment: 16)
        iovecs = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        for slot in 0 ..< capacity {
            (iovecs + slot).initialize(to: iovec(iov_base: buffer + slot * maximumDatagramSize, iov_len: 0))
            var header = CFixstreamNet_mmsghdr()
            header.msg_hdr.msg_iov = iovecs + slot
            header.msg_hdr.msg_iovlen = 1
            (headers + slot).initialize(to: header)
        }
    }

    deinit {
        buffer.deallocate()
        iovecs.deallocate()
        headers.deallocate()
    }

    /// The whole of slot `index`, to fill in place; then set the datagram's length with ``setLength(_:at:)``.
    public func buffer(at index: Int) -> UnsafeMutableRawBufferPointer {
        precondition(index >= 0 && index < capacity, "DatagramBatchSender index out of range")
        return UnsafeMutableRawBufferPointer(start: buffer + index * maximumDatagramSize, count: maximumDatagramSize)
    }

    /// Sets the length of the datagram in slot `index`.
    public func setLength(_ length: Int, at index: Int) {
        precondition(index >= 0 && index < capacity, "DatagramBatchSender index out of range")
        precondition(length >= 0 && length <= maximumDatagramSize, "datagram longer than its slot")
        iovecs[index].iov_len = length
    }

    /// The length of the datagram in slot `index`.
    public func length(at index: Int) -> Int {
        precondition(index >= 0 && index < capacity, "DatagramBatchSender index out of range")
        return iovecs[index].iov_len
    }

    /// Copies `bytes` into slot `index` and sets its length.
    public func store(_ bytes: UnsafeRawBufferPointer, at index: Int) {
        precondition(bytes.count <= maximumDatagramSize, "datagram longer than its slot")
        let slot = buffer(at: index)
        if let base = bytes.baseAddress { slot.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        setLength(bytes.count, at: index)
    }

    /// Sends the datagrams in `slots` (in order) in one `sendmmsg` call, with `MSG_NOSIGNAL`.
    /// - Parameters:
    ///   - fd: A connected UDP socket, such as one from ``Socket/connectUDP(to:)``.
    ///   - slots: Which slots to send.
    /// - Returns: How many were sent, from the start of `slots` (possibly fewer: send the rest next), or `nil` when
    ///   the socket is non-blocking and none could be sent.
    /// - Throws: ``SystemError``, such as ``SystemError/Code/connectionRefused`` when an earlier datagram found no
    ///   listener.
    public func send(to fd: Int32, slots: Range<Int>) throws(SystemError) -> Int? {
        precondition(slots.lowerBound >= 0 && slots.upperBound <= capacity, "DatagramBatchSender slots out of range")
        guard !slots.isEmpty else { return 0 }
        let first = headers + slots.lowerBound
        let count = UInt32(slots.count)
        let flags = Socket.noSignal
        return try Syscall.nonBlocking("sendmmsg") { CFixstreamNet_sendmmsg(fd, first, count, flags) }.map(Int.init)
    }
}
