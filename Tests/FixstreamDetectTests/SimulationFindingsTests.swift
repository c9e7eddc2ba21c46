import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

/// Smallest reproductions of what the fleet simulator's scores found (docs/ARCHITECTURE.md, "Accuracy on a
/// simulated fleet"). Each states the behaviour the alert means; those not fixed yet are marked as known issues:
/// the day a detector is fixed, its test stops reproducing the issue and asks for the mark to be removed.
struct SimulationFindingsTests {
    private func stop(_ id: String, east: Double, north: Double = 0) -> Trip.Stop {
        Trip.Stop(id: id, latitude: Track.latitude(north: north), longitude: Track.longitude(east: east))
    }

    private func coordinate(_ east: Double, _ north: Double) -> Coordinate {
        Coordinate(latitude: Track.latitude(north: north), longitude: Track.longitude(east: east))
    }

    private func tripHarness(_ stops: [Trip.Stop], route: [Coordinate]? = nil) -> Harness {
        let trip = Trip(id: "T1", vehicle: VehicleID("van-1")!, stops: stops, route: route)
        return Harness([TripStage(book: TripBook([trip]))])
    }

    @Test func oneMultipathFixDoesNotDepartAParkedVehicle() {
        // Parked at S1 for five minutes; one fix 100 m off (multipath: the jump filter lets jumps under 170 m in a
        // second through), then parked again; it leaves at 310 s.
        var track = Track()
        for second in 0 ..< 300 {
            track.add(Double(second), east: 0, north: second == 150 ? 100 : 0, speed: 0)
        }
        for second in 300 ..< 330 { track.add(Double(second), east: Double(second - 300) * 10, north: 0, speed: 10) }
        let harness = tripHarness([stop("S1", east: 0), stop("S2", east: 1_000)])
        harness.run(track.fixes)
        let departures = harness.alerts(.stopDeparted).map(Harness.second)
        #expect(departures.count == 1)
        #expect(departures.allSatisfy { $0 >= 300 })
    }

    @Test func oneMultipathFixNearALaterStopDoesNotArriveThere() {
        // Driving east to S1 (600 m) and stopping there; one fix lands within S3's radius (S3 is 150 m north of
        // the road).
        var track = Track()
        for second in 0 ..< 90 {
            let east = Double(min(second, 60)) * 10
            track.add(Double(second), east: east, north: second == 20 ? 150 : 0, speed: second < 60 ? 10 : 0)
        }
        let harness = tripHarness([stop("S1", east: 600), stop("S2", east: 1_500), stop("S3", east: 200, north: 150)])
        harness.run(track.fixes)
        let arrivals = harness.alerts(.stopArrived).compactMap { alert in
            alert.fields.first { $0.key == "stop" }.flatMap { field -> String? in
                if case .string(let id) = field.value { return id }
                return nil
            }
        }
        #expect(arrivals == ["S1"])
    }

    @Test func aRouteThatCrossesItselfDoesNotMakeTheVehicleDeviateOnIt() {
        // The route runs east along y = 0 to 300 m, north to 300 m, west to x = 150, then south across its own
        // first stretch at (150, 0). The vehicle drives exactly along it; at (150, 0) one fix is 0.5 m north.
        let route = [
            coordinate(0, 0), coordinate(300, 0), coordinate(300, 300), coordinate(150, 300), coordinate(150, -300),
        ]
        var track = Track()
        var second = 0.0
        for east in stride(from: 0.0, through: 300, by: 10) {
            track.add(second, east: east, north: east == 150 ? 0.5 : 0, speed: 10)
            second += 1
        }
        for north in stride(from: 10.0, through: 300, by: 10) {
            track.add(second, east: 300, north: north, speed: 10)
            second += 1
        }
        let harness = tripHarness([stop("S1", east: 150, north: -300)], route: route)
        harness.run(track.fixes)
        #expect(harness.alerts(.routeDeviation).isEmpty)
    }

    @Test func oneMultipathFixNearALaterStretchDoesNotMoveTheProgressThere() {
        // The route runs east along y = 0 to 600 m, north to 160 m and back west along y = 160. Driving east, one
        // fix lands 10 m from the way back (150 m north of the vehicle: a jump the jump filter lets through).
        let route = [coordinate(0, 0), coordinate(600, 0), coordinate(600, 160), coordinate(0, 160)]
        var track = Track()
        for second in 0 ..< 60 {
            track.add(Double(second), east: Double(second) * 10, north: second == 20 ? 150 : 0, speed: 10)
        }
        let harness = tripHarness([stop("S1", east: 0, north: 160)], route: route)
        harness.run(track.fixes)
        #expect(harness.alerts(.routeDeviation).isEmpty)
    }

    /// The stop ids of `harness`'s alerts of `type`, in order.
    private func stops(_ harness: Harness, _ type: AlertType) -> [String] {
        harness.alerts(type).compactMap { alert in
            if case .string(let id)? = alert["stop"] { return id }
            return nil
        }
    }

    @Test func drivingThroughAStopWithoutStoppingIsNoArrival() {
        // East at 10 m/s through S1 (300 m) and S2 (600 m) without stopping, then parked at S3 (900 m).
        var track = Track()
        for second in 0 ..< 120 {
            track.add(Double(second), east: Double(min(second, 90)) * 10, north: 0, speed: second < 90 ? 10 : 0)
        }
        let harness = tripHarness([stop("S1", east: 300), stop("S2", east: 600), stop("S3", east: 900)])
        harness.run(track.fixes)
        #expect(stops(harness, .stopArrived) == ["S3"])
        // Dated at the first fix within 40 m of S3 (the radius less the margin), when it stopped there.
        #expect(harness.alerts(.stopArrived).map(Harness.second) == [87])
        // Without reported speeds, staying 20 s is an arrival and a pass of a few seconds is not.
        var bare = Track()
        for second in 0 ..< 120 { bare.add(Double(second), east: Double(min(second, 90)) * 10, north: 0) }
        let withoutSpeed = tripHarness([stop("S1", east: 300), stop("S3", east: 900)])
        withoutSpeed.run(bare.fixes)
        #expect(stops(withoutSpeed, .stopArrived) == ["S3"])
        #expect(withoutSpeed.alerts(.stopArrived).map(Harness.second) == [87])
    }

    @Test func aDetourAlongALaterStretchDoesNotLeaveTheNextStopBehind() {
        // The route runs east along y = 0 to 1 km (S1 at 900 m), north to 200 m and back west along y = 200 (S2 at
        // its west end). The van leaves the route at 200 m, drives up to the way back and east along it (on the
        // route, but a later part of it), comes down at 800 m and goes on to S1.
        let route = [coordinate(0, 0), coordinate(1_000, 0), coordinate(1_000, 200), coordinate(0, 200)]
        var track = Track()
        var second = 0.0
        func go(_ east: Double, _ north: Double, speed: Float = 10) {
            track.add(second, east: east, north: north, speed: speed)
            second += 1
        }
        for east in stride(from: 0.0, to: 200, by: 10) { go(east, 0) }
        for north in stride(from: 0.0, to: 200, by: 10) { go(200, north) }
        for east in stride(from: 200.0, to: 800, by: 10) { go(east, 200) }
        for north in stride(from: 200.0, to: 0, by: -10) { go(800, north) }
        for east in stride(from: 800.0, through: 900, by: 10) { go(east, 0) }
        for _ in 0 ..< 60 { go(900, 0, speed: 0) }
        let harness = tripHarness([stop("S1", east: 900), stop("S2", east: 0, north: 200)], route: route)
        harness.run(track.fixes)
        #expect(stops(harness, .stopArrived) == ["S1"])
        #expect(harness.alerts(.routeDeviation).isEmpty)
    }

    @Test func oneFixNearTheRouteDoesNotEndADeviation() {
        // 200 m off the route for a minute; one fix (multipath, within what the jump filter lets through) lands
        // 60 m from the route half way.
        let route = [coordinate(0, 0), coordinate(3_000, 0)]
        var track = Track()
        var second = 0.0
        func go(_ east: Double, _ north: Double) {
            track.add(second, east: east, north: north, speed: 10)
            second += 1
        }
        for east in stride(from: 0.0, to: 500, by: 10) { go(east, 0) }
        for north in stride(from: 0.0, to: 200, by: 10) { go(500, north) }
        for index in 0 ..< 60 { go(500 + Double(index) * 5, index == 30 ? 60 : 200) }
        for north in stride(from: 200.0, to: 0, by: -10) { go(800, north) }
        for east in stride(from: 800.0, to: 1_200, by: 10) { go(east, 0) }
        let harness = tripHarness([stop("S1", east: 3_000)], route: route)
        harness.run(track.fixes)
        let sequence: [AlertType] = harness.alerts.map(\.type).filter { $0 == .routeDeviation || $0 == .routeRejoin }
        #expect(sequence == [.routeDeviation, .routeRejoin])
        // Dated when it got more than 100 m off (second 61, 110 m) and at the first fix back within 80 m (second
        // 143, 70 m), once 10 s back confirmed it.
        #expect(harness.alerts(.routeDeviation).map(Harness.second) == [61])
        #expect(harness.alerts(.routeRejoin).map(Harness.second) == [143])
    }

    @Test func aRoundTripEndsAtTheDepotNotWhereItStarted() {
        // Out 2 km east and back along the same street: the ETA to the depot at the end is the whole way back.
        let route = [coordinate(0, 0), coordinate(2_000, 0), coordinate(0, 8)]
        var distances: [Double] = []
        let trip = Trip(
            id: "T1",
            vehicle: VehicleID("van-1")!,
            stops: [stop("depot", east: 0), stop("S1", east: 2_000), stop("home", east: 0)],
            route: route
        )
        let stage = TripStage(book: TripBook([trip]))
        stage.observer = { _, _, _, estimates in
            if let last = estimates.last?.distance { distances.append(last) }
        }
        var track = Track()
        for second in 0 ..< 30 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        for second in 30 ..< 60 { track.add(Double(second), east: Double(second - 29) * 10, north: 0, speed: 10) }
        Harness([stage]).run(track.fixes)
        // At 300 m out: 1.7 km to S1 and 2 km back.
        #expect(distances.last.map { abs($0 - 3_700) < 15 } == true, "\(distances.last ?? -1)")
    }

    @Test func oneMultipathFixDeepInAFenceIsNotAVisit() throws {
        // A circle of 40 m whose centre is 60 m from the road; one fix lands 5 m from the centre.
        let fence = try Fence(id: "F", shape: .circle(center: coordinate(500, 60), radius: 40))
        var track = Track()
        for second in 0 ..< 100 {
            track.add(Double(second), east: Double(second) * 10, north: second == 50 ? 55 : 0, speed: 10)
        }
        let harness = Harness([GeofenceStage(index: FenceIndex([fence]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.geofenceEnter).isEmpty)
    }

    @Test func aStraightLineAcrossAFiveMinuteSilenceIsNotACrossing() throws {
        // Last fix 500 m west of a fence, silence for five minutes, next fix 500 m east of it.
        let fence = try Fence(id: "F", shape: .circle(center: coordinate(0, 0), radius: 40))
        var track = Track()
        for second in 0 ..< 10 { track.add(Double(second), east: -590 + Double(second) * 10, north: 0, speed: 10) }
        for second in 310 ..< 320 {
            track.add(Double(second), east: 500 + Double(second - 310) * 10, north: 0, speed: 10)
        }
        let harness = Harness([GeofenceStage(index: FenceIndex([fence]))])
        harness.run(track.fixes)
        #expect(harness.alerts(.geofenceEnter).isEmpty)
    }
}
