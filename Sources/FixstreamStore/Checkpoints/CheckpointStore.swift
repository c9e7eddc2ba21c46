/// The detectors' per-vehicle state, saved so that a restarted server carries on: `<data directory>/
/// checkpoints.sqlite3`, one row per vehicle (its id, the engine's blob, when it was saved).
///
/// ``save(_:)`` replaces the rows it is given in one transaction; ``load(each:)`` reads every row back at start.
/// The blobs are opaque here: the engine writes and checks them.
///
/// **Durability.** Write-ahead logging with `synchronous=NORMAL`: a save survives the process dying, and a power
/// loss at worst loses the latest saves (the detectors then resume from older state), never corrupts the file.
/// The log is truncated to ``walSizeLimit`` after each checkpoint of it, so saving a large fleet does not leave a
/// large log behind.
///
/// **Threading.** Like its ``SQLiteDatabase``, a store belongs to the thread that opened it: one writer (the
/// server's checkpoint thread), and one connection per other thread that needs one.
public final class CheckpointStore {
    /// The database file's name inside the data directory.
    public static let fileName = "checkpoints.sqlite3"

    /// The schema version this build writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { CheckpointSchema.currentVersion }

    /// The size the write-ahead log is truncated to after a checkpoint (`PRAGMA journal_size_limit`), in bytes.
    public static let walSizeLimit = 64 << 20

    /// The connection; exposed for tests and maintenance.
    public let database: SQLiteDatabase
    /// Where the database file lives.
    public let path: String
    /// Milliseconds since the epoch, recorded as `saved_at`.
    let clock: () -> Int64
    private let upsert: Statement

    /// Opens the store in `dataDirectory`, creating the directory, the file and the schema as needed.
    ///
    /// - Parameters:
    ///   - dataDirectory: the server's data directory.
    ///   - clock: the time recorded with each save, in milliseconds since the epoch (wall clock by default).
    /// - Throws: ``StoreError`` when the directory or database cannot be created or opened, is not SQLite, or was
    ///   written by a newer build.
    public init(dataDirectory: String, clock: @escaping () -> Int64 = CheckpointStore.wallClock) throws(StoreError) {
        try FileSystem.makeDirectories(dataDirectory)
        path = (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + Self.fileName
        database = try SQLiteDatabase(path: path)
        self.clock = clock
        try CheckpointSchema.migrate(database)
        try database.execute("PRAGMA journal_size_limit = \(Self.walSizeLimit)")
        upsert = try database.prepare(
            """
            INSERT INTO vehicles (id, state, saved_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at
            """
        )
    }

    /// The wall clock in milliseconds since the Unix epoch (`CLOCK_REALTIME`): the default clock.
    public static func wallClock() -> Int64 { FileSystem.nowMilliseconds() }

    /// Stores `rows` (vehicle id, state), replacing what was stored for those vehicles, in one transaction: all of
    /// them or none.
    ///
    /// - Parameter rows: the rows; an id given twice keeps the later state.
    /// - Throws: ``StoreError`` when the transaction fails (it is rolled back).
    /// - Complexity: O(n log N) for n rows into a store of N.
    public func save(_ rows: some Collection<(String, [UInt8])>) throws(StoreError) {
        guard !rows.isEmpty else { return }
        let now = clock()
        try database.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            for (id, state) in rows {
                try upsert.bind(id, at: 1)
                try upsert.bind(blob: state, at: 2)
                try upsert.bind(now, at: 3)
                try upsert.run()
            }
            try database.execute("COMMIT")
        } catch {
            if database.isInTransaction { try? database.execute("ROLLBACK") }
            throw error
        }
    }

    /// Calls `body` with every stored row (vehicle id, state), reading one row at a time in storage order (a
    /// sequential scan: 1,000,000 rows in a fraction of a second, where id order would cost a lookup per row).
    ///
    /// - Throws: ``StoreError`` when reading fails, or a row holds NULL.
    public func load(each body: (_ id: String, _ state: [UInt8]) -> Void) throws(StoreError) {
        let statement = try database.prepare("SELECT id, state FROM vehicles")
        while try statement.step() == .row {
            guard let id = statement.string(at: 0), let state = statement.blob(at: 1) else {
                throw StoreError(.corruptRow, "a checkpoint row of '\(path)' holds NULL")
            }
            body(id, state)
        }
    }

    /// The number of vehicles stored.
    ///
    /// - Throws: ``StoreError`` when the read fails.
    public var count: Int {
        get throws(StoreError) {
            let statement = try database.prepare("SELECT count(*) FROM vehicles")
            _ = try statement.step()
            return Int(statement.int64(at: 0))
        }
    }
}

/// One store per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension CheckpointStore: Sendable {}
