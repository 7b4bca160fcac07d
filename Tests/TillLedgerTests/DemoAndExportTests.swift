import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("Demo ledger and exports")
struct DemoAndExportTests {
    static func demo(accounts: Int = 300, seed: UInt64 = 7) throws -> (Ledger, DemoSummary) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-demo-\(UUID().uuidString)")
        return try Ledger.createDemo(at: directory.appendingPathComponent("demo.sqlite").path,
                                     DemoOptions(accounts: accounts, seed: seed, today: try BusinessDate("2026-11-20")))
    }

    @Test func demoLedgerIsSoundAndHasTheCasesACashierMeets() throws {
        let (ledger, summary) = try Self.demo()
        #expect(try ledger.verify().isSound)
        #expect(try ledger.openBusinessDay() == (try BusinessDate("2026-11-20")))
        func count(_ sql: String) throws -> Int {
            try ledger.writer.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
        }
        #expect(try count("SELECT COUNT(*) FROM accounts") == 300)
        #expect(try count("SELECT COUNT(*) FROM accounts WHERE status = 'locked-off'") > 0)
        #expect(try count("SELECT COUNT(*) FROM accounts WHERE balance_cents < 0") > 0)
        #expect(try count("SELECT COUNT(*) FROM accounts WHERE deposit_held_cents > 0") > 0)
        #expect(try count("SELECT COUNT(*) FROM accounts WHERE cash_only_until IS NOT NULL AND number = '\(summary.nsfAccount)'") == 1)
        #expect(try count("SELECT COUNT(*) FROM transactions WHERE kind = 'nsf'") == 1)
        // Past due by more than 90 days: a charge due before 2026-08-22 still unpaid.
        #expect(try count("""
            SELECT COUNT(DISTINCT p.account_id) FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.book = 'AR' AND p.amount_cents > 0 AND t.due_date < '2026-08-22'
              AND p.amount_cents > COALESCE((SELECT SUM(amount_cents) FROM allocations a WHERE a.charge_posting_id = p.id), 0)
            """) > 0)
        #expect(try count("SELECT COUNT(*) FROM transactions WHERE kind = 'bill'") >= 300 * 12)
        let names = Set(try ledger.summary().operators.map(\.login))
        #expect(names == ["cashier", "csr", "lead", "super"])
        _ = try ledger.authenticate(try OperatorLogin("lead"), pin: "3333", terminal: "T1")
    }

    @Test func theSameSeedBuildsTheSameLedger() throws {
        func fingerprint(_ ledger: Ledger) throws -> [Int64] {
            try ledger.writer.read { db in
                try Int64.fetchAll(db, sql: """
                    SELECT COUNT(*) FROM transactions UNION ALL SELECT SUM(amount_cents * id) FROM postings
                    UNION ALL SELECT SUM(balance_cents) FROM accounts UNION ALL SELECT MAX(receipt_number) FROM transactions
                    """)
            }
        }
        let a = try fingerprint(try Self.demo(accounts: 100, seed: 3).0)
        let b = try fingerprint(try Self.demo(accounts: 100, seed: 3).0)
        let c = try fingerprint(try Self.demo(accounts: 100, seed: 4).0)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func aDemoTakesAPaymentAtOnce() throws {
        let (ledger, _) = try Self.demo(accounts: 50)
        let cashier = try ledger.authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1")
        let before = try ledger.summary().lastReceipt!
        let drawer = try ledger.openDrawer(operatorID: cashier.id, terminal: "T1")
        let posted = try ledger.post(Payment(lines: [.account(try AccountNumber("100010"), Money(dollars: 25))],
                                             tenders: [.cash(Money(dollars: 25))]), operatorID: cashier.id, terminal: "T1",
                                     drawerSession: drawer.id)
        #expect(posted.receipt == before.next)
        #expect(try ledger.verify().isSound)
    }

    @Test(arguments: Engine.all) func postingExportListsTheDaysCustomerPostings(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 90)),
                                              .account(try f.account("100002"), Money(cents: 5_525))],
                                      tenders: [.moneyOrder(Money(cents: 14_525), number: "2041")]),
                              operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            var text = ""
            let rows = try f.ledger.exportPostings(date: CounterFixture.today) { text += $0 }
            #expect(rows == 2)
            let lines = text.split(separator: "\r\n").map(String.init)
            #expect(lines[0] == Ledger.postingExportColumns.joined(separator: ","))
            #expect(lines[1].hasPrefix("2026-11-20,"))
            #expect(lines[1].contains(",1,payment,100001,AR,-90.00,money-order 2041,,cashier,T1,"))
            #expect(lines[2].contains(",1,payment,100002,AR,-55.25,money-order 2041,,cashier,T1,"))
            var empty = ""
            #expect(try f.ledger.exportPostings(date: try BusinessDate("2026-11-19")) { empty += $0 } == 0)
        }
    }

    @Test(arguments: Engine.all) func journalExportHasOneBalancedEntryPerTransaction(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            var text = ""
            let count = try f.ledger.exportJournal(from: nil, to: nil) { text += $0 }
            #expect(count == (try f.count("transactions")))
            #expect(text.contains("2026-11-20 * payment — receipt 1\n"))
            #expect(text.contains("    assets:receivable:customers                      -$20.00  ; customer:100001\n"))
            #expect(text.contains("    assets:cash:drawers                               $20.00\n"))
        }
    }
}
