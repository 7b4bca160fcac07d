import GRDB
import TillCore

/// SQLite migration `v8-service`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Account service: overrides, returned checks, adjustments with their periods, refund requests
    /// for accounts payable, work orders and their history, address and contact history, batches.
    static func createService(_ db: Database) throws {
        // Every action taken under another person's authority: who asked, who approved, for what.
        try db.create(table: "overrides", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("at", .text).notNull()
            t.column("business_date", .text) // the open day it was taken on
            t.column("action", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("approver_id", .integer).notNull().references("operators")
            t.column("terminal_id", .text)
            t.column("amount_cents", .integer)
            t.column("transaction_id", .integer).references("transactions")
            t.column("detail", .text).notNull()
        }
        try db.create(index: "overrides_day", on: "overrides", columns: ["business_date"])
        try db.create(table: "returned_checks", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            // The check: a tender taken at the counter or in a batch, or a lockbox check of an imported file.
            t.column("tender_id", .integer).unique().references("tenders")
            t.column("batch_line_id", .integer).unique().references("batch_lines", column: "id") // created below
            t.check(sql: "tender_id IS NOT NULL OR batch_line_id IS NOT NULL")
            t.column("check_number", .text).notNull()
            t.column("amount_cents", .integer).notNull().check(sql: "amount_cents > 0")
            t.column("transaction_id", .integer).notNull().references("transactions") // the NSF posting
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("fee_cents", .integer).notNull()
            t.column("cash_only_until", .text).notNull()
        }
        try db.create(index: "returned_checks_transaction", on: "returned_checks", columns: ["transaction_id"])
        // Returned checks posted before this migration (the demo's) name their check now.
        try db.execute(sql: """
            INSERT INTO returned_checks(tender_id, check_number, amount_cents, transaction_id, account_id, fee_cents, cash_only_until)
            SELECT x.id, COALESCE(x.reference, ''), x.amount_cents, n.id, p.account_id,
                   COALESCE(-(SELECT SUM(f.amount_cents) FROM postings f WHERE f.transaction_id = n.id AND f.book = 'REV_NSF_FEE'), 0),
                   COALESCE(a.cash_only_until, n.business_date)
            FROM transactions n
            JOIN tenders x ON x.id = (SELECT MIN(y.id) FROM tenders y WHERE y.transaction_id = n.corrects_id AND y.kind = 'check')
            JOIN postings p ON p.id = (SELECT MIN(q.id) FROM postings q WHERE q.transaction_id = n.id AND q.book = 'AR')
            JOIN accounts a ON a.id = p.account_id
            WHERE n.kind = 'nsf'
            """)
        try db.create(table: "adjustments", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("transaction_id", .integer).notNull().unique().references("transactions")
            t.column("kind", .text).notNull().check(sql: "kind IN ('leak','late-fee','nsf-fee','reconnect-fee')")
            t.column("period_from", .text)
            t.column("period_to", .text)
            t.column("charge_posting_id", .integer).references("postings") // the fee reversed
        }
        try db.create(index: "adjustments_charge", on: "adjustments", columns: ["charge_posting_id"])
        try db.create(table: "refund_requests", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("transaction_id", .integer).notNull().unique().references("transactions")
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("source", .text).notNull().check(sql: "source IN ('credit','deposit')")
            t.column("payee", .text).notNull()
            t.column("address", .text).notNull()
            t.column("amount_cents", .integer).notNull().check(sql: "amount_cents > 0")
        }
        try db.create(table: "service_requests", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("type", .text).notNull()
            t.column("priority", .text).notNull().check(sql: "priority IN ('low','normal','high','emergency')")
            t.column("status", .text).notNull().check(sql: "status IN ('open','scheduled','done','cancelled')")
            t.column("notes", .text).notNull().defaults(to: "")
            t.column("scheduled_for", .text)
            t.column("created_at", .text).notNull()
            t.column("created_by", .integer).notNull().references("operators")
            t.column("transaction_id", .integer).references("transactions") // the payment that raised it
        }
        try db.create(index: "service_requests_status", on: "service_requests", columns: ["status", "type"])
        try db.create(index: "service_requests_account", on: "service_requests", columns: ["account_id"])
        // Who changed a request's status, when, and why: the request row holds only the latest.
        try db.create(table: "service_request_events", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("request_id", .integer).notNull().references("service_requests")
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("status", .text).notNull()
            t.column("note", .text).notNull().defaults(to: "")
        }
        try db.create(index: "service_request_events_request", on: "service_request_events", columns: ["request_id"])
        try db.create(table: "account_changes", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("account_id", .integer).notNull().references("accounts")
            t.column("field", .text).notNull()
            t.column("old_value", .text).notNull()
            t.column("new_value", .text).notNull()
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("terminal_id", .text)
        }
        try db.create(index: "account_changes_account", on: "account_changes", columns: ["account_id"])
        try db.create(table: "batches", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("kind", .text).notNull().check(sql: "kind IN ('mail','drop-box','import')")
            t.column("business_date", .text).notNull()
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("approved_by", .integer).references("operators")
            t.column("control_total_cents", .integer).notNull()
            t.column("total_cents", .integer).notNull()
            t.column("line_count", .integer).notNull()
            t.column("reason", .text).notNull().defaults(to: "")
            t.column("source", .text).notNull().defaults(to: "") // an imported file's name
        }
        try db.create(table: "batch_lines", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("batch_id", .integer).notNull().references("batches")
            t.column("line", .integer).notNull()
            t.column("transaction_id", .integer).notNull().references("transactions")
            t.column("tender", .text).notNull()
            t.column("reference", .text).notNull().defaults(to: "")
            t.column("paid_on", .text)
        }
        try db.create(index: "batch_lines_batch", on: "batch_lines", columns: ["batch_id"])
        try db.alter(table: "payment_plans") { t in
            t.add(column: "kind", .text).notNull().defaults(to: "plan") // 'plan' or 'extension'
        }
        try db.alter(table: "accounts") { t in
            t.add(column: "collections_on", .text) // the date it was referred to the collection agency
        }
        try db.execute(sql: "INSERT OR IGNORE INTO book_accounts VALUES ('BAD_DEBT', 'Bad debt written off', 'expense', 0)")
        for table in AppendOnly.v8Tables {
            try db.execute(sql: AppendOnly.triggersSQL(for: table))
        }
    }
}
