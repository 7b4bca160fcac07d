import Foundation
import GRDB
import Synchronization
import Testing
@testable import TillLedger

/// The ledger's schema on PostgreSQL: the same tables and columns as SQLite's, its own frozen
/// migrations, append-only by triggers for every role and by privileges for the terminals'.
@Suite("PostgreSQL schema and roles", .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PGSchemaTests {
    /// A database migrated and its two roles set up; `body` gets the owner's and the terminals' connections.
    func withLedger(_ body: (_ admin: PGConnection, _ terminal: PGConnection, _ names: (owner: String, terminal: String)) throws -> Void) throws {
        try TestPostgres.withDatabase { uri, name in
            let admin = try PGConnection(uri)
            let roles = (owner: name + "_owner", terminal: name + "_terminal")
            try PGSchema.setUpRoles(admin, owner: roles.owner, terminal: roles.terminal)
            #expect(try PGSchema.migrate(admin, owner: roles.owner) == PGSchema.migrations.map(\.version))
            try PGSchema.grantTerminal(admin, owner: roles.owner, terminal: roles.terminal)
            try admin.execute("SET search_path TO till")
            let terminal = try PGConnection(TestPostgres.uri(database: name, user: roles.terminal))
            try terminal.execute("SET search_path TO till")
            try body(admin, terminal, roles)
        }
    }

    @Test("a shipped migration is frozen: its SQL's digest is pinned here")
    func frozen() {
        // Changing the schema is a new migration, never an edit to one that shipped.
        #expect(PGSchema.migrations.map(\.version) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
        #expect(PGSchema.migration013.digest == "3bc2520d1898d92dde53d45917d8c1acede58d853ffeb1b33ff299c3d17bb4ea")
        #expect(PGSchema.migration012.digest == "6aa1a4b429c777a5509d9c8cf33054527637bc94cac0c39abdc52a21fc269b1f")
        #expect(PGSchema.migration011.digest == "43ccc96c4b53405b93bf79ce903deffd38913d1c1fcc705f00f10d21fe04be72")
        #expect(PGSchema.migration010.digest == "9c28f4fa1e43ff9a9cc56aa7f2bbbb534d946ee53009a3d7689ccfc176c6c0c3")
        #expect(PGSchema.migration009.digest == "f4198a06f67a1840027d8826730b7019779c203ff722a447c62421623a88860c")
        #expect(PGSchema.migration008.digest == "0c410919ea9141558c88f5160aaaeb1a6254c3c0f3ae41ec79ac007d646adb54")
        #expect(PGSchema.migration007.digest == "276dedc9525d34c3218fc3947c4d3f476e48bef30b54c386015ad8b3055c5ae5")
        #expect(PGSchema.migration006.digest == "ec7ae5e9e5d4b56c1d4e640c86d197930d273dccf7c1f7412e4116afafc5f7bd")
        #expect(PGSchema.migration005.digest == "7f2156c3223bbf73ed87161ea3afd2de14b6911ecf28519abb46ca1eddf26c3a")
        #expect(PGSchema.migration004.digest == "fd232000485103c499257dc51a1b720c7e3b52b0bb77a6521a1d9304576b5b53")
        #expect(PGSchema.migration003.digest == "8b0e5f92c7a7065ef0f9045067ac87c08c2521c6880d3ff7130617a21070ff80")
        #expect(PGSchema.migration002.digest == "7c79f060dca155003300269fdee4b2948d5920603bf9c8622f97b95e353c6d56")
        #expect(PGSchema.migration001.digest == "04f3b876b7496abedc9dae5ea0c8f0bfa44db51b566a68076c9c55e5efdf6511")
    }

    @Test("verify's picture of the schema is what a fresh migration makes (TILL_REGENERATE_GOLDEN=1 writes it anew)")
    func catalogPinned() throws {
        try withLedger { admin, _, _ in
            let described = try PGCatalog.describe(Store(admin))
            let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "../../../Sources/TillLedger/Database/Postgres/PGCatalogExpected.swift").standardizedFileURL
            if ProcessInfo.processInfo.environment["TILL_REGENERATE_GOLDEN"] == "1" {
                var text = "// Written by PGSchemaTests (`TILL_REGENERATE_GOLDEN=1`) from a fresh migration: never edit by hand.\n"
                text += "extension PGCatalog {\n    static let expected: [String: String] = [\n"
                for key in described.keys.sorted() { text += "        \"\(key)\": \"\(described[key]!)\",\n" }
                text += "    ]\n}\n"
                try text.write(to: file, atomically: true, encoding: .utf8)
            }
            #expect(described.count > 300)
            #expect(described == PGCatalog.expected, "the schema differs from PGCatalogExpected.swift: review, then TILL_REGENERATE_GOLDEN=1")
        }
    }

    @Test("every SQLite table has its PostgreSQL twin, column for column, with the same settings and books")
    func sameTablesAsSQLite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try Ledger(path: directory.appendingPathComponent("l.sqlite").path, create: true)
        let lite = try sqlite.writer.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'account_search%'
                  AND name <> 'grdb_migrations' ORDER BY name
                """)
            var columns: [String: [String]] = [:]
            for table in tables { columns[table] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] } }
            let settings = try Row.fetchAll(db, sql: "SELECT key, value FROM settings ORDER BY key").map { "\($0[0] as String)=\($0[1] as String)" }
            let books = try Row.fetchAll(db, sql: "SELECT code, name, kind, requires_customer FROM book_accounts ORDER BY code")
                .map { "\($0[0] as String)|\($0[1] as String)|\($0[2] as String)|\($0[3] as Int64)" }
            return (columns, settings, books)
        }
        try withLedger { admin, _, _ in
            let tables = try admin.execute("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'till' AND table_name <> 'migrations' ORDER BY table_name
                """).all.map { $0.text(0)! }
            // The lookup's first letters of each account (migration 11) are the server's own, as
            // SQLite's FTS5 tables are SQLite's.
            #expect(tables.filter { $0 != "account_prefixes" } == lite.0.keys.sorted() && tables.contains("account_prefixes"))
            for (table, columns) in lite.0 {
                let pg = try admin.execute("""
                    SELECT column_name FROM information_schema.columns
                    WHERE table_schema = 'till' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position
                    """, [.text(table)]).all.map { $0.text(0)! }
                #expect(pg == columns, "table \(table)")
            }
            let settings = try admin.execute("SELECT key, value FROM settings ORDER BY key").all.map { "\($0.text(0)!)=\($0.text(1)!)" }
            #expect(settings == lite.1)
            let books = try admin.execute("SELECT code, name, kind, requires_customer FROM book_accounts ORDER BY code").all
                .map { "\($0.text(0)!)|\($0.text(1)!)|\($0.text(2)!)|\($0.text(3)!)" }
            #expect(books == lite.2)
            #expect(try admin.execute("""
                SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = 'till' AND is_generated = 'NEVER' ORDER BY 1
                """).all.map { $0.text(0)! }.allSatisfy { ["bigint", "text", "bytea", "timestamp with time zone"].contains($0) },
                "no floating or numeric column anywhere")
            // The server's own column, made from others: the lookup's words (migration 10).
            #expect(try admin.execute("""
                SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
                WHERE table_schema = 'till' AND is_generated <> 'NEVER'
                """).all.map { $0.text(0)! } == ["accounts.search_words tsvector"])
        }
    }

    @Test("migrating again runs nothing; two at once migrate once; a newer schema is refused")
    func migrateOnceAndRefuseNewer() throws {
        try withLedger { admin, _, roles in
            #expect(try PGSchema.migrate(admin, owner: roles.owner).isEmpty)
            let uri = TestPostgres.uri(database: try admin.execute("SELECT current_database()").scalar!)
            try admin.execute("DROP SCHEMA till CASCADE")
            let ran = Mutex<[[Int]]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                let versions = (try? PGSchema.migrate(try PGConnection(uri), owner: roles.owner)) ?? [-1]
                ran.withLock { $0.append(versions) }
            }
            #expect(ran.withLock { $0.sorted { $0.count < $1.count } } == [[], PGSchema.migrations.map(\.version)])
            try admin.execute("INSERT INTO till.migrations(version, name, sha256) VALUES (99, 'from the future', '')")
            #expect { try PGSchema.migrate(admin, owner: roles.owner) } throws: { error in
                "\(error)".contains("newer version of Till") && "\(error)".contains("nothing was changed")
            }
        }
    }

    /// A supervisor, a terminal, an open day and account 100001, as the owner writes them.
    static func seed(_ admin: PGConnection) throws {
        try admin.executeScript("""
            INSERT INTO operators(login, display_name, role, pin_hash, pin_salt, pin_rounds, created_at)
                VALUES ('boss', 'Boss', 'supervisor', '\\x00', '\\x00', 100000, '2026-12-03');
            INSERT INTO terminals(id, created_at) VALUES ('T1', '2026-12-03');
            INSERT INTO business_days(date, opened_by, opened_at) VALUES ('2026-12-03', 1, '2026-12-03T08:00:00Z');
            INSERT INTO accounts(number, customer_name, service_address, created_at) VALUES ('100001', 'Ada', '1 Main', '2026-12-03');
            """)
    }

    /// One payment's rows as a terminal writes them: a transaction, its two postings, a tender.
    func postPayment(_ db: PGConnection, account: Int64, cents: Int64, key: String) throws -> Int64 {
        try db.transaction {
            let id = try db.execute("""
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, receipt_number, idempotency_key)
                VALUES ('payment', '2026-12-03', '2026-12-03T09:00:00Z', 1, 'T1', (SELECT COALESCE(MAX(receipt_number), 0) + 1 FROM transactions), $1)
                RETURNING id
                """, [.text(key)]).scalar.flatMap { Int64($0) }!
            try db.execute("INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES ($1, 'CASH', NULL, $2)", [.int(id), .int(cents)])
            try db.execute("INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES ($1, 'AR', $2, $3)", [.int(id), .int(account), .int(-cents)])
            try db.execute("INSERT INTO tenders(transaction_id, kind, amount_cents, tendered_cents) VALUES ($1, 'cash', $2, $2)", [.int(id), .int(cents)])
            return id
        }
    }

    @Test("the terminals' role adds rows and the database keeps balances, open items and tender totals")
    func keptByTriggers() throws {
        try withLedger { admin, terminal, _ in
            try Self.seed(admin)
            // A bill of $80.00 (as an import posts it), then a payment of $50.00 at the counter.
            let bill = try admin.transaction {
                let id = try admin.execute("""
                    INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id) VALUES ('charge', '2026-12-03', 'x', 1, 'T1') RETURNING id
                    """).scalar!
                try admin.execute("INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES ($1, 'AR', 1, 8000)", [.text(id)])
                try admin.execute("INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES ($1, 'REV_WATER', NULL, -8000)", [.text(id)])
                return try admin.execute("SELECT id FROM postings WHERE transaction_id = $1 AND book = 'AR'", [.text(id)]).scalar!
            }
            let payment = try postPayment(terminal, account: 1, cents: 5000, key: "counter:T1:1")
            let credit = try terminal.execute("SELECT id FROM postings WHERE transaction_id = $1 AND book = 'AR'", [.int(payment)]).scalar!
            #expect(try terminal.execute("SELECT balance_cents FROM accounts WHERE id = 1").scalar == "3000")
            #expect(try terminal.execute("SELECT count(*) FROM open_items WHERE account_id = 1").scalar == "2")
            try terminal.execute("INSERT INTO allocations(transaction_id, credit_posting_id, charge_posting_id, amount_cents) VALUES ($1, $2, $3, 5000)",
                                 [.int(payment), .text(credit), .text(bill)])
            #expect(try terminal.execute("SELECT posting_id || ':' || remaining_cents FROM open_items WHERE account_id = 1").all.map { $0.text(0)! }
                    == ["\(bill):3000"])
            _ = try postPayment(terminal, account: 1, cents: 1250, key: "counter:T1:2")
            #expect(try terminal.execute("SELECT count || ':' || amount_cents || ':' || receipt FROM tender_totals").all.map { $0.text(0)! } == ["2:6250:1"])
            #expect(try terminal.execute("SELECT string_agg(receipt_number::text, ',' ORDER BY id) FROM transactions WHERE kind = 'payment'").scalar == "1,2")
        }
    }

    @Test("no role changes, deletes or empties a ledger table; the terminals' role may not even ask")
    func appendOnly() throws {
        try withLedger { admin, terminal, _ in
            try Self.seed(admin)
            _ = try postPayment(terminal, account: 1, cents: 5000, key: "counter:T1:1")
            // The owner (and here a superuser) meets the triggers.
            for statement in ["UPDATE transactions SET memo = 'x'", "DELETE FROM postings", "TRUNCATE tenders CASCADE",
                              "UPDATE postings SET amount_cents = 1 WHERE book = 'CASH'"] {
                do {
                    try admin.execute(statement)
                    Issue.record("\(statement) was carried out")
                } catch let error as PGError {
                    #expect(error.sqlState == "TL001", "\(statement): \(error)")
                    #expect(error.message.contains("the ledger is append-only"))
                }
            }
            // The terminals' role is refused by its privileges before any trigger.
            for statement in ["UPDATE transactions SET memo = 'x'", "DELETE FROM postings", "TRUNCATE tenders",
                              "UPDATE accounts SET balance_cents = 0", "DELETE FROM accounts", "DELETE FROM open_items",
                              "UPDATE open_items SET remaining_cents = 0", "INSERT INTO open_items VALUES (1, 1, 1, 'x', 'x')",
                              "UPDATE tender_totals SET amount_cents = 0", "UPDATE business_days SET date = '2026-01-01'",
                              "DROP TABLE audit_events", "ALTER TABLE transactions DISABLE TRIGGER USER", "UPDATE migrations SET version = 2"] {
                do {
                    try terminal.execute(statement)
                    Issue.record("\(statement) was carried out by the terminals' role")
                } catch let error as PGError {
                    #expect(error.sqlState == "42501", "\(statement): \(error)")
                }
            }
            #expect(try terminal.execute("SELECT balance_cents FROM accounts").scalar == "-5000")
            try terminal.execute("UPDATE accounts SET status = 'locked-off', phone = '555-0100' WHERE id = 1")
            #expect(try admin.execute("SELECT count(*) FROM postings").scalar == "2")
        }
    }
}
