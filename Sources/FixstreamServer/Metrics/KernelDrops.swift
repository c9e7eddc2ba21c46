import FixstreamNet
import Synchronization

/// The datagrams the kernel dropped for the ingest UDP socket (its buffer full while the server was behind, or
/// holding datagrams back because the shard queues were full), with the last reading kept for after it closes.
final class KernelDrops: Sendable {
    private let counter: UDPDrops?
    private let last = Mutex(0)

    init(socket fd: Int32) {
        counter = UDPDrops(socket: fd)
    }

    /// The drops so far: read now while the socket is open, else the last reading.
    func read() -> Int {
        guard let value = counter?.read() else { return last.withLock { $0 } }
        return last.withLock {
            $0 = max($0, value)
            return $0
        }
    }
}
