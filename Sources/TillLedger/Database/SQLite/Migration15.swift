import GRDB
import TillCore

/// SQLite migration `v15-open-item-bill-dates`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Each open item keeps its charge's bill date beside its due date, so the delinquency list
    /// ages what is open without reading every open charge's transaction (648,477 lookups in a
    /// 9 GB file on a million accounts). Never edit; change it with a new migration.
    static func keepOpenItemBillDates(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE open_items ADD COLUMN bill_date TEXT")
        try db.execute(sql: openItemBillDatesSQL)
        try db.execute(sql: """
            DROP TRIGGER postings_open_items;
            CREATE TRIGGER postings_open_items AFTER INSERT ON postings
            WHEN NEW.book = 'AR' AND NEW.account_id IS NOT NULL AND NEW.amount_cents <> 0
            BEGIN
                INSERT INTO open_items(posting_id, account_id, remaining_cents, sort_date, bill_date)
                SELECT NEW.id, NEW.account_id, NEW.amount_cents, COALESCE(t.due_date, t.business_date), COALESCE(t.bill_date, t.business_date)
                FROM transactions t WHERE t.id = NEW.transaction_id;
            END;
            """)
    }
}
