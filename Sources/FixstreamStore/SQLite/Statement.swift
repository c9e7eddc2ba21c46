internal import CSQLite

/// A compiled SQL statement of one ``SQLiteDatabase``: bind parameters, step through rows, read columns, reset.
///
/// Parameters and columns are numbered as SQLite numbers them: parameters from 1, columns from 0. Text is
/// UTF-8 and copied by SQLite when bound, so arguments need not outlive the call. Owned by the connection's
/// thread, like the connection.
public final class Statement {
    /// What one ``step()`` produced.
    public enum Step: Sendable {
        /// A result row is ready to read with the column getters.
        case row
        /// The statement has finished; ``reset()`` before running it again.
        case done
    }

    /// The connection; held so that it outlives the statement.
    public let database: SQLiteDatabase
    /// The SQL text, for error messages.
    public let sql: String
    private let handle: OpaquePointer

    /// SQLite's "copy the value now" destructor (`SQLITE_TRANSIENT` is a cast macro Swift does not import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(database: SQLiteDatabase, sql: String) throws(StoreError) {
        self.database = database
        self.sql = sql
        var prepared: OpaquePointer?
        var trailing = false
        let status = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(database.handle, text, -1, 0, &prepared, &tail)
            // Only whitespace and semicolons may follow the one statement.
            if var rest = tail {
                while rest.pointee != 0 {
                    guard [0x20, 0x0A, 0x09, 0x0D, 0x3B].contains(rest.pointee) else {
                        trailing = true
                        break
                    }
                    rest += 1
                }
            }
            return status
        }
        guard status == SQLITE_OK else { throw database.error(status, sql: sql) }
        guard let prepared else {
            throw StoreError(.invalidArgument, "no SQL statement to prepare (empty text or only a comment)", sql: sql)
        }
        guard !trailing else {
            sqlite3_finalize(prepared)
            throw StoreError(.invalidArgument, "more than one SQL statement given to prepare", sql: sql)
        }
        handle = prepared
    }

    deinit {
        // The status repeats the last step's error, already reported by `step()`.
        sqlite3_finalize(handle)
    }

    // MARK: Binding

    /// Binds an integer to parameter `index` (from 1).
    ///
    /// - Throws: ``StoreError`` when the index is out of range or the statement is running.
    public func bind(_ value: Int64, at index: Int) throws(StoreError) {
        try check(sqlite3_bind_int64(handle, Int32(index), value))
    }

    /// Binds an integer to parameter `index` (from 1).
    ///
    /// - Throws: ``StoreError`` when the index is out of range or the statement is running.
    public func bind(_ value: Int, at index: Int) throws(StoreError) {
        try bind(Int64(value), at: index)
    }

    /// Binds a floating-point number to parameter `index` (from 1); NaN is stored as NULL by SQLite.
    ///
    /// - Throws: ``StoreError`` when the index is out of range or the statement is running.
    public func bind(_ value: Double, at index: Int) throws(StoreError) {
        try check(sqlite3_bind_double(handle, Int32(index), value))
    }

    /// Binds UTF-8 text to parameter `index` (from 1); SQLite copies it.
    ///
    /// - Throws: ``StoreError`` when the index is out of range, the text is too long or the statement is running.
    public func bind(_ value: String, at index: Int) throws(StoreError) {
        var value = value
        let status = value.withUTF8 { text in
            // A non-nil pointer even for "", so that SQLite stores empty text rather than NULL.
            let base = UnsafeRawPointer(text.baseAddress ?? ("" as StaticString).utf8Start)
            return sqlite3_bind_text64(
                handle,
                Int32(index),
                base.assumingMemoryBound(to: CChar.self),
                UInt64(text.count),
                Self.transient,
                UInt8(SQLITE_UTF8)
            )
        }
        try check(status)
    }

    /// Binds a blob to parameter `index` (from 1); SQLite copies it. An empty array binds an empty blob.
    ///
    /// - Throws: ``StoreError`` when the index is out of range, the blob is too long or the statement is running.
    public func bind(blob value: [UInt8], at index: Int) throws(StoreError) {
        guard !value.isEmpty else {
            // A null pointer would bind NULL: an empty blob is a zero-length zeroblob.
            try check(sqlite3_bind_zeroblob(handle, Int32(index), 0))
            return
        }
        let status = value.withUnsafeBytes { bytes in
            sqlite3_bind_blob64(handle, Int32(index), bytes.baseAddress, UInt64(bytes.count), Self.transient)
        }
        try check(status)
    }

    /// Binds NULL to parameter `index` (from 1).
    ///
    /// - Throws: ``StoreError`` when the index is out of range or the statement is running.
    public func bindNull(at index: Int) throws(StoreError) {
        try check(sqlite3_bind_null(handle, Int32(index)))
    }

    /// Binds text, or NULL when `value` is nil, to parameter `index` (from 1).
    ///
    /// - Throws: ``StoreError`` when the index is out of range or the statement is running.
    public func bind(_ value: String?, at index: Int) throws(StoreError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// The number of parameters the SQL declares.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    // MARK: Running

    /// Runs the statement to its next row, or to its end.
    ///
    /// - Returns: ``Step/row`` when a row is ready, ``Step/done`` when the statement has finished.
    /// - Throws: ``StoreError`` with the failure (a constraint, a busy database past the timeout, …); reset the
    ///   statement before using it again.
    public func step() throws(StoreError) -> Step {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return .row
        case SQLITE_DONE: return .done
        default: throw database.error(status, sql: sql)
        }
    }

    /// Steps a statement that returns no rows (INSERT, UPDATE, DELETE, DDL) to its end, then resets it, also
    /// when it fails (a statement left halted by a failure would refuse every later bind: a cached statement
    /// must survive a disk that was full for a while).
    ///
    /// - Throws: ``StoreError`` when the statement fails, or returns a row.
    public func run() throws(StoreError) {
        let step: Step
        do {
            step = try self.step()
        } catch {
            sqlite3_reset(handle)
            throw error
        }
        try reset()
        guard step == .done else {
            throw StoreError(.invalidArgument, "statement returned a row where none was expected", sql: sql)
        }
    }

    /// Rewinds the statement so it can run again, and clears its bindings to NULL.
    ///
    /// - Throws: ``StoreError`` when clearing fails. (SQLite's reset repeats the error of a failed last step,
    ///   which ``step()`` has already thrown; that repetition is not thrown again.)
    public func reset() throws(StoreError) {
        sqlite3_reset(handle)
        try check(sqlite3_clear_bindings(handle))
    }

    // MARK: Columns

    /// The number of columns in the result.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of column `index` (from 0).
    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// Whether column `index` (from 0) of the current row is NULL.
    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    /// Column `index` (from 0) of the current row as an integer (NULL gives 0; text and reals are converted).
    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(index))
    }

    /// Column `index` (from 0) of the current row as a floating-point number (NULL gives 0).
    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(index))
    }

    /// Column `index` (from 0) of the current row as UTF-8 text, or nil when it is NULL.
    public func string(at index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL,
            let text = sqlite3_column_text(handle, column)
        else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Column `index` (from 0) of the current row as bytes, or nil when it is NULL (an empty blob gives `[]`).
    public func blob(at index: Int) -> [UInt8]? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }

    // MARK: Helpers

    private func check(_ status: Int32) throws(StoreError) {
        try database.check(status, sql: sql)
    }
}

/// Owned by its connection's thread, like ``SQLiteDatabase``.
@available(*, unavailable)
extension Statement: Sendable {}
