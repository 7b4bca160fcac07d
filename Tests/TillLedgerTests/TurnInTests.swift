import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Drops that a lead counts and accepts before the day closes; a bag that holds other than its
/// drop said moves the difference to over/short, and the deposit is what the bags held.
@Suite("Turn-ins: drops accepted by a lead")
struct TurnInTests {
    struct Day {
        let f: CounterFixture
        let lead: Operator
        init(_ fixture: CounterFixture, acceptance: Bool = true) throws {
            f = fixture
            lead = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
            if acceptance { try f.ledger.setSetting(.dropsNeedAcceptance, "true", by: f.supervisor.id) }
            _ = try f.payCash("100001", cents: 9_000)
            _ = try f.ledger.drop(session: f.drawer, count: try CashCount.parse("20=3"), bag: "B-7", operatorID: f.cashier.id, terminal: "T1")
        }

        /// `body` with a fresh day on `engine` (`CounterFixture.on`).
        static func on(_ engine: Engine, acceptance: Bool = true, _ body: (Day) throws -> Void) throws {
            try CounterFixture.on(engine) { f throws in try body(try Day(f, acceptance: acceptance)) }
        }

        func closeDrawer() throws {
            let x = try f.ledger.expectation(session: f.drawer)
            _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: CashCount.making(x.expectedCash),
                                                                              checksFound: Set(x.checks.map(\.tenderID)), cardBatch: x.card),
                                         operatorID: f.cashier.id, terminal: "T1")
        }

        func accept(_ counted: Money?, reason: String = "", by: Int64? = nil) throws -> String {
            try f.ledger.acceptDrop(bag: "B-7", counted: counted, reason: reason, actor: Actor(operatorID: by ?? lead.id, terminal: "SAFE"))
        }
    }

    @Test(arguments: Engine.all) func aPendingDropShowsEverywhereAndHoldsTheClose(_ engine: Engine) throws {
        try Day.on(engine) { d throws in
            let x = ReportText.x(try d.f.ledger.drawers(on: CounterFixture.today)[0], try d.f.ledger.expectation(session: d.f.drawer))
            #expect(x.contains { $0.hasPrefix("  bag B-7 $60.00") && $0.hasSuffix("PENDING") }, "\(x)")
            try d.closeDrawer()
            let s = try d.f.ledger.settlement(CounterFixture.today)
            #expect(s.pendingDrops.map(\.bag) == ["B-7"])
            let report = ReportText.settlement(s)
            #expect(report.contains("NOT FINAL: bag B-7 not yet accepted"))
            #expect(report.contains { $0.hasPrefix("  #1 bag B-7 $60.00") && $0.hasSuffix("PENDING") }, "\(report)")
            let z = ReportText.z(s.drawers[0], s.expectations[1]!)
            #expect(z.contains { $0.contains("bag B-7") && $0.hasSuffix("PENDING") })
            let before = try d.f.count("transactions")
            #expect(throws: LedgerError(.invalid, "Drops not yet accepted: bag B-7 (#1 cashier, $60.00). A lead counts each bag and accepts it (F8 a, till drawer accept) before the day closes")) {
                try d.f.ledger.closeBusinessDay(by: d.lead.id, terminal: "T9", bag: "DEP-1")
            }
            // Not a cashier; not the person who made the drop; not a bag that is not there.
            #expect(throws: LedgerError(.notAuthorized, "A lead or supervisor counts and accepts a drop's bag")) { try d.accept(nil, by: d.f.cashier.id) }
            #expect(throws: LedgerError(.invalid, "No drop in bag \"B-8\" today")) {
                try d.f.ledger.acceptDrop(bag: "B-8", counted: nil, reason: "", actor: Actor(operatorID: d.lead.id, terminal: "SAFE"))
            }
            #expect(try d.f.count("transactions") == before)
            #expect(try d.f.count("drop_acceptances") == 0)

            #expect(try d.accept(nil) == "Bag B-7 accepted: $60.00 as dropped.")
            #expect(throws: LedgerError(.invalid, "Bag B-7 was accepted by lead already")) { try d.accept(nil) }
            #expect(try d.f.count("transactions") == before)
            let closed = try d.f.ledger.closeBusinessDay(by: d.lead.id, terminal: "T9", bag: "DEP-1")
            #expect(closed.cashToDeposit == Money(cents: 9_000))
            #expect(try d.f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aShortBagPostsItsDifferenceAndTheDepositIsWhatTheBagsHeld(_ engine: Engine) throws {
        try Day.on(engine) { d throws in
            #expect(throws: LedgerError(.invalid, "The bag holds $40.00, the drop said $60.00: give a reason for the difference")) {
                try d.accept(Money(cents: 4_000))
            }
            #expect(throws: LedgerError.self) { try d.accept(Money(cents: 4_000), reason: "short\u{1B}[2J") }
            #expect(try d.accept(Money(cents: 4_000), reason: "one twenty missing") == "Bag B-7 accepted: counted $40.00, -$20.00 against the drop, posted to over/short.")
            try d.closeDrawer()
            let s = try d.f.ledger.settlement(CounterFixture.today)
            #expect(s.dropDifferences == Money(cents: -2_000) && s.cashToDeposit == Money(cents: 7_000))
            #expect(ReportText.deposit(s).contains { $0.hasPrefix("Differences found in drop bags") && $0.hasSuffix("-$20.00") })
            let closed = try d.f.ledger.closeBusinessDay(by: d.lead.id, terminal: "T9", bag: "DEP-1")
            #expect(closed.depositTotal == Money(cents: 7_000))
            // Re-derived plainly: the safe and the drawer hold nothing after the deposit; over/short took the $20.00.
            let (safe, overShort) = try d.f.ledger.read { db in
                (try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM postings WHERE book IN ('SAFE', 'CASH')")!,
                 try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM postings WHERE book = 'OVER_SHORT'")!)
            }
            #expect(safe == 0 && overShort == 2_000)
            #expect(try d.f.ledger.verify().isSound)
            try ReconciliationTests.expectHledgerAgrees(d.f.ledger, CounterFixture.today, seed: 0)
        }
    }

    @Test(arguments: Engine.all) func withoutTheSettingNothingWaitsButABagMayStillBeAccepted(_ engine: Engine) throws {
        try Day.on(engine, acceptance: false) { d throws in
            try d.closeDrawer()
            #expect(try d.f.ledger.settlement(CounterFixture.today).pendingDrops.isEmpty)
            #expect(try d.accept(Money(cents: 6_100), reason: "a stray twenty... no, a ten and a one") .contains("$1.00"))
            let closed = try d.f.ledger.closeBusinessDay(by: d.lead.id, terminal: "T9", bag: "DEP-1")
            #expect(closed.cashToDeposit == Money(cents: 9_100))
            #expect(try d.f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func verifyNamesAChangedAcceptance(_ engine: Engine) throws {
        try Day.on(engine) { d throws in
            _ = try d.accept(Money(cents: 5_000), reason: "short")
            try d.f.tamper("UPDATE drop_acceptances SET counted_cents = 6000, difference_cents = 0")
            let report = try d.f.ledger.verify()
            #expect(!report.isSound && (report.firstFault ?? "").contains("drop_acceptances"), "\(report.firstFault ?? "")")
            #expect(try d.f.ledger.read { db in try Ledger.suspenseAndDropFault(db) } == "drop acceptance #1 is not what its bag's count and posting say")
        }
    }
}
