import FixstreamPipeline
import FixstreamWire
import Testing

struct ResendTests {
    /// A tracker reconnects and resends its last 20 unacknowledged fixes (what most TCP trackers do). Every one is
    /// a time already seen: README says `duplicate`. Only the last 8 are recognised; the other 12 count as `late`,
    /// and the resend is taken for disorder, so the vehicle's next fixes are held back for up to 5 s.
    @Test func resentBacklogIsDuplicateNotLateAndDoesNotAddLatency() {
        let stage = RecordingStage()
        var feed = Feed(stages: [stage])
        for second in 0 ..< 40 { feed.send(fix(at: Double(second), north: Double(second) * 10)) }
        for second in 20 ..< 40 { feed.send(fix(at: Double(second), north: Double(second) * 10), arrival: 40.5) }
        #expect(feed.engine.stats[.duplicate] == 20)
        #expect(feed.engine.stats[.late] == 0)
        // The next fix is in order; it should be processed at once.
        feed.send(fix(at: 41, north: 410), arrival: 41)
        #expect(feed.times.last == 41)
    }
}
