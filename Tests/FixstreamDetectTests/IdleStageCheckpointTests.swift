import FixstreamDetect
import FixstreamPipeline
import FixstreamWire
import Testing

struct IdleStageCheckpointTests {
    private func stages() -> [any PipelineStage] { [IdleStage(config: DetectorConfig())] }

    /// Driving east at 10 m/s until 300 s, then parked at 3,000 m: the fixes of `seconds`.
    private func parked(_ seconds: ClosedRange<Int>) -> [Fix] {
        var track = Track()
        for second in seconds { track.add(Double(second), east: Double(min(second, 300)) * 10, north: 0) }
        return track.fixes
    }

    /// Pulling away from 3,000 m at 10 m/s from `start` s.
    private func leaving(from start: Int, to end: Int) -> [Fix] {
        var track = Track()
        for second in start ... end { track.add(Double(second), east: 3000 + Double(second - start) * 10, north: 0) }
        return track.fixes
    }

    private func describe(_ alerts: [Alert]) -> [String] {
        alerts.map { alert in
            var text = "\(alert.type.name) \(Harness.second(alert))"
            for name in ["detected_at", "started", "duration"] {
                if let value = alert[name] { text += " \(name)=\(value)" }
            }
            return text
        }
    }

    @Test func aHaltInProgressEndsWithItsRealStartAndDuration() throws {
        let before = parked(0 ... 500)
        let after = parked(510 ... 700) + leaving(from: 701, to: 800)
        let first = Harness(stages())
        first.run(before)
        #expect(first.alerts.map(\.type) == [.idleStart])
        let second = try first.restarted(with: stages(), atSecond: 510)
        second.run(after)
        #expect(second.alerts.map(\.type) == [.idleEnd])
        let continuous = Harness(stages())
        continuous.run(before + after)
        #expect(describe(first.alerts + second.alerts) == describe(continuous.alerts))
        #expect(second.alerts.first?["started"] == .time(first.alerts[0].time))
    }

    @Test func aHaltBegunBeforeTheRestartStartsAfterItDatedAtItsRealStart() throws {
        let before = parked(0 ... 360)
        let after = parked(365 ... 500) + leaving(from: 501, to: 600)
        let first = Harness(stages())
        first.run(before)
        #expect(first.alerts.isEmpty)
        let second = try first.restarted(with: stages(), atSecond: 365)
        second.run(after)
        #expect(second.alerts.map(\.type) == [.idleStart, .idleEnd])
        let continuous = Harness(stages())
        continuous.run(before + after)
        #expect(describe(second.alerts) == describe(continuous.alerts))
        #expect(Harness.second(second.alerts[0]) < 300)
    }

    @Test func aQuietHaltBegunBeforeTheRestartStartsByTimerCountedFromTheRestart() throws {
        let before = parked(0 ... 360)
        let reference = Harness(stages())
        reference.run(before)
        reference.advance(toSecond: 1000)
        let start = Harness.second(try #require(reference.alerts.first))
        let first = Harness(stages())
        first.run(before)
        // Down from 360 s to 370 s: the halt still needs start + 120 - 360 s, counted from the restart.
        let second = try first.restarted(with: stages(), atSecond: 370)
        second.advance(toSecond: start + 129.5)
        #expect(second.alerts.isEmpty)
        second.advance(toSecond: start + 130.5)
        #expect(describe(second.alerts) == describe(reference.alerts))
    }
}
