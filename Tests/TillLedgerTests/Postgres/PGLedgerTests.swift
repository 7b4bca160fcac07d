import Foundation
import Testing
import TillCore
@testable import TillLedger

/// A SQLite ledger copied to PostgreSQL reads the same there: the same journal byte for byte,
/// the same head, the same settlement, receipts and accounts, through the same store seam.
@Suite("A ledger on PostgreSQL", .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PGLedgerTests {
    /// An empty PostgreSQL ledger: roles set up, migrated by its owner, the terminals' privileges granted.
    static func initialized(_ name: String) throws -> (owner: String, terminal: String) {
        let admin = try PGConnection(TestPostgres.uri(database: name))
        let roles = (owner: name + "_owner", terminal: name + "_terminal")
        try PGSchema.setUpRoles(admin, owner: roles.owner, terminal: roles.terminal)
        try PGSchema.migrate(admin, owner: roles.owner)
        try PGSchema.grantTerminal(admin, owner: roles.owner, terminal: roles.terminal)
        return roles
    }

    func journal(_ ledger: Ledger) throws -> (text: String, head: LedgerHead?) {
        var text = ""
        var head: LedgerHead?
        _ = try ledger.exportJournal(from: nil, to: nil, head: { head = $0 }) { text += $0 }
        return (text, head)
    }

    @Test("a demo ledger copied to PostgreSQL gives the same journal, head, settlement, receipts and accounts")
    func copiedDemoReadsTheSame() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 120, seed: 11)
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            let summary = try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner))
            #expect(summary.rows.first { $0.table == "transactions" }!.count > 1_000)
            #expect(Set(summary.rows.map(\.table)).union(PGCopy.kept).count == 47)

            // The terminals read it as they would their own.
            let pg = try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal))
            #expect(pg.isPostgres)
            let (fileJournal, fileHead) = try journal(sqlite)
            let (pgJournal, pgHead) = try journal(pg)
            #expect(pgJournal == fileJournal)
            #expect(fileHead != nil && pgHead == fileHead && summary.head == fileHead)

            #expect(try "\(pg.summary())" == "\(sqlite.summary())")
            let day = try BusinessDate("2026-11-19")
            #expect(try "\(pg.settlement(day))" == "\(sqlite.settlement(day))")
            for number in ["100001", "100007", "100042"] {
                #expect(try "\(String(describing: pg.accountDetail(number)))" == "\(String(describing: sqlite.accountDetail(number)))", "account \(number)")
            }
            for receipt in [1, 500, 1_000].map({ ReceiptNumber(Int64($0)) }) {
                #expect(try "\(String(describing: pg.receipt(receipt)))" == "\(String(describing: sqlite.receipt(receipt)))", "receipt \(receipt)")
            }
        }
    }

    @Test("a copy goes into an empty, migrated ledger only, and a failed one leaves nothing")
    func copyRefusals() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 20, seed: 5)
        try TestPostgres.withDatabase { uri, name in
            #expect { try sqlite.copy(toPostgres: uri) } throws: { "\($0)".contains("holds no Till ledger yet") }
            let roles = try Self.initialized(name)
            let owner = TestPostgres.uri(database: name, user: roles.owner)
            // The terminals' role may not copy: it may not set the kept balances' columns… nor anything of the owner's.
            let asTerminal = TestPostgres.uri(database: name, user: roles.terminal)
            #expect(throws: LedgerError.self) { try sqlite.copy(toPostgres: asTerminal) }
            let admin = try PGConnection(owner)
            #expect(try admin.execute("SELECT COUNT(*) FROM till.transactions").scalar == "0")
            _ = try sqlite.copy(toPostgres: owner)
            #expect { try sqlite.copy(toPostgres: owner) } throws: { "\($0)".contains("holds books already") }
        }
    }

    @Test("a PostgreSQL ledger is read here and not yet written: a write says so and changes nothing")
    func writesRefusedForNow() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 20, seed: 5)
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            _ = try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner))
            let pg = try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal))
            let before = try journal(pg).text
            #expect { try pg.addNote("hello", account: "100001", operatorID: 1, terminal: "T1") } throws: {
                "\($0)".contains("does not write one yet") && "\($0)".contains("nothing was changed")
            }
            #expect(try journal(pg).text == before)
        }
    }

    @Test("a database without Till's schema, or with a newer one, is refused with what to do")
    func schemaChecks() throws {
        try TestPostgres.withDatabase { uri, name in
            #expect { try Ledger.open(uri) } throws: { "\($0)".contains("holds no Till ledger") && "\($0)".contains("till init") }
            let roles = try Self.initialized(name)
            let admin = try PGConnection(uri)
            try admin.execute("INSERT INTO till.migrations(version, name, sha256) VALUES (99, 'from a newer Till', '')")
            #expect { try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal)) } throws: {
                "\($0)".contains("newer version of Till")
            }
        }
    }
}
