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
}
