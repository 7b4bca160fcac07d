import GRDB
import GRDBSQLite

/// The write path's prepared statements run straight on SQLite's C API: the arguments bound
/// from the ledger's own values, the rows read into `SQLRow`s. GRDB's general path (argument
/// objects, validation, temporary bindings, its row objects) was a fifth of a payment file's
/// import (docs/PERFORMANCE.md). Statements are still prepared and cached by GRDB, inside
/// GRDB's transactions; only their execution is here. Bad arguments and SQLite's refusals
/// (a trigger's RAISE, a constraint) come back as GRDB's `DatabaseError`, as before.
enum SQLiteDirect {
    /// SQLite copies what is bound: the Swift value may go away after binding.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Resets `statement` and binds `values` to its parameters, 1 to n.
    static func bind(_ values: [SQLValue], to statement: Statement) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle) // an earlier run's error was reported by that run
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "wrong number of statement arguments: \(values.count) given, \(expected) expected",
                                sql: statement.sql)
        }
        for (offset, value) in values.enumerated() {
            let code = bind(value, at: Int32(offset + 1), handle)
            guard code == SQLITE_OK else { throw error(code, statement) }
        }
    }

    static func bind(_ value: SQLValue, at index: Int32, _ handle: SQLiteStatement) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(handle, index)
        case .int(let number):
            return sqlite3_bind_int64(handle, index, number)
        case .text(let text):
            // By its length in bytes, so a text is bound whole (a NUL inside included).
            var text = text
            return text.withUTF8 { bytes in
                guard let start = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
                return sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self),
                                         Int32(bytes.count), transient)
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { raw in
                // An empty blob is bound as one of no bytes, not as NULL.
                bytes.isEmpty ? sqlite3_bind_zeroblob(handle, index, 0)
                    : sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), transient)
            }
        }
    }

    /// Runs `statement` with `values` to its end (an INSERT's or UPDATE's triggers included).
    static func execute(_ statement: Statement, _ values: [SQLValue]) throws {
        try bind(values, to: statement)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code, statement) }
        }
    }

    /// The rows `statement` gives for `values`; at most `limit` of them.
    static func rows(_ statement: Statement, _ values: [SQLValue], limit: Int = .max) throws -> [SQLRow] {
        try bind(values, to: statement)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let count = sqlite3_column_count(handle)
        var rows: [SQLRow] = []
        var names: SQLColumnNames? // made with the first row, shared by the rest
        while rows.count < limit {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw error(code, statement) }
            let columns = names ?? SQLColumnNames(statement.columnNames)
            names = columns
            rows.append(SQLRow(columns: columns, values: (0..<count).map { value(handle, $0) }))
        }
        return rows
    }

    /// Column `index` of the current row, as the ledger reads values.
    static func value(_ handle: SQLiteStatement, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .int(sqlite3_column_int64(handle, index))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let start = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: start, count: count)))
        default:
            // Text, and (no ledger column holds one) a floating value as SQLite writes it as text.
            guard let start = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self))
        }
    }

    static func error(_ code: Int32, _ statement: Statement) -> DatabaseError {
        let connection = sqlite3_db_handle(statement.sqliteStatement)
        return DatabaseError(resultCode: ResultCode(rawValue: code),
                             message: connection.map { String(cString: sqlite3_errmsg($0)) },
                             sql: statement.sql)
    }
}
