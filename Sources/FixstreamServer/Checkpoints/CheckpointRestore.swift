import FixstreamPipeline
import FixstreamStore
import FixstreamWire

/// The checkpoints read at start, sorted by the shard that owns each vehicle now (``ShardRouter``), so a changed
/// number of shards still finds every vehicle; then restored shard by shard into the engines before they run.
///
/// Holds every checkpoint in memory between reading and restoring (about the size of the file); each shard's are
/// released as soon as its engine has them. A row that cannot be restored (not a vehicle id, a corrupt blob) is
/// counted and skipped: the others are restored all the same.
struct CheckpointRestore {
    private var byShard: [[(VehicleID, [UInt8])]]
    /// Counts so far: vehicles restored, rows skipped.
    private(set) var counters = CheckpointCounters()
    /// The first row skipped and why, for the operator.
    private(set) var firstError: String?

    /// Reads every row of `store` and sorts it by shard.
    /// - Throws: ``StoreError`` when the store cannot be read.
    init(store: CheckpointStore, shards: Int) throws(StoreError) {
        var byShard = [[(VehicleID, [UInt8])]](repeating: [], count: shards)
        var counters = CheckpointCounters()
        var firstError: String?
        try store.load { id, state in
            guard let vehicle = VehicleID(id) else {
                counters.errors += 1
                firstError = firstError ?? "'\(id)' is not a vehicle id"
                return
            }
            byShard[ShardRouter.shard(for: vehicle, count: shards)].append((vehicle, state))
        }
        self.byShard = byShard
        self.counters = counters
        self.firstError = firstError
    }

    /// Restores the vehicles of shard `index` into its `engine`, with the clock at `now`, and forgets them.
    mutating func restore(shard index: Int, into engine: ShardEngine, now: Timestamp) {
        for (vehicle, state) in byShard[index] {
            do {
                try engine.restore(vehicle, state, now: now)
            } catch {
                counters.errors += 1
                firstError = firstError ?? "\(vehicle): \(error)"
            }
            if engine.slot(of: vehicle) != nil { counters.restored += 1 }
        }
        byShard[index] = []
    }
}
