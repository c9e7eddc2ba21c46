/// Fences, trips and vehicles kept in `<data directory>/control.sqlite3`, the server's control data.
///
/// Imports are all or nothing: a document is parsed and checked completely before anything is written, and
/// then written in one transaction. Stored fences and trips keep their JSON as given (re-serialized compactly
/// by ``FixstreamJSON/JSONValue/serialized()``), so nothing a producer sent is lost, and load back into the same
/// values. Times (`updatedAt`, `createdAt`) are milliseconds since the Unix epoch.
///
/// Threading: like its ``SQLiteDatabase``, a store belongs to the thread that opened it. Open one per thread
/// that needs one (SQLite with WAL lets readers proceed while one writer commits; writers wait up to the busy
/// timeout for each other).
public final class ControlStore {
    /// The database file's name inside the data directory.
    public static let fileName = "control.sqlite3"

    /// The schema version this build writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { ControlSchema.currentVersion }

    /// The connection; exposed for tests and maintenance.
    public let database: SQLiteDatabase
    /// Where the database file lives.
    public let path: String
    /// Milliseconds since the epoch, for `updated_at` and `created_at`.
    let clock: () -> Int64

    /// Opens the store in `dataDirectory`, creating the directory, the file and the schema as needed, and
    /// migrating an older schema.
    ///
    /// - Parameters:
    ///   - dataDirectory: the server's data directory.
    ///   - clock: the time to record on writes, in milliseconds since the epoch (wall clock by default).
    /// - Throws: ``StoreError`` when the directory or database cannot be created or opened, or was written by a
    ///   newer build.
    public init(
        dataDirectory: String,
        clock: @escaping () -> Int64 = ControlStore.wallClock
    ) throws(StoreError) {
        try FileSystem.makeDirectories(dataDirectory)
        path = (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + Self.fileName
        database = try SQLiteDatabase(path: path)
        self.clock = clock
        try ControlSchema.migrate(database)
    }

    /// The schema version of the open database (``schemaVersion`` once opened).
    ///
    /// - Throws: ``StoreError`` when the version cannot be read.
    public var storedSchemaVersion: Int {
        get throws(StoreError) { try database.userVersion }
    }

    /// The wall clock in milliseconds since the Unix epoch (`CLOCK_REALTIME`): the default clock.
    public static func wallClock() -> Int64 { FileSystem.nowMilliseconds() }
}

/// One store per thread: the compiler refuses to send it elsewhere.
@available(*, unavailable)
extension ControlStore: Sendable {}
