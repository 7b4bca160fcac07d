import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight through SQLite's C API, for bulk loads where
/// per-row argument objects would cost more than the insert itself.
struct BulkStatement {
    typealias Value = SQLValue

    private let statement: Statement
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        self.statement = try db.makeStatement(sql: sql)
    }

    /// Runs the statement once and returns the new row's id.
    @discardableResult
    func insert(_ values: Value...) throws -> Int64 {
        try SQLiteDirect.execute(statement, values)
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }
}

extension Optional where Wrapped == String {
    var bulk: BulkStatement.Value { map { .text($0) } ?? .null }
}
extension Optional where Wrapped == Int64 {
    var bulk: BulkStatement.Value { map { .int($0) } ?? .null }
}
