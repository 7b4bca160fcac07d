import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("The account pane's facts")
struct AccountDetailTests {
    @Test(arguments: Engine.all) func agingOpenChargesAndPayments(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_500)
            let detail = try #require(try f.ledger.accountDetail("100001"))
            #expect(detail.record.balance == Money(dollars: 65))
            // Oldest first: the $25 paid off part of the September water charge.
            #expect(detail.openCharges.map(\.remaining) == [Money(dollars: 15), Money(dollars: 20), Money(dollars: 30)])
            #expect(detail.openCharges.first?.dueDate == (try BusinessDate("2026-09-26")))
            #expect(detail.aging.days60 == Money(dollars: 35)) // billed 2026-09-05, 76 days before 2026-11-20
            #expect(detail.aging.days30 == Money(dollars: 30))
            #expect(detail.aging.current == .zero && detail.aging.days90 == .zero)
            #expect(detail.aging.pastDue == Money(dollars: 65))
            #expect(detail.payments.map(\.amount) == [Money(dollars: 25)])
            #expect(detail.payments.first?.receipt == ReceiptNumber(1) && detail.payments.first?.tenders == "cash")
        }
    }

    @Test(arguments: Engine.all) func alertsFromStandingAndPolicy(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let locked = try #require(try f.ledger.accountDetail("100003"))
            #expect(locked.alerts == [.lockedOff(restoreAmount: Money(dollars: 260), reconnectFee: Money(dollars: 50))])
            #expect(locked.alerts[0].text == "Pay $260.00 to restore service: locked off (includes the $50.00 reconnect fee)")
            let cashOnly = try #require(try f.ledger.accountDetail("100002"))
            #expect(cashOnly.alerts == [.cashOnly(until: try BusinessDate("2027-03-01"))])
            try f.ledger.writeImmediate { db in
                try db.execute(sql: "UPDATE accounts SET shutoff_date = '2026-11-30' WHERE number = '100001'")
                try db.execute(sql: """
                    INSERT INTO payment_plans(account_id, created_at, created_by, starts_on, installments, installment_cents, first_due)
                    SELECT id, '2026-11-01T00:00:00.000Z', 1, '2026-11-01', 3, 3000, '2026-11-10' FROM accounts WHERE number = '100001'
                    """)
            }
            try f.payCash("100001", cents: 4_000)
            let behind = try #require(try f.ledger.accountDetail("100001"))
            // The plan is being kept: it holds the shut-off, as the shut-off list says.
            #expect(behind.alerts.contains(.shutoffHeld(date: try BusinessDate("2026-11-30"))))
            #expect(!behind.alerts.contains { if case .shutoffPending = $0 { true } else { false } })
            // $40 paid since the plan began covers one $30 installment and $10 of the next, due 2026-12-10.
            #expect(behind.alerts.contains(.paymentPlan(nextDue: try BusinessDate("2026-12-10"), amount: Money(dollars: 20), missed: false)))
        }
    }

    /// Installments add up to the plan exactly (the last takes the remainder); a payment made
    /// before the plan does not count toward it; the pane and the delinquency list agree.
    @Test(arguments: Engine.all) func aPlansInstallmentsAddUpAndOnlyLaterPaymentsCount(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.writeImmediate { db in try db.execute(sql: "UPDATE accounts SET shutoff_date = '2026-11-30' WHERE number = '100001'") }
            try f.payCash("100001", cents: 970) // before the plan: $90.00 past due becomes $80.30
            let made = try f.ledger.createPaymentPlan(account: try f.account("100001"), installments: 3, firstDue: try BusinessDate("2026-12-10"),
                                                     actor: Actor(operatorID: f.supervisor.id, terminal: "T9"))
            #expect(made.summary == "Plan: 2 × $26.76 and a last of $26.78 monthly from 2026-12-10 ($80.30) on 100001.")
            var plan = try #require(try f.ledger.accountDetail("100001")?.plan)
            #expect(plan.total == Money(cents: 8_030) && plan.installment.cents * 2 + plan.lastInstallment.cents == 8_030)
            #expect(plan.installmentsPaid == 0 && plan.next?.amount == Money(cents: 2_676))
            try f.payCash("100001", cents: 2_676)
            plan = try #require(try f.ledger.accountDetail("100001")?.plan)
            let january = try BusinessDate("2027-01-10")
            #expect(plan.installmentsPaid == 1 && plan.next?.due == january && plan.next?.amount == Money(cents: 2_676))
            try f.payCash("100001", cents: 2_676 + 2_000)
            plan = try #require(try f.ledger.accountDetail("100001")?.plan)
            #expect(plan.installmentsPaid == 2 && plan.next?.amount == Money(cents: 678))
            let detail = try #require(try f.ledger.accountDetail("100001"))
            #expect(detail.alerts.contains(.shutoffHeld(date: try BusinessDate("2026-11-30"))))
            let listed = try f.ledger.delinquency(asOf: CounterFixture.today).first { $0.number == "100001" }
            #expect(listed == nil || listed?.plan == .current)
            #expect(try f.ledger.shutoffCandidates(on: CounterFixture.today).allSatisfy { $0.number != "100001" })
            // Cents that cannot be divided are refused, not rounded into a plan that does not add up.
            #expect(PaymentPlan.dividing(Money(cents: 59), into: 60, firstDue: CounterFixture.today) == nil)
            #expect(PaymentPlan.dividing(Money(cents: 16_454), into: 3, firstDue: CounterFixture.today)?.terms
                        == "2 × $54.84 and a last of $54.86 monthly from 2026-11-20 ($164.54)")
        }
    }

    @Test(arguments: Engine.all) func notesAreSignedAndNeverEmpty(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.addNote("Customer disputes the October bill", account: "100001", operatorID: f.cashier.id, terminal: "T1")
            #expect(throws: LedgerError(.invalid, "A note needs some text")) {
                try f.ledger.addNote("   ", account: "100001", operatorID: f.cashier.id, terminal: "T1")
            }
            #expect(throws: LedgerError(.unknownAccount, "No account 999999")) {
                try f.ledger.addNote("x", account: "999999", operatorID: f.cashier.id, terminal: "T1")
            }
            let notes = try #require(try f.ledger.accountDetail("100001")).notes
            #expect(notes.map(\.text) == ["Customer disputes the October bill"])
            #expect(notes.first?.operatorLogin == "cashier")
            // Notes are part of the record: never edited.
            #expect(throws: (any Error).self) {
                try f.ledger.writeImmediate { db in try db.execute(sql: "UPDATE account_notes SET text = 'changed'") }
            }
        }
    }
}

/// The delinquency list sums each account's open charges from `open_items` in SQL; re-derived
/// here from every charge and its allocations, the slow plain way, and aged by `Aging` itself.
@Suite("Delinquency from the open items")
struct DelinquencyPlainTests {
    @Test func theListAgreesWithEveryChargeLessItsAllocations() throws {
        let (ledger, _) = try DemoAndExportTests.demo(accounts: 300, seed: 4)
        let asOf = try BusinessDate("2026-11-19")
        let list = try ledger.delinquency(asOf: asOf)
        let plain = try ledger.read { db -> [String: [OpenCharge]] in
            var result: [String: [OpenCharge]] = [:]
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT a.number, COALESCE(t.bill_date, t.business_date), COALESCE(t.due_date, t.business_date) AS due,
                       p.amount_cents - COALESCE((SELECT SUM(x.amount_cents) FROM allocations x WHERE x.charge_posting_id = p.id), 0) AS unpaid
                FROM accounts a JOIN postings p ON p.account_id = a.id AND p.book = 'AR' AND p.amount_cents > 0
                JOIN transactions t ON t.id = p.transaction_id
                WHERE a.balance_cents > 0
                """) {
                let unpaid: Int64 = row[3]
                guard unpaid > 0 else { continue }
                result[row[0], default: []].append(OpenCharge(billDate: try BusinessDate(row[1]), dueDate: try BusinessDate(row[2]),
                                                              book: .water, description: "", remaining: Money(cents: unpaid)))
            }
            return result.filter { $0.value.contains { $0.dueDate < asOf } }
        }
        #expect(list.count == plain.count && list.count > 10, "\(list.count) \(plain.count)")
        for account in list {
            let charges = try #require(plain[account.number])
            #expect(account.aging == (try Aging(charges: charges, today: asOf)), "\(account.number)")
            let oldest = charges.filter { $0.dueDate < asOf }.map(\.dueDate).min()!
            #expect(account.daysPastDue == asOf.days(since: oldest), "\(account.number)")
        }
        // A large ledger is read in two halves of its accounts: the halves make the same list.
        let halves = try ledger.read { db in
            try Ledger.delinquency(asOf: asOf, minimumDays: 1, minimumPastDue: Money(cents: 1), status: nil, accounts: 0...150, db)
                + Ledger.delinquency(asOf: asOf, minimumDays: 1, minimumPastDue: Money(cents: 1), status: nil, accounts: 151...10_000, db)
        }
        #expect(Ledger.oldestDebtFirst(halves) == list)
    }
}

/// Migration v15 fills each open item's bill date from its transaction; verify re-proves it.
@Suite("Open items keep their bill dates")
struct OpenItemBillDateTests {
    @Test(arguments: Engine.all) func everyOpenItemCarriesItsBillsDateAndVerifyNamesAWrongOne(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let wrong = try f.ledger.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM open_items o JOIN postings p ON p.id = o.posting_id JOIN transactions t ON t.id = p.transaction_id
                    WHERE o.bill_date IS DISTINCT FROM COALESCE(t.bill_date, t.business_date)
                    """)!
            }
            let items = try f.count("open_items")
            #expect(wrong == 0 && items > 0)
            try f.tamper("UPDATE open_items SET bill_date = '2020-01-01' WHERE posting_id = (SELECT MIN(posting_id) FROM open_items)")
            #expect(try f.ledger.verify().firstFault?.contains("does not show what is left of it") == true)
        }
    }
}
