import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamRoads
import FixstreamTrips
import FixstreamWire
import Testing

/// Trips on a road map: ETAs over the fastest road paths, and routes from the map for trips without one. The map
/// is ``RoadFixtures/detour()``: the stop is 100 m from the south street as the crow flies, 2 km by road.
struct TripStageRoadTests {
    /// Residential streets: 30 km/h.
    private let roadSpeed = 30 / 3.6

    private func trip(stopEast: Double = 20, stopNorth: Double = 100, route: [Coordinate]? = nil) -> Trip {
        Trip(
            id: "T1",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(
                    id: "S1",
                    latitude: Track.latitude(north: stopNorth),
                    longitude: Track.longitude(east: stopEast)
                )
            ],
            route: route
        )
    }

    /// A drive through `corners` (metres east, north) at 10 m/s, a fix a second, 3 m left of the centre line
    /// on east-west streets, and with `parking` half a minute parked at the last corner; returns the fixes and
    /// each moving fix's position.
    private func drive(
        _ corners: [(Double, Double)],
        from start: Double = 0,
        parking: Bool = false
    ) -> (track: Track, points: [(east: Double, north: Double)]) {
        var track = Track()
        var points: [(east: Double, north: Double)] = []
        var second = start
        for (a, b) in zip(corners, corners.dropFirst()) {
            let length = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
            let steps = Int((length / 10).rounded())
            for step in 0 ..< steps {
                let t = Double(step) / Double(steps)
                let east = a.0 + t * (b.0 - a.0)
                let north = a.1 + t * (b.1 - a.1)
                points.append((east, north))
                track.add(second, east: east, north: north + (a.1 == b.1 ? 3 : 0), speed: 10)
                second += 1
            }
        }
        if parking, let last = corners.last {
            for _ in 0 ..< 30 {
                track.add(second, east: last.0, north: last.1, speed: 0)
                second += 1
            }
        }
        return (track, points)
    }

    /// The stages with the map (matching first), and the ETA estimates of stop S1 by fix: (second, ETA in seconds
    /// from the fix, distance).
    private final class Run {
        let harness: Harness
        var estimates: [(second: Double, eta: Double, distance: Double)] = []

        init(_ trip: Trip, map: RoadGraph?) {
            let stage = TripStage(book: TripBook([trip]), roads: map)
            var stages: [any PipelineStage] = [stage]
            if let map { stages.insert(RoadMatchStage(graph: map), at: 0) }
            harness = Harness(stages)
            stage.observer = { [unowned self] _, time, _, stops in
                guard let eta = stops.first?.eta, let distance = stops.first?.distance else { return }
                let second = Double(time.millisecondsSinceEpoch - epoch) / 1000
                self.estimates.append((second, Double(eta.millisecondsSinceEpoch - epoch) / 1000 - second, distance))
            }
        }

        var stats: MapStats { harness.engine.stats.map }
    }

    @Test func theETAFollowsTheRoadsNotTheStraightLine() {
        let map = RoadFixtures.detour()
        let (track, points) = drive([(20, 0), (520, 0)])
        let onRoads = Run(trip(), map: map)
        onRoads.harness.run(track.fixes)
        let straight = Run(trip(), map: nil)
        straight.harness.run(track.fixes)
        #expect(onRoads.estimates.count == track.fixes.count)
        // East to the link, up and back west: 2,080 m less what was driven, at the streets' 30 km/h. (A fix between
        // two of the matcher's lattice fixes is placed on the road of the one before: just past a corner it is
        // still at the end of the road before, up to a few seconds' driving behind.)
        var errors: [Double] = []
        for (estimate, point) in zip(onRoads.estimates, points).dropFirst(2) {
            let left = 2080 - point.east
            errors.append(abs(estimate.distance - left))
            #expect(abs(estimate.distance - left) < 50, "\(estimate) at \(point)")
            #expect(abs(estimate.eta - estimate.distance / roadSpeed) < 0.5, "\(estimate) at \(point)")
        }
        #expect(errors.sorted()[errors.count / 2] < 3)
        // Without the map: the distance as the crow flies, times 1.3, at a blend of 10 m/s and 30 km/h.
        for (estimate, point) in zip(straight.estimates, points).dropFirst(2) {
            let crow = ((point.east - 20) * (point.east - 20) + 100 * 100).squareRoot()
            #expect(abs(estimate.eta - 1.3 * crow / (0.5 * 10 + 0.5 * 8.33)) < 1)
        }
        // Two searches at the start (the route from the map, the way to the stop), none while on the way.
        #expect(onRoads.stats.routeSearches == 2)
        #expect(onRoads.stats.etaFallbacks == 0)
        #expect(onRoads.stats.matched == track.fixes.count)
    }

    @Test func leavingTheWaySearchesAgainOnceAndFollowsTheNewOne() {
        let map = RoadFixtures.detour()
        let (track, points) = drive([(20, 0), (500, 0), (500, -300)])
        let run = Run(trip(), map: map)
        run.harness.run(track.fixes)
        // Down the side street to its dead end, back up, then the way round: one search more, when it turned.
        #expect(run.stats.routeSearches == 3)
        let last = run.estimates.last!
        let south = -points.last!.north
        let left = (600 - south) + 600 + 500 + 100 + 980
        #expect(abs(last.distance - left) < 3, "\(last)")
        #expect(abs(last.eta - left / roadSpeed) < 1)
        // Before the turn it was the shorter way.
        let before = run.estimates[points.firstIndex { $0.east >= 480 }!]
        #expect(abs(before.distance - 1600) < 3)
    }

    @Test func aTripWithoutARouteGetsOneFromTheMapAndDeviatesFromIt() {
        let map = RoadFixtures.detour()
        // Into the side street for 500 m, back, and on along the way round.
        let (track, _) = drive(
            [(20, 0), (500, 0), (500, -500), (500, 0), (1000, 0), (1000, 100), (10, 100)],
            parking: true
        )
        let run = Run(trip(), map: map)
        run.harness.run(track.fixes)
        let events = run.harness.alerts.filter { $0.type == .routeDeviation || $0.type == .routeRejoin }
        #expect(events.map(\.type) == [.routeDeviation, .routeRejoin])
        // Dated when it got 100 m off the route: 48 s to the side street, then 10 s down it.
        if let deviation = events.first { #expect(abs(Harness.second(deviation) - 58) <= 2) }
        // Without the map there is no route, so no deviation.
        let straight = Run(trip(), map: nil)
        straight.harness.run(track.fixes)
        #expect(straight.harness.alerts(.routeDeviation).isEmpty)
        #expect(run.harness.alerts(.stopArrived).count == 1)
    }

    @Test func aRestartTakesTheSameRouteFromTheMapAndKeepsADeviationInProgress() throws {
        let map = RoadFixtures.detour()
        let (track, _) = drive(
            [(20, 0), (500, 0), (500, -500), (500, 0), (1000, 0), (1000, 100), (10, 100)],
            parking: true
        )
        let split = track.fixes.firstIndex { $0.time.millisecondsSinceEpoch >= epoch + 120_000 }!
        let first = Harness([RoadMatchStage(graph: map), TripStage(book: TripBook([trip()]), roads: map)])
        first.run(Array(track.fixes[..<split]))
        #expect(first.alerts(.routeDeviation).count == 1)
        let second = try first.restarted(
            with: [RoadMatchStage(graph: map), TripStage(book: TripBook([trip()]), roads: map)],
            atSecond: 119
        )
        second.run(Array(track.fixes[split...]))
        #expect(second.alerts(.routeDeviation).isEmpty)
        #expect(second.alerts(.routeRejoin).count == 1)
        #expect(second.alerts(.stopArrived).count == 1)
    }

    @Test func aStopFarFromEveryRoadFallsBackToAStraightLineAndIsCounted() {
        let map = RoadFixtures.detour()
        let (track, _) = drive([(20, 0), (320, 0)])
        // 1 km south of the south street, beyond the 250 m a stop is snapped to a road within.
        let far = trip(stopEast: 100, stopNorth: -1000)
        let onRoads = Run(far, map: map)
        onRoads.harness.run(track.fixes)
        let straight = Run(far, map: nil)
        straight.harness.run(track.fixes)
        #expect(onRoads.stats.etaFallbacks == track.fixes.count)
        for (a, b) in zip(onRoads.estimates, straight.estimates) {
            #expect(a.eta == b.eta && a.distance == b.distance)
        }
    }

    @Test func aPlannedRouteStaysTheRouteWhileETAsComeFromTheRoads() {
        let map = RoadFixtures.detour()
        // Planned along the south street, the link and the north street: the vehicle follows it.
        let route = [(20.0, 0.0), (1000, 0), (1000, 100), (20, 100)].map {
            Coordinate(latitude: Track.latitude(north: $0.1), longitude: Track.longitude(east: $0.0))
        }
        let (track, points) = drive([(20, 0), (1000, 0), (1000, 100), (100, 100)])
        let run = Run(trip(route: route), map: map)
        run.harness.run(track.fixes)
        #expect(run.harness.alerts(.routeDeviation).isEmpty)
        // One search for the way to the stop, none for a route.
        #expect(run.stats.routeSearches == 1)
        for (estimate, point) in zip(run.estimates, points).dropFirst(2) where point.north == 0 {
            #expect(abs(estimate.distance - (2080 - point.east)) < 50)
        }
    }
}

extension TripStageRoadTests {
    @Test func laterStopsAddTheRoadLegsBetweenStopsAndTheServiceTimes() {
        let map = RoadFixtures.detour()
        let trip = Trip(
            id: "T2",
            vehicle: VehicleID("van-1")!,
            stops: [
                Trip.Stop(
                    id: "S1",
                    latitude: Track.latitude(north: 0),
                    longitude: Track.longitude(east: 900),
                    service: 120_000
                ),
                Trip.Stop(id: "S2", latitude: Track.latitude(north: 100), longitude: Track.longitude(east: 20)),
            ]
        )
        var last: [TripStage.Estimate] = []
        let stage = TripStage(book: TripBook([trip]), roads: map)
        stage.observer = { _, _, _, estimates in last = estimates }
        let harness = Harness([RoadMatchStage(graph: map), stage])
        let (track, points) = drive([(20, 0), (320, 0)])
        harness.run(track.fixes)
        let first = try! #require(last[0].eta)
        let second = try! #require(last[1].eta)
        // From S1: 100 m east, the link, 980 m west: 1,180 m at 30 km/h, after 2 minutes of service.
        let gap = Double(second.millisecondsSinceEpoch - first.millisecondsSinceEpoch) / 1000
        #expect(abs(gap - (120 + 1180 / roadSpeed)) < 1)
        #expect(abs(last[1].distance! - (900 - points.last!.east + 1180)) < 3)
        #expect(harness.engine.stats.map.etaFallbacks == 0)
    }

    @Test func aTripChangedWhileDrivenTakesItsRouteAgainFromTheSameStart() {
        let map = RoadFixtures.detour()
        let control = LiveControl(trips: TripBook([trip()]))
        // The van drives through S0 without stopping: arrivals on the first fix inside.
        var driveThrough = TripConfig()
        driveThrough.arrivalConfirmation = 0
        let harness = Harness([
            RoadMatchStage(graph: map), TripStage(control: control, config: driveThrough, roads: map),
        ])
        let (track, _) = drive([(20, 0), (1000, 0), (1000, 100), (10, 100)])
        let half = track.fixes.count / 3
        harness.run(Array(track.fixes[..<half]))
        // A second stop on the way: the route from the map is taken again from the start for both stops.
        var changed = trip()
        changed.stops.insert(
            Trip.Stop(id: "S0", latitude: Track.latitude(north: 100), longitude: Track.longitude(east: 600)),
            at: 0
        )
        control.replace(trips: TripBook([changed]))
        harness.run(Array(track.fixes[half...]))
        #expect(harness.alerts(.routeDeviation).isEmpty)
        #expect(harness.alerts(.stopArrived).map { $0["stop"] } == [.string("S0"), .string("S1")])
    }
}

extension TripStageRoadTests {
    /// A vehicle off its route from the map, checkpointed.
    private func deviatedBlob(_ map: RoadGraph) -> (VehicleID, [UInt8]) {
        let (track, _) = drive([(20, 0), (500, 0), (500, -500)])
        let harness = Harness([RoadMatchStage(graph: map), TripStage(book: TripBook([trip()]), roads: map)])
        harness.run(track.fixes)
        #expect(harness.alerts(.routeDeviation).count == 1)
        return harness.engine.checkpoint(dirtyOnly: false)[0]
    }

    @Test func aRestoredRouteFromTheMapIsSavedAgainAsItWas() throws {
        let map = RoadFixtures.detour()
        let (vehicle, bytes) = deviatedBlob(map)
        let harness = Harness([RoadMatchStage(graph: map), TripStage(book: TripBook([trip()]), roads: map)])
        try harness.engine.restore(vehicle, bytes, now: Timestamp(millisecondsSinceEpoch: epoch + 200_000))
        #expect(harness.engine.checkpoint(dirtyOnly: false).first?.1 == bytes)
    }

    @Test func garbledCheckpointsOfRoutesFromTheMapNeverTrap() {
        let map = RoadFixtures.detour()
        let (vehicle, bytes) = deviatedBlob(map)
        var random = SeededRandom(seed: 7)
        for _ in 0 ..< 2000 {
            var garbled = bytes
            for _ in 0 ... Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(garbled.count))
                switch random.next() % 3 {
                case 0: garbled[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: garbled[position] ^= 1 << UInt8(random.next() % 8)
                default: garbled.remove(at: position)
                }
            }
            let harness = Harness([RoadMatchStage(graph: map), TripStage(book: TripBook([trip()]), roads: map)])
            try? harness.engine.restore(vehicle, garbled, now: Timestamp(millisecondsSinceEpoch: epoch + 200_000))
            guard harness.engine.slot(of: vehicle) != nil else { continue }
            var track = Track()
            for second in [210.0, 211, 212] { track.add(second, east: 500, north: -400 + second, speed: 5) }
            harness.run(track.fixes)
            _ = harness.engine.checkpoint(dirtyOnly: false)
        }
    }
}
