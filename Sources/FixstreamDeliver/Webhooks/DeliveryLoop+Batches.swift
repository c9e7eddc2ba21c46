import FixstreamStore

extension DeliveryLoop {
    /// Starts the lane's live POST when one is due: a retry whose wait is over, the batch read ahead, or the next
    /// page of the journal; then, while that POST is in flight, reads and signs the batch after it.
    ///
    /// A page whose alerts the filter all skipped only moves the position (written within ``positionFlush``).
    ///
    /// - Returns: whether the lane moved past skipped alerts and more of the journal waits to be read.
    func startLive(_ lane: EndpointLane, now: Int64, last: Int64) -> Bool {
        if lane.live == nil, now >= lane.notBefore {
            if lane.batch == nil {
                lane.batch = lane.next
                lane.next = nil
            }
            if lane.batch == nil, lane.position < last {
                guard let (batch, cursor) = read(lane, after: lane.position, now: now) else { return false }
                guard let batch else {
                    lane.position = max(lane.position, cursor)
                    return lane.position < last
                }
                lane.batch = batch
            }
            if let batch = lane.batch {
                lane.live = EndpointLane.Request(
                    task: lane.session.post(batch.batch.body, signature: batch.signature),
                    deadline: now + lane.endpoint.timeout.milliseconds
                )
                inFlight += 1
            }
        }
        if lane.live != nil, lane.next == nil, now >= lane.notBefore, let cursor = lane.batch?.batch.cursor,
            cursor < last
        {
            lane.next = read(lane, after: cursor, now: now)?.batch
        }
        return false
    }

    /// The signed batch of the page after `after` (nil when the filter skipped every alert of it) and the page's
    /// cursor; nil when the journal cannot be read (recorded, and the lane waits ``storeRetry``).
    private func read(
        _ lane: EndpointLane,
        after: Int64,
        now: Int64
    ) -> (batch: EndpointLane.Signed?, cursor: Int64)? {
        let page: JournalPage
        do {
            page = try journal.read(
                after: after,
                limit: lane.endpoint.batchSize,
                filter: lane.endpoint.filter,
                scanLimit: Self.scanLimit
            )
        } catch {
            lane.metrics.lastError = "cannot read the journal: \(error)"
            lane.notBefore = now + Self.storeRetry
            return nil
        }
        let batch = WebhookBatch(page).map { EndpointLane.Signed(batch: $0, signature: lane.session.sign($0.body)) }
        return (batch, page.cursor)
    }

    /// Ends the live POST: on success the position moves past the batch and is written at once; on failure the
    /// batch is retried after the policy's wait, or dead-lettered once it has failed for the endpoint's maximum
    /// age (the last retry is timed to fall at that age).
    func finishLive(_ lane: EndpointLane, failure: String?, now: Int64) {
        guard let batch = lane.batch?.batch else { return }
        guard let failure else {
            lane.metrics.delivered += Int64(batch.alerts)
            lane.metrics.batches += 1
            lane.position = batch.cursor
            clearBatch(lane)
            savePosition(lane, now: now)
            return
        }
        lane.metrics.failed += 1
        lane.metrics.lastError = failure
        lane.attempts += 1
        let since = lane.firstFailure ?? now
        lane.firstFailure = since
        let wallNow = options.clock()
        lane.failingSince = lane.failingSince ?? wallNow
        let expiry = since + lane.endpoint.maxAge.milliseconds
        if now >= expiry {
            do {
                _ = try store.deadLetter(
                    batch,
                    endpoint: lane.endpoint.name,
                    attempts: lane.attempts,
                    error: failure,
                    at: wallNow
                )
                lane.metrics.deadLettered += Int64(batch.alerts)
                lane.position = batch.cursor
                lane.saved = batch.cursor
                lane.savedAt = now
                clearBatch(lane)
                return
            } catch {
                // Kept and tried again: the next failure past the age stores it.
                lane.metrics.lastError = "cannot store a dead letter (\(failure)): \(error)"
            }
        }
        lane.metrics.retried += 1
        let wait = options.retry.delayMilliseconds(beforeRetry: lane.attempts, random: Double.random(in: 0 ..< 1))
        lane.notBefore = now >= expiry ? now + Self.storeRetry : min(now + wait, expiry)
    }

    private func clearBatch(_ lane: EndpointLane) {
        lane.batch = nil
        lane.attempts = 0
        lane.firstFailure = nil
        lane.failingSince = nil
        lane.notBefore = 0
    }
}
