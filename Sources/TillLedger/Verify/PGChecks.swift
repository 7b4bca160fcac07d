import Crypto
import Foundation

/// Verify's checks where PostgreSQL differs from SQLite: its own integrity, its foreign keys
/// and its catalog. The ledger's own checks (balances, chain, seals, receipts) are the same SQL
/// on both engines.
enum PGChecks {
    /// With the `amcheck` extension installed in the database (postgresql-contrib; a DBA runs
    /// `CREATE EXTENSION amcheck`), every B-tree index of the ledger is checked against its
    /// structure, and `thorough` also against every row of its table. Without it the server's
    /// own checksums and write-ahead log are what keep pages whole, and nothing is checked here.
    static func indexFault(_ db: Store, thorough: Bool) throws -> String? {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')") == true else { return nil }
        let indexes = try String.fetchAll(db, sql: """
            SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = ? AND a.amname = 'btree' ORDER BY c.relname
            """, arguments: [PGSchema.name])
        for index in indexes {
            do {
                try db.execute(sql: "SELECT bt_index_check(?::regclass, ?)", arguments: ["\(PGSchema.name).\(index)", thorough])
            } catch let error as PGError where error.sqlState == "XX002" || error.sqlState == "XX001" {
                return "PostgreSQL index \(index) is damaged (\(error.message)): the DBA rebuilds it (REINDEX) and restores from a backup if rows are lost"
            }
        }
        return nil
    }

    /// The server checks every foreign key as rows are written, by triggers of its own: a
    /// superuser who turned those off (`ALTER TABLE … DISABLE TRIGGER ALL`) or added a key NOT
    /// VALID let rows in unchecked, and that is named.
    static func foreignKeyFault(_ db: Store) throws -> String? {
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND t.tgenabled = 'D' ORDER BY c.relname, t.tgname LIMIT 1
            """, arguments: [PGSchema.name]) {
            return "a trigger of \(row[0] as String) is turned off (\(row[1] as String)): rows written meanwhile were not checked"
        }
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND NOT k.convalidated ORDER BY c.relname, k.conname LIMIT 1
            """, arguments: [PGSchema.name]) {
            return "the constraint \(row[1] as String) of \(row[0] as String) was never checked against the rows before it (NOT VALID)"
        }
        return nil
    }

    /// The first difference between the database's `till` schema and what Till's migrations
    /// make (`PGCatalog.expected`): a table, column, index, constraint, trigger or function
    /// dropped, changed, turned off or added is named.
    static func schemaFault(_ db: Store) throws -> String? {
        let actual = try PGCatalog.describe(db)
        let expected = PGCatalog.expected
        for name in expected.keys.sorted() {
            guard let digest = actual[name] else { return "the \(name) that Till's schema has is missing from the ledger (dropped?)" }
            if digest != expected[name] { return "the ledger's \(name) is not as Till's schema has it: it was changed or turned off" }
        }
        if let extra = actual.keys.sorted().first(where: { expected[$0] == nil }) {
            return "the ledger has a \(extra) that Till's schema does not: it was added outside Till"
        }
        return nil
    }
}

/// The `till` schema as the catalog describes it, one entry per object, each definition as a
/// short digest: what verify compares with `expected` (made from a fresh migration and pinned
/// by a test; `TILL_REGENERATE_GOLDEN=1` writes it anew after a migration is added).
enum PGCatalog {
    static func describe(_ db: Store) throws -> [String: String] {
        let schema = PGSchema.name
        var objects: [String: String] = [:]
        func add(_ sql: String) throws {
            for row in try SQLRow.fetchAll(db, sql: sql, arguments: [schema]) {
                let definition = (row[1] as String).replacingOccurrences(of: "\(schema).", with: "")
                objects[row[0]] = SHA256.hash(data: Data(definition.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
            }
        }
        try add("""
            SELECT 'table ' || c.relname, string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull
                   THEN ' not null' ELSE '' END || COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || CASE WHEN a.attidentity <> ''
                   THEN ' identity' ELSE '' END, ', ' ORDER BY a.attnum)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v') GROUP BY c.relname
            """)
        try add("""
            SELECT 'index ' || c.relname, pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'i'
            """)
        try add("""
            SELECT 'constraint ' || c.relname || '.' || k.conname, pg_get_constraintdef(k.oid) || CASE WHEN k.convalidated THEN '' ELSE ' not valid' END
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
            """)
        try add("""
            SELECT 'trigger ' || c.relname || '.' || t.tgname, t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND NOT t.tgisinternal
            """)
        try add("""
            SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   p.prosrc || ' ' || p.provolatile::text || ' ' || p.prosecdef::text || ' ' || COALESCE(array_to_string(p.proconfig, ','), '')
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            """)
        return objects
    }
}
