import FixstreamLoad
import FixstreamNet
import FixstreamWire
import Testing

struct ReplayScheduleTests {
    /// A trace of `count` fixes one second apart, moving north 10 m per fix.
    private func trace(_ id: String, count: Int, start: Int64 = 1_270_000_000_000) -> [Fix] {
        (0 ..< count).map { i in
            Fix(
                vehicle: VehicleID(id)!,
                time: Timestamp(millisecondsSinceEpoch: start + Int64(i) * 1000),
                latitude: 49 + Double(i) * 10 / 111_195,
                longitude: 12,
                course: 0,
                source: .nmea
            )
        }
    }

    private func drain(_ schedule: inout ReplaySchedule, limit: Int = 1_000_000) -> [ReplaySchedule.Event] {
        var events: [ReplaySchedule.Event] = []
        while events.count < limit, let event = schedule.next() { events.append(event) }
        return events
    }

    @Test func fansOneTraceOutToDistinctStaggeredVehicles() {
        let now: Int64 = 1_795_255_200_000
        var schedule = ReplaySchedule(
            traces: [trace("van", count: 100)],
            vehicles: 4,
            speed: 1,
            loops: false,
            eventSpan: 0,
            now: now
        )
        let events = drain(&schedule)
        #expect(events.count == 400)
        let byVehicle = Dictionary(grouping: events, by: \.vehicle)
        #expect(Set(events.map(\.fix.vehicle.description)) == ["van-0", "van-1", "van-2", "van-3"])
        // Due times never go backwards; each vehicle keeps its own order and spacing.
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.due <= $1.due })
        for (_, fixes) in byVehicle {
            let times = fixes.map(\.fix.time.millisecondsSinceEpoch)
            #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 1000 })
        }
        // Staggered starts (a quarter of the 60 s window apart) and live event times at speed 1.
        let starts = (0 ..< 4).map { byVehicle[$0]!.first!.fix.time.millisecondsSinceEpoch }
        #expect(starts == [now, now + 15_000, now + 30_000, now + 45_000])
        // Small offsets keep the fleet apart.
        #expect(Set(byVehicle.values.map { $0[0].fix.latitude }).count == 4)
    }

    @Test func eachTraceOfAFleetIsDrivenWhereItWasRecorded() {
        // A file of several vehicles (a simulated fleet): one replay vehicle each, positions untouched; only the
        // second copy of a trace (more vehicles than traces) is shifted.
        let traces = [trace("a", count: 10), trace("b", count: 10)]
        var schedule = ReplaySchedule(
            traces: traces,
            vehicles: 3,
            speed: nil,
            loops: false,
            eventSpan: 0,
            now: 1_795_255_200_000
        )
        let byVehicle = Dictionary(grouping: drain(&schedule), by: \.vehicle)
        #expect(byVehicle[0]!.map(\.fix.latitude) == traces[0].map(\.latitude))
        #expect(byVehicle[1]!.map(\.fix.latitude) == traces[1].map(\.latitude))
        #expect(byVehicle[2]!.first!.fix.latitude != traces[0].first!.latitude)
    }

    @Test func fastReplaysEndInThePastNeverTheFuture() {
        let now: Int64 = 1_795_255_200_000
        var schedule = ReplaySchedule(
            traces: [trace("a", count: 50), trace("b", count: 30)],
            vehicles: 2,
            speed: nil,
            loops: false,
            eventSpan: 0,
            now: now
        )
        let events = drain(&schedule)
        #expect(events.count == 80)
        #expect(events.allSatisfy { $0.fix.time.millisecondsSinceEpoch <= now })
        #expect(Set(events.map(\.fix.vehicle.description)) == ["a", "b"])
    }

    @Test func loopsGoBackAndForthWithoutTeleporting() {
        var schedule = ReplaySchedule(
            traces: [trace("loop", count: 10)],
            vehicles: 1,
            speed: nil,
            loops: true,
            eventSpan: 1_000_000,
            now: 1_795_255_200_000
        )
        let events = drain(&schedule, limit: 40)
        let latitudes = events.map(\.fix.latitude)
        // Forward, then backward: never more than one 10 m step (plus the pause) between consecutive fixes.
        for (a, b) in zip(latitudes, latitudes.dropFirst()) {
            #expect(abs(a - b) * 111_195 <= 10.001)
        }
        let times = events.map(\.fix.time.millisecondsSinceEpoch)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(events[10].fix.course == 180)
    }

    @Test func parsesTargets() {
        #expect(ReplayTarget("tcp://127.0.0.1:5005")?.scheme == "tcp")
        #expect(ReplayTarget("udp://[::1]:5005")?.address.port == 5005)
        #expect(ReplayTarget("http://localhost:5055/")?.description == "http://127.0.0.1:5055")
        #expect(ReplayTarget("ftp://127.0.0.1:21") == nil)
        #expect(ReplayTarget("tcp://example.com:5005") == nil)
        #expect(ReplayTarget("127.0.0.1:5005") == nil)
    }
}
