import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("What a payment paid")
struct AllocationStoreTests {
    /// (due date of the charge, amount allocated) for one payment, oldest first.
    func allocations(_ f: CounterFixture, payment: Int64) throws -> [(String, Int64)] {
        try f.ledger.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT t.due_date, a.amount_cents FROM allocations a
                JOIN postings credit ON credit.id = a.credit_posting_id
                JOIN postings charge ON charge.id = a.charge_posting_id
                JOIN transactions t ON t.id = charge.transaction_id
                WHERE credit.transaction_id = ? ORDER BY t.due_date, charge.id
                """, arguments: [payment]).map { ($0[0], $0[1]) }
        }
    }

    @Test(arguments: Engine.all) func paymentPaysTheOldestChargesFirst(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            // 100001 owes September water 40 + sewer 20, then October water 30.
            let posted = try f.payCash("100001", cents: 7_000)
            let paid = try allocations(f, payment: posted.id)
            #expect(paid.map(\.0) == ["2026-09-26", "2026-09-26", "2026-10-26"])
            #expect(paid.map(\.1) == [4_000, 2_000, 1_000])
        }
    }

    @Test(arguments: Engine.all) func overpaymentLeavesACreditThatPaysTheNextBill(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try f.payCash("100002", cents: 10_525) // owes 55.25, pays 105.25
            #expect(try f.balance("100002") == Money(cents: -5_000))
            #expect(try allocations(f, payment: posted.id).map(\.1) == [5_525])
            let november = "account_number,bill_date,due_date,revenue_code,amount\n100002,2026-11-05,2026-11-26,water,30.00\n"
            _ = try f.ledger.importCharges(csv: Array(november.utf8), fileName: "nov.csv", by: f.supervisor.id)
            #expect(try f.balance("100002") == Money(cents: -2_000))
            #expect(try allocations(f, payment: posted.id).map(\.1) == [5_525, 3_000])
            #expect(try f.ledger.verify().isSound)
        }
    }
}
