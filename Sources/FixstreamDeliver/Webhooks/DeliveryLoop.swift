import FixstreamNet
import FixstreamStore

/// The delivery thread: reads each endpoint's next batch from the journal, POSTs it through the endpoint's
/// URLSession, and on the answer moves the durable cursor, schedules a retry or dead-letters the batch.
///
/// Created on the starting thread and moved into the delivery thread, so the compiler checks that nothing else
/// touches its SQLite connections. It never blocks on the network: URLSession runs the transfers and its
/// delegates post completions to ``DeliveryControl``, whose eventfd wakes the loop. Each pass handles the
/// completions, starts what is due (round robin over the endpoints, at most `maximumConcurrentRequests` POSTs at
/// once, one live batch and one replay per endpoint), cancels POSTs past their timeout, then sleeps until the
/// next deadline, a completion, a wake-up, or ``idlePoll`` at the latest (so new alerts are noticed even when
/// nobody calls ``WebhookDispatcher/wake()``).
final class DeliveryLoop {
    /// The longest sleep: how stale the view of the journal's last id may get without a wake-up.
    static let idlePoll: Int64 = 250
    /// How often each endpoint looks for replay requests.
    static let replayPoll: Int64 = 500
    /// How long a failed journal read or store write waits before trying again.
    static let storeRetry: Int64 = 1000
    /// How often a position moved past filtered alerts is written (positions after a 2xx are written at once).
    static let positionFlush: Int64 = 1000
    /// The most journal ids one page read considers, so an endpoint with a rare filter far behind the journal
    /// cannot stall the others.
    static let scanLimit = 50_000

    let control: DeliveryControl
    let journal: AlertJournal
    let store: DeliveryStore
    let lanes: [EndpointLane]
    let options: WebhookDispatcher.Options
    let lastCommittedID: @Sendable () -> Int64
    private let epoll: Epoll
    /// POSTs under way over all endpoints.
    var inFlight = 0
    /// Where the next round robin pass starts.
    private var firstLane = 0

    init(
        control: DeliveryControl,
        journal: AlertJournal,
        store: DeliveryStore,
        lanes: [EndpointLane],
        options: WebhookDispatcher.Options,
        lastCommittedID: @escaping @Sendable () -> Int64
    ) throws(SystemError) {
        self.control = control
        self.journal = journal
        self.store = store
        self.lanes = lanes
        self.options = options
        self.lastCommittedID = lastCommittedID
        epoll = try Epoll(capacity: 1)
        try epoll.add(control.notifier.fd, events: .readable, token: 0)
    }

    /// Monotonic milliseconds (`CLOCK_MONOTONIC`): every wait, deadline and age in the loop is measured on it,
    /// so a wall clock that is set back or forward neither stalls retries nor dead-letters early.
    static func ticks() -> Int64 { Int64(MonotonicClock.nanoseconds() / 1_000_000) }

    /// Delivers until a stop is requested, then waits for the POSTs under way (up to the stop timeout), cancels
    /// the rest (their batches are sent again after a restart), writes every position and returns.
    func run() {
        var stopDeadline: Int64?
        while true {
            let now = Self.ticks()
            for completion in control.takeCompletions() { finish(completion, now: now) }
            var busy = false
            if control.isStopping {
                let deadline = stopDeadline ?? now + options.stopTimeout.milliseconds
                stopDeadline = deadline
                if inFlight == 0 || now >= deadline { break }
            } else {
                busy = startDue(now: now)
            }
            cancelOverdue(now: now)
            savePositions(now: now, force: false)
            control.publish(lanes.map(\.snapshot))
            sleep(now: now, until: busy ? now : nextDeadline(now: now, stopDeadline: stopDeadline))
        }
        for lane in lanes { lane.session.invalidate() }
        savePositions(now: Self.ticks(), force: true)
        for lane in lanes {
            lane.live = nil
            lane.replay = nil
        }
        inFlight = 0
        control.publish(lanes.map(\.snapshot))
    }

    /// Starts the POSTs that are due, round robin from ``firstLane``.
    ///
    /// - Returns: whether more work is ready at once (an endpoint's read moved past filtered alerts only).
    private func startDue(now: Int64) -> Bool {
        let last = lastCommittedID()
        var busy = false
        for offset in lanes.indices {
            guard inFlight < options.maximumConcurrentRequests else { break }
            let lane = lanes[(firstLane + offset) % lanes.count]
            if startLive(lane, now: now, last: last) { busy = true }
            if inFlight < options.maximumConcurrentRequests { startReplay(lane, now: now) }
        }
        if !lanes.isEmpty { firstLane = (firstLane + 1) % lanes.count }
        return busy
    }

    /// Routes a completion to the POST it ends; completions of POSTs given up at a stop are ignored.
    private func finish(_ completion: DeliveryControl.Completion, now: Int64) {
        let lane = lanes[completion.lane]
        if let request = lane.live, request.id == completion.task {
            lane.live = nil
            inFlight -= 1
            finishLive(lane, failure: Self.failure(of: completion, request, lane.endpoint), now: now)
        } else if let replay = lane.replay, replay.request.id == completion.task {
            lane.replay = nil
            inFlight -= 1
            finishReplay(
                lane,
                replay.letter,
                failure: Self.failure(of: completion, replay.request, lane.endpoint),
                now: now
            )
        }
    }

    /// Nil for a 2xx answer, else why the POST failed.
    private static func failure(
        of completion: DeliveryControl.Completion,
        _ request: EndpointLane.Request,
        _ endpoint: WebhookEndpoint
    ) -> String? {
        if request.timedOut { return "timed out after \(endpoint.timeout)" }
        if let error = completion.error { return error }
        guard let status = completion.status else { return "no HTTP response" }
        return (200 ..< 300).contains(status) ? nil : "HTTP \(status)"
    }

    /// Cancels POSTs running past their endpoint's timeout; their completions then count as failures.
    private func cancelOverdue(now: Int64) {
        for lane in lanes {
            if var request = lane.live, !request.timedOut, now >= request.deadline {
                request.cancelForTimeout()
                lane.live = request
            }
            if var replay = lane.replay, !replay.request.timedOut, now >= replay.request.deadline {
                replay.request.cancelForTimeout()
                lane.replay = replay
            }
        }
    }

    /// Writes positions that moved: all of them with `force`, else those unsaved for ``positionFlush``.
    private func savePositions(now: Int64, force: Bool) {
        for lane in lanes where lane.position != lane.saved && (force || now - lane.savedAt >= Self.positionFlush) {
            savePosition(lane, now: now)
        }
    }

    /// Writes the lane's position; a failure is recorded and retried by ``savePositions(now:force:)``.
    func savePosition(_ lane: EndpointLane, now: Int64) {
        lane.savedAt = now
        do {
            try store.setCursor(lane.position, for: lane.endpoint.name)
            lane.saved = lane.position
        } catch {
            lane.metrics.lastError = "cannot store the cursor: \(error)"
        }
    }

    /// The earliest time something is due: a timeout, the stop deadline, a position to write and, while POSTs
    /// may start (not stopping, below the concurrency bound), a retry or a replay check; ``idlePoll`` from now at
    /// the latest.
    private func nextDeadline(now: Int64, stopDeadline: Int64?) -> Int64 {
        var next = min(stopDeadline ?? .max, now + Self.idlePoll)
        let starting = stopDeadline == nil && inFlight < options.maximumConcurrentRequests
        for lane in lanes {
            if let request = lane.live, !request.timedOut { next = min(next, request.deadline) }
            if let replay = lane.replay, !replay.request.timedOut { next = min(next, replay.request.deadline) }
            if lane.position != lane.saved { next = min(next, lane.savedAt + Self.positionFlush) }
            guard starting else { continue }
            if lane.live == nil, lane.batch != nil { next = min(next, lane.notBefore) }
            if lane.replay == nil { next = min(next, lane.nextReplayCheck) }
        }
        return next
    }

    /// Sleeps until `deadline` or a wake-up, whichever comes first.
    private func sleep(now: Int64, until deadline: Int64) {
        let timeout = Int32(clamping: max(0, deadline - now))
        // A failed wait (impossible with a valid epoll descriptor) only shortens the sleep.
        _ = try? epoll.wait(timeoutMilliseconds: timeout)
        control.notifier.drain()
    }
}

/// Owned by the delivery thread.
@available(*, unavailable)
extension DeliveryLoop: Sendable {}
