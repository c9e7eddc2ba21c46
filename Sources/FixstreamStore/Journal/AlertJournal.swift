/// Every alert the server raises, in `<data directory>/journal.sqlite3`, numbered with strictly increasing ids
/// before any consumer sees it; the feeds, `GET /alerts` and the webhooks read it forward by id.
///
/// **Ids.** ``append(_:)`` gives each batch consecutive ids after the journal's high-water mark (the largest id
/// ever appended, stored with the rows and moved in the same transaction), so ids increase across batches,
/// restarts and retention, even when retention removed every row. A batch that fails to commit takes no ids.
/// Retention removes only the oldest alerts, so the retained ids are always one contiguous run.
///
/// **Bodies.** A record's body is the alert's JSON object without its id; the id lives only in the row's primary
/// key, and a reader puts it in front with ``JournalEntry/appendJSON(to:)`` (`{"id":7,` + the body's members).
/// Bodies need no rendering inside the transaction and cannot disagree with the ids.
///
/// **Durability.** Write-ahead logging with `synchronous=NORMAL` by default (``Durability/normal``): a committed
/// batch is in the log when ``append(_:)`` returns, so it survives the process dying in any way (SIGKILL, a
/// crash); a power loss or kernel crash can lose the batches committed since the log was last synced (SQLite
/// syncs it at each checkpoint, about every 4 MB of log), never corrupt the file. ``Durability/full`` syncs the
/// log at every commit, one `fsync` per batch, and survives power loss too. Checkpoints run inside the writer's
/// commit that fills 1,000 pages of log: that commit takes 10-40 ms instead of about 1 ms (a batch of 1,024),
/// which delays alerts but never the shards, since the writer is the alert thread.
///
/// **Threading.** Like its ``SQLiteDatabase``, a journal belongs to the thread that opened it. One writer (the
/// server's alert thread) appends and prunes; each reading thread opens its own journal on the same directory,
/// usually with ``Access/readOnly``. Readers never block the writer nor wait for it: each read sees the batches
/// committed before it started.
public final class AlertJournal {
    /// How the journal may be used through this connection.
    public enum Access: Sendable {
        /// Append, prune and read; creates the directory, the file and the schema as needed.
        case readWrite
        /// Read only: the file must exist and be a current journal; writes throw ``StoreError/Code/readOnly``.
        case readOnly
    }

    /// How hard a commit is made to stick.
    public enum Durability: Sendable {
        /// `synchronous=NORMAL`: survives the process dying; may lose the last batches on power loss.
        case normal
        /// `synchronous=FULL`: the log is synced at every commit; survives power loss.
        case full
    }

    /// The database file's name inside the data directory.
    public static let fileName = "journal.sqlite3"

    /// The journal schema version this build writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { JournalSchema.currentVersion }

    /// The size the write-ahead log is truncated to after a checkpoint (`PRAGMA journal_size_limit`), in bytes.
    public static let walSizeLimit = 64 << 20

    /// The connection; exposed for tests and maintenance.
    public let database: SQLiteDatabase
    /// Where the database file lives.
    public let path: String
    /// Whether this connection was opened with ``Access/readOnly``.
    public let isReadOnly: Bool
    /// What this connection has appended and pruned since it was opened.
    public internal(set) var counters = JournalCounters()
    /// Milliseconds since the epoch, recorded with each batch for age retention.
    let clock: () -> Int64
    /// Prepared statements by SQL text: a few fixed ones and one per filter shape.
    private var statements: [String: Statement] = [:]

    /// Opens the journal in `dataDirectory`.
    ///
    /// - Parameters:
    ///   - dataDirectory: the server's data directory; created with ``Access/readWrite``.
    ///   - access: ``Access/readWrite`` for the one writer, ``Access/readOnly`` for readers.
    ///   - durability: `synchronous` for this connection's commits (only matters to a writer).
    ///   - clock: the wall clock recorded with appends and used by nothing else, in milliseconds since the epoch.
    /// - Throws: ``StoreError``: ``StoreError/Code/notAJournal`` when the file is not an SQLite database or is
    ///   another kind of database, ``StoreError/Code/schemaTooNew`` when a newer build wrote it,
    ///   ``StoreError/Code/io`` when the directory cannot be created, ``StoreError/Code/sqlite`` otherwise (a
    ///   read-only open of a missing file gives result code 14, `SQLITE_CANTOPEN`).
    public init(
        dataDirectory: String,
        access: Access = .readWrite,
        durability: Durability = .normal,
        clock: @escaping () -> Int64 = AlertJournal.wallClock
    ) throws(StoreError) {
        isReadOnly = access == .readOnly
        if !isReadOnly { try FileSystem.makeDirectories(dataDirectory) }
        path = (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + Self.fileName
        self.clock = clock
        do throws(StoreError) {
            database = try SQLiteDatabase(path: path, create: !isReadOnly)
            try JournalSchema.prepare(database, migrate: !isReadOnly)
        } catch {
            throw Self.explain(error, path: path)
        }
        if isReadOnly {
            try database.execute("PRAGMA query_only = ON")
        } else {
            try database.execute(
                """
                PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL");
                PRAGMA journal_size_limit = \(Self.walSizeLimit);
                """
            )
        }
    }

    /// The wall clock in milliseconds since the Unix epoch (`CLOCK_REALTIME`): the default clock.
    public static func wallClock() -> Int64 { FileSystem.nowMilliseconds() }

    // MARK: Positions

    /// The largest id ever appended (0 for a journal that never had an alert), whether or not it is retained.
    ///
    /// Read from the database each time, so a reader sees the writer's latest commit.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    public var lastID: Int64 {
        get throws(StoreError) { try scalar("SELECT last_id FROM journal_state") ?? 0 }
    }

    /// The id the next appended alert will get: ``lastID`` + 1.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    public var nextID: Int64 {
        get throws(StoreError) { try lastID + 1 }
    }

    /// The oldest retained alert's id, or nil when none is retained.
    ///
    /// A reader asking for alerts after an id below `firstID - 1` has missed alerts that retention removed.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    /// - Complexity: O(log n).
    public var firstID: Int64? {
        get throws(StoreError) { try scalar("SELECT min(id) FROM alerts") }
    }

    /// The number of retained alerts.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    /// - Complexity: O(log n): retained ids are contiguous, so this is the span of the smallest and largest.
    public var count: Int {
        get throws(StoreError) {
            guard let bounds = try retainedBounds() else { return 0 }
            return Int(bounds.last - bounds.first + 1)
        }
    }

    /// The smallest and largest retained ids, or nil when none is retained.
    func retainedBounds() throws(StoreError) -> (first: Int64, last: Int64)? {
        let statement = try cached("SELECT (SELECT min(id) FROM alerts), (SELECT max(id) FROM alerts)")
        defer { try? statement.reset() }
        guard try statement.step() == .row, !statement.isNull(at: 0) else { return nil }
        return (statement.int64(at: 0), statement.int64(at: 1))
    }

    // MARK: Helpers

    /// The prepared statement for `sql`, compiled on first use.
    func cached(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// The first column of the first row of `sql` as an integer; nil for no row or NULL.
    func scalar(_ sql: String) throws(StoreError) -> Int64? {
        let statement = try cached(sql)
        // Reset at once: a statement left open would hold its read snapshot (and stall checkpoints).
        defer { try? statement.reset() }
        guard try statement.step() == .row, !statement.isNull(at: 0) else { return nil }
        return statement.int64(at: 0)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` … `COMMIT` transaction; rolls back when it throws.
    func inTransaction<Result>(_ body: () throws(StoreError) -> Result) throws(StoreError) -> Result {
        try cached("BEGIN IMMEDIATE").run()
        do throws(StoreError) {
            let result = try body()
            try cached("COMMIT").run()
            return result
        } catch {
            if database.isInTransaction { try? cached("ROLLBACK").run() }
            throw error
        }
    }

    /// Throws ``StoreError/Code/readOnly`` on a read-only connection.
    func requireWritable(_ operation: String) throws(StoreError) {
        guard !isReadOnly else {
            throw StoreError(.readOnly, "cannot \(operation): '\(path)' was opened read-only")
        }
    }

    /// Turns SQLite's "not a database" and "malformed" on open into ``StoreError/Code/notAJournal`` naming the
    /// file.
    private static func explain(_ error: StoreError, path: String) -> StoreError {
        guard error.code == .sqlite, let code = error.resultCode, code & 0xFF == 26 || code & 0xFF == 11 else {
            return error
        }
        return StoreError(
            .notAJournal,
            "'\(path)' is not an alert journal: \(error.message)",
            resultCode: code,
            sql: error.sql
        )
    }
}

/// One journal per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension AlertJournal: Sendable {}
