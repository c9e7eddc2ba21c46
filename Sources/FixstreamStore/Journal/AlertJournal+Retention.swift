extension AlertJournal {
    /// Removes the oldest alerts until every limit of `retention` holds, a chunk per transaction.
    ///
    /// Only a prefix of the journal is ever removed (the ids retained stay contiguous, and ``lastID`` stays):
    /// by age, the oldest alerts go while they were appended before `now - maxAge`, so a wall clock that stepped
    /// back delays removal rather than punching holes. Each chunk of at most `chunkSize` alerts is one short
    /// `DELETE` transaction, so the write lock is never held long and readers are never blocked; `budget` caps the
    /// alerts removed per call, so the alert thread can prune a little between batches. Removed alerts are
    /// counted in ``counters`` (``JournalCounters/pruned``, ``JournalCounters/pruneChunks``).
    ///
    /// - Parameters:
    ///   - retention: the limits.
    ///   - now: the wall clock in milliseconds since the epoch (compared with ``JournalEntry/recordedAt``).
    ///   - chunkSize: the most alerts removed per transaction; at least 1.
    ///   - budget: the most alerts removed by this call; call again later for the rest.
    /// - Returns: how many alerts were removed.
    /// - Throws: ``StoreError``: ``StoreError/Code/readOnly`` on a reader, ``StoreError/Code/invalidArgument``
    ///   for a chunk size below 1 or a negative budget, ``StoreError/Code/sqlite`` when SQLite fails (the
    ///   chunks committed before stay removed).
    /// - Complexity: O(k log n) for the k alerts removed, plus reading the age of up to one chunk more.
    @discardableResult
    public func prune(
        _ retention: JournalRetention,
        now: Int64,
        chunkSize: Int = 10_000,
        budget: Int = .max
    ) throws(StoreError) -> Int {
        try requireWritable("prune the journal")
        guard chunkSize > 0, budget >= 0 else {
            throw StoreError(.invalidArgument, "pruning needs a chunk size of 1 or more and a budget of 0 or more")
        }
        var removed = 0
        while removed < budget, let (first, last) = try retainedBounds() {
            let chunkEnd = min(last, first - 1 + Int64(min(chunkSize, budget - removed)))
            // Remove the ids up to `cut`; each limit may only move it forward.
            var cut = first - 1
            if let maxRows = retention.maxRows {
                cut = max(cut, last - Int64(max(0, maxRows)))
            }
            if let maxAge = retention.maxAge, cut < chunkEnd {
                cut = max(cut, try lastExpired(from: first, through: chunkEnd, cutoff: now - maxAge))
            }
            if let maxBytes = retention.maxBytes, cut < chunkEnd {
                let used = try usedBytes()
                if used > maxBytes {
                    // Rows to remove if rows take the used bytes evenly; the loop measures again after the chunk.
                    let share = Double(last - first + 1) * Double(used - maxBytes) / Double(used)
                    cut = max(cut, first - 1 + max(1, Int64(share.rounded(.up))))
                }
            }
            cut = min(cut, chunkEnd)
            guard cut >= first else { break }
            let statement = try cached("DELETE FROM alerts WHERE id <= ?")
            let deleted = try inTransaction { () throws(StoreError) -> Int in
                try statement.bind(cut, at: 1)
                try statement.run()
                return database.changes
            }
            removed += deleted
            counters.pruned += Int64(deleted)
            counters.pruneChunks += 1
        }
        return removed
    }

    /// The bytes of database pages holding data: `(page_count - freelist_count) × page_size`.
    ///
    /// - Throws: ``StoreError`` when the pragmas fail.
    public func usedBytes() throws(StoreError) -> Int {
        let pages = Int(try database.pragma("page_count")) ?? 0
        let free = Int(try database.pragma("freelist_count")) ?? 0
        let size = Int(try database.pragma("page_size")) ?? 0
        return (pages - free) * size
    }

    /// The last id of the run of alerts from `first` through at most `end` appended before `cutoff`
    /// (`first - 1` when the first is recent enough).
    private func lastExpired(from first: Int64, through end: Int64, cutoff: Int64) throws(StoreError) -> Int64 {
        let statement = try cached(
            "SELECT id FROM alerts WHERE id >= ?1 AND id <= ?2 AND recorded_at >= ?3 ORDER BY id LIMIT 1"
        )
        defer { try? statement.reset() }
        try statement.bind(first, at: 1)
        try statement.bind(end, at: 2)
        try statement.bind(cutoff, at: 3)
        guard try statement.step() == .row else { return end }
        return statement.int64(at: 0) - 1
    }
}
