import FixstreamNet
import FixstreamStore

/// Delivers journalled alerts to webhook endpoints, at least once, on a thread of its own.
///
/// **Delivery.** Each endpoint reads the journal forward from its durable cursor (in `delivery.sqlite3`, see
/// ``DeadLetters``), a page of up to its batch size through its filter, and POSTs the page as one JSON array of
/// alerts (each with its `id`), signed with `X-Fixstream-Signature: sha256=<hex HMAC-SHA256 of the body>` and
/// labelled with a fresh `X-Fixstream-Delivery` id per POST. One batch per endpoint is in flight at a time, so a
/// receiver sees its alerts in id order; endpoints run independently and concurrently (at most
/// ``Options/maximumConcurrentRequests`` POSTs at once over all of them).
///
/// **At least once.** The cursor moves past a batch only after a 2xx answer (and past alerts the filter skipped),
/// and is written before the next batch is read. Any other answer, a transport error or the endpoint's timeout
/// is retried with the ``Options/retry`` policy (first retry after 0.6 to 0.9 s, doubling to 30 s, ±20 %
/// jitter) until the batch has failed for the endpoint's `maxAge`; it then goes to the dead letters and delivery
/// moves on. A batch under way when the process dies is sent again after the restart: receivers deduplicate by
/// alert id. A new endpoint starts after the journal's last alert (or at its oldest with `from: .start`).
///
/// **Never in the way.** The pipeline only calls ``wake()`` (an eventfd write); the delivery thread reads the
/// journal with its own read-only connection, and URLSession does the network IO, so a slow or failing endpoint
/// delays neither the alert thread nor the other endpoints.
///
/// **Replays.** ``DeadLetters/requestReplay(id:)`` (on any thread) marks a dead letter; its endpoint POSTs it
/// again within about half a second, and deletes it on a 2xx.
public final class WebhookDispatcher: Sendable {
    /// How the dispatcher runs; the defaults are the server's.
    public struct Options: Sendable {
        /// When failed batches are tried again.
        public var retry: RetryPolicy
        /// The most POSTs under way at once, over all endpoints (each endpoint has at most one live batch and one
        /// replay in flight).
        public var maximumConcurrentRequests: Int
        /// How long ``WebhookDispatcher/stop()`` waits for POSTs under way before cancelling them.
        public var stopTimeout: Duration
        /// The wall clock in milliseconds since the Unix epoch, for the times stored with dead letters and shown
        /// in the metrics. Waits, timeouts and the age of a failing batch are measured on the monotonic clock.
        public var clock: @Sendable () -> Int64

        /// Creates options.
        public init(
            retry: RetryPolicy = RetryPolicy(),
            maximumConcurrentRequests: Int = 16,
            stopTimeout: Duration = .seconds(2),
            clock: @escaping @Sendable () -> Int64 = Options.wallClock
        ) {
            self.retry = retry
            self.maximumConcurrentRequests = max(1, maximumConcurrentRequests)
            self.stopTimeout = stopTimeout
            self.clock = clock
        }

        /// The wall clock (`CLOCK_REALTIME`) in milliseconds since the Unix epoch: the default clock.
        @Sendable public static func wallClock() -> Int64 { WallClock.milliseconds() }
    }

    /// The endpoints, in the order given.
    public let endpoints: [WebhookEndpoint]
    private let control: DeliveryControl
    private let thread: ThreadHandle
    private let lastCommittedID: @Sendable () -> Int64

    /// Opens the journal (read-only) and the delivery store in `dataDirectory`, gives new endpoints their
    /// cursors, and starts the delivery thread.
    ///
    /// Start it after the journal exists (the server's alert thread creates it).
    ///
    /// - Parameters:
    ///   - dataDirectory: the server's data directory, holding `journal.sqlite3`; `delivery.sqlite3` is created
    ///     there.
    ///   - endpoints: the endpoints, with unique names.
    ///   - options: retry policy, concurrency, stop timeout, clock.
    ///   - lastCommittedID: the journal's newest committed id, read often and from the delivery thread (an
    ///     atomic load, such as the alert dispatcher's).
    /// - Throws: ``WebhookError``: ``WebhookError/Code/duplicateName``, ``WebhookError/Code/storeFailed`` when
    ///   the journal or the store cannot be opened, ``WebhookError/Code/systemFailed`` when the thread or its
    ///   eventfd cannot be created.
    public init(
        dataDirectory: String,
        endpoints: [WebhookEndpoint],
        options: Options = Options(),
        lastCommittedID: @escaping @Sendable () -> Int64
    ) throws(WebhookError) {
        var names: Set<String> = []
        for endpoint in endpoints where !names.insert(endpoint.name).inserted {
            throw WebhookError(.duplicateName, "another endpoint already has this name", endpoint: endpoint.name)
        }
        let journal: AlertJournal
        let store: DeliveryStore
        var positions: [Int64] = []
        do {
            journal = try AlertJournal(dataDirectory: dataDirectory, access: .readOnly)
            store = try DeliveryStore(dataDirectory: dataDirectory)
            let last = try journal.lastID
            for endpoint in endpoints {
                if let cursor = try store.cursor(for: endpoint.name) {
                    positions.append(cursor)
                } else {
                    let start = endpoint.from == .start ? 0 : last
                    try store.setCursor(start, for: endpoint.name)
                    positions.append(start)
                }
            }
        } catch {
            throw WebhookError(.storeFailed, "cannot open the journal or the delivery store: \(error)", cause: error)
        }
        let control: DeliveryControl
        do {
            control = try DeliveryControl(names: endpoints.map(\.name))
        } catch {
            throw WebhookError(.systemFailed, "cannot start webhook delivery: \(error)", cause: error)
        }
        let lanes = endpoints.enumerated().map { lane, endpoint in
            EndpointLane(
                endpoint: endpoint,
                session: WebhookSession(endpoint: endpoint, lane: lane, control: control),
                position: positions[lane]
            )
        }
        control.publish(lanes.map(\.snapshot))
        let sessions = lanes.map(\.session)
        do {
            let loop = try DeliveryLoop(
                control: control,
                journal: journal,
                store: store,
                lanes: lanes,
                options: options,
                lastCommittedID: lastCommittedID
            )
            thread = try spawnThread(name: "fs-webhooks") { loop.run() }
        } catch {
            // The sessions hold their delegates until invalidated.
            for session in sessions { session.invalidate() }
            throw WebhookError(.systemFailed, "cannot start webhook delivery: \(error)", cause: error)
        }
        self.endpoints = endpoints
        self.control = control
        self.lastCommittedID = lastCommittedID
    }

    deinit {
        stop()
    }

    /// Tells the delivery thread that alerts were committed: call it after each journal commit. Never blocks;
    /// wake-ups coalesce. Without it, new alerts are still noticed within a quarter of a second.
    public func wake() {
        control.wake()
    }

    /// Stops delivery: no new POST starts, those under way get up to ``Options/stopTimeout`` to finish (their
    /// 2xx answers still move the cursors), the rest are cancelled (and sent again after a restart), every
    /// cursor is written, and the thread is joined. Later calls return at once.
    public func stop() {
        guard control.requestStop() else { return }
        thread.join()
    }

    /// Each endpoint's counters and position, in ``endpoints`` order, with the lag against the journal's newest
    /// committed id now.
    public var metrics: [WebhookEndpointMetrics] {
        let last = lastCommittedID()
        return control.metrics.map { endpoint in
            var endpoint = endpoint
            endpoint.lag = max(0, last - endpoint.cursor)
            return endpoint
        }
    }
}
