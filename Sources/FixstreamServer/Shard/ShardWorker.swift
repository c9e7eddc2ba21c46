import FixstreamNet
import FixstreamPipeline
import FixstreamWire

/// One shard thread: drains its inbox, runs the engine on the wall clock (or, with the event-time clock, on the
/// newest event time it accepted), passes alerts on, and hands the states of the vehicles that changed to the
/// checkpoint thread.
///
/// Checkpoints are taken in rounds, every `checkpointInterval`: between two batches of fixes the worker looks at
/// the next ``checkpointChunk`` vehicles and serializes those that changed (0.3 ms at most, so fixes never wait
/// long), and posts them, while the checkpoint mailbox has room. On the way out, after the last fixes, it posts
/// every vehicle that changed since its last checkpoint, waiting for room as needed.
///
/// The worker and its engine (with every stage and all their per-vehicle state) are created on the starting
/// thread and moved into the shard thread (`sending`), so the compiler checks that nothing else touches them.
final class ShardWorker {
    let index: Int
    private let inbox: ShardInbox
    private let engine: ShardEngine
    private let alerts: AlertDispatcher
    private let status: Published<ShardStatus>
    private let exchange: StateExchange
    private let checkpoints: CheckpointMailbox
    /// Nanoseconds between rounds of checkpoints; 0: only on the way out.
    private let checkpointInterval: UInt64
    /// The next slot of the round under way, or nil between rounds.
    private var checkpointCursor: Int?
    private var nextCheckpoint: UInt64
    private var local = ShardStatus()
    private var output = PipelineOutput()

    /// Items taken from one ring before looking at the next: keeps producers fair.
    private static let batch = 512
    /// Vehicles looked at (and serialized, if they changed) at most between two batches of fixes.
    static let checkpointChunk = 256

    init(
        index: Int,
        inbox: ShardInbox,
        engine: ShardEngine,
        alerts: AlertDispatcher,
        status: Published<ShardStatus>,
        exchange: StateExchange,
        checkpoints: CheckpointMailbox,
        checkpointInterval: Int64
    ) {
        self.index = index
        self.inbox = inbox
        self.engine = engine
        self.alerts = alerts
        self.status = status
        self.exchange = exchange
        self.checkpoints = checkpoints
        self.checkpointInterval = UInt64(max(0, checkpointInterval)) * 1_000_000
        nextCheckpoint = MonotonicClock.nanoseconds() &+ self.checkpointInterval
    }

    /// The thread body; returns once the inbox is closing and empty.
    func run() {
        var lastPublish = MonotonicClock.nanoseconds()
        while true {
            var taken = 0
            let now = Timestamp(millisecondsSinceEpoch: WallClock.milliseconds())
            for ring in inbox.rings {
                taken += ring.drain(limit: Self.batch) { item in
                    engine.offer(item.fix, now: now, into: &output)
                    let done = MonotonicClock.nanoseconds()
                    local.latency.record(nanoseconds: done &- item.received)
                }
            }
            if case .external = engine.clockMode { engine.advance(to: now, into: &output) }
            if exchange.hasQuestions(shard: index) {
                exchange.answer(shard: index) { StateAnswer($0, engine: engine) }
            }
            if !output.alerts.isEmpty {
                alerts.submit(output.alerts)
                output.removeAll()
            }
            let clock = MonotonicClock.nanoseconds()
            let checkpointing = checkpointStep(clock: clock)
            if inbox.takeLatencyReset() { local.latency = LatencyHistogram() }
            if taken == 0 || clock &- lastPublish > 100_000_000 {
                local.pipeline = engine.stats
                status.publish(local)
                lastPublish = clock
            }
            guard taken == 0 && !checkpointing else { continue }
            if inbox.isClosing && !inbox.hasWork {
                engine.finish(into: &output)
                alerts.submit(output.alerts)
                output.removeAll()
                local.pipeline = engine.stats
                status.publish(local)
                checkpointChanged()
                return
            }
            inbox.doorbell.sleep(timeoutMilliseconds: sleepBudget(now: now)) {
                inbox.hasWork || inbox.isClosing || exchange.hasQuestions(shard: index)
            }
        }
    }

    /// Starts a round of checkpoints when one is due and posts its next chunk if the mailbox has room.
    /// - Returns: whether the round goes on and may post more at once (false while the mailbox is full: the
    ///   shard then sleeps as usual and looks again).
    private func checkpointStep(clock: UInt64) -> Bool {
        if checkpointCursor == nil && checkpointInterval > 0 && clock >= nextCheckpoint {
            checkpointCursor = 0
            nextCheckpoint = clock &+ checkpointInterval
        }
        guard var cursor = checkpointCursor, checkpoints.hasRoom else { return false }
        checkpoints.post(engine.checkpoint(dirtyOnly: true, from: &cursor, limit: Self.checkpointChunk))
        checkpointCursor = cursor < engine.vehicleCount ? cursor : nil
        return checkpointCursor != nil
    }

    /// On the way out: posts every vehicle changed since its last checkpoint, waiting for room.
    private func checkpointChanged() {
        var cursor = 0
        while cursor < engine.vehicleCount {
            checkpoints.waitForRoom()
            checkpoints.post(engine.checkpoint(dirtyOnly: true, from: &cursor, limit: Self.checkpointChunk))
        }
    }

    /// How long the shard may sleep: until its next timer, at most 250 ms. Timers on the event-time clock fall due
    /// only with newer fixes, which ring the doorbell: the shard sleeps the whole 250 ms.
    private func sleepBudget(now: Timestamp) -> Int32 {
        guard case .external = engine.clockMode, let next = engine.nextDeadline else { return 250 }
        let wait = next.millisecondsSinceEpoch - now.millisecondsSinceEpoch
        return Int32(max(1, min(wait, 250)))
    }
}
