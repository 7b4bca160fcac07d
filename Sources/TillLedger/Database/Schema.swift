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
}

extension Schema {
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
    /// Fills each open item's bill date from its transaction (migration v15, the demo's bulk
    /// load). Part of migration v15: never edit.
    static let openItemBillDatesSQL = """
        UPDATE open_items SET bill_date = (SELECT COALESCE(t.bill_date, t.business_date) FROM postings p
                                           JOIN transactions t ON t.id = p.transaction_id WHERE p.id = open_items.posting_id)
        """

}
