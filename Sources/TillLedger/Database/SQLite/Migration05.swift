import GRDB
import TillCore

/// SQLite migration `v5-terminal-receipts`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// F5 shows the terminal's last receipt: without this index, `MAX(receipt_number)` for a
    /// terminal that has taken none walked every receipt (10 s on a million accounts).
    static func indexTerminalReceipts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX transactions_terminal_receipt ON transactions(terminal_id, receipt_number)
            WHERE receipt_number IS NOT NULL
            """)
    }
}
