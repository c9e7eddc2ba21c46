import FixstreamPipeline
import FixstreamWire
import Testing

/// A stage that counts each vehicle's fixes and keeps the count in checkpoints; it can be told to refuse them.
final class CountingStage: PipelineStage {
    var counts: [Int?] = []
    let name: String
    let refusesRestore: Bool

    init(_ name: String = "count", refusesRestore: Bool = false) {
        self.name = name
        self.refusesRestore = refusesRestore
    }

    var checkpointName: String { name }

    func process(_ fix: Fix, context: inout StageContext) {
        grow(to: context.slot)
        counts[context.slot] = (counts[context.slot] ?? 0) + 1
    }

    func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        guard slot < counts.count, let count = counts[slot] else { return }
        writer.writeVersion(1)
        writer.write(count)
    }

    func restore(slot: Int, from reader: inout CheckpointReader, context: inout StageContext) throws(CheckpointError) {
        _ = try reader.readVersion(1 ... 1)
        let count = try reader.readInt()
        try reader.expectEnd()
        if refusesRestore { throw reader.failure(.malformed, "refused") }
        grow(to: slot)
        counts[slot] = count
    }

    func count(_ vehicle: String, in engine: ShardEngine) -> Int? {
        guard let slot = engine.slot(of: VehicleID(vehicle)!), slot < counts.count else { return nil }
        return counts[slot]
    }

    private func grow(to slot: Int) {
        if counts.count <= slot { counts.append(contentsOf: repeatElement(nil, count: slot + 1 - counts.count)) }
    }
}

struct ShardEngineCheckpointTests {
    private func offer(_ engine: ShardEngine, _ fixes: [Fix]) {
        var output = PipelineOutput()
        for fix in fixes { engine.offer(fix, now: fix.time, into: &output) }
    }

    private func restored(_ rows: [(VehicleID, [UInt8])], into engine: ShardEngine) throws {
        for (vehicle, blob) in rows { try engine.restore(vehicle, blob, now: ms(100)) }
    }

    @Test func aRestoredVehicleGoesOnWhereItStopped() throws {
        let before = CountingStage()
        let engine = ShardEngine(stages: [before])
        let fixes = (0 ..< 5).flatMap { second in
            [fix("van-1", at: Double(second), north: Double(second)), fix("van-2", at: Double(second))]
        }
        offer(engine, fixes)
        let after = CountingStage()
        let restarted = ShardEngine(stages: [after])
        try restored(engine.checkpoint(dirtyOnly: false), into: restarted)
        #expect(restarted.vehicleCount == 2)
        #expect(after.count("van-1", in: restarted) == 5)
        #expect(restarted.view(of: VehicleID("van-1")!)?.lastFix == fixes[8])
        // A device resending its backlog after the restart: duplicates, not processed twice.
        offer(restarted, fixes)
        #expect(restarted.stats[.duplicate] == 10)
        #expect(after.count("van-2", in: restarted) == 5)
        offer(restarted, [fix("van-2", at: 5)])
        #expect(after.count("van-2", in: restarted) == 6)
    }

    @Test func onlyVehiclesThatChangedAreCheckpointedAgain() {
        let engine = ShardEngine(stages: [CountingStage()])
        offer(engine, (0 ..< 10).map { fix("van-\($0)", at: 0) })
        #expect(engine.checkpoint(dirtyOnly: true).count == 10)
        #expect(engine.checkpoint(dirtyOnly: true).isEmpty)
        offer(engine, [fix("van-3", at: 1)])
        #expect(engine.checkpoint(dirtyOnly: true).map(\.0.description) == ["van-3"])
        #expect(engine.checkpoint(dirtyOnly: false).count == 10)

        // A round in steps of at most three vehicles.
        offer(engine, (0 ..< 10).map { fix("van-\($0)", at: 2) })
        var cursor = 0
        var steps: [[String]] = []
        while cursor < engine.vehicleCount {
            steps.append(engine.checkpoint(dirtyOnly: true, from: &cursor, limit: 3).map(\.0.description))
        }
        #expect(steps.map(\.count) == [3, 3, 3, 1])
        #expect(steps.joined().sorted() == (0 ..< 10).map { "van-\($0)" }.sorted())
    }

    @Test func sectionsFollowTheirStageByName() throws {
        let a = CountingStage("a")
        let b = CountingStage("b")
        let engine = ShardEngine(stages: [a, b])
        offer(engine, [fix(at: 0), fix(at: 1)])
        // Stage a is gone, c is new, b moved: b resumes, c starts afresh, a's section is skipped.
        let b2 = CountingStage("b")
        let c = CountingStage("c")
        let restarted = ShardEngine(stages: [c, b2])
        try restored(engine.checkpoint(dirtyOnly: false), into: restarted)
        #expect(b2.count("van-1", in: restarted) == 2)
        #expect(c.count("van-1", in: restarted) == nil)
        offer(restarted, [fix(at: 2)])
        #expect(b2.count("van-1", in: restarted) == 3)
        #expect(c.count("van-1", in: restarted) == 1)
    }

    @Test func aStageRefusingItsSectionLeavesTheOthersRestored() throws {
        let engine = ShardEngine(stages: [CountingStage("a"), CountingStage("b")])
        offer(engine, [fix(at: 0)])
        let refusing = CountingStage("a", refusesRestore: true)
        let b = CountingStage("b")
        let restarted = ShardEngine(stages: [refusing, b])
        let (vehicle, blob) = engine.checkpoint(dirtyOnly: false)[0]
        #expect {
            try restarted.restore(vehicle, blob, now: ms(100))
        } throws: { error in
            (error as? CheckpointError)?.stage == "a"
        }
        #expect(restarted.vehicleCount == 1)
        #expect(refusing.count("van-1", in: restarted) == nil)
        #expect(b.count("van-1", in: restarted) == 1)
    }

    @Test func aBadEnginePartCreatesNothing() throws {
        let engine = ShardEngine(stages: [CountingStage()])
        offer(engine, [fix(at: 0)])
        let (vehicle, blob) = engine.checkpoint(dirtyOnly: false)[0]
        let restarted = ShardEngine(stages: [CountingStage()])
        #expect(throws: CheckpointError.self) { try restarted.restore(vehicle, Array(blob.prefix(5)), now: ms(100)) }
        #expect(throws: CheckpointError.self) { try restarted.restore(vehicle, [9] + blob.dropFirst(), now: ms(100)) }
        #expect(restarted.vehicleCount == 0)
        try restarted.restore(vehicle, blob, now: ms(100))
        // Known now: a second restore of the same vehicle is refused.
        #expect(throws: CheckpointError.self) { try restarted.restore(vehicle, blob, now: ms(100)) }
        #expect(restarted.vehicleCount == 1)
    }

    @Test func theJumpFilterGoesOnCountingAcrossARestart() throws {
        let engine = ShardEngine(stages: [])
        offer(engine, [fix(at: 0), fix(at: 1, north: 10_000)])
        #expect(engine.stats[.implausibleJump] == 1)
        let restarted = ShardEngine(stages: [])
        try restored(engine.checkpoint(dirtyOnly: false), into: restarted)
        offer(restarted, [fix(at: 2, north: 10_010), fix(at: 3, north: 10_020)])
        // The third agreeing reject re-anchors, as it would have without the restart.
        #expect(restarted.stats[.implausibleJump] == 1)
        #expect(restarted.stats.reanchored == 1)
    }
}

/// A stage that keeps a marker in checkpoints and records the clock its restores were given.
final class RestoreClockStage: PipelineStage {
    var restoredAt: [Timestamp] = []

    var checkpointName: String { "clock" }

    func process(_ fix: Fix, context: inout StageContext) {}

    func checkpoint(slot: Int, into writer: inout CheckpointWriter) {
        writer.writeVersion(1)
    }

    func restore(slot: Int, from reader: inout CheckpointReader, context: inout StageContext) throws(CheckpointError) {
        _ = try reader.readVersion(1 ... 1)
        restoredAt.append(context.now)
    }
}

struct ShardEngineRestartClockTests {
    /// The clock a restarted engine on `clock` gives the stages of a vehicle last heard at 50 s, restarted at 100 s.
    private func restoreClock(_ clock: ShardEngine.Clock) throws -> [Timestamp] {
        let engine = ShardEngine(clock: clock, stages: [RestoreClockStage()])
        var output = PipelineOutput()
        engine.offer(fix("van-1", at: 50), now: ms(100), into: &output)
        let stage = RestoreClockStage()
        let restarted = ShardEngine(clock: clock, stages: [stage])
        for (vehicle, blob) in engine.checkpoint(dirtyOnly: false) {
            try restarted.restore(vehicle, blob, now: ms(100))
        }
        return stage.restoredAt
    }

    @Test func onWallTimeTimersCountFromTheRestart() throws {
        #expect(try restoreClock(.external) == [ms(100)])
    }

    @Test func onEventTimeTimersCountFromTheVehiclesLastFix() throws {
        #expect(try restoreClock(.eventTime) == [ms(50)])
    }
}
