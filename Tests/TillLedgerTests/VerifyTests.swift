import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("till verify finds tampering")
struct VerifyTests {
    @Test func aCleanLedgerIsSound() throws {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 2_000)
        let report = try f.ledger.verify()
        #expect(report.isSound)
        #expect(report.checks.count == 11)
    }

    @Test func aChangedAmountIsNamedByTransactionAndReceipt() throws {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 2_000)
        let second = try f.payCash("100002", cents: 3_000)
        try f.tamper("UPDATE postings SET amount_cents = 2500 WHERE transaction_id = \(second.id) AND book = 'CASH'")
        let fault = try #require(try f.ledger.verify().firstFault)
        #expect(fault == "transaction #\(second.id) (payment, receipt 2, 2026-11-20) does not balance: debits and credits differ by -$5.00")
    }

    @Test func aDeletedReceiptLeavesAGapThatIsNamed() throws {
        let f = try CounterFixture()
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

    @Test func aBalanceChangedBehindTheLedgersBackIsFound() throws {
        let f = try CounterFixture()
        try f.tamper("UPDATE accounts SET balance_cents = 0 WHERE number = '100003'")
        #expect(try f.ledger.verify().firstFault == "account 100003 shows a balance of $0.00 but its postings sum to $210.00")
    }

    @Test func aTenderChangedToMatchNothingIsFound() throws {
        let f = try CounterFixture()
        let posted = try f.payCash("100001", cents: 2_000)
        try f.tamper("UPDATE tenders SET amount_cents = 1000 WHERE transaction_id = \(posted.id)")
        #expect(try f.ledger.verify().firstFault?.contains("tenders do not add up") == true)
    }

    @Test func aDuplicatedReceiptNumberIsFound() throws {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 500)
        try f.payCash("100001", cents: 500)
        try f.tamper("DROP INDEX transactions_receipt; UPDATE transactions SET receipt_number = 1 WHERE receipt_number = 2")
        #expect(try f.ledger.verify().firstFault == "receipt 1 is used twice")
    }

    @Test func aRunningTenderTotalEditedIsFound() throws {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 2_000)
        try f.tamper("UPDATE tender_totals SET amount_cents = amount_cents + 100")
        let report = try f.ledger.verify()
        #expect(report.checks.first { $0.name == "tender totals equal the sum of tenders" }?.fault?.contains("differs from its tenders") == true)
        #expect(report.checks.filter { $0.fault != nil }.count == 1)
    }

    @Test func aPostingLeftAloneOrPointingAtNoTransactionIsFound() throws {
        let f = try CounterFixture()
        let first = try f.payCash("100001", cents: 2_000)
        try f.tamper("DELETE FROM allocations; DELETE FROM postings WHERE transaction_id = \(first.id) AND book = 'AR'")
        #expect(try f.ledger.verify().checks[2].fault?.contains("does not balance") == true)
        try f.tamper("PRAGMA foreign_keys = OFF; INSERT INTO postings(transaction_id, book, amount_cents) VALUES (999999, 'CASH', 5)")
        let report = try f.ledger.verify()
        #expect(report.checks[2].name == "every transaction balances")
        #expect(report.checks[2].fault != nil)
    }

    @Test func theWalkSealsAsEachWriteSealed() throws {
        let f = try CounterFixture()
        for cents in [500, 1_250, 99_999] as [Int64] { try f.payCash("100002", cents: cents) }
        try f.ledger.read { db in
            let walk = try LedgerWalk.run(db)
            #expect(walk.chainIntact && !walk.unbalanced && !walk.tendersDiffer)
            #expect(walk.tenderTotals == (try LedgerWalk.TenderTotal.stored(db)))
            #expect(try Chain.fault(db) == nil)
        }
    }

    @Test func theThoroughCheckRunsSQLitesFullIntegrityCheck() throws {
        let f = try CounterFixture()
        try f.payCash("100001", cents: 2_000)
        let report = try f.ledger.verify(thorough: true)
        #expect(report.isSound)
        #expect(report.checks[0].name == "SQLite integrity (full)")
    }
}
