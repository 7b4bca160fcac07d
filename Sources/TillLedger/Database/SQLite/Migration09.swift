import GRDB
import TillCore

/// SQLite migration `v9-chain`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// The tamper-evident chain (`Chain`): one seal per transaction, the existing ones sealed now.
    static func createChain(_ db: Database) throws {
        try db.create(table: "transaction_hashes", options: [.strict]) { t in
            t.primaryKey("seq", .integer) // the order sealed; append-only: never reused
            t.column("transaction_id", .integer).notNull().unique()
            t.column("hash", .blob).notNull()
        }
        try db.execute(sql: AppendOnly.triggersSQL(for: "transaction_hashes"))
        try Chain.sealPending(Store(db))
    }
}
