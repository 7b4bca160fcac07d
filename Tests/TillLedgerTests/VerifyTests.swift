import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("till verify finds tampering")
struct VerifyTests {
    @Test(arguments: Engine.all) func aCleanLedgerIsSound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let report = try f.ledger.verify()
            #expect(report.isSound)
            #expect(report.checks.count == 19)
        }
    }

    @Test(arguments: Engine.all) func aChangedAmountIsNamedByTransactionAndReceipt(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let second = try f.payCash("100002", cents: 3_000)
            try f.tamper("UPDATE postings SET amount_cents = 2500 WHERE transaction_id = \(second.id) AND book = 'CASH'")
            let fault = try #require(try f.ledger.verify().firstFault)
            #expect(fault == "transaction #\(second.id) (payment, receipt 2, 2026-11-20) does not balance: debits and credits differ by -$5.00")
        }
    }

    @Test(arguments: Engine.all) func aDeletedReceiptLeavesAGapThatIsNamed(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            for _ in 0..<3 { try f.payCash("100001", cents: 500) }
            try f.tamper("""
                DELETE FROM allocations WHERE transaction_id IN (SELECT id FROM transactions WHERE receipt_number = 2);
                DELETE FROM tenders WHERE transaction_id IN (SELECT id FROM transactions WHERE receipt_number = 2);
                DELETE FROM postings WHERE transaction_id IN (SELECT id FROM transactions WHERE receipt_number = 2);
                DELETE FROM transactions WHERE receipt_number = 2;
                """)
            let report = try f.ledger.verify()
            #expect(report.checks.first { $0.name == "receipt numbers unique and gapless" }?.fault
                    == "receipt 2 is missing (receipts run 1…3 but there are 2)")
            // The deleted posting also leaves the cached balance wrong.
            #expect(report.checks.first { $0.name == "cached balances equal the sum of postings" }?.fault != nil)
        }
    }

    @Test(arguments: Engine.all) func aBalanceChangedBehindTheLedgersBackIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.tamper("UPDATE accounts SET balance_cents = 0 WHERE number = '100003'")
            #expect(try f.ledger.verify().firstFault == "account 100003 shows a balance of $0.00 but its postings sum to $210.00")
        }
    }

    @Test(arguments: Engine.all) func aTenderChangedToMatchNothingIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try f.payCash("100001", cents: 2_000)
            try f.tamper("UPDATE tenders SET amount_cents = 1000 WHERE transaction_id = \(posted.id)")
            #expect(try f.ledger.verify().firstFault?.contains("tenders do not add up") == true)
        }
    }

    @Test(arguments: Engine.all) func aDuplicatedReceiptNumberIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 500)
            try f.payCash("100001", cents: 500)
            try f.tamper("DROP INDEX transactions_receipt; UPDATE transactions SET receipt_number = 1 WHERE receipt_number = 2")
            #expect(try f.ledger.verify().firstFault == "receipt 1 is used twice")
        }
    }

    @Test(arguments: Engine.all) func aRunningTenderTotalEditedIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            try f.tamper("UPDATE tender_totals SET amount_cents = amount_cents + 100")
            let report = try f.ledger.verify()
            #expect(report.checks.first { $0.name == "tender totals equal the sum of tenders" }?.fault?.contains("differs from its tenders") == true)
            #expect(report.checks.filter { $0.fault != nil }.count == 1)
        }
    }

    @Test(arguments: Engine.all) func aPostingLeftAloneOrPointingAtNoTransactionIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let first = try f.payCash("100001", cents: 2_000)
            try f.tamper("DELETE FROM allocations; DELETE FROM postings WHERE transaction_id = \(first.id) AND book = 'AR'")
            #expect(try f.ledger.verify().checks[2].fault?.contains("does not balance") == true)
            // (On PostgreSQL the tamperer's replica role already leaves foreign keys unchecked.)
            try f.tamper((f.ledger.isPostgres ? "" : "PRAGMA foreign_keys = OFF; ")
                         + "INSERT INTO postings(transaction_id, book, amount_cents) VALUES (999999, 'CASH', 5)")
            let report = try f.ledger.verify()
            #expect(report.checks[2].name == "every transaction balances")
            #expect(report.checks[2].fault != nil)
        }
    }

    @Test(arguments: Engine.all) func theWalkSealsAsEachWriteSealed(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            for cents in [500, 1_250, 99_999] as [Int64] { try f.payCash("100002", cents: cents) }
            try f.ledger.read { db in
                let walk = try LedgerWalk.run(db)
                #expect(walk.chainIntact && !walk.unbalanced && !walk.tendersDiffer)
                #expect(walk.tenderTotals == (try LedgerWalk.TenderTotal.stored(db)))
                #expect(try Chain.fault(db) == nil)
            }
        }
    }

    @Test(arguments: Engine.all) func theThoroughCheckRunsTheEnginesOwnIntegrityCheck(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let report = try f.ledger.verify(thorough: true)
            #expect(report.isSound)
            #expect(report.checks[0].name == (f.ledger.isPostgres ? "PostgreSQL indexes (amcheck, where installed)" : "SQLite integrity (full)"))
        }
    }
}

/// A closed day's figures, re-derived by `till verify` (check 12), against someone with the file.
@Suite("Closed days re-derived")
struct ClosedDayVerifyTests {
    /// The fixture's day with cash and a check taken, a drop, the drawer closed a dollar short, the day closed.
    static func closedDay() throws -> CounterFixture {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 4_550)
        _ = try f.ledger.post(Payment(lines: [.account(try f.account("100003"), Money(cents: 2_000))], tenders: [.check(Money(cents: 2_000), number: "88")]),
                              operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
        try f.ledger.drop(session: f.drawer, count: try CashCount.parse("20=1"), bag: "D-1", operatorID: f.cashier.id, terminal: "T1")
        let x = try f.ledger.expectation(session: f.drawer)
        _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: CashCount.making(Money(cents: x.expectedCash.cents - 100)),
                                                                           checksFound: Set(x.checks.map(\.tenderID)), cardBatch: .zero,
                                                                           reason: "short", approvedBy: f.supervisor.id),
                                     operatorID: f.cashier.id, terminal: "T1")
        _ = try f.ledger.closeBusinessDay(by: f.supervisor.id, terminal: "T9", bag: "B-1")
        return f
    }

    func fault(_ f: CounterFixture) throws -> String? {
        try f.ledger.verify().checks.first { $0.name.hasPrefix("each closed day") }?.fault
    }

    @Test func aClosedDayIsSoundAndEachChangeToItsFiguresIsNamed() throws {
        #expect(try fault(try Self.closedDay()) == nil)
        let changes: [(String, String)] = [
            ("UPDATE drawer_closes SET counted_cash_cents = counted_cash_cents + 500, cash_over_short_cents = cash_over_short_cents + 500",
             "the deposit took"),
            ("UPDATE drawer_closes SET expected_cash_cents = expected_cash_cents - 100, cash_over_short_cents = cash_over_short_cents + 100",
             "Z report No. 1 of 2026-11-20 says"),
            ("UPDATE drawer_sessions SET opening_float_cents = opening_float_cents - 1000", "the deposit took"),
            ("INSERT INTO postings(transaction_id, book, account_id, amount_cents) SELECT deposit_transaction_id, 'CHECKS', NULL, 2000 FROM business_days WHERE closed_at IS NOT NULL",
             "drawer books still hold"),
        ]
        for (sql, named) in changes {
            let f = try Self.closedDay()
            try f.tamper(sql)
            let found = try fault(f)
            #expect(found?.contains(named) == true, "\(sql): \(found ?? "nothing found")")
        }
    }
}
