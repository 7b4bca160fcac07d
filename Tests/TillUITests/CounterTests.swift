import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// The counter's whole loop, headless: find, pay, change, receipt.
@Suite("At the counter")
struct CounterTests {
    /// An active account owing money (and not cash-only), from the demo ledger.
    func owingAccount(_ f: UIFixture, skip: Int = 0, cashOnly: Bool = false) throws -> AccountRecord {
        let number = try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT number FROM accounts WHERE status = 'active' AND balance_cents BETWEEN 2000 AND 50000
                AND cash_only_until IS \(cashOnly ? "NOT" : "") NULL ORDER BY id LIMIT 1 OFFSET ?
                """, arguments: [skip])
        }
        let found = try #require(number)
        return try #require(try f.ledger.account(found))
    }

    func openDrawer(_ f: UIFixture) {
        f.press(.function(4))
        f.type("o")
        #expect(f.text.contains("Count the opening float"))
        f.press(.end, .enter) // the standard float as prefilled
        #expect(f.text.contains("Drawer #"))
    }

    func find(_ f: UIFixture, _ account: AccountRecord) {
        f.press(.function(2))
        f.type(account.number)
        f.press(.enter)
        #expect(f.text.contains("Account \(account.number)"))
    }

    /// Signed in with an open drawer, an owing account in the cart for its balance due.
    @discardableResult
    func balanceDueInCart(_ f: UIFixture) throws -> AccountRecord {
        f.signIn()
        openDrawer(f)
        let account = try owingAccount(f)
        find(f, account)
        f.press(.function(3), .enter)
        return account
    }

    func spooled(_ f: UIFixture, _ receipt: ReceiptNumber) throws -> String {
        let path = (f.ledger.path as NSString).deletingLastPathComponent + String(format: "/receipts/receipt-%06lld.txt", receipt.value)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func transactionCount(_ f: UIFixture) throws -> Int {
        try f.ledger.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions")! }
    }

    @Test func lookupByPartOfANameAccountNumberAndMeter() throws {
        let f = try UIFixture()
        f.signIn()
        #expect(f.text.contains("F1 or ? for help. F4 o: open drawer."))
        let account = try owingAccount(f)
        let surname = String(account.name.split(separator: ",").first ?? "")
        f.type(surname.lowercased())
        #expect(f.runtime.state.results.contains { $0.number == account.number })
        f.press(.escape)
        f.type(account.meter.lowercased())
        #expect(f.runtime.state.results.first?.number == account.number)
        f.press(.escape)
        f.type(account.number)
        #expect(f.runtime.state.results.first?.number == account.number)
    }

    @Test func payOneAccountInCashWithChange() throws {
        let f = try UIFixture()
        f.signIn()
        openDrawer(f)
        let account = try owingAccount(f)
        find(f, account)
        #expect(f.text.contains("Balance due"))
        f.press(.function(3))
        #expect(f.text.contains("Enter = \(account.balance.formatted) due"))
        f.press(.enter) // the balance due
        f.type("c")
        f.type("500")
        f.press(.enter)
        let change = try Money(dollars: 500) - account.balance
        #expect(f.text.contains("CHANGE DUE"))
        #expect(f.text.contains(change.formatted))
        #expect(f.text.contains("Enter posts"))
        let before = try transactionCount(f)
        f.press(.enter)
        f.press(.enter) // a second Enter starts the next customer; it never posts again
        #expect(try transactionCount(f) == before + 1)
        let receipt = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        #expect(f.runtime.state.message == nil || !(f.runtime.state.message?.text.contains("Not posted") ?? false))
        #expect(try f.ledger.account(account.number)?.balance == .zero)
        let paper = try spooled(f, receipt)
        #expect(paper.contains("Receipt #\(receipt)"))
        #expect(paper.contains("Account \(account.number)"))
        #expect(paper.contains(account.balance.formatted))
        #expect(paper.contains("Cash tendered") && paper.contains("$500.00"))
        #expect(paper.contains("CHANGE") && paper.contains(change.formatted))
        #expect(paper.split(separator: "\n").allSatisfy { $0.count <= 42 })
        #expect(try f.ledger.verify().isSound)
    }

    @Test func splitCashAndCheck() throws {
        let f = try UIFixture()
        let account = try balanceDueInCart(f)
        f.type("k")
        f.type("10")
        f.press(.enter)
        f.type("2041")
        f.press(.enter)
        f.type("c")
        f.press(.enter) // the rest, exactly
        #expect(f.text.contains("Check #2041"))
        f.press(.enter)
        let receipt = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        let paper = try spooled(f, receipt)
        #expect(paper.contains("Check #2041") && paper.contains("$10.00"))
        #expect(!paper.contains("CHANGE"))
        #expect(try f.ledger.account(account.number)?.balance == .zero)
    }

    @Test func twoAccountsInOneCart() throws {
        let f = try UIFixture()
        f.signIn()
        openDrawer(f)
        let home = try owingAccount(f), rental = try owingAccount(f, skip: 1)
        find(f, home)
        f.press(.function(3), .enter)
        find(f, rental)
        f.press(.function(3), .enter)
        let total = try home.balance + rental.balance
        #expect(f.text.contains("Cart total"))
        #expect(f.text.contains(total.formatted))
        f.type("c")
        f.press(.enter, .enter)
        let last = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        let receipt = try #require(try f.ledger.receipt(last))
        #expect(receipt.lines.map(\.account) == [home.number, rental.number])
        #expect(receipt.total == total)
        #expect(receipt.lines.allSatisfy { $0.newBalance == .zero })
    }

    @Test func aFullCardNumberIsRefusedAndNeverKept() throws {
        let f = try UIFixture()
        f.signIn() // no drawer: a phone payment, card and e-check only
        let account = try owingAccount(f)
        find(f, account)
        f.press(.function(3), .enter)
        f.type("c")
        #expect(f.text.contains("No open drawer"))
        f.type("d")
        f.press(.enter)
        f.type("v")
        // Refused the moment it is complete, before Enter: the field is empty again.
        f.type("4111 1111 1111 1111")
        #expect(f.text.contains("That looks like a full card number"))
        #expect(f.runtime.state.payment.entry.isEmpty)
        f.type("1111")
        f.press(.enter)
        f.type("4111111111111111")
        #expect(f.text.contains("That looks like a full card number"))
        #expect(f.runtime.state.payment.entry.isEmpty)
        f.type("0a1b2c")
        f.press(.enter)
        #expect(f.text.contains("VISA ****1111 AUTH 0A1B2C"))
        f.press(.enter)
        let stored = try f.ledger.writer.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM tenders WHERE reference LIKE '%4111111111%' OR last_four LIKE '%4111111111%')
                     + (SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%4111%1111%')
                """)!
        }
        #expect(stored == 0)
        let receipt = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        #expect(try spooled(f, receipt).contains("VISA ****1111 AUTH 0A1B2C"))
    }

    @Test func aCheckIsRefusedOnACashOnlyAccount() throws {
        let f = try UIFixture()
        f.signIn()
        openDrawer(f)
        let number = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE cash_only_until IS NOT NULL LIMIT 1")
        })
        let account = try #require(try f.ledger.account(number))
        find(f, account)
        #expect(f.text.contains("Cash only until"))
        f.press(.function(3))
        f.type("25")
        f.press(.enter)
        if f.runtime.state.confirmation != nil { f.press(.character("y")) }
        f.type("k")
        #expect(f.text.contains("No checks: account \(number) is cash only until"))
        #expect(f.runtime.state.payment.step == .cart)
    }

    @Test func overpaymentAsksAndLeavesACredit() throws {
        let f = try UIFixture()
        f.signIn()
        openDrawer(f)
        let account = try owingAccount(f)
        find(f, account)
        f.press(.function(3))
        let amount = try account.balance + Money(dollars: 20)
        f.type(amount.decimalString)
        f.press(.enter)
        #expect(f.text.contains("leave a credit of $20.00? (y/n)"))
        f.press(.character("y"))
        f.type("c")
        f.press(.enter, .enter)
        #expect(try f.ledger.account(account.number)?.balance == Money(dollars: -20))
        #expect(f.runtime.state.account?.alerts.contains(.creditBalance(Money(dollars: 20))) == true)
        f.press(.function(2), .escape)
        f.type(account.number)
        f.press(.enter)
        #expect(f.text.contains("Credit balance of $20.00"))
    }

    @Test func escapeAsksBeforeDroppingWhatWasTyped() throws {
        let f = try UIFixture()
        try balanceDueInCart(f)
        f.type("k")
        f.press(.enter)
        f.type("2041")
        f.press(.escape)
        #expect(f.text.contains("Discard \"2041\"? (y/n)"))
        f.press(.character("n"))
        #expect(f.runtime.state.payment.entry == "2041")
        f.press(.escape, .character("y"))
        #expect(f.runtime.state.payment.step == .cart)
        #expect(f.runtime.state.payment.tenders.isEmpty)
        // With nothing typed, Esc simply backs out one step.
        f.type("c")
        f.press(.escape)
        #expect(f.runtime.state.payment.step == .cart && f.runtime.state.confirmation == nil)
    }

    @Test func tendersShortOfTheCartAreRefused() throws {
        let f = try UIFixture()
        try balanceDueInCart(f)
        f.type("c")
        f.type("1")
        f.press(.enter)
        f.press(.enter) // try to confirm while short
        #expect(f.text.contains("Still to pay"))
        #expect(f.runtime.state.payment.step == .cart)
    }

    @Test func aPrinterFailureLeavesThePaymentPostedAndQueued() throws {
        let f = try UIFixture()
        try f.ledger.setSetting(.printerKind, "escpos", by: try f.supervisor)
        try f.ledger.setSetting(.printerTarget, "/nonexistent/usb/lp0", by: try f.supervisor)
        f.signIn()
        openDrawer(f)
        let account = try owingAccount(f)
        find(f, account)
        f.press(.function(3), .enter)
        f.type("c")
        f.press(.enter, .enter)
        #expect(f.text.contains("reprint queue"))
        let receipt = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        #expect(try f.ledger.account(account.number)?.balance == .zero)
        #expect(try f.ledger.reprintQueue(terminal: "T1") == [receipt])
        // The printer is fixed (here: a spool directory); w prints what waited.
        try f.ledger.setSetting(.printerKind, "spool", by: try f.supervisor)
        try f.ledger.setSetting(.printerTarget, "", by: try f.supervisor)
        f.press(.enter, .function(5))
        #expect(f.text.contains("1 waiting to print: #\(receipt)"))
        f.type("w")
        #expect(try f.ledger.reprintQueue(terminal: "T1").isEmpty)
        #expect(!(try spooled(f, receipt)).contains("REPRINT"))
        // F5 again prints the shown receipt as a REPRINT, and that is audited.
        f.press(.function(5))
        let reprint = (f.ledger.path as NSString).deletingLastPathComponent
            + String(format: "/receipts/receipt-%06lld-reprint-2.txt", receipt.value)
        let text = try String(contentsOfFile: reprint, encoding: .utf8)
        #expect(text.hasPrefix(String(text.prefix(1))) && text.components(separatedBy: "*** REPRINT ***").count == 3)
        let audited = try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE event = 'receipt.reprinted' ORDER BY id DESC")
        }
        #expect(audited == "#\(receipt)")
    }

    @Test func aMiscellaneousReceiptWithARevenueCode() throws {
        let f = try UIFixture()
        f.signIn()
        openDrawer(f)
        f.press(.function(3))
        f.type("x")
        #expect(f.text.contains("Revenue code"))
        f.type("1") // Miscellaneous comes first
        f.type("Permit 2291")
        f.press(.enter)
        f.type("12")
        f.press(.enter)
        f.type("c")
        f.press(.enter, .enter)
        let last = try #require(try f.ledger.lastReceipt(terminal: "T1"))
        let receipt = try #require(try f.ledger.receipt(last))
        #expect(receipt.total == Money(dollars: 12))
        #expect(receipt.memo == "Permit 2291")
        #expect(receipt.lines.first?.account == nil)
        #expect(try f.ledger.verify().isSound)
    }

    @Test func notesAreReadAndAdded() throws {
        let f = try UIFixture()
        f.signIn()
        let account = try owingAccount(f)
        find(f, account)
        f.type("n")
        f.type("Called about a leak at the meter")
        f.press(.enter)
        #expect(f.runtime.state.account?.notes.first?.text == "Called about a leak at the meter")
        #expect(f.text.contains("cashier: Called about a"))
        #expect(f.text.contains("leak at the meter"))
        #expect(f.text.contains("Note added"))
    }

    @Test func registerEntryFillsFromTheCents() throws {
        let f = try UIFixture()
        try f.ledger.setSetting(.registerEntry, "true", by: try f.supervisor)
        let g = try UIFixture(ledger: f.ledger)
        g.signIn()
        let account = try owingAccount(g)
        find(g, account)
        g.press(.function(3))
        g.type("1050")
        g.press(.enter)
        #expect(g.runtime.state.payment.lines.first?.amount == Money(cents: 1_050))
    }

    /// Another terminal (its own connection to the file, as another process has) takes a payment
    /// on the account this one has on screen: shown again, the account has the new balance.
    @Test func anAccountShownAgainHasAnotherTerminalsPayment() throws {
        let f = try UIFixture()
        f.signIn()
        let account = try owingAccount(f)
        find(f, account)
        #expect(f.text.contains(account.balance.formatted))
        let other = try Ledger(path: f.ledger.path)
        let lead = try #require(try other.operatorNamed(try OperatorLogin("lead")))
        let drawer = try other.openDrawer(operatorID: lead.id, terminal: "T2")
        _ = try other.post(Payment(lines: [.account(try AccountNumber(account.number), Money(cents: 1_000))], tenders: [.cash(Money(cents: 1_000))]),
                           operatorID: lead.id, terminal: "T2", drawerSession: drawer.id)
        let now = try account.balance - Money(cents: 1_000)
        find(f, account) // F2, the number again, Enter
        #expect(f.text.contains(now.formatted), "\(f.text)")
        #expect(f.runtime.state.account?.line.balance == now)
    }
}
