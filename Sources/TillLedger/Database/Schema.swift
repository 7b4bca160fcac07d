import GRDB
import TillCore

/// The ledger's schema as named, append-only migrations: a migration once shipped
/// is never edited; a change is a new migration.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-ledger", migrate: createLedger)
        migrator.registerMigration("v2-account-search", migrate: createAccountSearch)
        migrator.registerMigration("v3-counter", migrate: createCounter)
        migrator.registerMigration("v4-search-prefixes", migrate: widenSearchPrefixes)
        migrator.registerMigration("v5-terminal-receipts", migrate: indexTerminalReceipts)
        migrator.registerMigration("v6-day", migrate: createDay)
        migrator.registerMigration("v7-tender-totals", migrate: createTenderTotals)
        migrator.registerMigration("v8-service", migrate: createService)
        migrator.registerMigration("v9-chain", migrate: createChain)
        migrator.registerMigration("v10-reconcile", migrate: createReconcile)
        migrator.registerMigration("v11-search-latin-letters", migrate: foldLatinLettersInSearch)
        migrator.registerMigration("v12-sealed-records", migrate: createRecordSeals)
        migrator.registerMigration("v13-suspense", migrate: createSuspense)
        migrator.registerMigration("v14-turn-ins", migrate: createTurnIns)
        migrator.registerMigration("v15-open-item-bill-dates", migrate: keepOpenItemBillDates)
        migrator.registerMigration("v16-assistance", migrate: createAssistance)
        migrator.registerMigration("v17-autopay", migrate: createAutopay)
        migrator.registerMigration("v18-returns", migrate: createReturns)
        migrator.registerMigration("v19-offices", migrate: createOffices)
        migrator.registerMigration("v20-office-receipts", migrate: createOfficeReceipts)
        return migrator
    }

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

    private static func createLedger(_ db: Database) throws {
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

extension Schema {
    /// Lookup at the counter: an FTS5 index over what a customer can tell the cashier
    /// (account number, name, service address, phone, meter), with prefix indexes for
    /// the first characters typed. Accents are folded: "nunez" finds "Núñez".
    fileprivate static func createAccountSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'accounts', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
                INSERT INTO account_search(rowid, number, customer_name, service_address, phone, meter_number)
                VALUES (new.id, new.number, new.customer_name, new.service_address, new.phone, new.meter_number);
            END;
            CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
                INSERT INTO account_search(account_search, rowid, number, customer_name, service_address, phone, meter_number)
                VALUES ('delete', old.id, old.number, old.customer_name, old.service_address, old.phone, old.meter_number);
            END;
            CREATE TRIGGER accounts_search_update
            AFTER UPDATE OF number, customer_name, service_address, phone, meter_number ON accounts BEGIN
                INSERT INTO account_search(account_search, rowid, number, customer_name, service_address, phone, meter_number)
                VALUES ('delete', old.id, old.number, old.customer_name, old.service_address, old.phone, old.meter_number);
                INSERT INTO account_search(rowid, number, customer_name, service_address, phone, meter_number)
                VALUES (new.id, new.number, new.customer_name, new.service_address, new.phone, new.meter_number);
            END;
            """)
    }

    /// The counter: notes, pending shut-offs, payment plans, card brands on tenders, and
    /// the print log that the reprint queue is read from.
    fileprivate static func createCounter(_ db: Database) throws {
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

    /// Prefix indexes for 1 to 6 characters. Measured on a million accounts: a common
    /// 4-letter word typed in full ("blvd"), without a prefix index of its own, made FTS5
    /// merge a 160,000-row doclist (6–12 ms a keystroke); with one it is about 1 ms.
    /// The index grows by about 40 %. The triggers of v2 keep working: they name the table.
    fileprivate static func widenSearchPrefixes(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE account_search;
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'accounts', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            """)
    }

    /// F5 shows the terminal's last receipt: without this index, `MAX(receipt_number)` for a
    /// terminal that has taken none walked every receipt (10 s on a million accounts).
    fileprivate static func indexTerminalReceipts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX transactions_terminal_receipt ON transactions(terminal_id, receipt_number)
            WHERE receipt_number IS NOT NULL
            """)
    }

    /// The day's procedures: floats, drops and closing counts by denomination, drawer closes
    /// with their over/short and Z number, and the day's deposit.
    fileprivate static func createDay(_ db: Database) throws {
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

    /// Running totals of tenders by business day, drawer and kind, kept by a trigger as each
    /// tender is written (like the accounts' cached balances, re-proved by `till verify`):
    /// a settlement reads these few rows instead of every tender of the day. And an index of
    /// checks and money orders alone, for the deposit slip's list.
    fileprivate static func createTenderTotals(_ db: Database) throws {
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

    /// Account service: overrides, returned checks, adjustments with their periods, refund requests
    /// for accounts payable, work orders and their history, address and contact history, batches.
    fileprivate static func createService(_ db: Database) throws {
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

    /// Part of migration v10-reconcile: never edit; change it with a new migration.
    /// - A payment file's batch is known by the file's SHA-256, so a run killed half-way is
    ///   finished by running the same file again (`Ledger.importPayments`).
    /// - An imported charge posts into the open business day and keeps its bill's date for aging
    ///   in `transactions.bill_date`.
    /// - `open_items`: each receivable posting not yet fully matched, with what is left of it
    ///   (a charge > 0, a credit < 0), kept by triggers as postings and allocations are written, so
    ///   allocating a payment reads an account's few open items instead of its whole history.
    /// - Batch lines by their payment, to say which batch and line a reference was posted on.
    /// - A payment plan keeps its total (installments add up to it, the last takes the remainder)
    ///   and the newest transaction when it was made (only later payments count toward it).
    fileprivate static func createReconcile(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batch_files (
                batch_id INTEGER PRIMARY KEY REFERENCES batches(id),
                sha256 TEXT NOT NULL
            ) STRICT;
            CREATE INDEX batch_files_sha256 ON batch_files(sha256);
            ALTER TABLE transactions ADD COLUMN bill_date TEXT;
            CREATE TABLE open_items (
                posting_id INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL,
                remaining_cents INTEGER NOT NULL,
                sort_date TEXT NOT NULL
            ) STRICT;
            CREATE INDEX open_items_account ON open_items(account_id);
            CREATE INDEX batch_lines_transaction ON batch_lines(transaction_id);
            ALTER TABLE payment_plans ADD COLUMN total_cents INTEGER;
            ALTER TABLE payment_plans ADD COLUMN after_transaction_id INTEGER;
            """)
        try db.execute(sql: AppendOnly.triggersSQL(for: "batch_files"))
        try db.execute(sql: "INSERT INTO open_items " + openItemsSelectSQL)
        try db.execute(sql: openItemsTriggersSQL)
    }

    /// Every receivable posting with something left to match. Part of migration v10-reconcile
    /// (also the demo's bulk load and verify): never edit; change it with a new migration.
    static let openItemsSelectSQL = """
        SELECT p.id, p.account_id,
               p.amount_cents - COALESCE(c.matched, 0) + COALESCE(d.matched, 0) AS remaining,
               COALESCE(t.due_date, t.business_date)
        FROM postings p JOIN transactions t ON t.id = p.transaction_id
        LEFT JOIN (SELECT charge_posting_id AS id, SUM(amount_cents) AS matched FROM allocations GROUP BY 1) c ON c.id = p.id
        LEFT JOIN (SELECT credit_posting_id AS id, SUM(amount_cents) AS matched FROM allocations GROUP BY 1) d ON d.id = p.id
        WHERE p.book = 'AR' AND p.account_id IS NOT NULL
          AND p.amount_cents - COALESCE(c.matched, 0) + COALESCE(d.matched, 0) <> 0
        """

    /// Part of migration v10-reconcile: never edit; change it with a new migration.
    static let openItemsTriggersSQL = """
        CREATE TRIGGER postings_open_items AFTER INSERT ON postings
        WHEN NEW.book = 'AR' AND NEW.account_id IS NOT NULL AND NEW.amount_cents <> 0
        BEGIN
            INSERT INTO open_items(posting_id, account_id, remaining_cents, sort_date)
            SELECT NEW.id, NEW.account_id, NEW.amount_cents, COALESCE(t.due_date, t.business_date)
            FROM transactions t WHERE t.id = NEW.transaction_id;
        END;
        CREATE TRIGGER allocations_open_items AFTER INSERT ON allocations
        BEGIN
            UPDATE open_items SET remaining_cents = remaining_cents - NEW.amount_cents WHERE posting_id = NEW.charge_posting_id;
            UPDATE open_items SET remaining_cents = remaining_cents + NEW.amount_cents WHERE posting_id = NEW.credit_posting_id;
            DELETE FROM open_items WHERE posting_id IN (NEW.charge_posting_id, NEW.credit_posting_id) AND remaining_cents = 0;
        END;
        """

    /// The tamper-evident chain (`Chain`): one seal per transaction, the existing ones sealed now.
    fileprivate static func createChain(_ db: Database) throws {
        try db.create(table: "transaction_hashes", options: [.strict]) { t in
            t.primaryKey("seq", .integer) // the order sealed; append-only: never reused
            t.column("transaction_id", .integer).notNull().unique()
            t.column("hash", .blob).notNull()
        }
        try db.execute(sql: AppendOnly.triggersSQL(for: "transaction_hashes"))
        try Chain.sealPending(Store(db))
    }

    /// The rows of `tender_totals`, from the tenders themselves (migration, demo load, verify).
    static let tenderTotalsSelectSQL = """
        SELECT t.business_date, COALESCE(t.drawer_session_id, 0), x.kind, t.kind IN ('payment', 'misc-receipt', 'void'),
               SUM(CASE WHEN x.amount_cents > 0 THEN 1 ELSE -1 END), SUM(x.amount_cents)
        FROM tenders x JOIN transactions t ON t.id = x.transaction_id
        """

    /// Part of migration v7-tender-totals: never edit; change it with a new migration.
    static let tenderTotalsTriggerSQL = """
        CREATE TRIGGER tenders_totals AFTER INSERT ON tenders
        BEGIN
            INSERT INTO tender_totals(business_date, drawer_session_id, kind, receipt, count, amount_cents)
            SELECT t.business_date, COALESCE(t.drawer_session_id, 0), NEW.kind, t.kind IN ('payment', 'misc-receipt', 'void'),
                   CASE WHEN NEW.amount_cents > 0 THEN 1 ELSE -1 END, NEW.amount_cents
            FROM transactions t WHERE t.id = NEW.transaction_id
            ON CONFLICT(business_date, drawer_session_id, kind, receipt)
            DO UPDATE SET count = count + excluded.count, amount_cents = amount_cents + excluded.amount_cents;
        END
        """

    /// Keeps `accounts.balance_cents` and `deposit_held_cents` equal to the sums of postings.
    /// Part of migration v1-ledger: never edit; change it with a new migration.
    static let balanceCacheTriggerSQL = """
        CREATE TRIGGER postings_cache_balance AFTER INSERT ON postings
        WHEN NEW.account_id IS NOT NULL
        BEGIN
            UPDATE accounts SET
                balance_cents = balance_cents + CASE WHEN NEW.book = 'AR' THEN NEW.amount_cents ELSE 0 END,
                deposit_held_cents = deposit_held_cents - CASE WHEN NEW.book = 'DEPOSITS' THEN NEW.amount_cents ELSE 0 END
            WHERE id = NEW.account_id;
        END
        """

    /// The same sums, recomputed in one statement (used after a bulk load).
    static let recomputeBalancesSQL = """
        UPDATE accounts SET
            balance_cents = COALESCE((SELECT SUM(amount_cents) FROM postings p
                                      WHERE p.account_id = accounts.id AND p.book = 'AR'), 0),
            deposit_held_cents = -COALESCE((SELECT SUM(amount_cents) FROM postings p
                                            WHERE p.account_id = accounts.id AND p.book = 'DEPOSITS'), 0)
        """
}

/// Tables that accept INSERT only; the triggers refuse UPDATE and DELETE.
public enum AppendOnly {
    /// The tables migration v1-ledger made append-only (fixed: migrations are never edited).
    static let v1Tables = ["transactions", "postings", "tenders", "allocations", "audit_events"]
    public static let tables = v1Tables + ["account_notes", "receipt_prints", "cash_counts", "cash_count_lines",
                                           "drawer_closes", "drawer_close_missing"] + v8Tables + v9Tables + v10Tables
        + v12Tables + v13Tables + v14Tables + v16Tables + v17Tables + v18Tables + v19Tables + v20Tables
    static let v16Tables = ["agencies", "program_enrollments", "pledges", "pledge_payments"]
    static let v17Tables = ["autopay_enrollments", "autopay_stops", "autopay_drafts", "autopay_entries", "autopay_draft_closes"]
    static let v18Tables = ["return_lots", "returned_items"]
    static let v19Tables = ["offices", "terminal_offices", "office_days"]
    static let v20Tables = ["receipt_numbering", "office_receipts"]
    static let v13Tables = ["suspense_items", "suspense_moves"]
    static let v14Tables = ["drop_acceptances"]
    static let v9Tables = ["transaction_hashes"]
    static let v10Tables = ["batch_files"]
    static let v12Tables = ["record_seals"]
    static let v8Tables = ["overrides", "returned_checks", "adjustments", "refund_requests", "service_request_events",
                           "account_changes", "batches", "batch_lines"]

    static func triggersSQL(for table: String) -> String {
        """
        CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: \(table) rows are never changed'); END;
        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: \(table) rows are never deleted'); END;
        """
    }
}

extension Schema {
    /// Lookup spells Ø, Ł, Æ, Œ, ß, Đ, Þ and the other Latin letters without an accent to
    /// fold away in plain letters, so "odegaard" finds Ødegaard and "lukasz" Łukasz (the
    /// tokenizer's own folding already took é to e). The index reads names and addresses
    /// through a view that spells them so; the query is spelled the same way
    /// (`LatinLetters.spelledPlain`). The letters are written out here, frozen with the migration.
    fileprivate static func foldLatinLettersInSearch(_ db: Database) throws {
        let letters = "Ø=O ø=o Ł=L ł=l Æ=AE æ=ae Œ=OE œ=oe ß=ss ẞ=SS Đ=D đ=d Ð=D ð=d Þ=TH þ=th Ħ=H ħ=h ı=i Ŋ=N ŋ=n "
            + "Ŧ=T ŧ=t ĸ=k ſ=s Ĳ=IJ ĳ=ij Ŀ=L ŀ=l Ə=E ə=e Ƒ=F ƒ=f"
        // In two halves, one inside a subquery: 33 nested calls overflow SQLite's parser stack.
        let pairs = letters.split(separator: " ").map { $0.split(separator: "=") }
        func replacing(_ sql: String, _ some: ArraySlice<[Substring]>) -> String {
            some.reduce(sql) { sql, pair in "replace(\(sql), '\(pair[0])', '\(pair[1])')" }
        }
        func plain(_ column: String) -> String {
            "(SELECT \(replacing("v", pairs[16...])) FROM (SELECT \(replacing(column, pairs[..<16])) AS v))"
        }
        func values(_ row: String) -> String {
            "\(row).id, \(row).number, \(plain("\(row).customer_name")), \(plain("\(row).service_address")), "
                + "\(row).phone, \(row).meter_number"
        }
        let columns = "rowid, number, customer_name, service_address, phone, meter_number"
        try db.execute(sql: """
            DROP TRIGGER accounts_search_insert;
            DROP TRIGGER accounts_search_delete;
            DROP TRIGGER accounts_search_update;
            DROP TABLE account_search;
            CREATE VIEW account_search_text AS
                SELECT id, number, \(plain("customer_name")) AS customer_name,
                       \(plain("service_address")) AS service_address, phone, meter_number
                FROM accounts;
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'account_search_text', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
                INSERT INTO account_search(\(columns)) VALUES (\(values("new")));
            END;
            CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
                INSERT INTO account_search(account_search, \(columns)) VALUES ('delete', \(values("old")));
            END;
            CREATE TRIGGER accounts_search_update
            AFTER UPDATE OF number, customer_name, service_address, phone, meter_number ON accounts BEGIN
                INSERT INTO account_search(account_search, \(columns)) VALUES ('delete', \(values("old")));
                INSERT INTO account_search(\(columns)) VALUES (\(values("new")));
            END;
            """)
    }
}

extension Schema {
    /// The sealed log (`RecordSeals`) over days, drawers, operators, settings, plans and every
    /// append-only table, with what is already there sealed now; operators' PINs may be peppered
    /// (`PINPepper`); a day opened by mistake may be cancelled. Never edit; change it with a new migration.
    fileprivate static func createRecordSeals(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE operators ADD COLUMN pin_peppered INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE business_days ADD COLUMN cancelled_by INTEGER REFERENCES operators(id);
            ALTER TABLE business_days ADD COLUMN cancelled_at TEXT;
            CREATE TABLE record_seals (
                seq INTEGER PRIMARY KEY,
                tbl TEXT NOT NULL,
                row_key TEXT,
                from_id INTEGER,
                to_id INTEGER,
                digest BLOB NOT NULL,
                chain_seq INTEGER NOT NULL,
                ends_commit INTEGER NOT NULL,
                hash BLOB NOT NULL
            ) STRICT;
            CREATE INDEX record_seals_row ON record_seals(tbl, row_key) WHERE row_key IS NOT NULL;
            CREATE INDEX record_seals_range ON record_seals(tbl, to_id) WHERE to_id IS NOT NULL;
            """)
        try db.execute(sql: AppendOnly.triggersSQL(for: "record_seals"))
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV12)
    }

    /// Money no account could be matched to yet (`Ledger` Suspense): the SUSPENSE book, each
    /// item with what is known of its payer, and each move out of it (applied to an account, or
    /// refunded). Never edit; change it with a new migration.
    fileprivate static func createSuspense(_ db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO book_accounts VALUES ('SUSPENSE', 'Payments in suspense', 'liability', 0);
            CREATE TABLE suspense_items (
                id INTEGER PRIMARY KEY,
                transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                reason TEXT NOT NULL,
                account_given TEXT NOT NULL DEFAULT '',
                payer TEXT NOT NULL DEFAULT '',
                address TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                reference TEXT NOT NULL DEFAULT '',
                check_number TEXT NOT NULL DEFAULT '',
                source_line TEXT NOT NULL DEFAULT ''
            ) STRICT;
            CREATE TABLE suspense_moves (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES suspense_items(id),
                transaction_id INTEGER NOT NULL REFERENCES transactions(id),
                kind TEXT NOT NULL CHECK (kind IN ('apply', 'refund')),
                account_id INTEGER REFERENCES accounts(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                payee TEXT NOT NULL DEFAULT '',
                address TEXT NOT NULL DEFAULT '',
                CHECK ((kind = 'apply') = (account_id IS NOT NULL))
            ) STRICT;
            CREATE INDEX suspense_moves_item ON suspense_moves(item_id);
            CREATE INDEX suspense_moves_transaction ON suspense_moves(transaction_id);
            """)
        for table in AppendOnly.v13Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV13)
    }

    /// Each open item keeps its charge's bill date beside its due date, so the delinquency list
    /// ages what is open without reading every open charge's transaction (648,477 lookups in a
    /// 9 GB file on a million accounts). Never edit; change it with a new migration.
    fileprivate static func keepOpenItemBillDates(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE open_items ADD COLUMN bill_date TEXT")
        try db.execute(sql: openItemBillDatesSQL)
        try db.execute(sql: """
            DROP TRIGGER postings_open_items;
            CREATE TRIGGER postings_open_items AFTER INSERT ON postings
            WHEN NEW.book = 'AR' AND NEW.account_id IS NOT NULL AND NEW.amount_cents <> 0
            BEGIN
                INSERT INTO open_items(posting_id, account_id, remaining_cents, sort_date, bill_date)
                SELECT NEW.id, NEW.account_id, NEW.amount_cents, COALESCE(t.due_date, t.business_date), COALESCE(t.bill_date, t.business_date)
                FROM transactions t WHERE t.id = NEW.transaction_id;
            END;
            """)
    }

    /// Fills each open item's bill date from its transaction (migration v15, the demo's bulk
    /// load). Part of migration v15: never edit.
    static let openItemBillDatesSQL = """
        UPDATE open_items SET bill_date = (SELECT COALESCE(t.bill_date, t.business_date) FROM postings p
                                           JOIN transactions t ON t.id = p.transaction_id WHERE p.id = open_items.posting_id)
        """

    /// Turn-ins: a lead's acceptance of a drop's bag, with what the lead counted and the
    /// difference's posting. Never edit; change it with a new migration.
    fileprivate static func createTurnIns(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE drop_acceptances (
                id INTEGER PRIMARY KEY,
                count_id INTEGER NOT NULL UNIQUE REFERENCES cash_counts(id),
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                counted_cents INTEGER NOT NULL CHECK (counted_cents >= 0),
                difference_cents INTEGER NOT NULL,
                transaction_id INTEGER REFERENCES transactions(id),
                reason TEXT NOT NULL DEFAULT ''
            ) STRICT;
            """)
        for table in AppendOnly.v14Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV14)
    }

    /// Assistance programs: the agencies that pay for customers, accounts enrolled in their
    /// programs, the agencies' pledges and the payments that fulfil them. Never edit; change it
    /// with a new migration.
    fileprivate static func createAssistance(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE agencies (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                program TEXT NOT NULL DEFAULT '',
                contact TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id)
            ) STRICT;
            CREATE TABLE program_enrollments (
                id INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                agency_id INTEGER NOT NULL REFERENCES agencies(id),
                case_number TEXT NOT NULL DEFAULT '',
                starts_on TEXT NOT NULL,
                ends_on TEXT,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                CHECK (ends_on IS NULL OR ends_on >= starts_on)
            ) STRICT;
            CREATE INDEX program_enrollments_account ON program_enrollments(account_id);
            CREATE TABLE pledges (
                id INTEGER PRIMARY KEY,
                agency_id INTEGER NOT NULL REFERENCES agencies(id),
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                case_number TEXT NOT NULL DEFAULT '',
                pledged_on TEXT NOT NULL,
                expires_on TEXT NOT NULL,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                terminal_id TEXT,
                CHECK (expires_on >= pledged_on)
            ) STRICT;
            CREATE INDEX pledges_account ON pledges(account_id);
            CREATE INDEX pledges_agency ON pledges(agency_id);
            CREATE TABLE pledge_payments (
                id INTEGER PRIMARY KEY,
                pledge_id INTEGER NOT NULL REFERENCES pledges(id),
                transaction_id INTEGER NOT NULL REFERENCES transactions(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                UNIQUE (pledge_id, transaction_id)
            ) STRICT;
            CREATE INDEX pledge_payments_transaction ON pledge_payments(transaction_id);
            """)
        for table in AppendOnly.v16Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV16)
    }

    /// Autopay: accounts debited by ACH, their bank accounts sealed under a key kept outside the
    /// ledger, when each stopped, and the drafts (NACHA files) with an entry per account. Never
    /// edit; change it with a new migration.
    fileprivate static func createAutopay(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE autopay_enrollments (
                id INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                routing TEXT NOT NULL CHECK (length(routing) = 9),
                bank_account_kind TEXT NOT NULL CHECK (bank_account_kind IN ('checking', 'savings')),
                last_four TEXT NOT NULL CHECK (length(last_four) = 4),
                sealed_number BLOB NOT NULL,
                key_id TEXT NOT NULL,
                holder TEXT NOT NULL DEFAULT '',
                starts_on TEXT NOT NULL,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                terminal_id TEXT
            ) STRICT;
            CREATE INDEX autopay_enrollments_account ON autopay_enrollments(account_id);
            CREATE TABLE autopay_stops (
                id INTEGER PRIMARY KEY,
                enrollment_id INTEGER NOT NULL UNIQUE REFERENCES autopay_enrollments(id),
                at TEXT NOT NULL,
                operator_id INTEGER REFERENCES operators(id),
                reason TEXT NOT NULL,
                return_code TEXT NOT NULL DEFAULT ''
            ) STRICT;
            CREATE TABLE autopay_drafts (
                id INTEGER PRIMARY KEY,
                effective_date TEXT NOT NULL UNIQUE,
                business_date TEXT NOT NULL,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                created TEXT NOT NULL CHECK (length(created) = 10),
                file_id_modifier TEXT NOT NULL CHECK (length(file_id_modifier) = 1),
                header TEXT NOT NULL
            ) STRICT;
            CREATE TABLE autopay_entries (
                id INTEGER PRIMARY KEY,
                draft_id INTEGER NOT NULL REFERENCES autopay_drafts(id),
                enrollment_id INTEGER NOT NULL REFERENCES autopay_enrollments(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                trace_number TEXT NOT NULL UNIQUE CHECK (length(trace_number) = 15),
                transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
                UNIQUE (draft_id, enrollment_id)
            ) STRICT;
            CREATE TABLE autopay_draft_closes (
                id INTEGER PRIMARY KEY,
                draft_id INTEGER NOT NULL UNIQUE REFERENCES autopay_drafts(id),
                at TEXT NOT NULL,
                entry_count INTEGER NOT NULL,
                total_cents INTEGER NOT NULL
            ) STRICT;
            """)
        for table in AppendOnly.v17Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV17)
    }

    /// A bank's returns as one lot: the file, and each returned item with its reason code, the
    /// payment it returned, the posting that charged it back, the fee and the follow-ups.
    /// Never edit; change it with a new migration.
    fileprivate static func createReturns(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE return_lots (
                id INTEGER PRIMARY KEY,
                business_date TEXT NOT NULL,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                item_count INTEGER NOT NULL,
                total_cents INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE returned_items (
                id INTEGER PRIMARY KEY,
                lot_id INTEGER NOT NULL REFERENCES return_lots(id),
                line INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('ach', 'check')),
                reason_code TEXT NOT NULL,
                reference TEXT NOT NULL,
                original_transaction_id INTEGER NOT NULL REFERENCES transactions(id),
                transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
                account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
                fee_cents INTEGER NOT NULL CHECK (fee_cents >= 0),
                follow_up TEXT NOT NULL DEFAULT ''
            ) STRICT;
            CREATE INDEX returned_items_account ON returned_items(account_id);
            CREATE INDEX returned_items_original ON returned_items(original_transaction_id);
            """)
        for table in AppendOnly.v18Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV18)
    }

    /// Offices and where each terminal stands: a utility's main office, its branches, a
    /// drive-up window. Both are append-only: an office is added once, a terminal is placed in
    /// one office once (a machine moved to another office gets a new terminal id), so every
    /// transaction's office is its terminal's for good. The lowest id is the main office. With
    /// `office.days = own`, `office_days` records each office opening and closing its share of
    /// a business day (and the deposit its close posted).
    /// Never edit; change it with a new migration.
    fileprivate static func createOffices(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE offices (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                address TEXT NOT NULL,
                bank_account TEXT NOT NULL,
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id)
            ) STRICT;
            CREATE TABLE terminal_offices (
                id INTEGER PRIMARY KEY,
                terminal_id TEXT NOT NULL UNIQUE REFERENCES terminals(id),
                office_id INTEGER NOT NULL REFERENCES offices(id),
                at TEXT NOT NULL,
                operator_id INTEGER REFERENCES operators(id)
            ) STRICT;
            CREATE INDEX terminal_offices_office ON terminal_offices(office_id);
            CREATE TABLE office_days (
                id INTEGER PRIMARY KEY,
                office_id INTEGER NOT NULL REFERENCES offices(id),
                date TEXT NOT NULL,
                event TEXT NOT NULL CHECK (event IN ('open', 'close')),
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id),
                terminal_id TEXT NOT NULL,
                deposit_bag TEXT NOT NULL DEFAULT '',
                deposit_transaction_id INTEGER REFERENCES transactions(id),
                UNIQUE (office_id, date, event)
            ) STRICT;
            """)
        for table in AppendOnly.v19Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV19)
    }

    /// Receipt numbers counted per office, where `receipt.numbering = office`: every receipt
    /// keeps its number in the utility's one gapless sequence (what the ledger finds it by),
    /// and also takes the next number of its office's own sequence (NORTH-17), printed on it.
    /// `receipt_numbering` records each change of the setting with the first utility receipt
    /// number it applies to, so verify knows which receipts must carry an office's number and
    /// proves each office's sequence gapless. Both append-only.
    /// Never edit; change it with a new migration.
    fileprivate static func createOfficeReceipts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE receipt_numbering (
                id INTEGER PRIMARY KEY,
                mode TEXT NOT NULL CHECK (mode IN ('utility', 'office')),
                from_receipt INTEGER NOT NULL CHECK (from_receipt > 0),
                at TEXT NOT NULL,
                operator_id INTEGER NOT NULL REFERENCES operators(id)
            ) STRICT;
            CREATE TABLE office_receipts (
                id INTEGER PRIMARY KEY,
                transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
                office_id INTEGER NOT NULL REFERENCES offices(id),
                number INTEGER NOT NULL CHECK (number > 0),
                UNIQUE (office_id, number)
            ) STRICT;
            """)
        for table in AppendOnly.v20Tables { try db.execute(sql: AppendOnly.triggersSQL(for: table)) }
        try RecordSeals.sealUnsealed(Store(db), appended: RecordSeals.appendedV20)
    }
}
