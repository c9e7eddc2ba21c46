/// The journal's schema as a list of migrations, and the checks that tell a journal from any other file.
///
/// A journal carries ``applicationID`` in its header (`PRAGMA application_id`) and counts applied migrations in
/// `PRAGMA user_version`. Append a migration to change the schema; never edit one that has shipped.
enum JournalSchema {
    /// `PRAGMA application_id` of every journal: "FSJL".
    static let applicationID: Int32 = 0x4653_4A4C

    /// Migration `n` (from 0) takes the journal from version `n` to `n + 1`.
    ///
    /// `alerts.id` is the rowid: appends with increasing ids go to the right edge of the table's B-tree and reads
    /// scan it in order. No secondary index: each costs about 7x on appends (SWIFT-NOTES.md), and the feeds read
    /// forward from an id. The filter columns come before `body` so SQLite decodes them without touching it.
    /// `journal_state.last_id` is the high-water mark: the largest id ever appended, kept when retention deletes
    /// every row, so ids keep increasing across restarts.
    static let migrations: [String] = [
        """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY NOT NULL,
            type TEXT NOT NULL,
            vehicle TEXT NOT NULL,
            fence TEXT,
            trip TEXT,
            time INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            body BLOB NOT NULL
        );
        CREATE TABLE journal_state (
            singleton INTEGER PRIMARY KEY NOT NULL CHECK (singleton = 1),
            last_id INTEGER NOT NULL
        );
        INSERT INTO journal_state (singleton, last_id) VALUES (1, 0);
        """
    ]

    /// The version this build writes and understands.
    static var currentVersion: Int { migrations.count }

    /// What the header and catalogue of an open database say it is.
    enum Kind {
        /// A journal at `version`.
        case journal(version: Int)
        /// A database with nothing in it (a new file): it may become a journal.
        case empty
        /// Something else; the text says what.
        case foreign(String)
    }

    /// Reads the header and catalogue of `database`.
    static func kind(of database: SQLiteDatabase) throws(StoreError) -> Kind {
        let applicationID = Int32(truncatingIfNeeded: Int64(try database.pragma("application_id")) ?? 0)
        let version = try database.userVersion
        let objects = try database.prepare("SELECT count(*) FROM sqlite_master")
        _ = try objects.step()
        let count = objects.int64(at: 0)
        try objects.reset()
        if applicationID == Self.applicationID { return .journal(version: version) }
        if applicationID == 0 && version == 0 && count == 0 { return .empty }
        return .foreign("application_id \(applicationID), user_version \(version), \(count) schema objects")
    }

    /// Checks that `database` is a journal this build reads, creating or migrating it when `migrate` is set.
    ///
    /// With `migrate`, runs in one `BEGIN IMMEDIATE` transaction, so two writers opening a new file at once
    /// create the schema once.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/notAJournal`` for any other database,
    ///   ``StoreError/Code/schemaTooNew`` for a journal from a newer build, ``StoreError/Code/readOnly`` when a
    ///   read-only open finds a journal that still needs creating or migrating.
    static func prepare(_ database: SQLiteDatabase, migrate: Bool) throws(StoreError) {
        if migrate { try database.execute("BEGIN IMMEDIATE") }
        do throws(StoreError) {
            let from: Int
            switch try kind(of: database) {
            case .journal(let version): from = version
            case .empty: from = 0
            case .foreign(let what):
                throw StoreError(.notAJournal, "'\(database.path)' is not an alert journal (\(what))")
            }
            guard from <= currentVersion else {
                throw StoreError(
                    .schemaTooNew,
                    "'\(database.path)' has journal schema version \(from); this build knows versions up to \(currentVersion)"
                )
            }
            if from < currentVersion {
                guard migrate else {
                    throw StoreError(
                        .readOnly,
                        "'\(database.path)' has journal schema version \(from), not \(currentVersion); open it for writing once to bring it up to date"
                    )
                }
                for next in from ..< currentVersion { try database.execute(migrations[next]) }
                try database.setUserVersion(currentVersion)
            }
            if migrate { try database.execute("COMMIT") }
        } catch {
            if database.isInTransaction { try? database.execute("ROLLBACK") }
            throw error
        }
    }
}
