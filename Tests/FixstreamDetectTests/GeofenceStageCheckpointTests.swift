import FixstreamDetect
import FixstreamGeo
import FixstreamPipeline
import FixstreamWire
import Testing

struct GeofenceStageCheckpointTests {
    /// A square fence `size` metres wide whose south-west corner is at `east`, `north` metres.
    private func square(_ id: String, east: Double, size: Double = 200, dwell: Int64? = nil) throws -> Fence {
        let ring = [(0.0, 0.0), (size, 0), (size, size), (0, size), (0, 0)].map { dx, dy in
            Coordinate(latitude: Track.latitude(north: dy), longitude: Track.longitude(east: east + dx))
        }
        return try Fence(id: id, name: nil, dwell: dwell, shape: .polygon([ring]))
    }

    private func stages(_ fences: [Fence]) -> [any PipelineStage] {
        [GeofenceStage(index: FenceIndex(fences))]
    }

    /// East along y = 100 at 10 m/s, a fix a second, from `from` s at `east` metres to `to` s.
    private func drive(from: Int, to: Int, east: Double) -> [Fix] {
        var track = Track()
        for second in from ... to {
            track.add(Double(second), east: east + Double(second - from) * 10, north: 100, speed: 10)
        }
        return track.fixes
    }

    private func describe(_ alerts: [Alert]) -> [String] {
        alerts.map { alert in
            var text = "\(alert.type.name) \(Harness.second(alert))"
            if case .number(let duration) = alert["duration"] { text += " \(duration)" }
            return text
        }
    }

    @Test func insideAtTheRestartMeansNoSecondEnterAndTheExitKeepsItsDuration() throws {
        let fence = try square("A", east: 400)
        let before = drive(from: 0, to: 50, east: 0)
        let after = drive(from: 60, to: 110, east: 500)
        let first = Harness(stages([fence]))
        first.run(before)
        #expect(first.alerts.map(\.type) == [.geofenceEnter])
        let second = try first.restarted(with: stages([fence]), atSecond: 60)
        second.run(after)
        #expect(second.alerts.map(\.type) == [.geofenceExit])
        // Exactly what one run without the restart raises.
        let continuous = Harness(stages([fence]))
        continuous.run(before + after)
        #expect(describe(first.alerts + second.alerts) == describe(continuous.alerts))
    }

    @Test func aDwellDueWhileDownComesByTimerCountedFromTheRestart() throws {
        let fence = try square("F", east: 0, dwell: 300_000)
        var track = Track()
        for second in 0 ... 20 { track.add(Double(second), east: -100 + Double(second) * 10, north: 100) }
        for second in 21 ... 40 { track.add(Double(second), east: 110, north: 100) }
        let first = Harness(stages([fence]))
        first.run(track.fixes)
        let entered = Harness.second(first.alerts[0])
        // Down from 40 s to 100 s: the 300 s dwell still has 300 - (40 - entered) s to go, from the restart.
        let second = try first.restarted(with: stages([fence]), atSecond: 100)
        let due = 100 + entered + 300 - 40
        second.advance(toSecond: due - 0.5)
        #expect(second.alerts.isEmpty)
        second.advance(toSecond: due + 0.5)
        #expect(second.alerts.map(\.type) == [.geofenceDwell])
        #expect(second.alerts.map(Harness.second) == [entered + 300])
    }

    @Test func aFenceDeletedWhileDownIsDroppedSilently() throws {
        let kept = try square("B", east: 1000)
        let first = Harness(stages([try square("A", east: 400), kept]))
        first.run(drive(from: 0, to: 50, east: 0))
        #expect(first.alerts.map(\.type) == [.geofenceEnter])
        let second = try first.restarted(with: stages([kept]), atSecond: 60)
        second.run(drive(from: 60, to: 140, east: 500))
        #expect(second.alerts.map(\.type) == [.geofenceEnter, .geofenceExit])
        #expect(second.alerts.allSatisfy { $0["fence"] == .string("B") })
    }

    @Test func aDwellChangedWhileDownFollowsTheNewDwell() throws {
        let first = Harness(stages([try square("F", east: 0, dwell: 300_000)]))
        var track = Track()
        for second in 0 ... 20 { track.add(Double(second), east: -100 + Double(second) * 10, north: 100) }
        for second in 21 ... 40 { track.add(Double(second), east: 110, north: 100) }
        first.run(track.fixes)
        let entered = Harness.second(first.alerts[0])
        let second = try first.restarted(with: stages([try square("F", east: 0, dwell: 60_000)]), atSecond: 40)
        var stay = Track()
        for second in 41 ... 100 { stay.add(Double(second), east: 110, north: 100) }
        second.run(stay.fixes)
        #expect(second.alerts.map(\.type) == [.geofenceDwell])
        #expect(second.alerts.map(Harness.second) == [entered + 60])
    }
}
