import FoundationNetworking

/// One endpoint as the delivery thread drives it: its position in the journal, the batch it is delivering, the
/// POSTs under way, and its counters. Owned by the delivery thread.
final class EndpointLane {
    /// A POST under way.
    struct Request {
        /// The task, to match its completion and to cancel it.
        let task: URLSessionDataTask
        /// When the POST is given up (the endpoint's timeout after it started, in loop ticks).
        let deadline: Int64
        /// Whether the loop cancelled it for running past ``deadline``.
        var timedOut = false

        /// The task's identifier, which its completion carries.
        var id: Int { task.taskIdentifier }

        /// Gives up on the POST: its completion comes with an error.
        mutating func cancelForTimeout() {
            timedOut = true
            task.cancel()
        }
    }

    /// A dead letter being replayed.
    struct Replay {
        /// The dead letter.
        let letter: DeadLetter
        /// Its POST.
        var request: Request
    }

    /// A batch ready to POST.
    struct Signed {
        var batch: WebhookBatch
        /// `X-Fixstream-Signature` of the body, computed once for all its attempts.
        var signature: String
    }

    let endpoint: WebhookEndpoint
    let session: WebhookSession
    /// Every journal id up to here is done with: delivered, dead-lettered or skipped by the filter.
    var position: Int64
    /// The position last written to the store, and when (loop ticks).
    var saved: Int64
    var savedAt: Int64 = 0
    /// The batch being delivered: read from the journal, not yet accepted nor dead-lettered.
    var batch: Signed?
    /// The batch after ``batch``, read and signed while ``batch`` is in flight, so that the next POST starts as
    /// soon as the receiver answers.
    var next: Signed?
    /// Failed POSTs of ``batch``.
    var attempts = 0
    /// When ``batch`` first failed, in loop ticks (for its age) and on the wall clock (for the metrics).
    var firstFailure: Int64?
    var failingSince: Int64?
    /// No POST of ``batch`` (or, without one, no journal read) before this tick.
    var notBefore: Int64 = 0
    /// The POST of ``batch`` under way.
    var live: Request?
    /// The replay under way.
    var replay: Replay?
    /// When to look for replay requests next (loop ticks).
    var nextReplayCheck: Int64 = 0
    /// The counters (``WebhookEndpointMetrics/cursor``, ``WebhookEndpointMetrics/inFlight`` and
    /// ``WebhookEndpointMetrics/failingSince`` are filled in when published).
    var metrics: WebhookEndpointMetrics

    init(endpoint: WebhookEndpoint, session: WebhookSession, position: Int64) {
        self.endpoint = endpoint
        self.session = session
        self.position = position
        saved = position
        metrics = WebhookEndpointMetrics(name: endpoint.name)
    }

    /// POSTs under way: 0, 1 or 2.
    var inFlight: Int { (live == nil ? 0 : 1) + (replay == nil ? 0 : 1) }

    /// The metrics as published.
    var snapshot: WebhookEndpointMetrics {
        var snapshot = metrics
        snapshot.cursor = position
        snapshot.inFlight = inFlight
        snapshot.failingSince = failingSince
        return snapshot
    }
}
