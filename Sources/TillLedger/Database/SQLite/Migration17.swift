import GRDB
import TillCore

/// SQLite migration `v17-autopay`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Autopay: accounts debited by ACH, their bank accounts sealed under a key kept outside the
    /// ledger, when each stopped, and the drafts (NACHA files) with an entry per account. Never
    /// edit; change it with a new migration.
    static func createAutopay(_ db: Database) throws {
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
}
