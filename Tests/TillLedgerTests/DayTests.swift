import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("The business day: drawers, settlement, close")
struct DayTests {
    /// Two cashiers, every tender, a drop, a void, one drawer $1.00 short approved by a lead,
    /// settlement to the cent, the day closed, and nothing posts afterwards.
    @Test(arguments: Engine.all) func aWholeDay(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let l = f.ledger
            let lead = try l.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
            let cashier2 = try l.addOperator(login: try OperatorLogin("cashier2"), displayName: "Sam Second", role: .cashier, pin: "2222",
                                             by: f.supervisor.id)
            try l.setSetting(.overShortApprovalCents, "50", by: f.supervisor.id)
            #expect(try l.drawer(f.drawer)?.openingFloat == Money(dollars: 200))

            // A float that differs from the standard needs a reason.
            let shortFloat = try CashCount.parse("20=5,10=2,5=4,1=10")
            #expect(throws: LedgerError.self) { try l.openDrawer(operatorID: cashier2.id, terminal: "T2", float: shortFloat) }
            let d2 = try l.openDrawer(operatorID: cashier2.id, terminal: "T2", float: shortFloat, reason: "short of ones").id

            func pay(_ account: String, _ cents: Int64, _ tender: Tender, by op: Operator, at terminal: String, drawer: Int64?) throws -> PostedTransaction {
                try l.post(Payment(lines: [.account(try f.account(account), Money(cents: cents))], tenders: [tender]),
                           operatorID: op.id, terminal: terminal, drawerSession: drawer)
            }
            let c1 = f.cashier
            _ = try pay("100001", 4_550, .cash(Money(cents: 4_550), tendered: Money(dollars: 50)), by: c1, at: "T1", drawer: f.drawer)
            _ = try pay("100001", 4_450, .check(Money(cents: 4_450), number: "2041"), by: c1, at: "T1", drawer: f.drawer)
            _ = try pay("100003", 10_000, .card(Money(dollars: 100), lastFour: "4242", authorization: "0A1B2C", brand: "VISA"),
                        by: c1, at: "T1", drawer: f.drawer)
            let mistake = try pay("100003", 2_000, .cash(Money(dollars: 20)), by: c1, at: "T1", drawer: f.drawer)
            #expect(throws: LedgerError.self) { try l.void(receipt: mistake.receipt!, reason: "", operatorID: c1.id, terminal: "T1") }
            let void = try l.void(receipt: mistake.receipt!, reason: "wrong account", operatorID: c1.id, terminal: "T1")
            #expect(throws: LedgerError.self) { try l.void(receipt: mistake.receipt!, reason: "again", operatorID: c1.id, terminal: "T1") }
            #expect(try l.receipt(mistake.receipt!)?.memo == "VOIDED by #\(void.receipt!)")
            try l.drop(session: f.drawer, count: try CashCount.parse("20=5"), bag: "D-1", operatorID: c1.id, terminal: "T1")
            #expect(throws: LedgerError.self) {
                try l.drop(session: f.drawer, count: try CashCount.parse("100=5"), bag: "D-2", operatorID: c1.id, terminal: "T1")
            }
            try l.noSale(session: f.drawer, reason: "change for the meter reader", operatorID: c1.id, terminal: "T1")

            _ = try pay("100003", 11_000, .cash(Money(dollars: 110)), by: cashier2, at: "T2", drawer: d2)
            _ = try pay("100002", 5_525, .moneyOrder(Money(cents: 5_525), number: "77"), by: cashier2, at: "T2", drawer: d2)
            _ = try l.post(Payment(lines: [.miscellaneous(.miscellaneous, Money(dollars: 15))], tenders: [.cash(Money(dollars: 15))]),
                           operatorID: cashier2.id, terminal: "T2", drawerSession: d2, memo: "Permit 2291")
            _ = try pay("100002", 1_000, .ach(Money(dollars: 10), lastFour: "6789"), by: f.supervisor, at: "PHONE", drawer: nil)

            // The X report: what drawer 1 should hold now.
            let x1 = try l.expectation(session: f.drawer)
            #expect(x1.expectedCash == Money(cents: 14_550)) // 200 + 45.50 + 20 − 20 − 100
            #expect(x1.checks.map(\.number) == ["2041"])
            #expect(x1.card == Money(dollars: 100))

            // The day cannot close while drawers are open.
            #expect(throws: LedgerError.self) { try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1") }

            // Drawer 1 balances to the cent.
            let z1 = try l.closeDrawer(session: f.drawer, count: DrawerCount(
                cash: try CashCount.parse("20=2,10=5,5=6,1=20,0.25=22"), checksFound: Set(x1.checks.map(\.tenderID)),
                cardBatch: Money(dollars: 100)), operatorID: c1.id, terminal: "T1")
            #expect(z1.balance.isBalanced && z1.zNumber == 1)

            // Drawer 2 is $1.00 short: beyond the 50¢ setting it needs a reason and a lead.
            let x2 = try l.expectation(session: d2)
            #expect(x2.expectedCash == Money(dollars: 275))
            var count2 = DrawerCount(cash: try CashCount.parse("50=2,20=6,10=2,5=4,1=14"), checksFound: Set(x2.checks.map(\.tenderID)),
                                     cardBatch: .zero)
            #expect(throws: LedgerError.self) { try l.closeDrawer(session: d2, count: count2, operatorID: cashier2.id, terminal: "T2") }
            count2.reason = "miscounted change"
            count2.approvedBy = cashier2.id // not one's own approval
            #expect(throws: LedgerError.self) { try l.closeDrawer(session: d2, count: count2, operatorID: cashier2.id, terminal: "T2") }
            count2.approvedBy = lead.id
            let z2 = try l.closeDrawer(session: d2, count: count2, operatorID: cashier2.id, terminal: "T2")
            #expect(z2.balance.cash == Money(cents: -100) && z2.balance.total == Money(cents: -100) && z2.zNumber == 2)
            #expect(z2.approvedBy == "lead")

            // Settlement, to the cent.
            let s = try l.settlement(CounterFixture.today)
            #expect(s.allDrawersClosed)
            #expect(s.floatsKept == Money(dollars: 350))
            #expect(s.drops.total == Money(dollars: 100))
            #expect(s.cashCounted.total == Money(cents: 41_950))
            #expect(s.cashToDeposit == Money(cents: 16_950))
            #expect(s.checks.map(\.number) == ["2041", "77"])
            #expect(s.checks.map(\.account) == ["100001", "100002"])
            #expect(s.checksTotal == Money(cents: 4_450) && s.moneyOrdersTotal == Money(cents: 5_525))
            #expect(s.depositTotal == Money(cents: 26_925))
            #expect(s.overShort == Money(cents: -100))
            let tenders = Dictionary(uniqueKeysWithValues: s.tenders.map { ($0.kind, $0.amount.cents) })
            #expect(tenders == [.cash: 17_050, .check: 4_450, .moneyOrder: 5_525, .card: 10_000, .ach: 1_000])
            #expect(s.tenderTotal == Money(cents: 38_025))
            let revenue = Dictionary(uniqueKeysWithValues: s.revenue.map { ($0.code, $0.amount.cents) })
            #expect(revenue == ["REV_WATER": 30_525, "REV_SEWER": 2_000, "REV_LATE_FEE": 1_000, "REV_MISC": 1_500, "RECHARGED": 2_000, "UNAPPLIED": 1_000])
            #expect(s.revenueTotal == s.tenderTotal)
            #expect(s.receipts?.first == ReceiptNumber(1) && s.receipts?.last == ReceiptNumber(9) && s.receipts?.count == 9)
            #expect(s.corrections.count == 1)
            #expect(s.corrections.first?.receipt == void.receipt && s.corrections.first?.corrects == mistake.receipt)
            #expect(s.corrections.first?.amount == Money(cents: -2_000))

            // The reports say the same.
            let slip = ReportText.deposit(s).joined(separator: "\n")
            #expect(slip.contains("Cash to deposit") && slip.contains("$169.50") && slip.contains("$269.25"))
            #expect(ReportCSV.deposit(s).last == ["deposit-total", "", "", "", "269.25", ""])
            #expect(ReportCSV.deposit(s).contains(["check", "2041", "1", "100001", "44.50", "2"]))
            #expect(ReportText.z(try #require(try l.drawer(d2)), x2).contains { $0.hasPrefix("Approved by lead") })

            // A cashier cannot close the day; a lead can, and the deposit posts to the bank.
            #expect(throws: LedgerError.self) { try l.closeBusinessDay(by: c1.id, terminal: "T1", bag: "B-1120") }
            let final = try l.closeBusinessDay(by: lead.id, terminal: "T9", bag: "B-1120")
            #expect(final.closed?.bag == "B-1120" && final.closed?.by == "lead")
            #expect(try l.openBusinessDay() == nil)
            let books: [String: Int64] = try l.read { db in
                Dictionary(uniqueKeysWithValues: try SQLRow.fetchAll(db, sql: """
                    SELECT p.book, SUM(p.amount_cents) FROM postings p JOIN transactions t ON t.id = p.transaction_id
                    WHERE t.business_date = '2026-11-20' AND t.kind NOT IN ('bill', 'opening-balance') GROUP BY p.book
                    """)
                    .map { ($0[0], $0[1]) })
            }
            #expect(books["BANK"] == 26_925)
            #expect(books["CASH"] == 0 && books["SAFE"] == 0 && books["CHECKS"] == 0 && books["MONEY_ORDERS"] == 0)
            #expect(books["OVER_SHORT"] == 100 && books["CARD"] == 10_000 && books["ACH"] == 1_000)

            // After the close nothing posts to the day.
            #expect(throws: LedgerError(.dayNotOpen, "No business day is open: a lead or supervisor must open the day before anything is posted")) {
                try f.payCash("100001", cents: 100)
            }
            #expect(try l.verify().isSound)
            // The next day opens; a correction there names what it corrects.
            f.clock.jump(86_400)
            try l.openBusinessDay(try BusinessDate("2026-11-21"), by: lead.id, terminal: "T9")
            #expect(throws: LedgerError.self) { try l.void(receipt: ReceiptNumber(1), reason: "late", operatorID: lead.id, terminal: "T9") }
            // A tender changed afterwards no longer matches the running totals settlement read.
            try f.tamper("UPDATE tenders SET amount_cents = amount_cents + 1 WHERE id = (SELECT MAX(id) FROM tenders)")
            #expect(try l.verify().checks.contains { $0.fault?.hasPrefix("the running total of") == true })
        }
    }

    @Test func countsParseAndRefuseNonsense() throws {
        let count = try CashCount.parse("20=4, 0.25=40,roll-0.01=2")
        #expect(count.total == Money(cents: 9_100))
        #expect(count.spec == "20=4,0.25=40,roll-0.01=2")
        for bad in ["20", "3=1", "20=-1", "20=1.5", "20=4,20=1", "20=9999999"] {
            #expect(throws: DomainError.self) { try CashCount.parse(bad) }
        }
        #expect(try CashCount.parse("").isEmpty)
    }

    @Test(arguments: Engine.all) func aDrawerCanOnlyBeClosedOnceAndByItsCashierOrALead(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let other = try f.ledger.addOperator(login: try OperatorLogin("other"), displayName: "O", role: .cashier, pin: "3333",
                                                 by: f.supervisor.id)
            let count = DrawerCount(cash: try CashCount.parse(try f.ledger.standardFloat().spec), checksFound: [], cardBatch: .zero)
            #expect(throws: LedgerError.self) { try f.ledger.closeDrawer(session: f.drawer, count: count, operatorID: other.id, terminal: "T1") }
            let z = try f.ledger.closeDrawer(session: f.drawer, count: count, operatorID: f.cashier.id, terminal: "T1")
            #expect(z.balance.isBalanced)
            #expect(throws: LedgerError.self) { try f.ledger.closeDrawer(session: f.drawer, count: count, operatorID: f.cashier.id, terminal: "T1") }
            #expect(try f.ledger.verify().isSound)
            // Someone changing a count afterwards is found.
            try f.tamper("UPDATE cash_count_lines SET quantity = quantity + 1 WHERE id = (SELECT MAX(id) FROM cash_count_lines)")
            #expect(try f.ledger.verify().firstFault?.hasPrefix("cash count #") == true)
            // A closed drawer takes no more cash.
            #expect(throws: LedgerError.self) { try f.payCash("100001", cents: 100) }
        }
    }
}
