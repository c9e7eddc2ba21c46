/// What delivery to one endpoint has done since the dispatcher started, and where it stands.
///
/// A plain value copied out of the delivery thread (see ``WebhookDispatcher/metrics``); counters start at zero
/// with each dispatcher.
public struct WebhookEndpointMetrics: Sendable, Hashable {
    /// The endpoint's name.
    public var name: String
    /// Alerts a receiver accepted (a 2xx answer), replays not included.
    public var delivered: Int64 = 0
    /// Batches a receiver accepted, replays not included.
    public var batches: Int64 = 0
    /// Failed POSTs of live batches (non-2xx, transport error or timeout); each is followed by a retry or, past
    /// the endpoint's maximum age, by dead-lettering.
    public var failed: Int64 = 0
    /// Retries scheduled after a failure.
    public var retried: Int64 = 0
    /// Alerts moved to the dead letters.
    public var deadLettered: Int64 = 0
    /// Alerts of dead letters delivered by a replay.
    public var replayed: Int64 = 0
    /// The endpoint's position: every journal id up to it was delivered, dead-lettered or skipped by the filter.
    public var cursor: Int64 = 0
    /// The journal's last committed id minus ``cursor``: ids not yet done with (filtered ones included).
    public var lag: Int64 = 0
    /// POSTs under way now: 0 or 1 for the live batch, plus 0 or 1 for a replay.
    public var inFlight: Int = 0
    /// Why the last POST, journal read or store write failed, if one ever did (kept after recovery).
    public var lastError: String?
    /// When the current live batch first failed, in milliseconds since the Unix epoch; nil while none fails.
    public var failingSince: Int64?

    /// Creates metrics at zero for the endpoint named `name`.
    public init(name: String) {
        self.name = name
    }
}
