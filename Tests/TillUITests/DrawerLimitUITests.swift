import Foundation
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// The status line tells the cashier to drop cash once the drawer holds more than its limit.
@Suite("Drawer cash limit on the screen")
struct DrawerLimitUITests {
    @Test func theStatusLineSaysDropCashAndARefusalSaysWhy() throws {
        let f = try UIFixture()
        try f.ledger.setSetting(.drawerCashLimitCents, "21000", by: try f.supervisor) // the float is $200.00
        let number = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents > 5000 AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        f.signIn()
        f.openDrawerWithStandardFloat()
        #expect(!f.text.contains("DROP CASH"))
        func payCash(_ amount: String) {
            f.press(.function(2))
            f.type(number)
            f.press(.enter, .function(3))
            f.type(amount)
            f.press(.enter)
            f.type("c")
            f.press(.enter, .enter)
        }
        payCash("20.00")
        #expect(f.text.contains("posted"))
        #expect(f.screen.line(0).contains("drawer open #1 DROP CASH"), "\(f.screen.line(0))")
        f.press(.enter) // next customer
        try f.ledger.setSetting(.drawerCashLimitRefuses, "true", by: try f.supervisor)
        payCash("5.00")
        #expect(f.runtime.state.message?.text.contains("make a drop (F4 d) before taking $5.00 more cash") == true, "\(f.text)")
        #expect(f.text.contains("Not posted: The drawer holds $220.00 in cash and its limit is $210.00"))
    }
}

@Suite("Several drawers for one operator on the status line")
struct SeveralDrawersUITests {
    @Test func theStatusLineNamesTheOtherTerminals() throws {
        let f = try UIFixture()
        let cashier = try #require(try f.ledger.operatorNamed(try OperatorLogin("cashier"))).id
        try f.ledger.openDrawer(operatorID: cashier, terminal: "T7")
        f.signIn()
        f.press(.function(4))
        f.type("o")
        f.press(.end, .enter)
        #expect(f.text.contains("You hold drawer #") && f.text.contains("open at T7: close it there first"), "\(f.text)")
        try f.ledger.setSetting(.drawerOnePerOperator, "false", by: try f.supervisor)
        f.press(.escape)
        f.type("o")
        f.press(.end, .enter)
        #expect(f.screen.line(0).contains("+T7"), "\(f.screen.line(0))")
    }
}
