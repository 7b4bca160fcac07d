import Foundation
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// A lead accepts a cashier's drop bag on the settle pane, as counted.
@Suite("Turn-ins on the screen")
struct TurnInUITests {
    @Test func aLeadAcceptsABagThatIsShort() throws {
        let f = try UIFixture()
        try f.ledger.setSetting(.dropsNeedAcceptance, "true", by: try f.supervisor)
        let cashier = try #require(try f.ledger.operatorNamed(try OperatorLogin("cashier"))).id
        let drawer = try f.ledger.openDrawer(operatorID: cashier, terminal: "T5").id
        _ = try f.ledger.drop(session: drawer, count: try CashCount.parse("20=3"), bag: "B-7", operatorID: cashier, terminal: "T5")
        // A cashier may not accept.
        f.signIn()
        f.press(.function(8))
        f.type("a")
        #expect(f.text.contains("A lead or supervisor counts and accepts a drop's bag"))
        let g = try UIFixture(ledger: f.ledger)
        g.signIn("lead", "3333")
        g.press(.function(8))
        #expect(g.text.contains("PENDING"), "\(g.text)")
        // The drawer is still open: the hint still says how a bag is accepted.
        #expect(g.text.contains("drawer(s) open · a accept"), "\(g.text)")
        g.type("a")
        #expect(g.text.contains("Accept bag: "))
        g.type("B-7 4O.00 short")
        g.press(.enter)
        #expect(g.text.contains("Amount \"4O.00\""), "\(g.text)")
        for _ in 0..<11 { g.press(.backspace) } // back to "B-7 "
        g.type("40.00 one twenty missing")
        g.press(.enter)
        #expect(g.text.contains("Accept bag B-7 as holding $40.00 (one twenty missing)? (y/n)"), "\(g.text)")
        g.type("y")
        #expect(g.runtime.state.message?.text == "Bag B-7 accepted: counted $40.00, -$20.00 against the drop, posted to over/short.", "\(g.text)")
        #expect(try f.ledger.drops(on: try BusinessDate("2026-11-20")).first?.acceptance?.counted == Money(cents: 4_000))
        #expect(try f.ledger.verify().isSound)
    }
}
