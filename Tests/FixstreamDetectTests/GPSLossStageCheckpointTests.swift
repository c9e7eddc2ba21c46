import FixstreamDetect
import FixstreamPipeline
import FixstreamWire
import Testing

struct GPSLossStageCheckpointTests {
    private func moving(_ seconds: ClosedRange<Int>) -> [Fix] {
        var track = Track()
        for second in seconds { track.add(Double(second), east: Double(second) * 10, north: 0) }
        return track.fixes
    }

    @Test func aLostVehicleRestoredIsRestoredByItsNextFix() throws {
        let first = Harness([GPSLossStage(lostAfter: 120_000)])
        first.run(moving(0 ... 100))
        first.advance(toSecond: 300)
        #expect(first.alerts(.gpsLost).count == 1)
        let second = try first.restarted(with: [GPSLossStage(lostAfter: 120_000)], atSecond: 400)
        second.advance(toSecond: 1000)
        #expect(second.alerts.isEmpty)
        second.run(moving(1000 ... 1001))
        #expect(second.alerts.map(\.type) == [.gpsRestored])
        // The gap is the whole silence, from before the restart.
        #expect(second.alerts.first?["gap"] == .number(900))
        #expect(second.alerts.first?["lost_at"] == .time(Timestamp(millisecondsSinceEpoch: epoch + 220_000)))
    }

    @Test func silenceIsCountedFromTheRestart() throws {
        let first = Harness([GPSLossStage(lostAfter: 120_000)])
        first.run(moving(0 ... 100))
        let second = try first.restarted(with: [GPSLossStage(lostAfter: 120_000)], atSecond: 500)
        second.advance(toSecond: 619)
        #expect(second.alerts.isEmpty)
        second.advance(toSecond: 621)
        #expect(second.alerts.map(\.type) == [.gpsLost])
        #expect(second.alerts.map(Harness.second) == [620])
        #expect(second.alerts.first?["last_fix"] == .time(Timestamp(millisecondsSinceEpoch: epoch + 100_000)))
    }
}
