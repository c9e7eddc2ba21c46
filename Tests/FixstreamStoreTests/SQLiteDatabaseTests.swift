import FixstreamStore
import Testing

struct SQLiteDatabaseTests {
    @Test func opensInWriteAheadLoggingModeWithTheSettingsApplied() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(path: directory.path("a.sqlite3"))
        #expect(try database.pragma("journal_mode") == "wal")
        #expect(try database.pragma("synchronous") == "1")  // NORMAL
        #expect(try database.pragma("foreign_keys") == "1")
        #expect(try database.pragma("busy_timeout") == "5000")
        // A second connection sees the same file in WAL mode (it is stored in the file).
        try database.execute("CREATE TABLE t (x INTEGER)")
        let other = try SQLiteDatabase(path: directory.path("a.sqlite3"), create: false)
        #expect(try other.pragma("journal_mode") == "wal")
    }

    @Test func refusesAMissingFileWithoutCreate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = #expect(throws: StoreError.self) {
            try SQLiteDatabase(path: directory.path("missing.sqlite3"), create: false)
        }
        #expect(error?.code == .sqlite)
        #expect(error?.resultCode == 14)  // SQLITE_CANTOPEN
        #expect(error?.description.contains("missing.sqlite3") == true)
    }

    @Test func reportsTheFailingSQLWithTheResultCode() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (id TEXT PRIMARY KEY NOT NULL)")
        let error = #expect(throws: StoreError.self) { try database.execute("SELECT nope FROM t") }
        #expect(error?.resultCode == 1)
        #expect(error?.sql == "SELECT nope FROM t")
        #expect(error?.description.contains("no such column: nope") == true)

        let insert = try database.prepare("INSERT INTO t (id) VALUES (?)")
        try insert.bind("a", at: 1)
        try insert.run()
        try insert.bind("a", at: 1)
        let duplicate = #expect(throws: StoreError.self) { try insert.run() }
        #expect(duplicate?.resultCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(duplicate?.message.contains("UNIQUE constraint failed: t.id") == true)
        #expect(duplicate?.sql == "INSERT INTO t (id) VALUES (?)")
        // The statement is usable again after a reset.
        try insert.reset()
        try insert.bind("b", at: 1)
        try insert.run()
    }

    @Test func refusesToPrepareSeveralStatementsOrNone() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        #expect(throws: StoreError.self) { try database.prepare("SELECT 1; SELECT 2") }
        #expect(throws: StoreError.self) { try database.prepare("  ") }
        _ = try database.prepare("SELECT 1;  ")
    }

    @Test func transactionCommitsItsWork() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (x INTEGER)")
        let count = try database.transaction {
            try database.execute("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
            #expect(database.isInTransaction)
            return database.changes
        }
        #expect(count == 1)
        #expect(!database.isInTransaction)
        #expect(try database.pragma("user_version") == "0")
        let select = try database.prepare("SELECT count(*) FROM t")
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == 2)
    }

    struct Abort: Error {}

    @Test func transactionRollsBackWhenItsBodyThrows() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(path: directory.path("t.sqlite3"))
        try database.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Abort.self) {
            try database.transaction {
                try database.execute("INSERT INTO t VALUES (1)")
                throw Abort()
            }
        }
        #expect(!database.isInTransaction)
        let select = try database.prepare("SELECT count(*) FROM t")
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == 0)
        // And the connection takes new transactions.
        try database.transaction { try database.execute("INSERT INTO t VALUES (2)") }
        try select.reset()
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == 1)
    }

    @Test func userVersionIsStored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let database = try SQLiteDatabase(path: directory.path("v.sqlite3"))
            #expect(try database.userVersion == 0)
            try database.setUserVersion(7)
        }
        let reopened = try SQLiteDatabase(path: directory.path("v.sqlite3"), create: false)
        #expect(try reopened.userVersion == 7)
    }
}
