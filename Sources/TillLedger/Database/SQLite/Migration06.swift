import GRDB
import TillCore

/// SQLite migration `v6-day`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// The day's procedures: floats, drops and closing counts by denomination, drawer closes
    /// with their over/short and Z number, and the day's deposit.
    static func createDay(_ db: Database) throws {
        try db.alter(table: "drawer_sessions") { t in
            t.add(column: "float_reason", .text) // why the float differs from the standard one
        }
        try db.create(index: "drawer_sessions_day", on: "drawer_sessions", columns: ["business_date"])
        try db.execute(sql: """
            CREATE INDEX transactions_drawer ON transactions(drawer_session_id) WHERE drawer_session_id IS NOT NULL
            """)
        // Settlement reads what each of the day's payments paid: allocations by their transaction.
        try db.create(index: "allocations_transaction", on: "allocations", columns: ["transaction_id"])
        // Every count of cash by denomination: the opening float, each drop to the safe,
        // the closing count.
        try db.create(table: "cash_counts", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("drawer_session_id", .integer).notNull().references("drawer_sessions")
            t.column("kind", .text).notNull().check(sql: "kind IN ('float','drop','close')")
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("total_cents", .integer).notNull().check(sql: "total_cents >= 0")
            t.column("transaction_id", .integer).references("transactions") // a drop's posting
            t.column("bag", .text) // a drop's bag number
        }
        try db.create(index: "cash_counts_session", on: "cash_counts", columns: ["drawer_session_id", "kind"])
        try db.create(table: "cash_count_lines", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("count_id", .integer).notNull().references("cash_counts")
            t.column("denomination", .text).notNull()
            t.column("quantity", .integer).notNull().check(sql: "quantity > 0")
        }
        try db.create(index: "cash_count_lines_count", on: "cash_count_lines", columns: ["count_id"])
        try db.create(table: "drawer_closes", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("drawer_session_id", .integer).notNull().unique().references("drawer_sessions")
            t.column("z_number", .integer).notNull().unique()
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("approved_by", .integer).references("operators")
            t.column("reason", .text).notNull().defaults(to: "")
            t.column("count_id", .integer).notNull().references("cash_counts")
            t.column("expected_cash_cents", .integer).notNull()
            t.column("counted_cash_cents", .integer).notNull()
            t.column("cash_over_short_cents", .integer).notNull()
            t.column("checks_over_short_cents", .integer).notNull()
            t.column("money_orders_over_short_cents", .integer).notNull()
            t.column("expected_card_cents", .integer).notNull()
            t.column("card_batch_cents", .integer).notNull()
            t.column("card_over_short_cents", .integer).notNull()
            t.column("transaction_id", .integer).references("transactions") // the over/short posting
        }
        // Checks and money orders listed at a close but not found in the drawer.
        try db.create(table: "drawer_close_missing", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("close_id", .integer).notNull().references("drawer_closes")
            t.column("tender_id", .integer).notNull().references("tenders")
        }
        try db.alter(table: "business_days") { t in
            t.add(column: "deposit_bag", .text)
            t.add(column: "deposit_transaction_id", .integer).references("transactions")
        }
        for table in ["cash_counts", "cash_count_lines", "drawer_closes", "drawer_close_missing"] {
            try db.execute(sql: AppendOnly.triggersSQL(for: table))
        }
        // The standard float is kept by denomination; its total is the sum.
        try db.execute(sql: "DELETE FROM settings WHERE key = 'drawer.standard_float_cents'")
        try db.execute(sql: "INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)",
                       arguments: [SettingKey.standardFloat.rawValue, SettingKey.defaultValue(.standardFloat)])
    }
}
