import Foundation
import Testing
import TillCore
@testable import TillLedger

/// Which dates open, by the ledger's clock, and a day opened by mistake cancelled.
@Suite("Business dates by the ledger's clock")
struct BusinessDateTests {
    /// The fixture's day closed with nothing in it, so the next one may open.
    static func closeDay(_ f: CounterFixture) throws -> Operator {
        _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse("20=10"), checksFound: [], cardBatch: .zero),
                                     operatorID: f.cashier.id, terminal: "T1")
        try f.ledger.closeBusinessDay(by: f.supervisor.id, terminal: "T1", bag: "B-1")
        let lead = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee Lead", role: .lead, pin: "5555", by: f.supervisor.id)
        return lead
    }

    @Test(arguments: Engine.all) func onlyTodayOpensAndAnotherDateNeedsASupervisorWithinTheWindow(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lead = try Self.closeDay(f)
            f.clock.jump(86_400) // today is 2026-11-21
            let tomorrow = try BusinessDate("2026-11-22"), far = try BusinessDate("2031-01-01")
            let byLead = #expect(throws: LedgerError.self) { try f.ledger.openBusinessDay(tomorrow, by: lead.id, terminal: "T1") }
            #expect(byLead?.message == "Only today's date, 2026-11-21, opens; 2026-11-22 needs a supervisor")
            let farOff = #expect(throws: LedgerError.self) { try f.ledger.openBusinessDay(far, by: f.supervisor.id, terminal: "T1") }
            #expect(farOff?.message.hasPrefix("2031-01-01 is 1502 days from today, 2026-11-21, by this machine's clock") == true)
            #expect(throws: LedgerError.self) { try f.ledger.openBusinessDay(try BusinessDate("2026-11-25"), by: f.supervisor.id, terminal: "T1") }
            // Nothing was written by the refusals.
            #expect(try f.ledger.openBusinessDay() == nil)
            try f.ledger.openBusinessDay(try BusinessDate("2026-11-21"), by: lead.id, terminal: "T1")
            #expect(try f.ledger.openBusinessDay() == (try BusinessDate("2026-11-21")))
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func theWindowIsASetting(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try Self.closeDay(f)
            try f.ledger.setSetting(.openDayWindowDays, "0", by: f.supervisor.id)
            #expect(throws: LedgerError.self) { try f.ledger.openBusinessDay(try BusinessDate("2026-11-21"), by: f.supervisor.id, terminal: "T1") }
            try f.ledger.setSetting(.openDayWindowDays, "1", by: f.supervisor.id)
            try f.ledger.openBusinessDay(try BusinessDate("2026-11-21"), by: f.supervisor.id, terminal: "T1")
            #expect(throws: LedgerError.self) { try f.ledger.setSetting(.openDayWindowDays, "400", by: f.supervisor.id) }
        }
    }

    /// As reported: with the clock 3 days fast the opener opens "today", 11-24; with the clock
    /// set right, 11-21 could never open. A supervisor cancels the empty day, 11-21 opens, and
    /// 11-24 opens again when it comes.
    @Test(arguments: Engine.all) func aDayOpenedByAFastClockIsCancelledAndTheRightDayOpens(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lead = try Self.closeDay(f)
            f.clock.jump(4 * 86_400)
            let wrong = try BusinessDate("2026-11-24"), right = try BusinessDate("2026-11-21")
            try f.ledger.openBusinessDay(wrong, by: lead.id, terminal: "T1")
            f.clock.jump(-3 * 86_400)
            let blocked = #expect(throws: LedgerError.self) { try f.ledger.openBusinessDay(right, by: lead.id, terminal: "T1") }
            #expect(blocked?.code == .dayAlreadyOpen)
            // Only a supervisor cancels, only with a reason, only the open day, only an empty one.
            #expect(throws: LedgerError.self) { try f.ledger.cancelBusinessDay(wrong, by: lead.id, terminal: "T1", reason: "clock fast") }
            #expect(throws: LedgerError.self) { try f.ledger.cancelBusinessDay(wrong, by: f.supervisor.id, terminal: "T1", reason: "  ") }
            #expect(throws: LedgerError.self) { try f.ledger.cancelBusinessDay(right, by: f.supervisor.id, terminal: "T1", reason: "clock fast") }
            try f.ledger.cancelBusinessDay(wrong, by: f.supervisor.id, terminal: "T1", reason: "clock was 3 days fast")
            #expect(try f.ledger.openBusinessDay() == nil)
            try f.ledger.openBusinessDay(right, by: lead.id, terminal: "T1")
            try f.payCash("100001", cents: 100, drawerFor: lead)
            let events = try f.ledger.read { db in
                try String.fetchAll(db, sql: "SELECT event || ' ' || detail FROM audit_events WHERE event LIKE 'day.%' ORDER BY id")
            }
            #expect(events.suffix(3) == ["day.opened 2026-11-24", "day.cancelled 2026-11-24: clock was 3 days fast", "day.opened 2026-11-21"])
            // A day with something in it is closed, never cancelled.
            #expect(throws: LedgerError.self) { try f.ledger.cancelBusinessDay(right, by: f.supervisor.id, terminal: "T1", reason: "oops") }
            #expect(try f.ledger.verify().isSound)
            #expect(try f.ledger.lastClosedDay() == (try BusinessDate("2026-11-20")))
        }
    }
}

extension CounterFixture {
    /// Pays cash at T2 through a drawer `op` opens for it.
    func payCash(_ number: String, cents: Int64, drawerFor op: Operator) throws {
        let drawer = try ledger.openDrawer(operatorID: op.id, terminal: "T2").id
        _ = try ledger.post(Payment(lines: [.account(try account(number), Money(cents: cents))], tenders: [.cash(Money(cents: cents))]),
                            operatorID: op.id, terminal: "T2", drawerSession: drawer)
    }
}
