/// What one ``AlertJournal/read(after:limit:filter:scanLimit:)`` returns: the matching entries and where to
/// continue.
public struct JournalPage: Sendable, Equatable {
    /// The matching entries in id order, at most the limit asked for.
    public var entries: [JournalEntry]
    /// The id to pass as `after` next time: every id up to it has been considered, whether it matched or not.
    ///
    /// It is the last entry's id when the page is full, and otherwise the last id the scan covered (the journal's
    /// last id, or the end of the scan window), so a reader with a rare filter does not scan the same rows again.
    /// Never below the `after` that was asked for.
    public var cursor: Int64

    /// Creates a page.
    public init(entries: [JournalEntry], cursor: Int64) {
        self.entries = entries
        self.cursor = cursor
    }
}
