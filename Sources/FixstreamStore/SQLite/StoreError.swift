/// Why a store operation failed: an SQLite call, the file system, or stored data that no longer parses.
///
/// `code` is a stable, extensible identifier for programs; `message` is for people. For SQLite failures
/// `resultCode` is SQLite's extended result code (`SQLITE_BUSY` is 5, `SQLITE_CONSTRAINT_PRIMARYKEY` 1555) and
/// `sql` the statement that failed. The description reads
/// `SQLite error 1555: UNIQUE constraint failed: fences.id [in: INSERT INTO fences …]`.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier of the kind of problem.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The identifier, snake_case.
        public let rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The identifier.
        public var description: String { rawValue }

        /// An SQLite call failed; see ``StoreError/resultCode`` and ``StoreError/sql``.
        public static let sqlite = Code("sqlite")
        /// A file-system call failed (creating the data directory, for example).
        public static let io = Code("io")
        /// A stored row does not parse or validate any more; the message names it.
        public static let corruptRow = Code("corrupt_row")
        /// The database was written by a newer Fixstream (its schema version is above the one this build knows).
        public static let schemaTooNew = Code("schema_too_new")
        /// A value cannot be stored as given (for example text with a NUL byte where SQLite wants a C string).
        public static let invalidArgument = Code("invalid_argument")
    }

    /// The kind of problem.
    public var code: Code
    /// What went wrong, for people.
    public var message: String
    /// SQLite's extended result code, for ``Code/sqlite`` errors.
    public var resultCode: Int32?
    /// The SQL text that failed, when there is one.
    public var sql: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, resultCode: Int32? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.sql = sql
    }

    /// The message, with SQLite's result code and the failing SQL when known.
    public var description: String {
        var text = message
        if let resultCode { text = "SQLite error \(resultCode): " + text }
        if let sql { text += " [in: \(sql)]" }
        return text
    }
}
