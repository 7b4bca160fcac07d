import GRDB
import TillCore

/// SQLite migration `v3-counter`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// The counter: notes, pending shut-offs, payment plans, card brands on tenders, and
    /// the print log that the reprint queue is read from.
    static func createCounter(_ db: Database) throws {
        try db.alter(table: "accounts") { t in
            t.add(column: "shutoff_date", .text) // a shut-off notice is pending for this date
        }
        try db.alter(table: "tenders") { t in
            t.add(column: "card_brand", .text)
        }
        try db.create(table: "account_notes", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("terminal_id", .text)
            t.column("text", .text).notNull().check(sql: "length(text) BETWEEN 1 AND 500")
        }
        try db.create(index: "account_notes_account", on: "account_notes", columns: ["account_id"])
        try db.create(table: "payment_plans", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("created_at", .text).notNull()
            t.column("created_by", .integer).notNull().references("operators")
            t.column("starts_on", .text).notNull() // business date from which payments count
            t.column("installments", .integer).notNull().check(sql: "installments BETWEEN 1 AND 60")
            t.column("installment_cents", .integer).notNull().check(sql: "installment_cents > 0")
            t.column("first_due", .text).notNull()
            t.column("status", .text).notNull().defaults(to: "active")
                .check(sql: "status IN ('active','completed','broken','cancelled')")
        }
        try db.create(index: "payment_plans_account", on: "payment_plans", columns: ["account_id", "status"])
        // Every attempt to print a receipt. A receipt with no successful print is in the
        // reprint queue; one printed before prints again marked REPRINT.
        try db.create(table: "receipt_prints", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("receipt_number", .integer).notNull()
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).references("operators")
            t.column("terminal_id", .text)
            t.column("reprint", .integer).notNull()
            t.column("outcome", .text).notNull().check(sql: "outcome IN ('printed','failed')")
            t.column("detail", .text).notNull().defaults(to: "")
        }
        try db.create(index: "receipt_prints_receipt", on: "receipt_prints", columns: ["receipt_number", "outcome"])
        for table in ["account_notes", "receipt_prints"] {
            try db.execute(sql: AppendOnly.triggersSQL(for: table))
        }
        // Receipt printers are 32, 42 or 48 columns wide; 40 was never one of them.
        try db.execute(sql: "UPDATE settings SET value = '42' WHERE key = 'receipt.width' AND value = '40'")
    }
}
