import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// The small things a cashier with a queue notices: each field refuses what it cannot take
/// as it is typed, the screen says what a default is, and nothing is stale or misleading.
@Suite("Counter edges")
struct CounterEdgesTests {
    func account(_ f: UIFixture) throws -> String {
        try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL
                AND balance_cents BETWEEN 2000 AND 50000 ORDER BY id LIMIT 1
                """)
        })
    }

    func open(_ f: UIFixture, _ number: String) {
        f.press(.function(2))
        f.type(number)
        f.press(.enter)
    }

    @Test func aCSRIsNotToldToOpenADrawerButEveryoneHearsOfUnprintedReceipts() throws {
        let f = try UIFixture()
        f.signIn("csr", "2222")
        #expect(f.text.contains("Signed in as") && !f.text.contains("F4 o"))
        // A printer that is off leaves a receipt waiting; the next sign-in at this terminal says so.
        try f.ledger.setSetting(.printerKind, "escpos", by: try f.supervisor)
        try f.ledger.setSetting(.printerTarget, "/nonexistent/usb/lp0", by: try f.supervisor)
        let number = try account(f)
        open(f, number)
        f.press(.function(3), .enter)
        f.type("d")
        f.press(.enter)
        f.type("v")
        f.type("4242")
        f.press(.enter)
        f.type("0A1B2C")
        f.press(.enter, .enter)
        #expect(f.text.contains("waits in the reprint queue"))
        // Card only: there is no change, and the pane does not say CHANGE DUE $0.00.
        #expect(!f.text.contains("CHANGE DUE"))
        let next = try UIFixture(ledger: f.ledger)
        next.signIn()
        let said = try #require(next.runtime.state.message?.text)
        #expect(said.hasSuffix("F4 o: open drawer. 1 receipt of today waits to print: F5, then w."), "\(said)")
    }

    @Test func lookupIsFreshAfterF2AndAfterAPosting() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        let number = try account(f)
        f.press(.function(2))
        f.type(number)
        let before = try #require(f.runtime.state.results.first).balance
        // F2 in Lookup starts again; it never appends to what is there.
        f.press(.function(2))
        #expect(f.runtime.state.query.isEmpty)
        f.type(number)
        f.press(.enter, .function(3))
        f.type("10")
        f.press(.enter)
        f.type("c")
        f.press(.enter, .enter)
        #expect(f.text.contains("posted"))
        // The result list beside the posted payment shows the balance after it.
        let after = try #require(f.runtime.state.results.first { $0.number == number }).balance
        #expect(after == (try before - Money(dollars: 10)))
        #expect(f.text.contains("posted"), "the refreshed search keeps the posting's message")
        // After :find the next : is a command again.
        f.press(.enter)
        f.type(":find \(number)")
        f.press(.enter)
        f.type(":")
        #expect(f.runtime.state.command == "")
    }

    @Test func theCountTotalIncludesTheRowBeingTypedAndDoneIsNamed() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.function(4))
        f.type("o")
        f.press(.home)
        #expect(f.text.contains("End: Done"))
        f.type("3") // three $100 notes, not yet Entered
        #expect(f.text.contains("$500.00"), "the standard $200.00 and the $300.00 being typed")
    }

    @Test func fieldsRefuseAsTheyAreLeftAndAuthorityComesFirst() throws {
        let f = try UIFixture()
        f.signIn()
        // A cashier is told at once that closing the day is a lead's, before any bag number.
        f.press(.function(8))
        f.type("c")
        #expect(f.text.contains("Only a lead or supervisor closes the business day"))
        #expect(f.runtime.state.depositBag == nil)
        // A plan's installments are checked on leaving the field, not after the last look.
        let number = try account(f)
        open(f, number)
        f.press(.function(6))
        f.type("p")
        f.type("411111111111")
        f.press(.enter)
        #expect(f.text.contains("Installments is a number from 1 to 60"))
        #expect(f.runtime.state.serviceForm?.index == 0)
        f.press(.escape, .character("y"), .escape, .character("y"))
        // Text longer than a field is refused with a message, and the line shows its tail.
        open(f, number)
        f.type("n")
        let long = String(repeating: "called about the bill ", count: 12)
        f.type(long)
        #expect(f.runtime.state.noteDraft?.count == 200)
        #expect(f.text.contains("A note takes at most 200 characters"))
        #expect(f.text.contains("Note: …") && f.text.contains("bill ca_"))
    }

    @Test func aRefundsLastLookShowsWhatEnterTookByValue() throws {
        let f = try UIFixture()
        f.signIn("lead", "3333")
        // An account left $50.00 in credit by an overpayment by card.
        let number = try account(f)
        let owed = try #require(try f.ledger.account(number)).balance
        let paid = try owed + Money(dollars: 50)
        _ = try f.ledger.post(Payment(lines: [.account(try AccountNumber(number), paid)],
                                      tenders: [.card(paid, lastFour: "4242", authorization: "A1B2")]),
                              operatorID: try f.supervisor, terminal: "T9")
        let credit = try #require(try f.ledger.account(number)).balance
        #expect(credit == Money(dollars: -50))
        open(f, number)
        f.press(.function(6))
        f.type("f")
        f.press(.enter, .enter, .enter)
        f.type("customer asked")
        f.press(.enter)
        #expect(f.text.contains("Enter or y posts it"))
        #expect(f.text.contains(Money(cents: -credit.cents).formatted), "\(f.text)")
        #expect(!f.text.contains("(none)"))
    }

    @Test func anApproverMustBeALeadOrSupervisorBeforeAPINIsAsked() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        f.type("c")
        f.press(.end, .enter, .enter, .enter) // count nothing: $200.00 short
        f.press(.enter)
        f.type("counted wrong")
        f.press(.enter)
        f.type("casey")
        f.press(.enter)
        #expect(f.text.contains("\"casey\" is not an active lead or supervisor"))
        #expect(f.runtime.state.drawerForm?.step == .approverLogin)
        f.type("cashier")
        f.press(.enter)
        #expect(f.text.contains("not the operator themself"))
        f.type("lead")
        f.press(.enter)
        #expect(f.runtime.state.drawerForm?.step == .approverPIN)
    }

    /// A setting changed elsewhere — the Reports pane at another terminal, `till settings` —
    /// reaches a running screen at its next key.
    @Test func aSettingChangedElsewhereTakesEffectAtTheNextKey() throws {
        let f = try UIFixture()
        f.signIn()
        #expect(f.runtime.state.registerEntry == false && f.runtime.state.idleLockMinutes == 5)
        try f.ledger.setSetting(.registerEntry, "true", by: try f.supervisor)
        try f.ledger.setSetting(.idleLockMinutes, "2", by: try f.supervisor)
        try f.ledger.setSetting(.utilityName, "Union Water", by: try f.supervisor)
        f.press(.function(2))
        #expect(f.runtime.state.registerEntry == true && f.runtime.state.idleLockMinutes == 2)
        #expect(f.text.contains("Union Water"))
    }
}
