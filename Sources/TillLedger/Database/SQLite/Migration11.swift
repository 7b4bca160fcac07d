import GRDB
import TillCore

/// SQLite migration `v11-search-latin-letters`, frozen as written: a change is a new migration,
/// and a test pins this file's text (SQLiteMigrationTests).
extension Schema {
    /// Lookup spells Ø, Ł, Æ, Œ, ß, Đ, Þ and the other Latin letters without an accent to
    /// fold away in plain letters, so "odegaard" finds Ødegaard and "lukasz" Łukasz (the
    /// tokenizer's own folding already took é to e). The index reads names and addresses
    /// through a view that spells them so; the query is spelled the same way
    /// (`LatinLetters.spelledPlain`). The letters are written out here, frozen with the migration.
    static func foldLatinLettersInSearch(_ db: Database) throws {
        let letters = "Ø=O ø=o Ł=L ł=l Æ=AE æ=ae Œ=OE œ=oe ß=ss ẞ=SS Đ=D đ=d Ð=D ð=d Þ=TH þ=th Ħ=H ħ=h ı=i Ŋ=N ŋ=n "
            + "Ŧ=T ŧ=t ĸ=k ſ=s Ĳ=IJ ĳ=ij Ŀ=L ŀ=l Ə=E ə=e Ƒ=F ƒ=f"
        // In two halves, one inside a subquery: 33 nested calls overflow SQLite's parser stack.
        let pairs = letters.split(separator: " ").map { $0.split(separator: "=") }
        func replacing(_ sql: String, _ some: ArraySlice<[Substring]>) -> String {
            some.reduce(sql) { sql, pair in "replace(\(sql), '\(pair[0])', '\(pair[1])')" }
        }
        func plain(_ column: String) -> String {
            "(SELECT \(replacing("v", pairs[16...])) FROM (SELECT \(replacing(column, pairs[..<16])) AS v))"
        }
        func values(_ row: String) -> String {
            "\(row).id, \(row).number, \(plain("\(row).customer_name")), \(plain("\(row).service_address")), "
                + "\(row).phone, \(row).meter_number"
        }
        let columns = "rowid, number, customer_name, service_address, phone, meter_number"
        try db.execute(sql: """
            DROP TRIGGER accounts_search_insert;
            DROP TRIGGER accounts_search_delete;
            DROP TRIGGER accounts_search_update;
            DROP TABLE account_search;
            CREATE VIEW account_search_text AS
                SELECT id, number, \(plain("customer_name")) AS customer_name,
                       \(plain("service_address")) AS service_address, phone, meter_number
                FROM accounts;
            CREATE VIRTUAL TABLE account_search USING fts5(
                number, customer_name, service_address, phone, meter_number,
                content = 'account_search_text', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6');
            INSERT INTO account_search(account_search) VALUES ('rebuild');
            CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
                INSERT INTO account_search(\(columns)) VALUES (\(values("new")));
            END;
            CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
                INSERT INTO account_search(account_search, \(columns)) VALUES ('delete', \(values("old")));
            END;
            CREATE TRIGGER accounts_search_update
            AFTER UPDATE OF number, customer_name, service_address, phone, meter_number ON accounts BEGIN
                INSERT INTO account_search(account_search, \(columns)) VALUES ('delete', \(values("old")));
                INSERT INTO account_search(\(columns)) VALUES (\(values("new")));
            END;
            """)
    }
}
