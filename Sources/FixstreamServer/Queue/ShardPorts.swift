import FixstreamPipeline
import FixstreamWire

/// One producer's side of every shard inbox: routes fixes to their shard's ring and rings the doorbells of the
/// shards it fed, once per batch (publishing the items staged for them first).
struct ShardPorts {
    private let rings: [SPSCRing<IngestItem>]
    private let inboxes: [ShardInbox]
    private var fed: [Bool]
    private var anyFed = false

    /// The ports of producer number `producer`.
    init(producer: Int, inboxes: [ShardInbox]) {
        self.inboxes = inboxes
        rings = inboxes.map { $0.rings[producer] }
        fed = Array(repeating: false, count: inboxes.count)
    }

    /// Queues `item` on its vehicle's shard. Returns false when that shard's ring is full.
    mutating func push(_ item: IngestItem) -> Bool {
        let shard = ShardRouter.shard(for: item.fix.vehicle, count: rings.count)
        guard rings[shard].push(item) else { return false }
        fed[shard] = true
        anyFed = true
        return true
    }

    /// Like ``push(_:)``, but the shard sees the item only at the next ``ringFed()``, which publishes a whole
    /// batch with one store per ring (see ``SPSCRing/stage(_:)``). Returns false when that shard's ring is full.
    mutating func stage(_ item: IngestItem) -> Bool {
        let shard = ShardRouter.shard(for: item.fix.vehicle, count: rings.count)
        guard rings[shard].stage(item) else { return false }
        if !fed[shard] { fed[shard] = true }
        anyFed = true
        return true
    }

    /// The room in the fullest ring: a producer that cannot tell which shard its next items go to sizes what it
    /// takes in by this.
    var room: Int {
        var least = Int.max
        for ring in rings { least = min(least, ring.room) }
        return least
    }

    /// The smallest ring's capacity.
    var capacity: Int { rings.reduce(Int.max) { min($0, $1.capacity) } }

    /// Makes what was staged visible to the shards (a running shard takes it at once), without waking any: a
    /// doorbell is a system call when its shard sleeps, so ``ringFed()`` rings them once per round.
    func publish() {
        guard anyFed else { return }
        for shard in fed.indices where fed[shard] { rings[shard].publish() }
    }

    /// Publishes what was staged and wakes every shard fed since the last call.
    mutating func ringFed() {
        guard anyFed else { return }
        for shard in fed.indices where fed[shard] {
            rings[shard].publish()
            inboxes[shard].doorbell.ring()
            fed[shard] = false
        }
        anyFed = false
    }
}
