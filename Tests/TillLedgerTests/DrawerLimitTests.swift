import Foundation
import Testing
import TillCore
@testable import TillLedger

/// A drawer's cash limit: the status says to drop cash above it, and a setting makes the drawer
/// refuse cash until a drop.
@Suite("Drawer cash limit")
struct DrawerLimitTests {
    @Test(arguments: Engine.all) func overTheLimitTheDrawerRefusesCashUntilADropWhenTheSettingSaysSo(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            // The standard float is $200.00.
            try f.ledger.setSetting(.drawerCashLimitCents, "25000", by: f.supervisor.id)
            try f.payCash("100001", cents: 4_000)
            #expect(try f.ledger.cashOverLimit(session: f.drawer) == nil)
            // Over the limit, without refusing: taken, and the drawer says so.
            try f.payCash("100001", cents: 2_000)
            let over = try #require(try f.ledger.cashOverLimit(session: f.drawer))
            #expect(over.cash == Money(dollars: 260) && over.limit == Money(dollars: 250))
            // Refusing: no more cash, and nothing posted.
            try f.ledger.setSetting(.drawerCashLimitRefuses, "true", by: f.supervisor.id)
            let before = try f.count("transactions")
            #expect(throws: LedgerError(.invalid, "The drawer holds $260.00 in cash and its limit is $250.00: make a drop (F4 d) before "
                                        + "taking $5.00 more cash; card and e-check are still taken")) {
                try f.payCash("100001", cents: 500)
            }
            #expect(try f.count("transactions") == before)
            // A card payment is taken; a drop lets cash in again.
            _ = try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 5))],
                                          tenders: [.card(Money(dollars: 5), lastFour: "4242", authorization: "A1", brand: "VISA")]),
                                  operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            _ = try f.ledger.drop(session: f.drawer, count: try CashCount.parse("20=5"), bag: "D-1", operatorID: f.cashier.id, terminal: "T1")
            try f.payCash("100001", cents: 500)
            // The plain way: the float, the cash taken, less the drop, as the close will expect it.
            let expected = try f.ledger.expectation(session: f.drawer).expectedCash
            #expect(expected == Money(dollars: 200 + 40 + 20 - 100 + 5))
            #expect(try f.ledger.read { db in try Ledger.cashInDrawer(session: f.drawer, db) } == expected)
            #expect(try f.ledger.verify().isSound)
        }
    }
}

@Suite("One open drawer per operator")
struct OneDrawerPerOperatorTests {
    @Test func aSecondTerminalIsRefusedUnlessASettingAllowsIt() throws {
        let f = try CounterFixture() // the cashier holds drawer #1 open at T1
        let before = try f.count("drawer_sessions")
        #expect(throws: LedgerError(.drawerAlreadyOpen, "You hold drawer #1 open at T1: close it there first (one open drawer per operator; drawer.one_per_operator)")) {
            try f.ledger.openDrawer(operatorID: f.cashier.id, terminal: "T2")
        }
        #expect(try f.count("drawer_sessions") == before)
        #expect(try f.ledger.otherOpenDrawers(operatorID: f.cashier.id, terminal: "T2") == ["T1"])
        try f.ledger.setSetting(.drawerOnePerOperator, "false", by: f.supervisor.id)
        let second = try f.ledger.openDrawer(operatorID: f.cashier.id, terminal: "T2")
        #expect(second.id == 2)
        #expect(try f.ledger.otherOpenDrawers(operatorID: f.cashier.id, terminal: "T1") == ["T2"])
    }
}
