/// One batch whose retries ran out, as ``DeadLetters/list(endpoint:after:limit:)`` shows it (without its body).
public struct DeadLetter: Sendable, Hashable {
    /// The dead letter's id: increasing, never reused.
    public var id: Int64
    /// The endpoint's name.
    public var endpoint: String
    /// The first alert id in the batch.
    public var firstAlert: Int64
    /// The last alert id in the batch.
    public var lastAlert: Int64
    /// How many alerts the batch holds (fewer than `lastAlert - firstAlert + 1` when a filter skipped some).
    public var alerts: Int
    /// POSTs tried, replays included.
    public var attempts: Int
    /// Why the last POST failed: `HTTP 503`, `timed out after 10 s`, a connection error.
    public var lastError: String
    /// When the last POST failed, in milliseconds since the Unix epoch.
    public var failedAt: Int64
    /// Whether a replay was asked for and has not been tried yet.
    public var replayRequested: Bool

    /// Creates a dead letter's description.
    public init(
        id: Int64,
        endpoint: String,
        firstAlert: Int64,
        lastAlert: Int64,
        alerts: Int,
        attempts: Int,
        lastError: String,
        failedAt: Int64,
        replayRequested: Bool
    ) {
        self.id = id
        self.endpoint = endpoint
        self.firstAlert = firstAlert
        self.lastAlert = lastAlert
        self.alerts = alerts
        self.attempts = attempts
        self.lastError = lastError
        self.failedAt = failedAt
        self.replayRequested = replayRequested
    }
}
