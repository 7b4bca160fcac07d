import GRDB
import TillCore

/// SQLite migration `v14-turn-ins`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Turn-ins: a lead's acceptance of a drop's bag, with what the lead counted and the
    /// difference's posting. Never edit; change it with a new migration.
    static func createTurnIns(_ db: Database) throws {
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
}
