extension AlertJournal {
    /// Ids stay below 2^53, so every JSON reader (JavaScript's numbers included) reads them exactly.
    public static let maximumID: Int64 = 1 << 53

    static let insertSQL = """
        INSERT INTO alerts (id, type, vehicle, fence, trip, time, recorded_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Appends a batch of alerts in one transaction and gives them consecutive ids after ``lastID``.
    ///
    /// This is the group commit: call it once per batch the alert thread drains, not once per alert. Each record
    /// is bound straight from its strings and bytes to one reused prepared statement; nothing is built per
    /// record. All records get the same ``JournalEntry/recordedAt``, the clock read once per batch.
    ///
    /// - Parameter records: the alerts in the order their ids should follow; each body one JSON object (`{…}`)
    ///   without an `id` member.
    /// - Returns: the ids given, in record order (`lowerBound` is the first; empty, at ``nextID``, for no
    ///   records).
    /// - Throws: ``StoreError``: ``StoreError/Code/invalidArgument`` when a body is not `{…}` (nothing of the
    ///   batch is written), ``StoreError/Code/readOnly`` on a reader, ``StoreError/Code/sqlite`` when SQLite
    ///   fails (disk full, for example); a batch that throws is rolled back whole and takes no ids.
    /// - Complexity: O(n) in the records, one transaction.
    @discardableResult
    public func append(_ records: some Collection<JournalRecord>) throws(StoreError) -> Range<Int64> {
        try requireWritable("append alerts")
        guard !records.isEmpty else {
            let next = try nextID
            return next ..< next
        }
        let recordedAt = clock()
        var bytes = 0
        let ids = try inTransaction { () throws(StoreError) -> Range<Int64> in
            // Read inside the write lock, so even a second writer on the file cannot take the same ids.
            let last = try scalar("SELECT last_id FROM journal_state") ?? 0
            guard last < Self.maximumID - Int64(records.count) else {
                throw StoreError(.invalidArgument, "alert ids are exhausted (the mark is at \(last))")
            }
            let first = last + 1
            let insert = try cached(Self.insertSQL)
            var id = first
            for record in records {
                guard record.body.first == UInt8(ascii: "{"), record.body.last == UInt8(ascii: "}") else {
                    throw StoreError(
                        .invalidArgument,
                        "record \(id - first) of the batch (\(record.type), vehicle \(record.vehicle)): the body is not one JSON object ({…} without a line feed)"
                    )
                }
                try insert.bind(id, at: 1)
                try insert.bind(record.type, at: 2)
                try insert.bind(record.vehicle, at: 3)
                try insert.bind(record.fence, at: 4)
                try insert.bind(record.trip, at: 5)
                try insert.bind(record.time, at: 6)
                try insert.bind(recordedAt, at: 7)
                try insert.bind(blob: record.body, at: 8)
                try insert.run()
                bytes += record.body.count
                id += 1
            }
            let update = try cached("UPDATE journal_state SET last_id = ?")
            try update.bind(id - 1, at: 1)
            try update.run()
            return first ..< id
        }
        counters.appended += Int64(ids.count)
        counters.batches += 1
        counters.appendedBytes += Int64(bytes)
        return ids
    }
}

extension AlertJournal {
    /// Makes the next appended id at least `id + 1`: for a server whose alerts were numbered elsewhere before
    /// (an alert file written before the journal existed), so ids never go backwards. Never lowers the mark.
    ///
    /// - Throws: ``StoreError`` when the write fails, ``StoreError/Code/readOnly`` on a reader.
    public func advance(past id: Int64) throws(StoreError) {
        try requireWritable("advance the id mark")
        guard id >= 0, id < Self.maximumID else {
            throw StoreError(.invalidArgument, "an alert id mark must be 0 to \(Self.maximumID - 1), not \(id)")
        }
        try inTransaction { () throws(StoreError) in
            let update = try cached("UPDATE journal_state SET last_id = max(last_id, ?)")
            try update.bind(id, at: 1)
            try update.run()
        }
    }
}
