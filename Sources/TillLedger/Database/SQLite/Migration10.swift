import GRDB
import TillCore

/// SQLite migration `v10-reconcile`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
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
    static func createReconcile(_ db: Database) throws {
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
}
