import GRDB
import TillCore

/// SQLite migration `v18-returns`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// A bank's returns as one lot: the file, and each returned item with its reason code, the
    /// payment it returned, the posting that charged it back, the fee and the follow-ups.
    /// Never edit; change it with a new migration.
    static func createReturns(_ db: Database) throws {
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
}
