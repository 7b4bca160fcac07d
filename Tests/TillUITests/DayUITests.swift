import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// The drawer pane (F4) and the settle pane (F8), headless: a cashier's day and the closer's.
@Suite("The day at the counter")
struct DayUITests {
    @Test func aCashiersDrawerFromFloatToBlindCloseAndTheClosersDayClose() throws {
        let f = try UIFixture()
        try f.ledger.setSetting(.overShortApprovalCents, "50", by: try f.supervisor)
        f.signIn()
        #expect(f.text.contains("F4 o: open drawer"))
        f.press(.function(4))
        f.type("o")
        #expect(f.text.contains("Count the opening float") && f.text.contains("$20 notes") && f.text.contains("$200.00"))
        f.press(.end, .enter)
        #expect(f.text.contains("Drawer #1 open with a float of $200.00"))
        let session = try #require(f.runtime.state.status.drawerSession)

        // A payment taken meanwhile, then the X report.
        let account = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        _ = try f.ledger.post(Payment(lines: [.account(try AccountNumber(account), Money(dollars: 45))], tenders: [.cash(Money(dollars: 45))]),
                          operatorID: f.runtime.state.session!.id, terminal: "T1", drawerSession: session)
        f.press(.function(2), .function(4))
        #expect(f.text.contains("X REPORT") && f.text.contains("$245.00"))

        // A drop: one $20 note in bag D7.
        f.type("d")
        f.press(.down, .down)
        f.type("1")
        f.press(.end, .enter)
        f.type("D7")
        f.press(.enter)
        #expect(f.text.contains("Dropped $20.00 to the safe in bag D7"))
        #expect(f.text.contains("$225.00"))

        // The blind close: nothing expected is shown until the count is in.
        f.type("c")
        #expect(f.text.contains("Blind count"))
        #expect(!f.text.contains("225.00") && !f.text.contains("expected"))
        f.type("2")            // $100 notes
        f.press(.down, .down)
        f.type("1")            // $20 notes
        for _ in 0..<4 { f.press(.down) }
        f.type("4")            // $1 notes
        f.press(.end, .enter)  // no checks: straight to the card batch
        #expect(f.text.contains("Card batch"))
        #expect(!f.text.contains("225.00"))
        f.press(.enter)        // no card payments: $0.00
        #expect(f.text.contains("Cash expected") && f.text.contains("$225.00") && f.text.contains("-$1.00"))
        f.press(.enter)        // beyond the 50¢ limit: a reason and a lead
        f.type("dropped a dollar")
        f.press(.enter)
        f.type("lead")
        f.press(.enter)
        f.type("0000")
        f.press(.enter)
        #expect(f.text.contains("Approved by a lead or supervisor"))
        f.type("lead")
        f.press(.enter)
        f.type("3333")
        f.press(.enter)
        #expect(f.text.contains("closed: Z report No. 1, over/short -$1.00"))
        #expect(f.text.contains("Z REPORT No. 1"))
        #expect(f.runtime.state.status.drawerSession == nil)

        // The closer, at another terminal: F8, close the day with the deposit bag.
        let closer = try UIFixture(ledger: f.ledger)
        closer.signIn("lead", "3333")
        closer.press(.function(8))
        #expect(closer.text.contains("SETTLEMENT 2026-11-20"))
        #expect(closer.text.contains("Z1 o/s -$1.00"))
        closer.type("c")
        closer.type("B-77")
        closer.press(.enter)
        #expect(closer.text.contains("Close business day 2026-11-20 with deposit bag B-77?"))
        closer.type("y")
        #expect(closer.text.contains("Business day 2026-11-20 closed. Deposit $44.00 in bag B-77."))
        #expect(try f.ledger.openBusinessDay() == nil)
        let settlement = try f.ledger.settlement(try BusinessDate("2026-11-20"))
        #expect(settlement.cashToDeposit == Money(dollars: 44) && settlement.overShort == Money(cents: -100))
        #expect(try f.ledger.verify().isSound)
    }

    /// The demo's day is open with nothing in it: a lead may not cancel it, a supervisor may,
    /// with a reason, after a question.
    @Test func aSupervisorCancelsADayOpenedByMistake() throws {
        let lead = try UIFixture()
        lead.signIn("lead", "3333")
        lead.press(.function(8))
        lead.type("x")
        #expect(lead.text.contains("Only a supervisor cancels a business day"))
        let boss = try UIFixture(ledger: lead.ledger)
        boss.signIn("super", "9999")
        boss.press(.function(8))
        boss.type("x")
        #expect(boss.text.contains("Why: "))
        boss.press(.enter)
        #expect(boss.text.contains("Type why the day is cancelled"))
        boss.type("clock was fast")
        boss.press(.enter)
        #expect(boss.text.contains("Cancel business day 2026-11-20 (clock was fast)?"))
        boss.type("y")
        #expect(boss.text.contains("Business day 2026-11-20 is cancelled"))
        #expect(try boss.ledger.openBusinessDay() == nil)
        let audited = try boss.ledger.writer.read { db in try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE event = 'day.cancelled'") }
        #expect(audited == "2026-11-20: clock was fast")
        #expect(try boss.ledger.verify().isSound)
    }

    @Test func aFloatThatDiffersNeedsAReasonAndTheCloseWaitsForEveryDrawer() throws {
        let f = try UIFixture()
        f.signIn("lead", "3333")
        f.press(.function(4))
        f.type("o")
        f.press(.backspace)     // no $100 notes (there were none): still $200.00
        f.press(.down, .down)
        f.type("3")             // three $20 notes instead of four
        f.press(.end, .enter)
        #expect(f.text.contains("differs from the standard $200.00"))
        f.type("short of twenties")
        f.press(.enter)
        #expect(f.text.contains("float of $180.00"))
        f.press(.function(8))
        f.type("c")
        #expect(f.text.contains("1 drawer(s) still open"))
        // Esc in a count asks before dropping it.
        f.press(.function(4))
        f.type("d")
        f.type("1")
        f.press(.escape)
        #expect(f.text.contains("Discard this count? (y/n)"))
        f.type("y")
        #expect(f.text.contains("X REPORT"))
        // With blind closes turned off, the closing count shows what the drawer should hold.
        try f.ledger.setSetting(.blindClose, "false", by: try f.supervisor)
        f.press(.function(2), .function(4))
        f.type("c")
        #expect(f.text.contains("Count the drawer") && f.text.contains("Should hold $180.00"))
    }
}
