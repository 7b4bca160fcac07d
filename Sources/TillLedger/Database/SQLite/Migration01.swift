import GRDB
import TillCore

/// SQLite migration `v1-ledger`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// The settings a new ledger stores, frozen as they stood when v18 was the newest migration
    /// (v1 read the live list until then, so every ledger made so far has exactly these). A
    /// setting added later is not stored: its default applies until a supervisor sets it.
    static let v1Settings: [(String, String)] = [
        ("utility.name", "Union Public Utility District"),
        ("utility.address", "100 Main Street, Union"),
        ("utility.phone", "(555) 010-0100"),
        ("receipt.width", "42"),
        ("amount.ceiling_cents", "99999999"),
        ("signin.attempts_before_lock", "5"),
        ("signin.lock_minutes", "15"),
        ("signin.idle_lock_minutes", "5"),
        ("drawer.standard_float", "20=4,10=5,5=6,1=25,0.25=40,0.10=30,0.05=20,0.01=100"),
        ("fees.nsf_cents", "2500"),
        ("nsf.cash_only_months", "12"),
        ("authority.cashier.void_own_session", "true"),
        ("authority.csr.late_fee_reversal_cents", "2500"),
        ("authority.lead.adjustment_cents", "25000"),
        ("drawer.over_short_approval_cents", "500"),
        ("payment.register_entry", "false"),
        ("ui.theme", "default"),
        ("receipt.footer", "Thank you. Keep this receipt for your records."),
        ("printer.kind", "spool"),
        ("printer.target", ""),
        ("fees.reconnect_cents", "5000"),
        ("drawer.blind_close", "true"),
        ("authority.reversal.role", "lead"),
        ("authority.nsf.role", "lead"),
        ("authority.refund.role", "lead"),
        ("authority.transfer.role", "lead"),
        ("authority.deposit.role", "lead"),
        ("authority.plan.role", "csr"),
        ("authority.contact.role", "csr"),
        ("authority.writeoff.role", "supervisor"),
        ("fees.late_cents", "500"),
        ("fees.late_minimum_cents", "1000"),
        ("fees.late_grace_days", "5"),
        ("shutoff.past_due_days", "45"),
        ("shutoff.minimum_cents", "5000"),
        ("shutoff.notice_days", "10"),
        ("backup.keep", "30"),
        ("signin.min_pin_length", "4"),
        ("anchor.signing_key", ""),
        ("day.open_window_days", "3"),
        ("stub.scan_line", "account=10,amount=10,bill=8,check=mod10"),
        ("drawer.cash_limit_cents", "0"),
        ("drawer.cash_limit_refuses", "false"),
        ("authority.suspense.role", "csr"),
        ("import.unknown_to_suspense", "true"),
        ("suspense.warn_days", "10"),
        ("drawer.one_per_operator", "true"),
        ("drawer.drops_need_acceptance", "false"),
        ("payment.allocation_order", "oldest"),
        ("ledger.training", "false"),
        ("training.opens_drawer", "false"),
        ("pledge.counts", "fully"),
        ("authority.pledge.role", "csr"),
        ("autopay.draft_scope", "due"),
        ("ach.destination_routing", ""),
        ("ach.destination_name", ""),
        ("ach.origin", ""),
        ("ach.origin_name", ""),
        ("ach.company_name", ""),
        ("ach.company_id", ""),
        ("ach.odfi", ""),
        ("ach.entry_description", "UTIL BILL"),
        ("returns.fees", "R01=2500,R09=2500,NSF=2500"),
        ("returns.cash_only_codes", "R01,R09,NSF"),
        ("returns.cash_only_after", "2"),
        ("returns.stop_autopay_codes", "R02,R03,R04,R07,R08,R10,R16,R20,R29"),
    ]

    static func createLedger(_ db: Database) throws {
        try db.create(table: "settings", options: [.strict, .withoutRowID]) { t in
            t.primaryKey("key", .text)
            t.column("value", .text).notNull()
        }
        for (key, value) in v1Settings {
            try db.execute(sql: "INSERT INTO settings(key, value) VALUES (?, ?)", arguments: [key, value])
        }

        try db.create(table: "operators", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("login", .text).notNull().unique()
            t.column("display_name", .text).notNull()
            t.column("role", .text).notNull()
                .check(sql: "role IN ('cashier','csr','lead','supervisor')")
            t.column("pin_hash", .blob).notNull()
            t.column("pin_salt", .blob).notNull()
            t.column("pin_rounds", .integer).notNull().check(sql: "pin_rounds >= 100000")
            t.column("failed_attempts", .integer).notNull().defaults(to: 0)
            t.column("locked_until", .text)
            t.column("active", .integer).notNull().defaults(to: 1)
            t.column("created_at", .text).notNull()
        }

        try db.create(table: "terminals", options: [.strict, .withoutRowID]) { t in
            t.primaryKey("id", .text)
            t.column("description", .text).notNull().defaults(to: "")
            t.column("created_at", .text).notNull()
        }

        try db.create(table: "business_days", options: [.strict, .withoutRowID]) { t in
            t.primaryKey("date", .text)
            t.column("opened_by", .integer).notNull().references("operators")
            t.column("opened_at", .text).notNull()
            t.column("closed_by", .integer).references("operators")
            t.column("closed_at", .text)
        }
        // One business day open at a time.
        try db.execute(sql: """
            CREATE UNIQUE INDEX business_days_one_open ON business_days((closed_at IS NULL)) WHERE closed_at IS NULL
            """)

        try db.create(table: "accounts", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .text).notNull().unique()
            t.column("customer_name", .text).notNull()
            t.column("service_address", .text).notNull()
            t.column("mailing_address", .text).notNull().defaults(to: "")
            t.column("phone", .text).notNull().defaults(to: "")
            t.column("email", .text).notNull().defaults(to: "")
            t.column("meter_number", .text).notNull().defaults(to: "")
            t.column("class", .text).notNull().defaults(to: "residential")
                .check(sql: "class IN ('residential','commercial')")
            t.column("status", .text).notNull().defaults(to: "active")
                .check(sql: "status IN ('active','locked-off','final','closed')")
            t.column("cash_only_until", .text)
            // Cached sums of postings, kept by triggers below and re-proved by `till verify`.
            t.column("balance_cents", .integer).notNull().defaults(to: 0)
            t.column("deposit_held_cents", .integer).notNull().defaults(to: 0)
            t.column("created_at", .text).notNull()
        }
        try db.create(index: "accounts_meter", on: "accounts", columns: ["meter_number"])
        try db.create(index: "accounts_phone", on: "accounts", columns: ["phone"])

        try db.create(table: "book_accounts", options: [.strict, .withoutRowID]) { t in
            t.primaryKey("code", .text)
            t.column("name", .text).notNull()
            t.column("kind", .text).notNull().check(sql: "kind IN ('asset','liability','revenue','expense')")
            t.column("requires_customer", .integer).notNull()
        }
        for book in BookAccount.allCases {
            try db.execute(sql: "INSERT INTO book_accounts VALUES (?, ?, ?, ?)",
                           arguments: [book.rawValue, book.name, book.kind.rawValue, book.requiresCustomer])
        }

        try db.create(table: "drawer_sessions", options: [.strict]) { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("terminal_id", .text).notNull().references("terminals")
            t.column("business_date", .text).notNull().references("business_days")
            t.column("opened_at", .text).notNull()
            t.column("opening_float_cents", .integer).notNull()
            t.column("closed_at", .text)
        }

        try db.create(table: "transactions", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("kind", .text).notNull()
            t.column("business_date", .text).notNull()
            t.column("posted_at", .text).notNull()
            t.column("operator_id", .integer).notNull().references("operators")
            t.column("terminal_id", .text).notNull().references("terminals")
            t.column("receipt_number", .integer)
            t.column("idempotency_key", .text)
            t.column("corrects_id", .integer).references("transactions")
            t.column("override_operator_id", .integer).references("operators")
            t.column("drawer_session_id", .integer).references("drawer_sessions")
            t.column("due_date", .text)
            t.column("memo", .text).notNull().defaults(to: "")
        }
        try db.create(index: "transactions_business_date", on: "transactions", columns: ["business_date", "kind"])
        // Partial indexes: most transactions have no receipt, key or correction, and
        // those NULLs would only cost index writes.
        try db.execute(sql: """
            CREATE UNIQUE INDEX transactions_receipt ON transactions(receipt_number) WHERE receipt_number IS NOT NULL;
            CREATE UNIQUE INDEX transactions_idempotency ON transactions(idempotency_key) WHERE idempotency_key IS NOT NULL;
            CREATE INDEX transactions_corrects ON transactions(corrects_id) WHERE corrects_id IS NOT NULL;
            """)

        try db.create(table: "postings", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("transaction_id", .integer).notNull().references("transactions")
            t.column("book", .text).notNull().references("book_accounts")
            t.column("account_id", .integer).references("accounts")
            t.column("amount_cents", .integer).notNull().check(sql: "amount_cents <> 0")
        }
        try db.create(index: "postings_transaction", on: "postings", columns: ["transaction_id"])
        try db.execute(sql: """
            CREATE INDEX postings_account ON postings(account_id, book, amount_cents) WHERE account_id IS NOT NULL
            """)

        try db.create(table: "tenders", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("transaction_id", .integer).notNull().references("transactions")
            t.column("kind", .text).notNull().check(sql: "kind IN ('cash','check','money-order','card','ach')")
            t.column("amount_cents", .integer).notNull()
            t.column("tendered_cents", .integer).notNull()
            t.column("reference", .text)
            t.column("last_four", .text)
        }
        try db.create(index: "tenders_transaction", on: "tenders", columns: ["transaction_id"])

        // What each credit to a customer's receivable paid: oldest charge first.
        try db.create(table: "allocations", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("transaction_id", .integer).notNull().references("transactions")
            t.column("credit_posting_id", .integer).notNull().references("postings")
            t.column("charge_posting_id", .integer).notNull().references("postings")
            t.column("amount_cents", .integer).notNull().check(sql: "amount_cents > 0")
        }
        try db.create(index: "allocations_credit", on: "allocations", columns: ["credit_posting_id"])
        try db.create(index: "allocations_charge", on: "allocations", columns: ["charge_posting_id"])

        try db.create(table: "audit_events", options: [.strict]) { t in
            t.primaryKey("id", .integer) // append-only: ids are never reused
            t.column("at", .text).notNull()
            t.column("operator_id", .integer).references("operators")
            t.column("terminal_id", .text)
            t.column("event", .text).notNull()
            t.column("detail", .text).notNull().defaults(to: "")
        }

        try db.execute(sql: balanceCacheTriggerSQL)
        for table in AppendOnly.v1Tables {
            try db.execute(sql: AppendOnly.triggersSQL(for: table))
        }
    }
}
