/// How much of the journal to keep; nil limits do not apply. ``AlertJournal/prune(_:now:chunkSize:budget:)``
/// removes the oldest alerts until every limit holds.
public struct JournalRetention: Sendable, Hashable {
    /// Keep alerts appended at most this many milliseconds ago (by the wall clock at append time).
    public var maxAge: Int64?
    /// Keep at most this many alerts (the newest).
    public var maxRows: Int?
    /// Keep the database's pages in use at or under this many bytes: `(page_count - freelist_count) × page_size`.
    ///
    /// That is the file's live data, about 1.2 times the bodies' bytes. SQLite reuses freed pages rather than
    /// shrinking the file, so the file itself settles near this size plus the write-ahead log (itself truncated
    /// to ``AlertJournal/walSizeLimit`` after checkpoints).
    public var maxBytes: Int?

    /// Creates a retention policy.
    public init(maxAge: Int64? = nil, maxRows: Int? = nil, maxBytes: Int? = nil) {
        self.maxAge = maxAge
        self.maxRows = maxRows
        self.maxBytes = maxBytes
    }
}
