import FixstreamStore

/// The delivery store's schema as a list of migrations, and the checks that tell it from any other file.
///
/// The file carries ``applicationID`` in its header (`PRAGMA application_id`) and counts applied migrations in
/// `PRAGMA user_version`. Append a migration to change the schema; never edit one that has shipped.
enum DeliverySchema {
    /// `PRAGMA application_id` of every delivery store: "FSDL".
    static let applicationID: Int32 = 0x4653_444C

    /// Migration `n` (from 0) takes the store from version `n` to `n + 1`.
    ///
    /// `cursors.last_id`: every journal id up to it was delivered to the endpoint, dead-lettered, or skipped by
    /// its filter. `dead_letters` holds batches whose retries ran out, with the exact body that was POSTed (the
    /// JSON array; it is signed again when replayed) and `alerts`, the number of alerts in it. `AUTOINCREMENT`
    /// keeps a deleted dead letter's id from ever naming another. The partial index finds replay requests
    /// without scanning the table.
    static let migrations: [String] = [
        """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE cursors (
            endpoint TEXT PRIMARY KEY NOT NULL,
            last_id INTEGER NOT NULL
        );
        CREATE TABLE dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
            endpoint TEXT NOT NULL,
            first_alert INTEGER NOT NULL,
            last_alert INTEGER NOT NULL,
            alerts INTEGER NOT NULL,
            body BLOB NOT NULL,
            attempts INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            failed_at INTEGER NOT NULL,
            replay_requested INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX dead_letters_replay ON dead_letters (endpoint, id) WHERE replay_requested = 1;
        """
    ]

    /// The version this build writes and understands.
    static var currentVersion: Int { migrations.count }

    /// Checks that `database` is a delivery store this build reads, creating or migrating it, in one
    /// `BEGIN IMMEDIATE` transaction (two connections opening a new file at once create the schema once).
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/notADeliveryStore`` for any other database,
    ///   ``StoreError/Code/schemaTooNew`` for a store from a newer build, ``StoreError/Code/sqlite`` otherwise.
    static func prepare(_ database: SQLiteDatabase) throws(StoreError) {
        try database.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            let applicationID = Int32(truncatingIfNeeded: Int64(try database.pragma("application_id")) ?? 0)
            let version = try database.userVersion
            let objects = try database.prepare("SELECT count(*) FROM sqlite_master")
            _ = try objects.step()
            let count = objects.int64(at: 0)
            try objects.reset()
            guard applicationID == Self.applicationID || (applicationID == 0 && version == 0 && count == 0) else {
                throw StoreError(
                    .notADeliveryStore,
                    "'\(database.path)' is not a webhook delivery store (application_id \(applicationID), user_version \(version), \(count) schema objects)"
                )
            }
            guard version <= currentVersion else {
                throw StoreError(
                    .schemaTooNew,
                    "'\(database.path)' has delivery schema version \(version); this build knows versions up to \(currentVersion)"
                )
            }
            for next in version ..< currentVersion { try database.execute(migrations[next]) }
            if version < currentVersion { try database.setUserVersion(currentVersion) }
            try database.execute("COMMIT")
        } catch {
            if database.isInTransaction { try? database.execute("ROLLBACK") }
            throw error
        }
    }
}
