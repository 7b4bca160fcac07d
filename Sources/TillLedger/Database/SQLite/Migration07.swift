import GRDB
import TillCore

/// SQLite migration `v7-tender-totals`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Running totals of tenders by business day, drawer and kind, kept by a trigger as each
    /// tender is written (like the accounts' cached balances, re-proved by `till verify`):
    /// a settlement reads these few rows instead of every tender of the day. And an index of
    /// checks and money orders alone, for the deposit slip's list.
    static func createTenderTotals(_ db: Database) throws {
        try db.create(table: "tender_totals", options: [.strict, .withoutRowID]) { t in
            t.column("business_date", .text).notNull()
            t.column("drawer_session_id", .integer).notNull() // 0: taken without a drawer
            t.column("kind", .text).notNull()
            t.column("receipt", .integer).notNull() // 1: a payment, miscellaneous receipt or void
            t.column("count", .integer).notNull()
            t.column("amount_cents", .integer).notNull()
            t.primaryKey(["business_date", "drawer_session_id", "kind", "receipt"])
        }
        try db.execute(sql: "INSERT INTO tender_totals " + tenderTotalsSelectSQL + " WHERE true GROUP BY 1, 2, 3, 4")
        try db.execute(sql: tenderTotalsTriggerSQL)
        try db.execute(sql: """
            CREATE INDEX tenders_checks ON tenders(transaction_id) WHERE kind IN ('check', 'money-order')
            """)
    }
}
