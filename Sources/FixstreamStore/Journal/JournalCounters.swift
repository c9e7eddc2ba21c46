/// What one ``AlertJournal`` connection has done since it was opened, for metrics.
///
/// A plain value: the owning thread copies it out (into the server's published metrics, for example).
public struct JournalCounters: Sendable, Equatable {
    /// Alerts appended.
    public var appended: Int64 = 0
    /// Append transactions committed (one per non-empty batch).
    public var batches: Int64 = 0
    /// Body bytes appended.
    public var appendedBytes: Int64 = 0
    /// Alerts removed by retention.
    public var pruned: Int64 = 0
    /// Retention transactions committed (one per chunk removed).
    public var pruneChunks: Int64 = 0

    /// Creates counters at zero.
    public init() {}
}
