import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("Posting to the ledger")
struct PostingTests {
    @Test(arguments: Engine.all) func cashPaymentPostsBalancedWithReceiptAndLowersTheBalance(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(try f.balance("100001") == Money(dollars: 90))
            let posted = try f.ledger.post(
                Payment(lines: [.account(try f.account("100001"), Money(cents: 4_550))],
                        tenders: [.cash(Money(cents: 4_550), tendered: Money(dollars: 50))]),
                operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            #expect(posted.receipt == ReceiptNumber(1))
            #expect(posted.businessDate == CounterFixture.today)
            #expect(!posted.wasAlreadyPosted)
            #expect(try f.balance("100001") == Money(cents: 4_450))
            let (cash, tendered): (Int64, Int64) = try f.ledger.read { db in
                let row = try SQLRow.fetchOne(db, sql: "SELECT amount_cents, tendered_cents FROM tenders WHERE transaction_id = ?",
                                           arguments: [posted.id])!
                return (row[0], row[1])
            }
            #expect(cash == 4_550 && tendered == 5_000)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func checksAreRefusedOnCashOnlyAccountsAndCashNeedsADrawer(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(throws: LedgerError(.invalid, "No checks: account 100002 is cash only until 2027-03-01")) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100002"), Money(dollars: 10))],
                                          tenders: [.check(Money(dollars: 10), number: "2041")]),
                                  operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            }
            #expect(throws: LedgerError.self) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 10))],
                                          tenders: [.cash(Money(dollars: 10))]), operatorID: f.cashier.id, terminal: "T1")
            }
            // Another operator's drawer will not do either.
            #expect(throws: LedgerError(.noDrawer, "Drawer session #\(f.drawer) belongs to another operator or terminal")) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 10))],
                                          tenders: [.cash(Money(dollars: 10))]), operatorID: f.supervisor.id, terminal: "T1",
                                  drawerSession: f.drawer)
            }
            // A phone payment by card needs no drawer.
            let card = try f.ledger.post(Payment(lines: [.account(try f.account("100002"), Money(dollars: 10))],
                                                 tenders: [.card(Money(dollars: 10), lastFour: "4242", authorization: "A1")]),
                                         operatorID: f.cashier.id, terminal: "PHONE")
            #expect(card.receipt == ReceiptNumber(1))
            #expect(try f.count("transactions") > 0)
        }
    }

    @Test(arguments: Engine.all) func splitTenderPaymentForTwoAccounts(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try f.ledger.post(
                Payment(lines: [.account(try f.account("100001"), Money(dollars: 90)),
                                .account(try f.account("100002"), Money(cents: 5_525))],
                        tenders: [.moneyOrder(Money(dollars: 100), number: "2041"), .cash(Money(cents: 4_525), tendered: Money(dollars: 50))]),
                operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            #expect(posted.receipt == ReceiptNumber(1))
            #expect(try f.balance("100001") == .zero)
            #expect(try f.balance("100002") == .zero)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func unbalancedPostingIsRefusedAndWritesNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let before = try f.count("transactions")
            let request = PostingRequest(kind: .adjustment,
                                         lines: [PostingLine(.receivable, Money(cents: -1_000), account: try f.account("100001")),
                                                 PostingLine(.miscellaneous, Money(cents: 999))],
                                         operatorID: f.supervisor.id, terminal: "T1")
            #expect(throws: LedgerError(.invalid, "Debits and credits differ by -$0.01")) { try f.ledger.post(request) }
            #expect(try f.count("transactions") == before)
        }
    }

    @Test(arguments: Engine.all) func unknownAccountIsRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(throws: LedgerError(.unknownAccount, "No account 999999")) { try f.payCash("999999", cents: 100) }
            let payments = try f.ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE kind = 'payment'") }
            #expect(payments == 0)
        }
    }

    @Test(arguments: Engine.all) func nothingPostsWhenNoDayIsOpen(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.writeImmediate { db in
                try db.execute(sql: "UPDATE business_days SET closed_at = '2026-11-20T23:00:00.000Z', closed_by = 1")
            }
            #expect(throws: LedgerError.self) { try f.payCash("100001", cents: 1_000) }
            do { try f.payCash("100001", cents: 1_000) } catch let error as LedgerError {
                #expect(error.code == .dayNotOpen)
            }
            // A closed day stays closed.
            #expect(throws: LedgerError.self) {
                try f.ledger.openBusinessDay(CounterFixture.today, by: f.supervisor.id, terminal: "T1")
            }
        }
    }

    @Test(arguments: Engine.all) func onlyOneDayOpensAtATime(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(throws: LedgerError(.dayAlreadyOpen, "Business day 2026-11-20 is still open; close it first")) {
                try f.ledger.openBusinessDay(try BusinessDate("2026-11-21"), by: f.supervisor.id, terminal: "T1")
            }
            #expect(throws: LedgerError.self) {
                try f.ledger.openBusinessDay(try BusinessDate("2026-11-21"), by: f.cashier.id, terminal: "T1")
            }
        }
    }

    @Test(arguments: Engine.all) func theSameIdempotencyKeyPostsOnce(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let first = try f.payCash("100001", cents: 2_000, key: "T1-cart-7")
            let rows = try f.count("postings")
            let again = try f.payCash("100001", cents: 2_000, key: "T1-cart-7")
            #expect(again.wasAlreadyPosted)
            #expect(again.id == first.id && again.receipt == first.receipt)
            #expect(try f.count("postings") == rows)
            #expect(try f.balance("100001") == Money(dollars: 70))
        }
    }

    @Test(arguments: Engine.all) func receiptsStayGaplessWhenAPostingFails(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 1_000)
            #expect(throws: LedgerError.self) { try f.payCash("100009", cents: 1_000) }
            #expect(throws: LedgerError.self) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 10))],
                                          tenders: [.card(Money(dollars: 10), lastFour: "1111", authorization: "4111111111111111")]),
                                  operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            }
            try f.payCash("100002", cents: 1_000)
            let receipts = try f.ledger.read { db in
                try Int64.fetchAll(db, sql: "SELECT receipt_number FROM transactions WHERE receipt_number IS NOT NULL ORDER BY 1")
            }
            #expect(receipts == [1, 2])
        }
    }

    @Test(arguments: Engine.all) func postingsAreAppendOnly(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try f.payCash("100001", cents: 1_000)
            // SQLite's triggers refuse it; on PostgreSQL the terminals' role may not even try.
            func refused(_ error: any Error) -> Bool {
                let message = (error as? LedgerError)?.message ?? ""
                return message.contains(engine == .sqlite ? "the ledger is append-only" : "The PostgreSQL role may not do that")
            }
            for sql in ["UPDATE postings SET amount_cents = 1 WHERE transaction_id = \(posted.id)",
                        "DELETE FROM transactions WHERE id = \(posted.id)", "UPDATE tenders SET amount_cents = 5",
                        "DELETE FROM postings", "UPDATE audit_events SET detail = ''", "DELETE FROM allocations"] {
                #expect(performing: { try f.ledger.writeImmediate { db in try db.execute(sql: sql) } }, throws: refused)
            }
            #expect(try f.balance("100001") == Money(dollars: 80))
        }
    }

    @Test(arguments: Engine.all) func amountsOverTheCeilingAreRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            #expect(throws: LedgerError(.invalid, "$1,000,000.00 is over the limit of $999,999.99 for one posting")) {
                try f.payCash("100001", cents: 100_000_000)
            }
        }
    }

    @Test(arguments: Engine.all) func miscellaneousReceiptNeedsNoAccount(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try f.ledger.post(Payment(lines: [.miscellaneous(.miscellaneous, Money(dollars: 5))],
                                                   tenders: [.cash(Money(dollars: 5))]),
                                           operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer, memo: "Copy of bill")
            #expect(posted.receipt == ReceiptNumber(1))
            let kind = try f.ledger.read { db in try String.fetchOne(db, sql: "SELECT kind FROM transactions WHERE id = ?", arguments: [posted.id]) }
            #expect(kind == "misc-receipt")
        }
    }
}
