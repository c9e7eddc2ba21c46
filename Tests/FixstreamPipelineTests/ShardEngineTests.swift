import FixstreamPipeline
import FixstreamWire
import Testing

struct ShardEngineTests {
    @Test func orderlyFixesGoStraightThrough() {
        var feed = Feed()
        for t in 0 ..< 10 { feed.send(fix(at: Double(t), north: Double(t) * 10)) }
        #expect(feed.times == (0 ..< 10).map(Double.init))
        #expect(feed.engine.stats.processed == 10)
        #expect(feed.engine.stats.rejected == 0)
        #expect(feed.engine.vehicleCount == 1)
    }

    @Test func filtersCountEachReason() {
        var feed = Feed()
        feed.send(fix(at: 0))
        var bad = fix(at: 1)
        bad.latitude = 91
        feed.send(bad)
        var nan = fix(at: 2)
        nan.longitude = .nan
        feed.send(nan)
        var zero = fix(at: 3)
        zero.latitude = 0
        zero.longitude = 0
        feed.send(zero)
        feed.send(fix(at: 4, accuracy: 250))
        feed.send(fix(at: 4 + 3600), arrival: 5)  // an hour in the future
        feed.send(fix(at: 0))  // duplicate of the first
        let stats = feed.engine.stats
        #expect(stats[.invalid] == 2)
        #expect(stats[.zeroCoordinates] == 1)
        #expect(stats[.poorAccuracy] == 1)
        #expect(stats[.futureTime] == 1)
        #expect(stats[.duplicate] == 1)
        #expect(feed.times == [0])
    }

    @Test func singleOutlierIsRejectedAndTheTrackContinues() {
        var feed = Feed()
        feed.send(fix(at: 0, north: 0))
        feed.send(fix(at: 1, north: 10))
        feed.send(fix(at: 2, north: 5_000))  // 5 km in a second: multipath
        feed.send(fix(at: 3, north: 30))
        #expect(feed.times == [0, 1, 3])
        #expect(feed.engine.stats[.implausibleJump] == 1)
    }

    @Test func consistentJumpsReanchorTheVehicle() {
        // The first fix was the bad one: everything after agrees with itself.
        var feed = Feed()
        feed.send(fix(at: 0, north: 50_000))
        for t in 1 ... 5 { feed.send(fix(at: Double(t), north: Double(t) * 10)) }
        #expect(feed.engine.stats[.implausibleJump] == 2)
        #expect(feed.engine.stats.reanchored == 1)
        #expect(feed.times == [0, 3, 4, 5])
    }

    @Test func longGapsAllowLongDistances() {
        var feed = Feed()
        feed.send(fix(at: 0))
        feed.send(fix(at: 600, north: 20_000))  // 20 km in 10 minutes: 33 m/s
        #expect(feed.times == [0, 600])
    }

    @Test func noiseBelowTheSlackIsNeverAJump() {
        var feed = Feed()
        feed.send(fix(at: 0))
        feed.send(fix(at: 0.1, north: 60))  // 600 m/s, but 60 m is within GPS noise
        #expect(feed.times == [0, 0.1])
    }

    @Test func firstDisorderIsLateThenTheVehicleIsHeldAndReordered() {
        let stage = RecordingStage()
        var feed = Feed(stages: [stage])
        feed.send(fix(at: 0), arrival: 0)
        feed.send(fix(at: 2), arrival: 2)
        feed.send(fix(at: 1), arrival: 2.1)  // one second late: already behind processed history
        #expect(feed.engine.stats[.late] == 1)
        #expect(stage.late == [1])
        // Now the vehicle is held by the observed lateness (1 s): 4 arrives before 3 and both come out in order.
        feed.send(fix(at: 4), arrival: 4.0)
        feed.send(fix(at: 3), arrival: 4.2)
        #expect(feed.times == [0, 2])
        feed.advance(to: 5.1)
        #expect(feed.times == [0, 2, 3, 4])
        #expect(feed.engine.stats.reordered == 1)
        #expect(stage.processed.map(\.time) == [0, 2, 3, 4])
    }

    @Test func holdingStopsAfterAQuietPeriod() {
        var config = PipelineConfig()
        config.holdDecay = 10_000
        var feed = Feed(config: config)
        feed.send(fix(at: 0), arrival: 0)
        feed.send(fix(at: 2), arrival: 2)
        feed.send(fix(at: 1), arrival: 2)  // late: starts holding
        feed.send(fix(at: 3), arrival: 3)
        #expect(feed.times == [0, 2])  // held
        feed.advance(to: 20)
        #expect(feed.times == [0, 2, 3])
        feed.send(fix(at: 21), arrival: 21)  // 18 s without disorder: straight through again
        #expect(feed.times == [0, 2, 3, 21])
    }

    @Test func fixesBeyondTheWindowAreReleasedByEventTime() {
        var feed = Feed()
        feed.send(fix(at: 0), arrival: 0)
        feed.send(fix(at: 5), arrival: 5)
        feed.send(fix(at: 1), arrival: 5)  // 4 s late: hold 4 s
        feed.send(fix(at: 6), arrival: 6)
        // A fix more than the window newer pushes older held fixes out without waiting for the clock.
        feed.send(fix(at: 12, north: 10), arrival: 6.5)
        #expect(feed.times == [0, 5, 6])
        feed.advance(to: 11)
        #expect(feed.times == [0, 5, 6, 12])
    }

    @Test func finishReleasesEverythingHeld() {
        var feed = Feed()
        feed.send(fix(at: 0), arrival: 0)
        feed.send(fix(at: 2), arrival: 2)
        feed.send(fix(at: 1), arrival: 2)
        feed.send(fix(at: 3), arrival: 3)
        feed.engine.finish(into: &feed.output)
        #expect(feed.times == [0, 2, 3])
    }

    @Test func vehiclesAreIndependent() {
        var feed = Feed()
        feed.send(fix("a", at: 10))
        feed.send(fix("b", at: 0))  // older than a's fix, but b's own first
        feed.send(fix("a", at: 11))
        feed.send(fix("b", at: 1))
        #expect(feed.engine.stats.rejected == 0)
        #expect(feed.engine.vehicleCount == 2)
        #expect(feed.output.fixes.map(\.vehicle.description) == ["a", "b", "a", "b"])
    }

    @Test func timersFireOnceAtTheirDeadlineAndMoveWithEachFix() {
        let stage = RecordingStage(silence: 30)
        var feed = Feed(stages: [stage])
        for t in stride(from: 0.0, through: 100, by: 1) { feed.send(fix(at: t, north: t)) }
        #expect(stage.fired.isEmpty)
        feed.advance(to: 129.9)
        #expect(stage.fired.isEmpty)
        feed.advance(to: 200)
        #expect(stage.fired.map(\.time) == [130])
        #expect(feed.output.alerts.count == 1)
        #expect(feed.output.alerts.first?.type == .gpsLost)
        #expect(feed.output.alerts.first?.time == ms(130))
        #expect(feed.engine.stats[.gpsLost] == 1)
        feed.advance(to: 500)
        #expect(stage.fired.count == 1)
    }

    @Test func timersOfManyVehiclesFireInDeadlineOrder() {
        let stage = RecordingStage(silence: 10)
        var feed = Feed(stages: [stage])
        feed.send(fix("c", at: 3))
        feed.send(fix("a", at: 1))
        feed.send(fix("b", at: 2))
        feed.advance(to: 60)
        #expect(stage.fired.map(\.vehicle) == ["a", "b", "c"])
        #expect(stage.fired.map(\.time) == [11, 12, 13])
    }

    @Test func eventTimeClockFiresTimersFromLaterFixes() {
        let stage = RecordingStage(silence: 30)
        var config = PipelineConfig()
        config.emitFixes = true
        let engine = ShardEngine(config: config, clock: .eventTime, stages: [stage])
        var output = PipelineOutput()
        engine.offer(fix("a", at: 0), now: ms(0), into: &output)
        engine.offer(fix("b", at: 10), now: ms(0), into: &output)
        engine.offer(fix("b", at: 40), now: ms(0), into: &output)  // event time 40: a's silence timer (30) fired
        #expect(stage.fired.map(\.vehicle) == ["a"])
        #expect(output.alerts.map(\.time) == [ms(30)])
        // Future is judged against the wall-clock reference, not the event clock.
        engine.offer(fix("b", at: 1000), now: ms(0), into: &output)
        #expect(engine.stats[.futureTime] == 1)
    }

    @Test func oneVehiclesFixFarAheadDoesNotMoveTheEventClock() {
        // a and b report every second; b's fix at 20 s says an hour later (a bad device clock): it is processed
        // for b, but the shard's clock stays with the fleet, so a's 30 s silence timer does not fire.
        let stage = RecordingStage(silence: 30)
        let engine = ShardEngine(clock: .eventTime, stages: [stage])
        var output = PipelineOutput()
        let wall = ms(86_400)
        for second in 0 ..< 40 {
            engine.offer(fix("a", at: Double(second)), now: wall, into: &output)
            engine.offer(fix("b", at: second == 20 ? 3_620 : Double(second)), now: wall, into: &output)
        }
        #expect(stage.fired.isEmpty)
        #expect(stage.processed.contains { $0.vehicle == "b" && $0.time == 3_620 })
        #expect(seconds(engine.now) == 39)
    }

    @Test func aFleetWideSilenceStillMovesTheEventClock() {
        // a and b fall silent together for 10 minutes: the first fix after the gap waits for the second, then the
        // clock moves, the silence timers fire at their deadlines, and both fixes are processed in order.
        let stage = RecordingStage(silence: 30)
        let engine = ShardEngine(clock: .eventTime, stages: [stage])
        var output = PipelineOutput()
        let wall = ms(86_400)
        engine.offer(fix("a", at: 0), now: wall, into: &output)
        engine.offer(fix("b", at: 1), now: wall, into: &output)
        engine.offer(fix("a", at: 600), now: wall, into: &output)
        #expect(stage.fired.isEmpty)
        engine.offer(fix("b", at: 601), now: wall, into: &output)
        #expect(stage.fired.map(\.vehicle) == ["a", "b"])
        #expect(stage.fired.map(\.time) == [30, 31])
        #expect(stage.processed.map(\.time) == [0, 1, 600, 601])
        // A fix still waiting when the input ends is processed by finish.
        engine.offer(fix("a", at: 2_000), now: wall, into: &output)
        engine.finish(into: &output)
        #expect(stage.processed.last?.time == 2_000)
    }

    @Test func summaryNamesEveryCountedReason() {
        var feed = Feed()
        feed.send(fix(at: 0))
        feed.send(fix(at: 0))
        #expect(feed.engine.stats.summary == "1 processed; 1 vehicles; filtered 1 (duplicate=1); alerts 0")
    }
}
