import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

/// Cases an independent review found wrong, kept as regression tests.
struct ReviewFindingsTests {
    /// A route straight east for 10 km with a vertex every 100 m (a realistic, dense polyline).
    private func denseRoute() -> [Coordinate] {
        stride(from: 0.0, through: 10_000, by: 100).map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
    }

    /// A vehicle whose first fix is 5 km along its planned route (device switched on mid-trip, or the server
    /// restarted: trip progress lives in memory) drives exactly on the route. It must not be reported off route.
    @Test func vehicleFirstSeenMidRouteIsNotADeviation() {
        let trip = Trip(
            id: "T",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(id: "S", latitude: Track.latitude(north: 0), longitude: Track.longitude(east: 9_500))
            ],
            route: denseRoute()
        )
        var track = Track()
        for second in 0 ..< 90 { track.add(Double(second), east: 5_000 + Double(second) * 10, north: 0, speed: 10) }
        let harness = Harness([TripStage(book: TripBook([trip]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.routeDeviation).isEmpty, "\(harness.alerts.map(\.type.name))")
    }

    /// A detour that rejoins the route more than 2 km further on never gets a `route.rejoin`, and the vehicle
    /// stays "off route" for the rest of the trip even though it drives on the route again.
    @Test func longDetourRejoinsTheRoute() {
        let trip = Trip(
            id: "T",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(id: "S", latitude: Track.latitude(north: 0), longitude: Track.longitude(east: 9_900))
            ],
            route: denseRoute()
        )
        var track = Track()
        var second = 0.0
        var east = 0.0
        // On route to 1 km, then 500 m north, parallel for 3 km, back to the route at 4 km, then on route.
        while east < 1_000 { track.add(second, east: east, north: 0, speed: 10); east += 10; second += 1 }
        var north = 0.0
        while north < 500 { track.add(second, east: east, north: north, speed: 10); north += 10; second += 1 }
        while east < 4_000 { track.add(second, east: east, north: 500, speed: 10); east += 10; second += 1 }
        while north > 0 { track.add(second, east: east, north: north, speed: 10); north -= 10; second += 1 }
        while east < 6_000 { track.add(second, east: east, north: 0, speed: 10); east += 10; second += 1 }
        let harness = Harness([TripStage(book: TripBook([trip]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.routeDeviation).count == 1)
        #expect(harness.alerts(.routeRejoin).count == 1, "\(harness.alerts.map(\.type.name))")
    }

    /// A vehicle waits 20 s at a light (seen standing), pulls away (5 fixes well outside, 4 s), then goes quiet
    /// (tunnel, garage). The idle timer still fires and calls the light an idle halt of 120 s.
    @Test func idleTimerIgnoresAVehicleSeenLeaving() {
        var track = Track()
        var second = 0.0
        // Approach at 10 m/s.
        for east in stride(from: -300.0, to: 0, by: 10) { track.add(second, east: east, north: 0); second += 1 }
        // Stand 20 s.
        for _ in 0 ..< 20 { track.add(second, east: 0, north: 0); second += 1 }
        // Pull away: 5 fixes, 40..200 m away, then silence.
        for step in 1 ... 5 { track.add(second, east: Double(step) * 40, north: 0); second += 1 }
        let harness = Harness([IdleStage(config: DetectorConfig())])
        harness.run(track.fixes)
        harness.advance(toSecond: second + 600)
        #expect(harness.alerts(.idleStart).isEmpty, "\(harness.alerts.map { "\($0.type.name)@\(Harness.second($0))" })")
    }

    /// The distances to the trip's stop estimated at the last fix of `fixes`, run straight through and with a
    /// restart (checkpoint, fresh stage, restore) before the fix at `split` seconds.
    private func lastDistances(
        _ trip: Trip,
        _ fixes: [Fix],
        split: Double
    ) throws -> (straight: Double, restarted: Double) {
        func run(_ harness: Harness, _ stage: TripStage, _ fixes: ArraySlice<Fix>) -> Double {
            var last = -1.0
            stage.observer = { _, _, _, estimates in last = estimates.first?.distance ?? -1 }
            harness.run(Array(fixes))
            return last
        }
        let straightStage = TripStage(book: TripBook([trip]))
        let straight = run(Harness([straightStage]), straightStage, fixes[...])
        let index = fixes.firstIndex { $0.time.millisecondsSinceEpoch >= epoch + Int64(split * 1000) }!
        let before = Harness([TripStage(book: TripBook([trip]))])
        before.run(Array(fixes[..<index]))
        let stage = TripStage(book: TripBook([trip]))
        let after = try before.restarted(with: [stage], atSecond: split - 1)
        return (straight, run(after, stage, fixes[index...]))
    }

    /// A checkpoint taken while the van is on a detour that rejoins its route 2 km further on. The progress along
    /// the route must catch up with the van once it is back on the route, after a restart as without one: the time
    /// the progress was last placed (`pinnedAt`) is not checkpointed, and the stand-in (the last fix's time) moves
    /// on with every fix, so the progress may only ever move 100 m past where it was.
    @Test func progressCatchesUpAfterARestartDuringADetour() throws {
        let trip = Trip(
            id: "T",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(id: "S", latitude: Track.latitude(north: 0), longitude: Track.longitude(east: 9_500))
            ],
            route: denseRoute()
        )
        var track = Track()
        var clock = 0.0
        func go(_ east: Double, _ north: Double) {
            track.add(clock, east: east, north: north, speed: 10)
            clock += 1
        }
        // On the route to 1 km, 300 m north, east to 3 km, back down to the route and on it to 4 km.
        for east in stride(from: 0.0, to: 1_000, by: 10) { go(east, 0) }
        for north in stride(from: 0.0, to: 300, by: 10) { go(1_000, north) }
        for east in stride(from: 1_000.0, to: 3_000, by: 10) { go(east, 300) }
        for north in stride(from: 300.0, to: 0, by: -10) { go(3_000, north) }
        for east in stride(from: 3_000.0, through: 4_000, by: 10) { go(east, 0) }
        // The restart comes half way along the detour (2 km east, 300 m north).
        let distances = try lastDistances(trip, track.fixes, split: 230)
        // At 4 km along the route: 5.5 km to go.
        #expect(abs(distances.straight - 5_500) < 50, "\(distances.straight)")
        #expect(abs(distances.restarted - 5_500) < 50, "\(distances.restarted)")
    }

    /// A square fence `size` metres wide whose south-west corner is at `east`, `north` metres.
    private func square(_ id: String, east: Double, north: Double, size: Double) throws -> Fence {
        let ring = [(0.0, 0.0), (size, 0), (size, size), (0, size), (0, 0)].map { dx, dy in
            Coordinate(latitude: Track.latitude(north: north + dy), longitude: Track.longitude(east: east + dx))
        }
        return try Fence(id: id, name: "fence \(id)", shape: .polygon([ring]))
    }

    /// A tracker reporting every 30 s: the van waits at a light, drives through a 100 m fence at up to 15 m/s and
    /// is waiting at the next light 350 m on at the next fix, both fixes reporting 0 m/s. The straight line between
    /// them crosses the fence: a crossing (as before the speed check), not a jump to ignore. The speed a fix
    /// reports is its speed at that moment, not the average since the fix before.
    @Test func aCrossingBetweenTwoHaltsIsSeen() throws {
        let fence = try square("A", east: 200, north: -50, size: 100)
        var track = Track()
        track.add(0, east: -300, north: 0, speed: 10)
        track.add(30, east: 0, north: 0, speed: 0)
        track.add(60, east: 350, north: 0, speed: 0)
        track.add(90, east: 350, north: 0, speed: 0)
        let harness = Harness([GeofenceStage(index: FenceIndex([fence]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.geofenceEnter).count == 1, "\(harness.alerts.map(\.type.name))")
        #expect(harness.alerts(.geofenceExit).count == 1)
        #expect(harness.alerts.allSatisfy { $0["crossed"] == .bool(true) })
    }

    /// On the event-time clock (`serve --clock event`) a vehicle whose fixes come in behind the shard's clock (a
    /// backlog delivered late, a device clock behind) has its timers counted from the shard's clock, so it is not
    /// lost while it keeps sending. After a restart its timers count from its own last fix instead, 600 s behind:
    /// the next fix of any other vehicle of the shard fires them.
    @Test func aVehicleBehindTheShardClockIsNotLostAfterARestartOnEventTime() throws {
        func engine() -> ShardEngine {
            ShardEngine(config: PipelineConfig(), clock: .eventTime, stages: [GPSLossStage(lostAfter: 120_000)])
        }
        var ahead = Track("van-a")
        var behind = Track("van-b")
        for second in 0 ..< 30 {
            ahead.add(Double(600 + second), east: Double(second) * 10, north: 0)
            behind.add(Double(second), east: Double(second) * 10, north: 100)
        }
        let wall = Timestamp(millisecondsSinceEpoch: epoch + 3_600_000)
        func run(_ engine: ShardEngine, _ seconds: Range<Int>, into output: inout PipelineOutput) {
            for second in seconds {
                engine.offer(ahead.fixes[second], now: wall, into: &output)
                engine.offer(behind.fixes[second], now: wall, into: &output)
            }
        }
        var straight = PipelineOutput()
        run(engine(), 0 ..< 30, into: &straight)
        #expect(straight.alerts.isEmpty)
        var output = PipelineOutput()
        let first = engine()
        run(first, 0 ..< 15, into: &output)
        let second = engine()
        for (vehicle, blob) in first.checkpoint(dirtyOnly: false) { try second.restore(vehicle, blob, now: wall) }
        run(second, 15 ..< 30, into: &output)
        #expect(output.alerts.isEmpty, "\(output.alerts.map { "\($0.type.name) \($0.vehicle)" })")
    }

    /// A tracker reporting every minute (a common default), a little late as trackers are: fixes 61 s apart, on
    /// either side of a fence the van drove through at 10 m/s. The straight line says as much after 61 s as after
    /// 59 s: the crossing must not depend on which side of a round minute the tracker's timer fell.
    @Test func aCrossingBetweenFixesAMinuteApartIsSeen() throws {
        let fence = try square("A", east: 250, north: -50, size: 100)
        var track = Track()
        for step in 0 ..< 3 { track.add(Double(step) * 61, east: Double(step) * 610, north: 0, speed: 10) }
        let harness = Harness([GeofenceStage(index: FenceIndex([fence]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.geofenceEnter).count == 1, "\(harness.alerts.map(\.type.name))")
        #expect(harness.alerts(.geofenceExit).count == 1)
    }

    /// A route out east along a main road and back along its other carriageway, 20 m south. S1 is set back 80 m
    /// south of the road (the van parks in a side street): the way back passes 60 m from it, nearer than the way
    /// out. S2 is on the road 1 km further out. Placed in order, S1 on the way back dragged S2 after it, onto the
    /// way back towards the depot: S2's ETA distance was the whole loop, 4 km too long.
    @Test func aStopNearestToTheWayBackDoesNotDragTheNextOnesThere() {
        let route = [(0.0, 0.0), (3_000, 0), (3_000, -20), (0, -20)].map {
            Coordinate(latitude: Track.latitude(north: $0.1), longitude: Track.longitude(east: $0.0))
        }
        let trip = Trip(
            id: "T",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(id: "S1", latitude: Track.latitude(north: -80), longitude: Track.longitude(east: 1_000)),
                Trip.Stop(id: "S2", latitude: Track.latitude(north: 0), longitude: Track.longitude(east: 2_000)),
            ],
            route: route
        )
        var distances: [Double] = []
        let stage = TripStage(book: TripBook([trip]))
        stage.observer = { _, _, _, estimates in
            if let last = estimates.last?.distance { distances.append(last) }
        }
        var track = Track()
        for second in 0 ..< 50 { track.add(Double(second), east: Double(second) * 10, north: 0, speed: 10) }
        Harness([stage]).run(track.fixes)
        // At 490 m out: S2 is 1.5 km on along the road.
        #expect(distances.last.map { abs($0 - 1_510) < 50 } == true, "\(distances.last ?? -1)")
    }

    /// On the event-time clock one fix stamped a day ahead (the NMEA date rolling over at midnight a fix before
    /// the time of day does), in a replay of data older than the wall clock, is not from the future and moves the
    /// whole shard's clock a day on: every other vehicle of the shard is lost at once, though it never stopped
    /// sending. On wall time that fix is refused as from the future.
    @Test func oneFixADayAheadDoesNotLoseTheOtherVehiclesOnEventTime() {
        let engine = ShardEngine(
            config: PipelineConfig(),
            clock: .eventTime,
            stages: [GPSLossStage(lostAfter: 120_000)]
        )
        var steady = Track("van-a")
        var glitch = Track("van-b")
        for second in 0 ..< 60 { steady.add(Double(second), east: Double(second) * 10, north: 0) }
        glitch.add(30 + 86_400, east: 0, north: 500)
        let wall = Timestamp(millisecondsSinceEpoch: epoch + 30 * 86_400_000)
        var output = PipelineOutput()
        for second in 0 ..< 60 {
            engine.offer(steady.fixes[second], now: wall, into: &output)
            if second == 30 { engine.offer(glitch.fixes[0], now: wall, into: &output) }
        }
        #expect(!output.alerts.contains { $0.type == .gpsLost && $0.vehicle == steady.vehicle })
    }

    /// A tracker switched on while the van is 300 m off its route (a detour), which then comes back onto the route 5 km
    /// along it: the progress must move there. It moved only as far as the last fix's time allowed, 100 m a fix.
    @Test func progressFindsAVanFirstSeenOffItsRoute() {
        let trip = Trip(
            id: "T",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(id: "S", latitude: Track.latitude(north: 0), longitude: Track.longitude(east: 9_500))
            ],
            route: denseRoute()
        )
        var distances: [Double] = []
        let stage = TripStage(book: TripBook([trip]))
        stage.observer = { _, _, _, estimates in
            if let first = estimates.first?.distance { distances.append(first) }
        }
        var track = Track()
        var clock = 0.0
        for north in stride(from: 300.0, to: 0, by: -10) {
            track.add(clock, east: 5_000, north: north, speed: 10)
            clock += 1
        }
        for east in stride(from: 5_000.0, through: 6_000, by: 10) {
            track.add(clock, east: east, north: 0, speed: 10)
            clock += 1
        }
        Harness([stage]).run(track.fixes)
        // At 6 km along the route: 3.5 km to go.
        #expect(distances.last.map { abs($0 - 3_500) < 50 } == true, "\(distances.last ?? -1)")
    }

    /// The driver leaves S1 (1 km north) out and drives 3 km east to S2. S2's customer is the one to tell the van
    /// is coming; the follower waits for S1 until the van has stood 20 s at S2, so S2 never gets
    /// `stop.approaching`. The scorer calls that approach ambiguous (`Expectation`, skip), so it never shows as a
    /// miss: one approach in twenty on the simulated fleets (5 % of stops skipped).
    @Test func theStopAfterASkippedOneIsApproached() {
        let harness = Harness([
            TripStage(
                book: TripBook([
                    Trip(
                        id: "T",
                        vehicle: VehicleID("van-1")!,
                        stops: [
                            Trip.Stop(
                                id: "S1",
                                latitude: Track.latitude(north: 1_000),
                                longitude: Track.longitude(east: 0)
                            ),
                            Trip.Stop(
                                id: "S2",
                                latitude: Track.latitude(north: 0),
                                longitude: Track.longitude(east: 3_000)
                            ),
                        ]
                    )
                ])
            )
        ])
        var track = Track()
        for second in 0 ..< 300 { track.add(Double(second), east: Double(second) * 10, north: 0, speed: 10) }
        for second in 300 ..< 360 { track.add(Double(second), east: 3_000, north: 0, speed: 0) }
        harness.run(track.fixes)
        let approached = harness.alerts(.stopApproaching).compactMap { alert -> String? in
            if case .string(let id)? = alert["stop"] { return id }
            return nil
        }
        withKnownIssue("stop.approaching is only for the next stop in order; a skip is known only at the next arrival")
        {
            #expect(approached.contains("S2"), "\(approached)")
        }
    }
}
