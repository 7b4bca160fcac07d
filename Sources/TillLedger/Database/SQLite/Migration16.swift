import GRDB
import TillCore

/// SQLite migration `v16-assistance`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Assistance programs: the agencies that pay for customers, accounts enrolled in their
    /// programs, the agencies' pledges and the payments that fulfil them. Never edit; change it
    /// with a new migration.
    static func createAssistance(_ db: Database) throws {
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
}
