public import FixstreamWire

/// Picks the shard that owns a vehicle: a stable hash of the id (FNV-1a, the same in every run and on every
/// machine, unlike Swift's seeded `Hasher`), so a vehicle always lands on the same shard.
public enum ShardRouter {
    /// The shard of `vehicle` among `count` shards.
    @inlinable
    public static func shard(for vehicle: VehicleID, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let hash = vehicle.withUnsafeBytes { bytes -> UInt64 in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return hash
        }
        // Fold the high bits in: FNV's low bits alone are weak for short, similar ids.
        return Int((hash ^ (hash >> 32)) % UInt64(count))
    }
}
