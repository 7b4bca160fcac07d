import GRDB
import TillCore

/// SQLite migration `v19-offices`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Offices and where each terminal stands: a utility's main office, its branches, a
    /// drive-up window. Both are append-only: an office is added once, a terminal is placed in
    /// one office once (a machine moved to another office gets a new terminal id), so every
    /// transaction's office is its terminal's for good. The lowest id is the main office. With
    /// `office.days = own`, `office_days` records each office opening and closing its share of
    /// a business day (and the deposit its close posted).
    /// Never edit; change it with a new migration.
    static func createOffices(_ db: Database) throws {
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
}
