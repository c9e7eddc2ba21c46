import FixstreamPipeline
import FixstreamWire
import Testing

/// The engine finds a vehicle's state through a cache keyed by an unkeyed hash, in front of its dictionary: ids
/// that share a cache entry, and fleets that make the cache grow, must still reach their own state.
struct ShardEngineSlotTests {
    @Test func idsSharingACacheEntryKeepTheirOwnState() {
        // Ids whose hashes agree in the top ten bits share an entry of the engine's first (1,024-entry) cache.
        var byEntry: [UInt64: [String]] = [:]
        var colliding: [String] = []
        for number in 0 ..< 100_000 {
            let id = "dev-\(number)"
            let entry = VehicleID(id)!.unkeyedHash >> 54
            byEntry[entry, default: []].append(id)
            if byEntry[entry]!.count == 3 {
                colliding = byEntry[entry]!
                break
            }
        }
        #expect(colliding.count == 3)
        var feed = Feed()
        for second in 0 ..< 20 {
            for (index, id) in colliding.enumerated() {
                feed.send(fix(id, at: Double(second), north: Double(second * 10 + index)))
            }
        }
        #expect(feed.engine.vehicleCount == 3)
        #expect(feed.engine.stats.processed == 60)
        #expect(feed.engine.stats.rejected == 0)
        for (index, id) in colliding.enumerated() {
            let fixes = feed.output.fixes.filter { $0.vehicle == VehicleID(id)! }
            #expect(fixes.map { seconds($0.time) } == (0 ..< 20).map(Double.init))
            #expect(feed.engine.slot(of: VehicleID(id)!) == index)
        }
    }

    @Test func aGrowingFleetWithACommonPrefixKeepsEveryVehicleApart() {
        // 3,000 vehicles (the cache grows twice on the way), ids differing only in their last bytes.
        let ids = (0 ..< 3_000).map { "20100403_Z205_Switzerland-\($0)" }
        var feed = Feed()
        for round in 0 ..< 3 {
            for (index, id) in ids.enumerated() {
                feed.send(fix(id, at: Double(round), north: Double(round * 10)), arrival: Double(round))
                #expect(feed.engine.slot(of: VehicleID(id)!) == index)
            }
        }
        #expect(feed.engine.vehicleCount == 3_000)
        #expect(feed.engine.stats.processed == 9_000)
        #expect(feed.engine.stats.rejected == 0)
    }
}
