import GRDB
import TillCore

/// SQLite migration `v2-account-search`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Lookup at the counter: an FTS5 index over what a customer can tell the cashier
    /// (account number, name, service address, phone, meter), with prefix indexes for
    /// the first characters typed. Accents are folded: "nunez" finds "Núñez".
    static func createAccountSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'accounts', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
                INSERT INTO account_search(rowid, number, customer_name, service_address, phone, meter_number)
                VALUES (new.id, new.number, new.customer_name, new.service_address, new.phone, new.meter_number);
            END;
            CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
                INSERT INTO account_search(account_search, rowid, number, customer_name, service_address, phone, meter_number)
                VALUES ('delete', old.id, old.number, old.customer_name, old.service_address, old.phone, old.meter_number);
            END;
            CREATE TRIGGER accounts_search_update
            AFTER UPDATE OF number, customer_name, service_address, phone, meter_number ON accounts BEGIN
                INSERT INTO account_search(account_search, rowid, number, customer_name, service_address, phone, meter_number)
                VALUES ('delete', old.id, old.number, old.customer_name, old.service_address, old.phone, old.meter_number);
                INSERT INTO account_search(rowid, number, customer_name, service_address, phone, meter_number)
                VALUES (new.id, new.number, new.customer_name, new.service_address, new.phone, new.meter_number);
            END;
            """)
    }
}
