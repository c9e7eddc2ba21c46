import Synchronization

/// The queues into one shard: one ring per producing IO thread, and the doorbell that wakes the shard.
final class ShardInbox: Sendable {
    let rings: [SPSCRing<IngestItem>]
    let doorbell: Doorbell
    /// Set once every producer has stopped for good: the shard drains, finishes and exits.
    private let closing = Atomic<Bool>(false)

    init(producers: Int, capacity: Int) throws {
        rings = (0 ..< producers).map { _ in SPSCRing(capacity: capacity) }
        doorbell = try Doorbell()
    }

    private let latencyReset = Atomic<Bool>(false)

    /// Asks the shard to clear its latency histogram.
    func requestLatencyReset() {
        latencyReset.store(true, ordering: .releasing)
    }

    /// Shard side: whether a reset was asked for (and clears the request).
    func takeLatencyReset() -> Bool {
        latencyReset.load(ordering: .relaxed) && latencyReset.exchange(false, ordering: .acquiring)
    }

    /// Producers are done: wakes the shard so it drains, finishes and exits.
    func close() {
        closing.store(true, ordering: .releasing)
        doorbell.ring()
    }

    /// Whether ``close()`` was called.
    var isClosing: Bool { closing.load(ordering: .acquiring) }

    /// Items waiting in all rings.
    var depth: Int { rings.reduce(0) { $0 + $1.count } }

    /// Whether any ring holds items (consumer side).
    var hasWork: Bool { rings.contains { $0.count > 0 } }
}
