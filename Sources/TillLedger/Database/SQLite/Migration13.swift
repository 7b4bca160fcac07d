import GRDB
import TillCore

/// SQLite migration `v13-suspense`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Money no account could be matched to yet (`Ledger` Suspense): the SUSPENSE book, each
    /// item with what is known of its payer, and each move out of it (applied to an account, or
    /// refunded). Never edit; change it with a new migration.
    static func createSuspense(_ db: Database) throws {
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
}
