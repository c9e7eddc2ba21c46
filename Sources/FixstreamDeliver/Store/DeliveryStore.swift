package import FixstreamStore
import Foundation

/// What webhook delivery keeps on disk, in `<data directory>/delivery.sqlite3` (SQLite, WAL): each endpoint's
/// durable cursor and the dead letters.
///
/// **Threading.** Like its ``SQLiteDatabase``, a store belongs to the thread that opened it (or that it was moved
/// to): the delivery thread has one, the HTTP thread another (through ``DeadLetters``). SQLite coordinates the
/// connections; every write is a short transaction.
package final class DeliveryStore {
    /// The database file's name inside the data directory.
    package static let fileName = "delivery.sqlite3"

    /// The connection.
    private let database: SQLiteDatabase
    /// Prepared statements by SQL text.
    private var statements: [String: Statement] = [:]

    /// Opens (creating as needed: the directory, the file, the schema) the store in `dataDirectory`.
    ///
    /// - Throws: ``StoreError``: ``StoreError/Code/notADeliveryStore`` for another kind of file,
    ///   ``StoreError/Code/schemaTooNew`` when a newer build wrote it, ``StoreError/Code/sqlite`` otherwise.
    package init(dataDirectory: String) throws(StoreError) {
        // SQLite creates the file, not its directory; when this fails, opening the file says why.
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let path = (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + Self.fileName
        database = try SQLiteDatabase(path: path)
        try DeliverySchema.prepare(database)
    }

    // MARK: Cursors

    /// The endpoint's cursor, or nil when it has none (a new endpoint).
    ///
    /// - Throws: ``StoreError`` when the read fails.
    package func cursor(for endpoint: String) throws(StoreError) -> Int64? {
        let statement = try cached("SELECT last_id FROM cursors WHERE endpoint = ?")
        defer { try? statement.reset() }
        try statement.bind(endpoint, at: 1)
        guard try statement.step() == .row else { return nil }
        return statement.int64(at: 0)
    }

    /// Stores the endpoint's cursor (every alert id up to `id` is done with).
    ///
    /// - Throws: ``StoreError`` when the write fails.
    package func setCursor(_ id: Int64, for endpoint: String) throws(StoreError) {
        let statement = try cached(
            """
            INSERT INTO cursors (endpoint, last_id) VALUES (?1, ?2)
            ON CONFLICT (endpoint) DO UPDATE SET last_id = excluded.last_id
            """
        )
        try statement.bind(endpoint, at: 1)
        try statement.bind(id, at: 2)
        try statement.run()
    }

    // MARK: Dead letters

    /// Stores `batch` as a dead letter and moves the endpoint's cursor past it, in one transaction.
    ///
    /// - Returns: the dead letter's id.
    /// - Throws: ``StoreError`` when the write fails (nothing is written then).
    package func deadLetter(
        _ batch: WebhookBatch,
        endpoint: String,
        attempts: Int,
        error: String,
        at time: Int64
    ) throws(StoreError) -> Int64 {
        try inTransaction { () throws(StoreError) -> Int64 in
            let insert = try cached(
                """
                INSERT INTO dead_letters (endpoint, first_alert, last_alert, alerts, body, attempts, last_error, failed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            )
            try insert.bind(endpoint, at: 1)
            try insert.bind(batch.firstAlert, at: 2)
            try insert.bind(batch.lastAlert, at: 3)
            try insert.bind(batch.alerts, at: 4)
            try insert.bind(blob: batch.body, at: 5)
            try insert.bind(attempts, at: 6)
            try insert.bind(error, at: 7)
            try insert.bind(time, at: 8)
            try insert.run()
            let id = database.lastInsertRowID
            try setCursor(batch.cursor, for: endpoint)
            return id
        }
    }

    /// The oldest dead letter of `endpoint` whose replay was requested, with its body.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    package func nextReplay(for endpoint: String) throws(StoreError) -> (letter: DeadLetter, body: [UInt8])? {
        let statement = try cached(
            """
            SELECT \(Self.listColumns), body FROM dead_letters
            WHERE endpoint = ? AND replay_requested = 1 ORDER BY id LIMIT 1
            """
        )
        defer { try? statement.reset() }
        try statement.bind(endpoint, at: 1)
        guard try statement.step() == .row else { return nil }
        return (Self.deadLetter(statement), statement.blob(at: 9) ?? [])
    }

    /// Records a failed replay: one more attempt, the error and its time; the replay request is cleared.
    ///
    /// - Throws: ``StoreError`` when the write fails.
    package func replayFailed(_ id: Int64, error: String, at time: Int64) throws(StoreError) {
        let statement = try cached(
            """
            UPDATE dead_letters SET attempts = attempts + 1, last_error = ?2, failed_at = ?3, replay_requested = 0
            WHERE id = ?1
            """
        )
        try statement.bind(id, at: 1)
        try statement.bind(error, at: 2)
        try statement.bind(time, at: 3)
        try statement.run()
    }

    /// Up to `limit` dead letters with ids above `after`, oldest first, of one endpoint or all.
    ///
    /// - Throws: ``StoreError`` when the read fails or `limit` is negative.
    package func deadLetters(endpoint: String?, after: Int64, limit: Int) throws(StoreError) -> [DeadLetter] {
        guard limit >= 0 else { throw StoreError(.invalidArgument, "a dead-letter list needs a limit of 0 or more") }
        let statement = try cached(
            "SELECT \(Self.listColumns) FROM dead_letters WHERE id > ?1 AND (?2 IS NULL OR endpoint = ?2) ORDER BY id LIMIT ?3"
        )
        defer { try? statement.reset() }
        try statement.bind(after, at: 1)
        try statement.bind(endpoint, at: 2)
        try statement.bind(limit, at: 3)
        var letters: [DeadLetter] = []
        while try statement.step() == .row { letters.append(Self.deadLetter(statement)) }
        return letters
    }

    /// Asks for a dead letter to be replayed.
    ///
    /// - Returns: whether it exists.
    /// - Throws: ``StoreError`` when the write fails.
    package func requestReplay(_ id: Int64) throws(StoreError) -> Bool {
        let statement = try cached("UPDATE dead_letters SET replay_requested = 1 WHERE id = ?")
        try statement.bind(id, at: 1)
        try statement.run()
        return database.changes > 0
    }

    /// Deletes a dead letter (after a successful replay, or on request).
    ///
    /// - Returns: whether it existed.
    /// - Throws: ``StoreError`` when the write fails.
    @discardableResult
    package func deleteDeadLetter(_ id: Int64) throws(StoreError) -> Bool {
        let statement = try cached("DELETE FROM dead_letters WHERE id = ?")
        try statement.bind(id, at: 1)
        try statement.run()
        return database.changes > 0
    }

    // MARK: Helpers

    /// The columns ``deadLetter(_:)`` reads, in order.
    private static let listColumns =
        "id, endpoint, first_alert, last_alert, alerts, attempts, last_error, failed_at, replay_requested"

    /// The dead letter in the current row of a statement selecting ``listColumns`` first.
    private static func deadLetter(_ row: Statement) -> DeadLetter {
        DeadLetter(
            id: row.int64(at: 0),
            endpoint: row.string(at: 1) ?? "",
            firstAlert: row.int64(at: 2),
            lastAlert: row.int64(at: 3),
            alerts: Int(row.int64(at: 4)),
            attempts: Int(row.int64(at: 5)),
            lastError: row.string(at: 6) ?? "",
            failedAt: row.int64(at: 7),
            replayRequested: row.int64(at: 8) != 0
        )
    }

    /// The prepared statement for `sql`, compiled on first use.
    private func cached(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try database.prepare(sql)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` … `COMMIT` transaction; rolls back when it throws.
    private func inTransaction<Result>(_ body: () throws(StoreError) -> Result) throws(StoreError) -> Result {
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
}

/// One store per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension DeliveryStore: Sendable {}
