import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

struct TripStageTests {
    /// A stop `east` metres along the test line y = 0.
    private func stop(
        _ id: String,
        east: Double,
        service: Int64 = 0,
        windowEnd: Double? = nil,
        north: Double = 0
    ) -> Trip.Stop {
        Trip.Stop(
            id: id,
            latitude: Track.latitude(north: north),
            longitude: Track.longitude(east: east),
            windowEnd: windowEnd.map { Timestamp(millisecondsSinceEpoch: epoch + Int64($0 * 1000)) },
            service: service
        )
    }

    /// Drives east at 10 m/s, halting `halt` seconds at each of `halts` (metres), a fix a second.
    private func drive(
        to end: Double,
        halts: [Double] = [],
        halt: Double = 60,
        sigma: Double = 0,
        seed: UInt64 = 1
    ) -> Track {
        var random = SeededRandom(seed: seed)
        var track = Track()
        var second = 0.0
        var east = 0.0
        var pending = halts
        while east <= end {
            track.add(second, east: east + random.gaussian(sigma), north: random.gaussian(sigma), speed: 10)
            second += 1
            if let next = pending.first, east >= next {
                pending.removeFirst()
                for _ in 0 ..< Int(halt) {
                    track.add(second, east: east + random.gaussian(sigma), north: random.gaussian(sigma), speed: 0)
                    second += 1
                }
            }
            east += 10
        }
        return track
    }

    private func run(_ trip: Trip, _ track: Track, config: TripConfig = TripConfig()) -> Harness {
        let harness = Harness([TripStage(book: TripBook([trip]), config: config)])
        harness.run(track.fixes)
        return harness
    }

    private func events(_ harness: Harness) -> [String] {
        harness.alerts.map { alert in
            if case .string(let stop) = alert["stop"] { return "\(alert.type.name) \(stop)" }
            return alert.type.name
        }
    }

    @Test func stopsAreApproachedArrivedAndDepartedInOrder() {
        let trip = Trip(
            id: "T1",
            vehicle: VehicleID("van-1")!,
            stops: [
                stop("S1", east: 1000, service: 60_000), stop("S2", east: 2000, service: 60_000),
                stop("S3", east: 3000),
            ]
        )
        let harness = run(trip, drive(to: 3200, halts: [1000, 2000, 3000]))
        let sequence = events(harness).filter { !$0.hasPrefix("eta.") }
        #expect(
            sequence == [
                "stop.approaching S1", "stop.arrived S1", "stop.departed S1", "stop.approaching S2", "stop.arrived S2",
                "stop.departed S2", "stop.approaching S3", "stop.arrived S3", "stop.departed S3",
            ]
        )
        // Arrival 40 m before each stop (radius 50 minus the 10 m margin), departure 60 m after, once the halt is
        // over: the halts make each stop 160 s after the previous one.
        let arrived = harness.alerts(.stopArrived).map(Harness.second)
        for (index, second) in arrived.enumerated() { #expect(abs(second - (96 + 160 * Double(index))) <= 1) }
        let departures = harness.alerts(.stopDeparted)
        for (index, alert) in departures.prefix(2).enumerated() {
            #expect(abs(Harness.second(alert) - (166 + 160 * Double(index))) <= 1)
        }
        if case .number(let duration) = departures.first?["duration"] { #expect(abs(duration - 70) <= 2) }
        #expect(harness.alerts.allSatisfy { $0["trip"] == .string("T1") })
    }

    @Test func theETAForTheLastStopConvergesOnTheActualArrival() {
        // With a planned route (the road), the distance left is known; the speed is what the ETA must guess.
        let route = [0.0, 3100].map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
        let trip = Trip(
            id: "T2",
            vehicle: VehicleID("van-1")!,
            stops: [stop("S1", east: 1500, service: 120_000), stop("S2", east: 3000)],
            route: route
        )
        var estimates: [(second: Double, eta: Double)] = []
        let stage = TripStage(book: TripBook([trip]))
        stage.observer = { _, time, _, stops in
            if let eta = stops.last?.eta {
                estimates.append(
                    (
                        Double(time.millisecondsSinceEpoch - epoch) / 1000,
                        Double(eta.millisecondsSinceEpoch - epoch) / 1000
                    )
                )
            }
        }
        let harness = Harness([stage])
        harness.run(drive(to: 3100, halts: [1500, 3000], halt: 120).fixes)
        let actual = Harness.second(harness.alerts(.stopArrived).last!)
        // Half way and later, the estimate is within a minute of what happened; near the end within 15 s.
        let half = estimates.filter { $0.second >= actual / 2 }
        #expect(!half.isEmpty && half.allSatisfy { abs($0.eta - actual) <= 60 }, "\(half.first.map { "\($0)" } ?? "")")
        let late = estimates.filter { $0.second >= actual - 30 }
        #expect(late.allSatisfy { abs($0.eta - actual) <= 15 })
    }

    @Test func arrivingAtALaterStopSkipsTheEarlierOne() {
        let trip = Trip(
            id: "T3",
            vehicle: VehicleID("van-1")!,
            stops: [stop("S1", east: 500, north: 800), stop("S2", east: 1000), stop("S3", east: 2000)]
        )
        var statuses: [String] = []
        let stage = TripStage(book: TripBook([trip]))
        stage.observer = { _, _, _, stops in statuses = stops.map(\.status) }
        let harness = Harness([stage])
        harness.run(drive(to: 1040, halts: [1000]).fixes)
        #expect(harness.alerts(.stopArrived).map { $0["stop"] } == [.string("S2")])
        #expect(statuses == ["skipped", "arrived", "pending"])
    }

    @Test func aWindowThatCannotBeMetRaisesLateOnce() {
        // 5 km at an expected ~9 m/s takes about 9 minutes; the window closes after 2: more than the 5 minute margin.
        let trip = Trip(id: "T4", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 5000, windowEnd: 120)])
        let harness = run(trip, drive(to: 5100, halts: [5000]))
        let late = harness.alerts(.etaLate)
        #expect(late.count == 1)
        #expect(Harness.second(late[0]) == 0)
        if case .number(let lateBy) = late.first?["late_by"] { #expect(lateBy > 300) }
        #expect(harness.alerts(.stopArrived).first?["late_by"] != nil)
    }

    @Test func aWindowMissedByLessThanTheMarginIsNoLateWarning() {
        // 2 km takes about 4 minutes; the window closes after 2: late by about 2 minutes, under the 5 minute margin.
        let trip = Trip(id: "T4", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 2000, windowEnd: 120)])
        #expect(run(trip, drive(to: 2100, halts: [2000])).alerts(.etaLate).isEmpty)
        var strict = TripConfig()
        strict.lateMargin = 0
        #expect(run(trip, drive(to: 2100, halts: [2000]), config: strict).alerts(.etaLate).count == 1)
    }

    @Test func aLongHoldUpMovesTheETAAndSaysSoAtMostOnceAMinute() {
        let trip = Trip(id: "T5", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 3000)])
        // Stuck for 10 minutes at 1 km.
        let harness = run(trip, drive(to: 3100, halts: [1000], halt: 600))
        let changes = harness.alerts(.etaChanged).map(Harness.second)
        #expect(changes.count >= 2)
        #expect(zip(changes, changes.dropFirst()).allSatisfy { $1 - $0 >= 60 })
    }

    @Test func leavingThePlannedRouteIsADeviationAndComingBackARejoin() {
        // The route goes straight east; the vehicle takes a 300 m detour north between 1 and 1.6 km.
        let route = [0.0, 1000, 2000, 3000].map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
        let trip = Trip(id: "T6", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 3000)], route: route)
        var random = SeededRandom(seed: 9)
        var track = Track()
        var second = 0.0
        func add(_ east: Double, _ north: Double) {
            track.add(second, east: east + random.gaussian(8), north: north + random.gaussian(8), speed: 10)
            second += 1
        }
        for east in stride(from: 0.0, to: 1000, by: 10) { add(east, 0) }
        for north in stride(from: 0.0, to: 300, by: 10) { add(1000, north) }  // leaves at about 100 m north
        for east in stride(from: 1000.0, to: 1600, by: 10) { add(east, 300) }
        for north in stride(from: 300.0, to: 0, by: -10) { add(1600, north) }
        for east in stride(from: 1600.0, through: 3100, by: 10) { add(east, 0) }
        let harness = run(trip, track)
        #expect(
            harness.alerts.filter { $0.type == .routeDeviation || $0.type == .routeRejoin }.map(\.type) == [
                .routeDeviation, .routeRejoin,
            ]
        )
        let deviation = harness.alerts(.routeDeviation).first.map(Harness.second) ?? 0
        #expect(abs(deviation - 110) <= 3)  // dated when it got 100 m off, not 30 s later when it was sure
        // The same drive without the detour, with the same noise, never deviates.
        var straight = Track()
        var noise = SeededRandom(seed: 10)
        for (index, east) in stride(from: 0.0, through: 3100, by: 10).enumerated() {
            straight.add(Double(index), east: east + noise.gaussian(15), north: noise.gaussian(15), speed: 10)
        }
        #expect(run(trip, straight).alerts(.routeDeviation).isEmpty)
    }

    @Test func aMultipathFixAwayFromAParkedVanIsNotADeparture() {
        let trip = Trip(id: "T8", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 500), stop("S2", east: 900)])
        var track = Track()
        var second = 0.0
        for east in stride(from: 0.0, through: 500, by: 10) {
            track.add(second, east: east, north: 0, speed: 10)
            second += 1
        }
        // Parked at S1 for two minutes; one fix 150 m off, and two in a row 120 m off a minute later.
        for index in 0 ..< 120 {
            let north: Double = index == 30 ? 150 : (index == 90 || index == 91) ? 120 : 2
            track.add(second, east: 500, north: north, speed: 0)
            second += 1
        }
        let leaving = second
        for east in stride(from: 510.0, through: 900, by: 10) {
            track.add(second, east: east, north: 0, speed: east < 900 ? 10 : 0)
            second += 1
        }
        let harness = run(trip, track)
        let departures = harness.alerts(.stopDeparted)
        #expect(departures.count == 1)
        // Dated at the first fix out of the radius and margin (60 m on), not when it was confirmed 10 s later.
        #expect(departures.first.map(Harness.second) == leaving + 5)
        #expect(events(harness).filter { $0.hasPrefix("stop.arrived") } == ["stop.arrived S1", "stop.arrived S2"])
    }

    @Test func aRouteBackAlongTheSameStreetIsFollowedBothWays() {
        // Out east 1 km to a stop and back along the same street (the other carriageway, 8 m north), with a point
        // every 20 m as a route from a road map has.
        let out = stride(from: 0.0, through: 1000, by: 20).map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
        let back = stride(from: 1000.0, through: 0, by: -20).map {
            Coordinate(latitude: Track.latitude(north: 8), longitude: Track.longitude(east: $0))
        }
        let route = out + back
        let trip = Trip(
            id: "T9",
            vehicle: VehicleID("van-1")!,
            stops: [stop("S1", east: 1000, service: 60_000)],
            route: route
        )
        var random = SeededRandom(seed: 11)
        var track = Track()
        var second = 0.0
        for east in stride(from: 0.0, through: 1000, by: 10) {
            track.add(second, east: east + random.gaussian(10), north: random.gaussian(10), speed: 10)
            second += 1
        }
        for _ in 0 ..< 60 {
            track.add(second, east: 1000 + random.gaussian(5), north: random.gaussian(5), speed: 0)
            second += 1
        }
        for east in stride(from: 1000.0, through: 0, by: -10) {
            track.add(second, east: east + random.gaussian(10), north: 8 + random.gaussian(10), speed: 10)
            second += 1
        }
        let harness = run(trip, track)
        #expect(harness.alerts(.routeDeviation).isEmpty)
        #expect(harness.alerts(.stopArrived).count == 1)
    }

    @Test func aPlannedStopIsNotAnUnscheduledHalt() {
        let trip = Trip(id: "T7", vehicle: VehicleID("van-1")!, stops: [stop("S1", east: 1000, service: 300_000)])
        let book = TripBook([trip])
        let harness = Harness(Detectors.stages(DetectorConfig(), trips: book))
        harness.run(drive(to: 2000, halts: [1000, 1500], halt: 300).fixes)
        // The halt at the stop is service; the one at 1.5 km is idle.
        let idle = harness.alerts(.idleStart)
        #expect(idle.count == 1)
        // It began when the vehicle reached 1.5 km: 100 s to the stop, 300 s there, 50 s on.
        if let start = idle.first { #expect(abs(Harness.second(start) - 450) <= 5) }
    }
}
