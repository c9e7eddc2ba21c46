/// The checkpoint database's schema as a list of migrations; `PRAGMA user_version` counts those applied.
///
/// Append a migration to change the schema; never edit one that has shipped. Each runs in its own transaction
/// together with the version bump.
enum CheckpointSchema {
    /// Migration `n` (from 0) takes the database from version `n` to `n + 1`.
    ///
    /// One row per vehicle, replaced at every save: `state` is the engine's blob (its own format is versioned
    /// inside), `saved_at` the wall-clock time of the save in milliseconds. A rowid table (the id's index holds
    /// only ids): with rows of about 450 bytes, `WITHOUT ROWID` made saves of 1,000,000 vehicles 2 to 4 times
    /// slower (rows inserted in the middle of a B-tree of large rows split pages), for a faster ordered scan that
    /// a restart does not need (it scans in rowid order).
    static let migrations: [String] = [
        """
        CREATE TABLE vehicles (
            id TEXT PRIMARY KEY NOT NULL,
            state BLOB NOT NULL,
            saved_at INTEGER NOT NULL
        );
        """
    ]

    /// The version this build writes and understands.
    static var currentVersion: Int { migrations.count }

    /// Brings `database` up to ``currentVersion``.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/schemaTooNew`` for a database from a newer build, or the
    ///   failure of a migration (which is rolled back).
    static func migrate(_ database: SQLiteDatabase) throws(StoreError) {
        let version = try database.userVersion
        guard version <= currentVersion else {
            throw StoreError(
                .schemaTooNew,
                "'\(database.path)' has schema version \(version); this build knows versions up to \(currentVersion)"
            )
        }
        for next in version ..< currentVersion {
            try database.execute("BEGIN IMMEDIATE")
            do throws(StoreError) {
                try database.execute(migrations[next])
                try database.setUserVersion(next + 1)
                try database.execute("COMMIT")
            } catch {
                if database.isInTransaction { try? database.execute("ROLLBACK") }
                throw error
            }
        }
    }
}
