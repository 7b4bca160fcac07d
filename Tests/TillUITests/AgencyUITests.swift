import Foundation
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// An agency's check for a customer at the counter: `:agency NAME` makes the cart the agency's
/// payment, and each line shows the pledge it fulfils — or that it has none — before it posts.
@Suite("Agency payments on the screen")
struct AgencyUITests {
    @Test func theCartShowsEachLinesPledgeBeforeTheAgencysCheckPosts() throws {
        let f = try UIFixture()
        let csr = try #require(try f.ledger.operatorNamed(try OperatorLogin("csr")))
        let actor = Actor(operatorID: csr.id, terminal: "T2")
        _ = try f.ledger.addAgency(name: "County Energy Aid", program: "LIHEAP", actor: actor)
        // A cash-only account where there is one (a returned check of its own): the agency's check is still taken.
        let number = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT number FROM accounts WHERE status = 'active' AND balance_cents BETWEEN 5000 AND 500000
                ORDER BY cash_only_until IS NULL, id LIMIT 1
                """)
        })
        let today = try f.ledger.today()
        _ = try f.ledger.enroll(account: try AccountNumber(number), agency: "County Energy Aid", caseNumber: "EA-7", from: today, until: nil, actor: actor)
        _ = try f.ledger.pledge(account: try AccountNumber(number), agency: "County Energy Aid", amount: Money(cents: 4_000),
                                caseNumber: "EA-7", expires: today.adding(days: 30), actor: actor)
        f.signIn()
        f.press(.function(4)); f.type("o"); f.press(.end, .enter)
        f.press(.function(2)); f.type(number); f.press(.enter)
        // The account pane says what the agency has pledged and the program.
        #expect(f.text.contains("$40.00 pledged by County Energy Aid"), "\(f.text)")
        f.press(.function(3))
        for _ in 0..<12 { f.press(.backspace) }
        // ":" in an empty amount opens the command line; the amount is asked again after.
        f.type(":agency county energy aid"); f.press(.enter)
        #expect(f.text.contains("Paid by County Energy Aid (:agency)"), "\(f.text)")
        #expect(f.text.contains("pledge $40.00 case EA-7"), "\(f.text)")
        // $50.00 is more than pledged: the line says so, in the warning colour, before posting.
        f.type("50.00"); f.press(.enter)
        if f.runtime.state.confirmation != nil { f.press(.character("y")) }
        #expect(f.text.contains("! $10.00 more than the $40.00 pledged"), "\(f.text)")
        f.type("k"); f.press(.enter); f.type("7781"); f.press(.enter)
        #expect(f.text.contains("1 line without a pledge or beyond it. Post"), "\(f.text)")
        f.press(.enter)
        #expect(f.text.contains("posted"), "\(f.text)")
        let pledge = try #require(try f.ledger.pledges().first)
        #expect(pledge.paid == Money(cents: 4_000) && pledge.status(on: today) == .fulfilled)
        #expect(try f.ledger.verify().isSound)
    }

    @Test func anUnknownAgencyIsNamedAndTheCartIsLeftAlone() throws {
        let f = try UIFixture()
        f.signIn()
        f.type(":agency Nobody At All"); f.press(.enter)
        #expect(f.text.contains("No agency \"Nobody At All\""), "\(f.text)")
        #expect(f.runtime.state.payment.agency == nil)
    }

    @Test func aCSREnrolsAutopayOnTheServicePaneAndTheNumberIsNeverOnScreen() throws {
        let f = try UIFixture()
        let number = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' ORDER BY id LIMIT 1")
        })
        f.signIn("csr", "2222")
        f.press(.function(2)); f.type(number); f.press(.enter)
        f.press(.function(6))
        f.type("a")
        #expect(f.text.contains("Enrol in autopay (ACH debit)"), "\(f.text)")
        f.type("021000022"); f.press(.enter)
        #expect(f.text.contains("its check digit does not match"), "\(f.text)")
        for _ in 0..<9 { f.press(.backspace) }
        f.type("021000021"); f.press(.enter)
        f.type("73915602846")
        #expect(!f.text.contains("73915602846") && f.text.contains("*******2846"), "\(f.text)")
        f.press(.enter, .enter, .enter) // checking, the customer's name
        #expect(!f.text.contains("73915602846"))
        f.press(.enter)
        #expect(f.text.contains("on autopay: checking ****2846 at 021000021"), "\(f.text)")
        #expect(try f.ledger.autopayEnrollments().map(\.account) == [number])
        // The account pane says so.
        f.press(.function(2)); f.type(number); f.press(.enter)
        #expect(f.text.contains("On autopay: checking ****2846"), "\(f.text)")
    }
}
