import FixstreamStore
import Testing

struct StatementTests {
    @Test func bindsAndReadsEveryType() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let insert = try database.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        #expect(insert.parameterCount == 5)
        try insert.bind(Int64.min, at: 1)
        try insert.bind(-0.125, at: 2)
        try insert.bind("grüße \"😀\"", at: 3)
        try insert.bind(blob: [0, 1, 0xFF, 0], at: 4)
        try insert.bindNull(at: 5)
        try insert.run()
        try insert.bind(Int64.max, at: 1)
        try insert.bind(1e300, at: 2)
        try insert.bind("", at: 3)
        try insert.bind(blob: [], at: 4)
        try insert.bind(String?.none, at: 5)
        try insert.run()

        let select = try database.prepare("SELECT i, r, s, b, n FROM t ORDER BY i")
        #expect(select.columnCount == 5)
        #expect(select.columnName(at: 3) == "b")
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == Int64.min)
        #expect(select.double(at: 1) == -0.125)
        #expect(select.string(at: 2) == "grüße \"😀\"")
        #expect(select.blob(at: 3) == [0, 1, 0xFF, 0])
        #expect(select.isNull(at: 4))
        #expect(select.string(at: 4) == nil)
        #expect(select.blob(at: 4) == nil)
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == Int64.max)
        #expect(select.double(at: 1) == 1e300)
        #expect(select.string(at: 2) == "")
        #expect(!select.isNull(at: 2))
        #expect(select.blob(at: 3) == [])
        #expect(!select.isNull(at: 3))
        #expect(try select.step() == .done)
    }

    @Test func resetRunsTheStatementAgainWithClearedBindings() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let select = try database.prepare("SELECT ?1 + 1, ?1 IS NULL")
        try select.bind(41, at: 1)
        #expect(try select.step() == .row)
        #expect(select.int64(at: 0) == 42)
        #expect(try select.step() == .done)
        try select.reset()
        #expect(try select.step() == .row)
        #expect(select.int64(at: 1) == 1)
    }

    @Test func refusesAParameterIndexOutOfRange() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let select = try database.prepare("SELECT ?")
        let error = #expect(throws: StoreError.self) { try select.bind(1, at: 2) }
        #expect(error?.resultCode == 25)  // SQLITE_RANGE
        #expect(error?.sql == "SELECT ?")
    }

    @Test func runRefusesAStatementThatReturnsRows() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        #expect(throws: StoreError.self) { try database.prepare("SELECT 1").run() }
    }
}
