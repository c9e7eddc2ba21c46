/// The control database's schema as a list of migrations; `PRAGMA user_version` counts those applied.
///
/// Append a migration to change the schema; never edit one that has shipped. Each runs in its own transaction
/// together with the version bump, so a crash leaves the database at one version or the next.
enum ControlSchema {
    /// Migration `n` (from 0) takes the database from version `n` to `n + 1`.
    static let migrations: [String] = [
        """
        CREATE TABLE fences (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT,
            feature TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE trips (
            id TEXT PRIMARY KEY NOT NULL,
            vehicle TEXT NOT NULL,
            trip TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX trips_by_vehicle ON trips (vehicle);
        CREATE TABLE vehicles (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT,
            created_at INTEGER NOT NULL
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
            do {
                try database.transaction {
                    try database.execute(migrations[next])
                    try database.setUserVersion(next + 1)
                }
            } catch let error as StoreError {
                throw error
            } catch {
                throw StoreError(.sqlite, "migration to version \(next + 1) failed: \(error)")
            }
        }
    }
}
