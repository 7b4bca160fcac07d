import GRDB
import TillCore

/// SQLite migration `v20-office-receipts`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Receipt numbers counted per office, where `receipt.numbering = office`: every receipt
    /// keeps its number in the utility's one gapless sequence (what the ledger finds it by),
    /// and also takes the next number of its office's own sequence (NORTH-17), printed on it.
    /// `receipt_numbering` records each change of the setting with the first utility receipt
    /// number it applies to, so verify knows which receipts must carry an office's number and
    /// proves each office's sequence gapless. Both append-only.
    /// Never edit; change it with a new migration.
    static func createOfficeReceipts(_ db: Database) throws {
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
