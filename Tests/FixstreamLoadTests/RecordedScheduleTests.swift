import FixstreamLoad
import FixstreamWire
import Testing

struct RecordedScheduleTests {
    private func fix(_ id: String, _ second: Int64) -> Fix {
        Fix(
            vehicle: VehicleID(id)!,
            time: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000 + second * 1000),
            latitude: 43.7,
            longitude: 7.4,
            source: .json
        )
    }

    @Test func keepsOrderAndTimesAndPacesByTheNewestTimeSoFar() {
        // b's fixes at 1 s and 2 s were held back by its network and arrive after a's fix at 5 s.
        let fixes = [fix("a", 0), fix("b", 0), fix("a", 5), fix("b", 1), fix("b", 2), fix("a", 6)]
        var schedule = RecordedSchedule(fixes: fixes, speed: 10)
        var events: [ReplaySchedule.Event] = []
        while let event = schedule.next() { events.append(event) }
        #expect(events.map(\.fix) == fixes)
        #expect(events.map(\.vehicle) == [0, 1, 0, 1, 1, 0])
        #expect(events.map(\.due) == [0, 0, 500_000_000, 500_000_000, 500_000_000, 600_000_000])
    }

    @Test func anEventPushedBackComesOutAgain() {
        var schedule = RecordedSchedule(fixes: [fix("a", 0), fix("a", 1)], speed: nil)
        let first = schedule.next()!
        schedule.pushBack(first)
        #expect(schedule.next()?.fix == first.fix)
        #expect(schedule.next()?.due == 1_000_000_000)
        #expect(schedule.next() == nil)
    }
}
