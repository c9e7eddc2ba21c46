import FixstreamDetect
import FixstreamPipeline
import FixstreamWire
import Testing

struct IdleStageTests {
    /// Drive east for `before` s at 10 m/s, park `park` s (noise sigma, a multipath jump now and then), drive on.
    private func parkedTrack(seed: UInt64, sigma: Double, interval: Double, park: Double, before: Double = 300) -> Track
    {
        var random = SeededRandom(seed: seed)
        var track = Track()
        var second = 0.0
        let parkEast = before * 10
        while second < before {
            track.add(second, east: second * 10 + random.gaussian(sigma), north: random.gaussian(sigma))
            second += interval
        }
        while second < before + park {
            var east = parkEast + random.gaussian(sigma)
            var north = random.gaussian(sigma)
            if random.uniform() < 0.03 {  // multipath: one fix 50 to 200 m off
                let jump = 50 + random.uniform() * 150
                east += jump
                north += jump / 2
            }
            track.add(second, east: east, north: north)
            second += interval
        }
        while second < before + park + 300 {
            track.add(
                second,
                east: parkEast + (second - before - park) * 10 + random.gaussian(sigma),
                north: random.gaussian(sigma)
            )
            second += interval
        }
        return track
    }

    @Test(arguments: [5.0, 10.0, 15.0])
    func aNoisyHaltGivesExactlyOneStartAndOneEnd(sigma: Double) {
        for seed in UInt64(1) ... 20 {
            let track = parkedTrack(seed: seed, sigma: sigma, interval: 1, park: 600)
            let harness = Harness([IdleStage(config: DetectorConfig())])
            harness.run(track.fixes)
            let starts = harness.alerts(.idleStart)
            let ends = harness.alerts(.idleEnd)
            #expect(starts.count == 1, "seed \(seed) sigma \(sigma): \(harness.alerts.map(\.type))")
            #expect(ends.count == 1, "seed \(seed) sigma \(sigma)")
            // The halt began when the vehicle reached the spot (within the noise: a few seconds).
            // The halt began when the vehicle came within the radius of where it stopped (3 s out at 10 m/s), and
            // ended when it pulled away, both within what the noise allows.
            let tolerance = 3 + sigma / 3
            if let start = starts.first {
                #expect(abs(Harness.second(start) - 300) <= tolerance, "seed \(seed): \(Harness.second(start))")
            }
            if let end = ends.first {
                #expect(abs(Harness.second(end) - 900) <= tolerance, "seed \(seed): \(Harness.second(end))")
            }
        }
    }

    @Test func sparseSamplingStillFindsTheHalt() {
        for seed in UInt64(1) ... 10 {
            let track = parkedTrack(seed: seed, sigma: 8, interval: 30, park: 600)
            let harness = Harness([IdleStage(config: DetectorConfig())])
            harness.run(track.fixes)
            #expect(harness.alerts(.idleStart).count == 1, "seed \(seed)")
            #expect(harness.alerts(.idleEnd).count == 1, "seed \(seed)")
        }
    }

    @Test func shortStopsAndSlowTrafficAreNotHalts() {
        let short = parkedTrack(seed: 7, sigma: 8, interval: 1, park: 100)
        var slow = Track()
        for second in 0 ... 600 { slow.add(Double(second), east: Double(second) * 1, north: 0) }  // 3.6 km/h
        for track in [short, slow] {
            let harness = Harness([IdleStage(config: DetectorConfig())])
            harness.run(track.fixes)
            #expect(harness.alerts.isEmpty)
        }
    }

    @Test func aVehicleThatStopsReportingWhileParkedIsIdleByTimer() {
        var track = Track()
        for second in 0 ... 60 { track.add(Double(second), east: Double(second) * 10, north: 0) }
        for second in 61 ... 80 { track.add(Double(second), east: 600, north: 0) }  // seen standing 20 s
        let harness = Harness([IdleStage(config: DetectorConfig())])
        harness.run(track.fixes)
        #expect(harness.alerts.isEmpty)
        harness.advance(toSecond: 300)
        let starts = harness.alerts(.idleStart)
        #expect(starts.count == 1)
        let start = starts.first.map(Harness.second) ?? 0
        #expect(abs(start - 60) <= 3)  // the last 30 m of the approach count as the halt
        #expect(
            starts.first?["detected_at"]
                == .time(Timestamp(millisecondsSinceEpoch: epoch + Int64(start * 1000) + 120_000))
        )
    }

    @Test func aVehicleThatGoesQuietWhileDrivingIsNotIdle() {
        var track = Track()
        for second in 0 ... 60 { track.add(Double(second), east: Double(second) * 10, north: 0) }
        let harness = Harness([IdleStage(config: DetectorConfig())])
        harness.run(track.fixes)
        harness.advance(toSecond: 1000)
        #expect(harness.alerts.isEmpty)
    }

    @Test func noIdleAtAPlannedStop() {
        let track = parkedTrack(seed: 3, sigma: 8, interval: 1, park: 600)
        let stage = IdleStage(config: DetectorConfig()) { _, latitude, longitude in
            abs(latitude - Track.latitude(north: 0)) < 0.001 && abs(longitude - Track.longitude(east: 3000)) < 0.001
        }
        let harness = Harness([stage])
        harness.run(track.fixes)
        #expect(harness.alerts.isEmpty)
    }
}
