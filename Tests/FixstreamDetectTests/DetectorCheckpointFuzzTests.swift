import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

/// Every detector's checkpoint, cut short or garbled: restoring never traps, nor does processing what a garbled
/// checkpoint restored.
struct DetectorCheckpointFuzzTests {
    private let control: LiveControl

    init() throws {
        let ring = [(0.0, 0.0), (400, 0), (400, 200), (0, 200), (0, 0)].map { dx, dy in
            Coordinate(latitude: Track.latitude(north: dy - 100), longitude: Track.longitude(east: 400 + dx))
        }
        let fence = try Fence(id: "depot", name: "Depot", dwell: 60_000, shape: .polygon([ring]))
        let stops = [600.0, 2000].enumerated().map { index, east in
            Trip.Stop(
                id: "S\(index + 1)",
                latitude: Track.latitude(north: 0),
                longitude: Track.longitude(east: east),
                service: 30_000
            )
        }
        let route = [0.0, 2500].map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
        let trip = Trip(id: "T1", vehicle: VehicleID("van-1")!, stops: stops, route: route)
        control = LiveControl(fences: FenceIndex([fence]), trips: TripBook([trip]))
    }

    private func stages() -> [any PipelineStage] {
        Detectors.stages(DetectorConfig(), live: control)
    }

    /// A vehicle with something in every detector: on its trip, parked inside the fence at its first stop.
    private func blob() -> (VehicleID, [UInt8]) {
        var track = Track()
        for second in 0 ... 60 { track.add(Double(second), east: Double(second) * 10, north: 0, speed: 10) }
        for second in 61 ... 200 { track.add(Double(second), east: 600, north: 0, speed: 0) }
        let harness = Harness(stages())
        harness.run(track.fixes)
        let rows = harness.engine.checkpoint(dirtyOnly: false)
        return rows[0]
    }

    @Test func everyDetectorWritesASectionAndRestoresIt() throws {
        let (vehicle, bytes) = blob()
        let harness = Harness(stages())
        try harness.engine.restore(vehicle, bytes, now: Timestamp(millisecondsSinceEpoch: epoch + 210_000))
        #expect(harness.engine.checkpoint(dirtyOnly: false).first?.1 == bytes)
        for name in ["gps-loss", "geofence", "trip", "idle"] {
            #expect(bytes.firstRange(of: Array(name.utf8)) != nil, "no section \(name)")
        }
    }

    @Test func everyPrefixIsRefused() {
        let (vehicle, bytes) = blob()
        let harness = Harness(stages())
        for length in 0 ..< bytes.count {
            #expect(throws: CheckpointError.self, "prefix of \(length) bytes") {
                try harness.engine.restore(vehicle, Array(bytes[..<length]), now: Timestamp(millisecondsSinceEpoch: 0))
            }
        }
        #expect(harness.engine.vehicleCount == 0)
    }

    @Test func garbledCheckpointsNeverTrap() {
        let (vehicle, bytes) = blob()
        var random = SeededRandom(seed: 42)
        let now = Timestamp(millisecondsSinceEpoch: epoch + 300_000)
        var refused = 0
        for _ in 0 ..< 5000 {
            var garbled = bytes
            for _ in 0 ... Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(garbled.count))
                switch random.next() % 4 {
                case 0: garbled[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: garbled[position] ^= 1 << UInt8(random.next() % 8)
                case 2: garbled.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
                default: garbled.remove(at: position)
                }
            }
            let harness = Harness(stages())
            do {
                try harness.engine.restore(vehicle, garbled, now: now)
            } catch {
                refused += 1
            }
            guard harness.engine.slot(of: vehicle) != nil else { continue }
            // Whatever was restored goes on working: fixes, timers, checkpoints.
            var track = Track()
            for second in [310.0, 311, 400, 401] { track.add(second, east: 300 + second * 5, north: 0, speed: 5) }
            harness.run(track.fixes)
            harness.advance(toSecond: 10_000)
            _ = harness.engine.checkpoint(dirtyOnly: false)
        }
        #expect(refused > 2500 && refused < 5000)
    }

    /// A trip checkpoint whose position along the route is garbled to -1e300 (a valid Double): the next fix's ETA is
    /// 1e300 m away, too far for an Int64 of milliseconds, and trapped.
    @Test func aGarbledPositionAlongTheRouteIsRefused() {
        let (vehicle, bytes) = blob()
        // The position is written right before the vehicle's speed (10 m/s).
        let trip = bytes.firstRange(of: Array("trip".utf8))!.upperBound
        let speed = bytes[trip...].firstRange(of: withUnsafeBytes(of: Double(10).bitPattern.littleEndian) { Array($0) })
        #expect(speed != nil)
        guard let speed else { return }
        var garbled = bytes
        let position = withUnsafeBytes(of: Double(-1e300).bitPattern.littleEndian) { Array($0) }
        garbled.replaceSubrange(speed.lowerBound - 8 ..< speed.lowerBound, with: position)
        let harness = Harness(stages())
        #expect(throws: CheckpointError.self) {
            try harness.engine.restore(vehicle, garbled, now: Timestamp(millisecondsSinceEpoch: epoch + 210_000))
        }
        var track = Track()
        for second in [210.0, 211] { track.add(second, east: 700, north: 0, speed: 5) }
        harness.run(track.fixes)
    }
}
