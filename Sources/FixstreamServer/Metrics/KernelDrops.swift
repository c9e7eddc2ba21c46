import FixstreamNet
import Synchronization

/// The datagrams the kernel dropped for the ingest UDP socket (its buffer full while the server was behind, or
/// holding datagrams back because the shard queues were full), with the last reading kept for after it closes.
/// `/proc` is read at most every 100 ms however often the counters are polled.
final class KernelDrops: Sendable {
    private let counter: UDPDrops?
    private let last = Mutex((drops: 0, readAt: UInt64(0)))

    init(socket fd: Int32) {
        counter = UDPDrops(socket: fd)
    }

    /// The drops so far: read now while the socket is open (unless read in the last 100 ms), else the last reading.
    /// - Parameter fresh: read now whatever the age of the last reading (before the socket closes).
    func read(fresh: Bool = false) -> Int {
        let now = MonotonicClock.nanoseconds()
        let due = last.withLock { fresh || now &- $0.readAt >= 100_000_000 }
        guard due, let value = counter?.read() else { return last.withLock { $0.drops } }
        return last.withLock {
            $0 = (max($0.drops, value), now)
            return $0.drops
        }
    }
}
