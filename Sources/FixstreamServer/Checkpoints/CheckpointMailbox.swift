import FixstreamNet
import FixstreamWire
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// The vehicle states the shards hand to the checkpoint thread: a bounded queue.
///
/// A shard looks for ``hasRoom`` before it serializes the next vehicles of a round, so a slow disk holds changes
/// back in the shards (the vehicles stay marked dirty, nothing is lost) instead of piling serialized state up in
/// memory; the bound is soft by one post. Shards post under a short lock, once per chunk of vehicles.
final class CheckpointMailbox: Sendable {
    /// Vehicle ids and their checkpoints.
    typealias Rows = [(VehicleID, [UInt8])]

    private struct Pending {
        var posts: [Rows] = []
        var rows = 0
    }

    /// Rows queued at most before ``hasRoom`` turns false.
    let capacity: Int
    private let pending = Mutex(Pending())
    private let stopping = Atomic<Bool>(false)
    private let doorbell: Doorbell

    init(capacity: Int) throws {
        self.capacity = capacity
        doorbell = try Doorbell()
    }

    /// Shard side: whether the queue is under its capacity.
    var hasRoom: Bool { pending.withLock { $0.rows < capacity } }

    /// Shard side: queues rows and wakes the checkpoint thread.
    func post(_ rows: Rows) {
        guard !rows.isEmpty else { return }
        pending.withLock {
            $0.posts.append(rows)
            $0.rows += rows.count
        }
        doorbell.ring()
    }

    /// Set by the checkpoint thread while saves fail: a stopping shard then stops waiting for room.
    let saving = Atomic<Bool>(true)

    /// Shard side, on shutdown only: waits until the queue has room, looking every millisecond; gives up (the post
    /// then goes over the bound) while saves are failing or after 10 s, so a full disk cannot hang a stop.
    func waitForRoom() {
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while !hasRoom && saving.load(ordering: .relaxed) && MonotonicClock.nanoseconds() < deadline { usleep(1000) }
    }

    /// Checkpoint thread: moves every queued row into `batch`.
    func take(into batch: inout Rows) {
        let posts = pending.withLock { pending in
            defer { pending = Pending() }
            return pending.posts
        }
        for rows in posts { batch.append(contentsOf: rows) }
    }

    /// Asks the checkpoint thread to save what is queued and return (after the shards have ended).
    func stop() {
        stopping.store(true, ordering: .releasing)
        doorbell.ring()
    }

    /// Whether ``stop()`` was called.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Checkpoint thread: sleeps up to `timeout` milliseconds, until stopped or (with `forRows`) rows arrive.
    func sleep(timeoutMilliseconds timeout: Int32, forRows: Bool) {
        doorbell.sleep(timeoutMilliseconds: timeout) {
            stopping.load(ordering: .relaxed) || (forRows && pending.withLock { $0.rows > 0 })
        }
    }
}
