import Foundation
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// A walk-in who does not know the account pays into suspense at the counter; a CSR finds the
/// customer and applies it from the worklist on the service pane.
@Suite("Suspense on the screen")
struct SuspenseUITests {
    @Test func aWalkInPaysIntoSuspenseAndACSRAppliesItFromTheWorklist() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        f.type(":suspense Kim Ng")
        f.press(.enter)
        #expect(f.runtime.state.focus == .payment)
        #expect(f.text.contains("Suspense: Kim Ng"), "\(f.text)")
        f.type("25.00")
        f.press(.enter)
        f.type("c")
        f.press(.enter, .enter)
        #expect(f.text.contains("posted"), "\(f.text)")
        let item = try #require(try f.ledger.suspenseItems().first)
        #expect(item.details.payer == "Kim Ng" && item.amount == Money(cents: 2_500) && item.tender == "cash")
        #expect(item.details.reason == "at the counter: account not known")
        // One suspense line a payment.
        f.press(.enter) // next customer
        f.type(":suspense A"); f.press(.enter)
        f.type("1.00"); f.press(.enter)
        f.type(":suspense B"); f.press(.enter)
        #expect(f.text.contains("The cart already has a suspense line"))

        // The CSR's service pane lists the item; u applies it to the account named.
        let g = try UIFixture(ledger: f.ledger)
        let account = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents > 2500 ORDER BY id LIMIT 1")
        })
        let before = try #require(try f.ledger.account(account)).balance
        g.signIn("csr", "2222")
        g.press(.function(6))
        #expect(g.text.contains("In suspense: 1 (u apply · i refund)"), "\(g.text)")
        #expect(g.text.contains("#1 0d $25.00 Kim Ng"))
        g.type("u")
        #expect(g.text.contains("Apply a payment held in suspense"))
        g.type("0"); g.press(.enter)
        #expect(g.text.contains("Suspense no. is the number in the suspense list below"), "\(g.text)")
        g.press(.backspace)
        g.type("1"); g.press(.enter)
        g.type(account); g.press(.enter)
        g.press(.enter) // all that is left
        g.type("customer phoned with the account number")
        g.press(.enter, .enter)
        #expect(g.runtime.state.serviceForm == nil, "\(g.text)")
        #expect(g.text.contains("of suspense item #1 applied to \(account)"), "\(g.text)")
        #expect(g.text.contains("Nothing in suspense."))
        #expect(try #require(try f.ledger.account(account)).balance == Money(cents: before.cents - 2_500))
        #expect(try f.ledger.verify().isSound)
    }

    @Test func theWorklistFitsAt80ColumnsUnderTwoTerminalsTypes() throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let f = try UIFixture(size: size)
            let op = try #require(try f.ledger.operatorNamed(try OperatorLogin("cashier"))).id
            for (index, name) in ["Dana Walker-Longname", "", "Ng"].enumerated() {
                _ = try f.ledger.post(Payment(lines: [.suspense(Money(cents: 1_000 + Int64(index)))],
                                              tenders: [.card(Money(cents: 1_000 + Int64(index)), lastFour: "4242", authorization: "A\(index)", brand: "VISA")]),
                                      operatorID: op, terminal: "T1", suspense: SuspenseDetails(reason: "phone", payer: name))
            }
            f.signIn("csr", "2222")
            f.press(.function(6))
            #expect(f.text.contains("In suspense: 3"))
            #expect(f.text.contains("#1 0d $10.00 Dana Walker-Longname") || size.width == 80, "\(f.text)")
            #expect(f.text.contains("#2 0d $10.01 (no name)"), "\(f.text)")
        }
    }
}
