extension AlertJournal {
    /// Reads up to `limit` alerts with ids above `after` that pass `filter`, in id order.
    ///
    /// SQLite walks the table forward from `after` by primary key and tests the filter's columns as it goes
    /// (there are no secondary indexes; see ``JournalFilter``), so a page costs the rows it skips plus the rows
    /// it returns. Continue with the page's ``JournalPage/cursor``, not the last entry's id: with a rare filter
    /// the cursor moves past the rows already skipped. `scanLimit` bounds that work per call for a reader that
    /// must not stall (a live feed): the scan then ends after `after + scanLimit`, and the cursor says where.
    ///
    /// The scan stops at the ``lastID`` read when the call begins: a batch committing meanwhile is left whole for
    /// the next call, never seen in part.
    ///
    /// - Parameters:
    ///   - after: exclusive: the page starts at the first id above it (`since` and `Last-Event-ID` semantics).
    ///   - limit: the most entries to return; 0 returns none.
    ///   - filter: which alerts to return; the empty filter returns all.
    ///   - scanLimit: the most ids to consider in this call; nil for no bound.
    /// - Returns: the entries and the cursor to continue from.
    /// - Throws: ``StoreError``: ``StoreError/Code/invalidArgument`` for a negative limit or scan limit,
    ///   ``StoreError/Code/sqlite`` when the read fails.
    /// - Complexity: O(log n + k) for the k ids considered.
    public func read(
        after: Int64,
        limit: Int,
        filter: JournalFilter = JournalFilter(),
        scanLimit: Int? = nil
    ) throws(StoreError) -> JournalPage {
        guard limit >= 0, (scanLimit ?? 0) >= 0 else {
            throw StoreError(.invalidArgument, "a read needs a limit and scan limit of 0 or more")
        }
        // The high-water mark first: every id up to it is committed, so the page never shows part of a batch.
        var upper = try lastID
        if let scanLimit {
            let (end, overflow) = after.addingReportingOverflow(Int64(scanLimit))
            if !overflow { upper = min(upper, end) }
        }
        guard limit > 0, upper > after else { return JournalPage(entries: [], cursor: after) }

        let statement = try cached(Self.selectSQL(for: filter))
        defer { try? statement.reset() }
        try statement.bind(after, at: 1)
        try statement.bind(upper, at: 2)
        try statement.bind(limit, at: 3)
        if let vehicle = filter.vehicle { try statement.bind(vehicle, at: 4) }
        if let prefix = filter.typePrefix, !prefix.isEmpty { try statement.bind(prefix, at: 5) }
        if let fence = filter.fence { try statement.bind(fence, at: 6) }
        if let trip = filter.trip { try statement.bind(trip, at: 7) }

        var entries: [JournalEntry] = []
        entries.reserveCapacity(min(limit, 1024))
        while try statement.step() == .row {
            entries.append(
                JournalEntry(
                    id: statement.int64(at: 0),
                    type: statement.string(at: 1) ?? "",
                    vehicle: statement.string(at: 2) ?? "",
                    fence: statement.string(at: 3),
                    trip: statement.string(at: 4),
                    time: statement.int64(at: 5),
                    recordedAt: statement.int64(at: 6),
                    body: statement.blob(at: 7) ?? []
                )
            )
        }
        let cursor = entries.count == limit ? entries[entries.count - 1].id : upper
        return JournalPage(entries: entries, cursor: cursor)
    }

    /// The SELECT for a filter's shape; one prepared statement per shape (16 at most).
    ///
    /// Parameters: ?1 after (exclusive), ?2 upper bound (inclusive), ?3 limit, ?4 vehicle, ?5 type prefix,
    /// ?6 fence, ?7 trip. The prefix test compares the first `length(?5)` characters, so it means "starts with"
    /// whatever characters the prefix holds (`LIKE` would treat `_` and `%` as wildcards and ignore case).
    static func selectSQL(for filter: JournalFilter) -> String {
        var sql =
            "SELECT id, type, vehicle, fence, trip, time, recorded_at, body FROM alerts WHERE id > ?1 AND id <= ?2"
        if filter.vehicle != nil { sql += " AND vehicle = ?4" }
        if let prefix = filter.typePrefix, !prefix.isEmpty { sql += " AND substr(type, 1, length(?5)) = ?5" }
        if filter.fence != nil { sql += " AND fence = ?6" }
        if filter.trip != nil { sql += " AND trip = ?7" }
        return sql + " ORDER BY id LIMIT ?3"
    }
}
