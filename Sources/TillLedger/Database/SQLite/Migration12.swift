import GRDB
import TillCore

/// SQLite migration `v12-sealed-records`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// The sealed log (`RecordSeals`) over days, drawers, operators, settings, plans and every
    /// append-only table, with what is already there sealed now; operators' PINs may be peppered
    /// (`PINPepper`); a day opened by mistake may be cancelled. Never edit; change it with a new migration.
    static func createRecordSeals(_ db: Database) throws {
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
}
