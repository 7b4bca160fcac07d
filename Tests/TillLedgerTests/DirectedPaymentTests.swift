import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Oldest-first unless the settings order the revenue codes, and a payment a CSR directs to a
/// charge pays that charge first; the account shows where each payment went.
@Suite("Directed payments and the allocation order")
struct DirectedPaymentTests {
    func pay(_ f: CounterFixture, _ number: String, cents: Int64, to target: ChargeTarget? = nil) throws -> PostedTransaction {
        try f.ledger.post(Payment(lines: [.account(try f.account(number), Money(cents: cents))], tenders: [.ach(Money(cents: cents), lastFour: "6789")]),
                          operatorID: f.cashier.id, terminal: "T1", directedTo: target)
    }

    /// What each open charge of the account still owes, by due date, summed plainly.
    func remaining(_ f: CounterFixture, _ number: String) throws -> [String: Int64] {
        try f.ledger.read { db in
            Dictionary(try SQLRow.fetchAll(db, sql: """
                SELECT COALESCE(t.bill_date, t.business_date) || ' ' || (SELECT q.book FROM postings q WHERE q.transaction_id = t.id AND q.book <> 'AR' LIMIT 1),
                       p.amount_cents - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a WHERE a.charge_posting_id = p.id), 0)
                FROM postings p JOIN transactions t ON t.id = p.transaction_id JOIN accounts c ON c.id = p.account_id
                WHERE c.number = ? AND p.book = 'AR' AND p.amount_cents > 0
                """, arguments: [number]).map { ($0[0] as String, $0[1] as Int64) }, uniquingKeysWith: +)
        }
    }

    @Test(arguments: Engine.all) func aDirectedPaymentPaysItsChargeFirstAndSaysSo(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try pay(f, "100001", cents: 3_000, to: .bill(try BusinessDate("2026-10-05")))
            #expect(try remaining(f, "100001")["2026-10-05 REV_WATER"] == 0)
            #expect(try remaining(f, "100001")["2026-09-05 REV_WATER"] == 4_000)
            let memo = try f.ledger.read { db in try String.fetchOne(db, sql: "SELECT memo FROM transactions WHERE id = ?", arguments: [posted.id]) }
            #expect(memo == "Directed to the bill of 2026-10-05")
            let number = try #require(posted.receipt)
            let receipt = try #require(try f.ledger.receipt(number))
            #expect(receipt.lines.first?.paidTo == "bill 2026-10-05 $30.00" && receipt.memo == memo)
            let detail = try #require(try f.ledger.accountDetail("100001"))
            #expect(detail.payments.first?.paidTo == "bill 2026-10-05 $30.00", "\(detail.payments)")

            // 100003 owes a water bill of 08-05 and a late fee: directed, the late fee goes first.
            _ = try pay(f, "100003", cents: 1_500, to: .fee(.lateFee))
            #expect(try remaining(f, "100003")["2026-08-27 REV_LATE_FEE"] == 0)
            #expect(try remaining(f, "100003")["2026-08-05 REV_WATER"] == 20_000 - 500)
            #expect(try #require(try f.ledger.accountDetail("100003")).payments.first?.paidTo == "late fee $10.00, bill 2026-08-05 $5.00")
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aDirectionThatNamesNothingOpenIsRefusedAndNothingPosts(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let before = try f.count("transactions")
            #expect(throws: LedgerError(.invalid, "Account 100001 has nothing left to pay on the bill of 2026-01-01: nothing posted")) {
                try pay(f, "100001", cents: 100, to: .bill(try BusinessDate("2026-01-01")))
            }
            #expect(throws: LedgerError(.invalid, "Account 100001 has nothing left to pay on the reconnect fee: nothing posted")) {
                try pay(f, "100001", cents: 100, to: .fee(.reconnectFee))
            }
            #expect(throws: LedgerError.self) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(cents: 100)), .account(try f.account("100002"), Money(cents: 100))],
                                          tenders: [.ach(Money(cents: 200), lastFour: "6789")]), operatorID: f.cashier.id, terminal: "T1",
                                  directedTo: .fee(.lateFee))
            }
            for bad in ["bill:2026-13-01", "water", "", "bill:"] {
                #expect(throws: LedgerError.self) { try ChargeTarget(spec: bad) }
            }
            #expect(try ChargeTarget(spec: " Late-Fee ") == .fee(.lateFee))
            #expect(try f.count("transactions") == before)
        }
    }

    @Test(arguments: Engine.all) func theAllocationOrderIsASetting(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            for bad in ["REV_FOO", "REV_WATER,REV_WATER", "", "oldest,REV_WATER"] {
                #expect(throws: LedgerError.self) { try f.ledger.setSetting(.allocationOrder, bad, by: f.supervisor.id) }
            }
            // Oldest first: $10.00 goes to the water bill of 08-05, due before the late fee.
            _ = try pay(f, "100003", cents: 1_000)
            #expect(try remaining(f, "100003")["2026-08-05 REV_WATER"] == 19_000)
            // Fees first, then everything else oldest first.
            try f.ledger.setSetting(.allocationOrder, "REV_LATE_FEE,REV_NSF_FEE,REV_RECONNECT,OTHER", by: f.supervisor.id)
            _ = try pay(f, "100003", cents: 1_200)
            #expect(try remaining(f, "100003")["2026-08-27 REV_LATE_FEE"] == 0)
            #expect(try remaining(f, "100003")["2026-08-05 REV_WATER"] == 19_000 - 200)
            #expect(try f.ledger.verify().isSound)
        }
    }
}
