internal import CSQLite

/// One SQLite connection, for the thread that opened it.
///
/// Opened with `SQLITE_OPEN_NOMUTEX` (Debian's SQLite is built serialized; the per-call mutex buys nothing when
/// one thread owns the connection), write-ahead logging, `synchronous=NORMAL` (durable at each checkpoint, never
/// corrupt), a busy timeout so that several connections to one file wait for each other instead of failing, and
/// foreign keys enforced. Not `Sendable`: open one connection per thread (SQLite allows any number on one file).
///
/// Every SQLite call is checked; failures throw ``StoreError`` with SQLite's extended result code, its message and
/// the SQL involved. Write in batches inside ``transaction(_:)``: one commit per batch, not per row.
public final class SQLiteDatabase {
    /// The connection handle; never nil while the object lives.
    let handle: OpaquePointer
    /// The path given to ``init(path:create:busyTimeout:)``.
    public let path: String

    /// Opens (and with `create`, creates) the database at `path` and configures the connection.
    ///
    /// - Parameters:
    ///   - path: a file path; `":memory:"` for a private in-memory database (which cannot use WAL).
    ///   - create: whether to create the file when it does not exist.
    ///   - busyTimeout: how long a statement waits for another connection's lock before failing, in milliseconds.
    /// - Throws: ``StoreError`` when the file cannot be opened or configured.
    public init(path: String, create: Bool = true, busyTimeout: Int32 = 5000) throws(StoreError) {
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if create { flags |= SQLITE_OPEN_CREATE }
        var opened: OpaquePointer?
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(opened)
            throw StoreError(.sqlite, "cannot open '\(path)': \(message)", resultCode: status)
        }
        handle = opened
        self.path = path
        try check(sqlite3_extended_result_codes(handle, 1), sql: nil)
        try check(sqlite3_busy_timeout(handle, busyTimeout), sql: nil)
        if path != ":memory:" && !path.isEmpty {
            let mode = try pragma("journal_mode = WAL")
            guard mode == "wal" else {
                throw StoreError(.sqlite, "cannot switch '\(path)' to write-ahead logging (journal mode is \(mode))")
            }
        }
        try execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
    }

    deinit {
        // `_v2` defers the close until every statement is finalized; statements hold this object alive anyway.
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that return no rows needed by the caller (DDL, pragmas, simple writes).
    ///
    /// - Parameter sql: the SQL text; several statements separated by `;` are run in order.
    /// - Throws: ``StoreError`` for the first statement that fails (the ones before it have run).
    public func execute(_ sql: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if status != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_free(errorMessage)
            throw StoreError(.sqlite, message, resultCode: sqlite3_extended_errcode(handle), sql: sql)
        }
    }

    /// Compiles one SQL statement for repeated use.
    ///
    /// - Parameter sql: exactly one statement; `?` or `?NNN` mark the parameters, numbered from 1.
    /// - Returns: the prepared statement; it keeps this connection alive.
    /// - Throws: ``StoreError`` for a syntax error, an unknown table or column, or trailing SQL.
    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` … `COMMIT` transaction; rolls back when `body` throws.
    ///
    /// `IMMEDIATE` takes the write lock at the start, so two connections never both read and then fail to
    /// upgrade; a connection that waits honours the busy timeout. Transactions do not nest.
    ///
    /// - Parameter body: the work; its error is rethrown after the rollback.
    /// - Returns: what `body` returns.
    /// - Throws: `body`'s error, or ``StoreError`` when BEGIN or COMMIT fails (a failed COMMIT is rolled back).
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        let result: Result
        do {
            result = try body()
            try execute("COMMIT")
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                // The original error is what matters; a failed rollback leaves the connection to SQLite's own
                // recovery (the transaction is rolled back when the connection closes).
                try? execute("ROLLBACK")
            }
            throw error
        }
        return result
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The value `PRAGMA user_version` stores in the database header (0 in a new database).
    ///
    /// - Throws: ``StoreError`` when the pragma cannot be read or written.
    public var userVersion: Int {
        get throws(StoreError) { Int(try pragma("user_version")) ?? 0 }
    }

    /// Sets `PRAGMA user_version`.
    ///
    /// - Parameter version: the new value.
    /// - Throws: ``StoreError`` when the pragma cannot be written.
    public func setUserVersion(_ version: Int) throws(StoreError) {
        try execute("PRAGMA user_version = \(version)")
    }

    /// Runs `PRAGMA <text>` and returns the first column of its first row as text (empty when it returns none).
    ///
    /// - Parameter text: what follows `PRAGMA`, for example `"journal_mode"`.
    /// - Returns: the pragma's answer.
    /// - Throws: ``StoreError`` when the pragma fails.
    public func pragma(_ text: String) throws(StoreError) -> String {
        let statement = try prepare("PRAGMA " + text)
        guard try statement.step() == .row else { return "" }
        return statement.string(at: 0) ?? ""
    }

    /// Throws a ``StoreError`` with the connection's message unless `status` is `SQLITE_OK`.
    func check(_ status: Int32, sql: String?) throws(StoreError) {
        guard status != SQLITE_OK else { return }
        throw error(status, sql: sql)
    }

    /// The error for a failed call: the connection's message when it belongs to this status, else SQLite's text.
    func error(_ status: Int32, sql: String?) -> StoreError {
        let extended = sqlite3_extended_errcode(handle)
        let message: String
        if extended & 0xFF == status & 0xFF {
            message = String(cString: sqlite3_errmsg(handle))
        } else {
            message = String(cString: sqlite3_errstr(status))
        }
        return StoreError(.sqlite, message, resultCode: extended & 0xFF == status & 0xFF ? extended : status, sql: sql)
    }
}

/// One connection per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension SQLiteDatabase: Sendable {}
