import GRDB
import TillCore

/// SQLite migration `v4-search-prefixes`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Prefix indexes for 1 to 6 characters. Measured on a million accounts: a common
    /// 4-letter word typed in full ("blvd"), without a prefix index of its own, made FTS5
    /// merge a 160,000-row doclist (6–12 ms a keystroke); with one it is about 1 ms.
    /// The index grows by about 40 %. The triggers of v2 keep working: they name the table.
    static func widenSearchPrefixes(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE account_search;
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'accounts', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            """)
    }
}
