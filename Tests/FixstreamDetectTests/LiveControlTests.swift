import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

/// Fences and trips replaced while vehicles are under way: the next fixes see the change, and state carries over.
struct LiveControlTests {
    /// Only the geofence and trip stages speak.
    private var quiet: DetectorConfig {
        var config = DetectorConfig()
        config.gpsLostAfter = nil
        config.idleAfter = nil
        return config
    }

    /// These vans drive through their stops without stopping: arrivals on the first fix inside.
    private var driveThrough: TripConfig {
        var config = TripConfig()
        config.arrivalConfirmation = 0
        return config
    }

    private func square(_ id: String, east: Double, size: Double, dwell: Int64? = nil) throws -> Fence {
        let ring = [(0.0, 0.0), (size, 0), (size, size), (0, size), (0, 0)].map { dx, dy in
            Coordinate(latitude: Track.latitude(north: dy - size / 2), longitude: Track.longitude(east: east + dx))
        }
        return try Fence(id: id, name: nil, dwell: dwell, shape: .polygon([ring]))
    }

    /// East at 10 m/s along y = 0, a fix a second, from `from` metres for `seconds` seconds.
    private func drive(_ track: inout Track, from second: Double, east: Double, seconds: Int, speed: Double = 10) {
        for step in 0 ..< seconds {
            track.add(second + Double(step), east: east + Double(step) * speed, north: 0, speed: Float(speed))
        }
    }

    private func events(_ harness: Harness) -> [String] {
        harness.alerts.map { alert in
            var text = alert.type.name
            if case .string(let id)? = alert["fence"] ?? alert["stop"] { text += " " + id }
            return text
        }
    }

    @Test func aFenceAddedWhileDrivingIsEnteredByTheNextFixes() throws {
        let control = LiveControl()
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 20)
        harness.run(track.fixes)
        #expect(harness.alerts.isEmpty)

        control.replace(fences: FenceIndex([try square("depot", east: 250, size: 200)]))
        track.fixes.removeAll()
        drive(&track, from: 20, east: 200, seconds: 40)
        harness.run(track.fixes)
        #expect(events(harness) == ["geofence.enter depot", "geofence.exit depot"])
    }

    @Test func aDeletedFenceEndsItsMembershipsSilentlyAndOthersKeepTheirs() throws {
        let a = try square("a", east: 100, size: 400)
        let b = try square("b", east: 150, size: 400)
        let control = LiveControl(fences: FenceIndex([a, b]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 30)
        harness.run(track.fixes)
        #expect(events(harness) == ["geofence.enter a", "geofence.enter b"])

        // "a" goes; "b" moves to index 0 of the new index and must keep its membership (no second enter).
        control.replace(fences: FenceIndex([b]))
        track.fixes.removeAll()
        drive(&track, from: 30, east: 300, seconds: 40)
        harness.run(track.fixes)
        #expect(events(harness) == ["geofence.enter a", "geofence.enter b", "geofence.exit b"])
    }

    @Test func aFenceReshapedUnderAParkedVehicleExitsIt() throws {
        let control = LiveControl(fences: FenceIndex([try square("yard", east: -100, size: 200)]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        for second in 0 ..< 30 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        #expect(events(harness) == ["geofence.enter yard"])

        control.replace(fences: FenceIndex([try square("yard", east: 500, size: 200)]))
        track.fixes.removeAll()
        for second in 30 ..< 90 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        #expect(events(harness) == ["geofence.enter yard", "geofence.exit yard"])
    }

    @Test func aDwellTimeSetWhileInsideFollowsTheNewValue() throws {
        let control = LiveControl(fences: FenceIndex([try square("site", east: -100, size: 200, dwell: 600_000)]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        for second in 0 ..< 30 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        control.replace(fences: FenceIndex([try square("site", east: -100, size: 200, dwell: 60_000)]))
        track.fixes.removeAll()
        for second in 30 ..< 90 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        let dwell = harness.alerts(.geofenceDwell)
        #expect(dwell.count == 1)
        #expect(dwell.first.map(Harness.second) == 60)
    }

    private func stop(_ id: String, east: Double) -> Trip.Stop {
        Trip.Stop(id: id, latitude: Track.latitude(north: 0), longitude: Track.longitude(east: east), radius: 30)
    }

    @Test func aStopAddedToARunningTripKeepsTheArrivalsAlreadyMade() {
        let vehicle = VehicleID("van-1")!
        let first = Trip(id: "T1", vehicle: vehicle, stops: [stop("S1", east: 100), stop("S3", east: 900)])
        let control = LiveControl(trips: TripBook([first]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 30)
        harness.run(track.fixes)
        let visits = { self.events(harness).filter { $0.hasPrefix("stop.arrived") || $0.hasPrefix("stop.departed") } }
        #expect(visits() == ["stop.arrived S1", "stop.departed S1"])

        let second = Trip(
            id: "T1",
            vehicle: vehicle,
            stops: [stop("S1", east: 100), stop("S2", east: 500), stop("S3", east: 900)]
        )
        control.replace(trips: TripBook([second]))
        track.fixes.removeAll()
        drive(&track, from: 30, east: 300, seconds: 80)  // past S3 long enough to confirm the departure
        harness.run(track.fixes)
        #expect(
            visits() == [
                "stop.arrived S1", "stop.departed S1", "stop.arrived S2", "stop.departed S2", "stop.arrived S3",
                "stop.departed S3",
            ]
        )
    }

    @Test func aTripAddedForAVehicleThatFinishedItsTripsStarts() {
        let vehicle = VehicleID("van-1")!
        let control = LiveControl(trips: TripBook([Trip(id: "T1", vehicle: vehicle, stops: [stop("A", east: 50)])]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 20)
        harness.run(track.fixes)
        let t2 = Trip(id: "T2", vehicle: vehicle, stops: [stop("B", east: 500)])
        control.replace(trips: TripBook([Trip(id: "T1", vehicle: vehicle, stops: [stop("A", east: 50)]), t2]))
        track.fixes.removeAll()
        drive(&track, from: 20, east: 200, seconds: 50)
        harness.run(track.fixes)
        let arrivals = harness.alerts(.stopArrived).map { $0["trip"] }
        #expect(arrivals == [.string("T1"), .string("T2")])
    }

    @Test func aDeletedTripRaisesNothingMore() {
        let vehicle = VehicleID("van-1")!
        let trip = Trip(id: "T1", vehicle: vehicle, stops: [stop("A", east: 100), stop("B", east: 600)])
        let control = LiveControl(trips: TripBook([trip]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 20)
        harness.run(track.fixes)
        let before = harness.alerts.count
        control.replace(trips: TripBook([]))
        track.fixes.removeAll()
        drive(&track, from: 20, east: 200, seconds: 60)
        harness.run(track.fixes)
        #expect(harness.alerts.count == before)
    }

    /// Review finding: a trip already driven is never followed again when the new list puts another before it.
    @Test func aTripAlreadyDrivenIsNotDrivenAgainAfterATripIsInsertedBeforeIt() {
        let vehicle = VehicleID("van-1")!
        let t1 = Trip(id: "T1", vehicle: vehicle, stops: [stop("A", east: 100)])
        let t2 = Trip(id: "T2", vehicle: vehicle, stops: [stop("B", east: 1_000)])
        let control = LiveControl(trips: TripBook([t1, t2]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        drive(&track, from: 0, east: 0, seconds: 30)  // T1 done, on T2
        harness.run(track.fixes)
        let t0 = Trip(id: "T0", vehicle: vehicle, stops: [stop("Z", east: 600)])
        control.replace(trips: TripBook([t0, t1, t2]))
        track.fixes.removeAll()
        drive(&track, from: 30, east: 300, seconds: 100)  // past Z, then B
        harness.run(track.fixes)
        let arrivals = harness.alerts(.stopArrived).map { alert -> String in
            guard case .string(let trip)? = alert["trip"], case .string(let stop)? = alert["stop"] else { return "?" }
            return trip + "/" + stop
        }
        // T2 goes on (it was under way); T0 is not driven past first, and T1 never again.
        #expect(arrivals == ["T1/A", "T2/B"])
        #expect(harness.alerts.filter { Harness.second($0) >= 30 && $0["trip"] == .string("T1") }.isEmpty)
    }

    /// Review finding: a fence that gains a dwell time announces it for vehicles already inside.
    @Test func aDwellTimeAddedToAFenceWhileInsideIsAnnounced() throws {
        let control = LiveControl(fences: FenceIndex([try square("site", east: -100, size: 200)]))
        let harness = Harness(Detectors.stages(quiet, live: control, tripConfig: driveThrough))
        var track = Track()
        for second in 0 ..< 30 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        control.replace(fences: FenceIndex([try square("site", east: -100, size: 200, dwell: 60_000)]))
        track.fixes.removeAll()
        for second in 30 ..< 90 { track.add(Double(second), east: 0, north: 0, speed: 0) }
        harness.run(track.fixes)
        #expect(harness.alerts(.geofenceDwell).count == 1)
    }

    @Test func versionsIncreaseAndUnchangedPartsStay() {
        let fences = FenceIndex([])
        let control = LiveControl(fences: fences)
        #expect(control.version == 0)
        let trips = TripBook([])
        control.replace(trips: trips)
        #expect(control.version == 1)
        #expect(control.snapshot.fences === fences)
        #expect(control.snapshot.trips === trips)
    }
}
