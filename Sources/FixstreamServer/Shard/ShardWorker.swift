import FixstreamNet
import FixstreamPipeline
import FixstreamWire

/// One shard thread: drains its inbox, runs the engine on the wall clock, passes alerts on.
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
    private var local = ShardStatus()
    private var output = PipelineOutput()

    /// Items taken from one ring before looking at the next: keeps producers fair.
    private static let batch = 512

    init(
        index: Int,
        inbox: ShardInbox,
        engine: ShardEngine,
        alerts: AlertDispatcher,
        status: Published<ShardStatus>,
        exchange: StateExchange
    ) {
        self.index = index
        self.inbox = inbox
        self.engine = engine
        self.alerts = alerts
        self.status = status
        self.exchange = exchange
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
            engine.advance(to: now, into: &output)
            if exchange.hasQuestions(shard: index) {
                exchange.answer(shard: index) { StateAnswer($0, engine: engine) }
            }
            if !output.alerts.isEmpty {
                alerts.submit(output.alerts)
                output.removeAll()
            }
            let clock = MonotonicClock.nanoseconds()
            if inbox.takeLatencyReset() { local.latency = LatencyHistogram() }
            if taken == 0 || clock &- lastPublish > 100_000_000 {
                local.pipeline = engine.stats
                status.publish(local)
                lastPublish = clock
            }
            guard taken == 0 else { continue }
            if inbox.isClosing && !inbox.hasWork {
                engine.finish(into: &output)
                alerts.submit(output.alerts)
                output.removeAll()
                local.pipeline = engine.stats
                status.publish(local)
                return
            }
            inbox.doorbell.sleep(timeoutMilliseconds: sleepBudget(now: now)) {
                inbox.hasWork || inbox.isClosing || exchange.hasQuestions(shard: index)
            }
        }
    }

    /// How long the shard may sleep: until its next timer, at most 250 ms.
    private func sleepBudget(now: Timestamp) -> Int32 {
        guard let next = engine.nextDeadline else { return 250 }
        let wait = next.millisecondsSinceEpoch - now.millisecondsSinceEpoch
        return Int32(max(1, min(wait, 250)))
    }
}
