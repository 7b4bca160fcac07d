import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight through SQLite's C API, for bulk loads where
/// per-row argument objects would cost more than the insert itself.
struct BulkStatement {
    enum Value {
        case int(Int64)
        case text(String)
        case null
    }

    private let statement: Statement
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        self.statement = try db.makeStatement(sql: sql)
    }

    /// Runs the statement once and returns the new row's id.
    @discardableResult
    func insert(_ values: Value...) throws -> Int64 {
        let raw = statement.sqliteStatement
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .int(let number): sqlite3_bind_int64(raw, index, number)
            case .null: sqlite3_bind_null(raw, index)
            case .text(let text):
                var text = text
                text.withUTF8 { bytes in
                    _ = sqlite3_bind_text(raw, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                          Int32(bytes.count), Self.transient)
                }
            }
        }
        let code = sqlite3_step(raw)
        sqlite3_reset(raw)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension Optional where Wrapped == String {
    var bulk: BulkStatement.Value { map { .text($0) } ?? .null }
}
extension Optional where Wrapped == Int64 {
    var bulk: BulkStatement.Value { map { .int($0) } ?? .null }
}
