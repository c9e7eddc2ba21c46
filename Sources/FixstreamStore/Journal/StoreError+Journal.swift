extension StoreError.Code {
    /// The file is not an alert journal: not an SQLite database at all, another application's database, or one
    /// never initialised as a journal.
    public static let notAJournal = StoreError.Code("not_a_journal")
    /// The operation writes, and the journal was opened read-only.
    public static let readOnly = StoreError.Code("read_only")
}
