import FixstreamDetect
import FixstreamPipeline
import FixstreamWire
import Testing

struct GPSLossStageTests {
    @Test func silenceRaisesLostOnceAndTheNextFixRestores() {
        var track = Track()
        for second in 0 ... 100 { track.add(Double(second), east: Double(second) * 10, north: 0) }
        let harness = Harness([GPSLossStage(lostAfter: 120_000)])
        harness.run(track.fixes)
        harness.advance(toSecond: 219.9)
        #expect(harness.alerts.isEmpty)
        harness.advance(toSecond: 400)
        let lost = harness.alerts(.gpsLost)
        #expect(lost.count == 1)
        #expect(lost.map(Harness.second) == [220])
        #expect(lost.first?["last_fix"] == .time(Timestamp(millisecondsSinceEpoch: epoch + 100_000)))
        var after = Track()
        after.add(400, east: 1010, north: 0)
        harness.run(after.fixes)
        let restored = harness.alerts(.gpsRestored)
        #expect(restored.count == 1)
        #expect(restored.first?["gap"] == .number(300))
        #expect(restored.map(Harness.second) == [400])
    }

    @Test func sparseButSteadyReportingIsNeverLost() {
        var track = Track()
        for step in 0 ... 60 { track.add(Double(step) * 30, east: Double(step) * 300, north: 0) }
        let harness = Harness([GPSLossStage(lostAfter: 120_000)])
        harness.run(track.fixes)
        harness.advance(toSecond: 1800)
        #expect(harness.alerts.isEmpty)
    }

    @Test func duplicatesAndLateFixesNeitherRestoreNorDelayTheLoss() {
        var track = Track()
        for second in 0 ... 10 { track.add(Double(second), east: Double(second) * 10, north: 0) }
        let harness = Harness([GPSLossStage(lostAfter: 60_000)])
        harness.run(track.fixes)
        harness.advance(toSecond: 80)
        #expect(harness.alerts(.gpsLost).count == 1)
        // A duplicate and a late fix (older than processed history) arrive during the loss.
        harness.engine.offer(
            track.fixes[10],
            now: Timestamp(millisecondsSinceEpoch: epoch + 85_000),
            into: &harness.output
        )
        var late = Track()
        late.add(-5, east: -50, north: 0)  // before the first fix: never seen, older than what was processed
        harness.engine.offer(
            late.fixes[0],
            now: Timestamp(millisecondsSinceEpoch: epoch + 86_000),
            into: &harness.output
        )
        #expect(harness.alerts(.gpsRestored).isEmpty)
        #expect(harness.engine.stats[.duplicate] == 1)
        #expect(harness.engine.stats[.late] == 1)
    }

    @Test func inEventTimeAGapInsideATraceIsALoss() {
        var track = Track()
        for second in 0 ... 50 { track.add(Double(second), east: Double(second) * 10, north: 0) }
        for second in 400 ... 450 { track.add(Double(second), east: 500 + Double(second - 400) * 10, north: 0) }
        let stage = GPSLossStage(lostAfter: 120_000)
        let engine = ShardEngine(clock: .eventTime, stages: [stage])
        var output = PipelineOutput()
        for fix in track.fixes { engine.offer(fix, now: fix.time, into: &output) }
        #expect(output.alerts.map(\.type) == [.gpsLost, .gpsRestored])
        #expect(output.alerts.map(Harness.second) == [170, 400])
    }
}
