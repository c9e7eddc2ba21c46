import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamTrips
import FixstreamWire
import Testing

struct TripStageCheckpointTests {
    private func stop(_ id: String, east: Double, service: Int64 = 0) -> Trip.Stop {
        Trip.Stop(
            id: id,
            latitude: Track.latitude(north: 0),
            longitude: Track.longitude(east: east),
            service: service
        )
    }

    /// East at 10 m/s along y = 0, a fix a second, halting 60 s at each of `halts` (metres).
    private func drive(to end: Double, halts: [Double]) -> [Fix] {
        var track = Track()
        var second = 0.0
        var east = 0.0
        var pending = halts
        while east <= end {
            track.add(second, east: east, north: 0, speed: 10)
            second += 1
            if let next = pending.first, east >= next {
                pending.removeFirst()
                for _ in 0 ..< 60 {
                    track.add(second, east: east, north: 0, speed: 0)
                    second += 1
                }
            }
            east += 10
        }
        return track.fixes
    }

    private func describe(_ alerts: [Alert]) -> [String] {
        alerts.map { alert in
            var text = "\(alert.type.name) \(Harness.second(alert))"
            for name in ["trip", "stop", "eta", "duration", "distance"] {
                if let value = alert[name] { text += " \(name)=\(value)" }
            }
            return text
        }
    }

    /// Runs `fixes` once straight through, and once with a restart (down 5 s) before the fix at `split` seconds;
    /// returns the alerts of the straight run, and of the runs before and after the restart.
    private func compare(
        _ trips: [Trip],
        _ fixes: [Fix],
        split: Double
    ) throws -> (straight: [Alert], before: [Alert], after: [Alert]) {
        let index = fixes.firstIndex { $0.time.millisecondsSinceEpoch >= epoch + Int64(split * 1000) }!
        let first = Harness([TripStage(book: TripBook(trips))])
        first.run(Array(fixes[..<index]))
        let second = try first.restarted(with: [TripStage(book: TripBook(trips))], atSecond: split - 1)
        second.run(Array(fixes[index...]))
        let straight = Harness([TripStage(book: TripBook(trips))])
        straight.run(fixes)
        return (straight.alerts, first.alerts, second.alerts)
    }

    @Test func aTripWithItsFirstStopDepartedContinuesAtTheNext() throws {
        let van = VehicleID("van-1")!
        let trips = [
            Trip(id: "T1", vehicle: van, stops: [stop("S1", east: 1000, service: 60_000), stop("S2", east: 2000)]),
            Trip(id: "T2", vehicle: van, stops: [stop("S3", east: 3000)]),
        ]
        let fixes = drive(to: 3200, halts: [1000, 2000, 3000])
        // S1 is departed at about 166 s; the restart comes at 200 s.
        let runs = try compare(trips, fixes, split: 200)
        #expect(runs.before.contains { $0.type == .stopDeparted && $0["stop"] == .string("S1") })
        #expect(!runs.after.contains { $0["stop"] == .string("S1") })
        #expect(runs.after.filter { $0.type == .stopArrived }.map { $0["stop"] } == [.string("S2"), .string("S3")])
        #expect(describe(runs.before + runs.after) == describe(runs.straight))
        // And while waiting at S2, T1 finished and T2 started: a restart then keeps T1 done.
        let later = try compare(trips, fixes, split: 300)
        #expect(describe(later.before + later.after) == describe(later.straight))
    }

    @Test func progressAlongAPlannedRouteSurvivesARestart() throws {
        let route = [0.0, 3100].map {
            Coordinate(latitude: Track.latitude(north: 0), longitude: Track.longitude(east: $0))
        }
        let trip = Trip(
            id: "T2",
            vehicle: VehicleID("van-1")!,
            stops: [stop("S1", east: 1500, service: 120_000), stop("S2", east: 3000)],
            route: route
        )
        let runs = try compare([trip], drive(to: 3100, halts: [1500, 3000]), split: 180)
        #expect(describe(runs.before + runs.after) == describe(runs.straight))
        #expect(runs.after.contains { $0.type == .stopArrived && $0["stop"] == .string("S2") })
    }
}
