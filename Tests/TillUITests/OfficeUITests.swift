import Foundation
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// Offices on the settle pane (F8), headless at 80x24: a branch's lead opens and closes the
/// branch's share of the day, the last office to close closes the day, and a supervisor sees
/// every office at a glance.
@Suite("Offices at the counter")
struct OfficeUITests {
    /// A demo ledger with the main office and the North Branch, its terminal N1.
    static func mainAndNorth() throws -> (ledger: Ledger, supervisor: Int64) {
        let main = try UIFixture()
        let l = main.ledger, boss = try main.supervisor
        try l.addOffice(code: "MAIN", name: "Main Office", address: "100 Main St", bankAccount: "111000025", by: boss, terminal: "BACK")
        try l.addOffice(code: "NORTH", name: "North Branch", address: "9 Elm St", bankAccount: "222000025", by: boss, terminal: "BACK")
        try l.placeTerminal("N1", in: "NORTH", by: boss)
        return (l, boss)
    }

    @Test func aBranchOpensAndClosesItsShareAndTheLastOfficeClosesTheDay() throws {
        let (l, boss) = try OfficeUITests.mainAndNorth()
        try l.setSetting(.officeDays, "own", by: boss)

        // A cashier at North before North opens: no drawer.
        let north = try UIFixture(ledger: l, terminal: "N1")
        north.signIn()
        north.openDrawerWithStandardFloat()
        #expect(north.text.contains("North Branch has not opened its day"), "\(north.text)")

        // North's lead opens North's share on the settle pane.
        let lead = try UIFixture(ledger: l, terminal: "N1")
        lead.signIn("lead", "3333")
        lead.press(.function(8))
        #expect(lead.text.contains("Office NORTH: North Branch"))
        lead.type("o")
        #expect(lead.text.contains("North Branch's day 2026-11-20 is open"), "\(lead.text)")
        north.openDrawerWithStandardFloat()
        #expect(north.text.contains("Drawer #"), "\(north.text)")

        // The main office opens too; North's cashier counts and closes; North's lead closes North.
        let mainLead = try UIFixture(ledger: l)
        mainLead.signIn("lead", "3333")
        mainLead.press(.function(8))
        mainLead.type("o")
        #expect(mainLead.text.contains("Main Office's day 2026-11-20 is open"), "\(mainLead.text)")
        north.press(.function(4))
        north.type("c")
        north.type("2")          // two $100 notes: the float as it was
        north.press(.end, .enter)
        north.press(.enter)      // no card payments
        north.press(.enter)
        #expect(north.text.contains("over/short $0.00"), "\(north.text)")
        lead.press(.function(8))
        lead.type("c")
        lead.type("N-1")
        lead.press(.enter)
        #expect(lead.text.contains("Close North Branch's day 2026-11-20 with deposit bag N-1?"), "\(lead.text)")
        lead.type("y")
        #expect(lead.text.contains("North Branch's day closed. Deposit $0.00 in bag N-1. Still open: MAIN."), "\(lead.text)")
        #expect(lead.text.contains("p print") && !lead.text.contains("o open day"))
        lead.type("o")
        #expect(lead.text.contains("North Branch closed its day: it opens again on the next business day"))

        // A supervisor sees both offices; the main office's lead closes the main office and the day.
        let sup = try UIFixture(ledger: l)
        sup.signIn("super", "9999")
        sup.press(.function(8))
        #expect(sup.text.contains("OFFICES 2026-11-20") && sup.text.contains("NORTH closed") && sup.text.contains("MAIN OPEN"), "\(sup.text)")
        mainLead.press(.function(8))
        mainLead.type("c")
        mainLead.type("M-1")
        mainLead.press(.enter)
        mainLead.type("y")
        #expect(mainLead.text.contains("Main Office's day closed.") && mainLead.text.contains("business day 2026-11-20 closed"), "\(mainLead.text)")
        #expect(try l.openBusinessDay() == nil)
        #expect(try l.verify().isSound)
    }
}

/// Receipts counted per office, at a branch's counter: the payment's message and the receipt
/// pane name the office's number; a receipt is found by it (capital letters start it, so p and
/// w stay keys), and a void form takes it.
@Suite("Receipt numbers by office at the counter")
struct OfficeReceiptUITests {
    /// A North cashier at N1, offices counting their own receipts, pays an account in cash;
    /// `settings` are set first (by the supervisor).
    private func northCashierPays(_ settings: [(SettingKey, String)] = []) throws -> (Ledger, Int64, CounterTests, UIFixture) {
        let (l, boss) = try OfficeUITests.mainAndNorth()
        try l.setSetting(.receiptNumbering, "office", by: boss)
        for (key, value) in settings { try l.setSetting(key, value, by: boss) }
        let counter = CounterTests()
        let f = try UIFixture(ledger: l, terminal: "N1")
        try counter.balanceDueInCart(f)
        f.type("c")
        f.press(.enter, .enter)
        return (l, boss, counter, f)
    }

    @Test func aBranchCashierSeesAndFindsItsOfficesNumbers() throws {
        let (l, _, counter, f) = try northCashierPays()
        #expect(f.text.contains("Receipt NORTH-1 posted"), "\(f.text)")
        let account = try counter.owingAccount(f, skip: 1)
        counter.find(f, account)
        f.press(.function(3), .enter)
        f.type("c")
        f.press(.enter, .enter)
        #expect(f.text.contains("Receipt NORTH-2 posted"), "\(f.text)")
        // The receipt pane: NORTH-1 typed and found; the receipt shows both numbers.
        f.press(.enter, .function(5))
        f.type("NORTH-1")
        #expect(f.text.contains("Receipt #: NORTH-1"), "\(f.text)")
        f.press(.enter)
        let first = try l.findReceipt("NORTH-1")
        #expect(f.text.contains("Receipt NORTH-1") && f.text.contains("Utility receipt #\(first)"), "\(f.text)")
        // Lower case goes on a number begun; a number that is not there is said plainly.
        f.type("N")
        f.type("orth-9")
        f.press(.enter)
        #expect(f.text.contains("No receipt NORTH-9: NORTH's receipts run to NORTH-2"), "\(f.text)")
        // A letter after a utility number is not part of it (p and w stay keys there).
        f.type("4x")
        #expect(f.text.contains("Receipt #: 4_"), "\(f.text)")
        f.press(.escape)
        f.type("#\(first)")
        f.press(.enter)
        #expect(f.text.contains("Receipt NORTH-1"), "\(f.text)")
        for _ in 0..<3 { expectWhole(f) }
        // The void form takes the office's number.
        f.press(.function(2))
        f.type(account.number)
        f.press(.enter)
        f.press(.function(6))
        f.type("v")
        f.type("north-2")
        f.press(.enter)
        f.type("wrong account")
        f.press(.enter, .enter)
        #expect(try l.receipt(try l.findReceipt("NORTH-2"))?.memo.contains("VOIDED by NORTH-3") == true, "\(f.text)")
        #expect(try l.verify().isSound)
    }

    /// A receipt the printer did not print waits under the name the customer's receipt will
    /// carry (NORTH-1), and w prints it.
    @Test func theReprintQueueNamesTheOfficesNumbers() throws {
        let (l, boss, _, f) = try northCashierPays([(.printerKind, "escpos"), (.printerTarget, "/nonexistent/usb/lp0")])
        #expect(f.text.contains("reprint queue"), "\(f.text)")
        try l.setSetting(.printerKind, "spool", by: boss)
        try l.setSetting(.printerTarget, "", by: boss)
        f.press(.enter, .function(5))
        #expect(f.text.contains("1 waiting to print: NORTH-1 (w prints)"), "\(f.text)")
        expectWhole(f)
        f.type("w")
        #expect(try l.reprintQueue(terminal: "N1").isEmpty)
        #expect(f.text.contains("Printed 1 waiting receipt(s)") && !f.text.contains("waiting to print:"), "\(f.text)")
    }

    private func expectWhole(_ f: UIFixture) { f.expectWholeAt80() }
}

@Suite("Offices on the reports pane")
struct OfficeFormUITests {
    /// A supervisor adds the main office on the reports pane (F7, n), field by field; a lead may
    /// not; a bad bank account is refused with the ledger's message and nothing is added.
    @Test func aSupervisorAddsAnOfficeOnTheReportsPane() throws {
        let lead = try UIFixture()
        lead.signIn("lead", "3333")
        lead.press(.function(7))
        lead.type("n")
        #expect(lead.text.contains("Only a supervisor adds an office"))

        let boss = try UIFixture(ledger: lead.ledger)
        boss.signIn("super", "9999")
        boss.press(.function(7))
        #expect(boss.text.contains("new office"), "\(boss.text)")
        boss.type("n")
        #expect(boss.text.contains("New office") && boss.text.contains("> Code"))
        boss.press(.enter)
        #expect(boss.text.contains("Type the office's code, then Enter"))
        boss.type("main")
        boss.press(.enter)
        boss.type("Main Office")
        boss.press(.enter)
        boss.type("100 Main St, Union")
        boss.press(.enter)
        boss.type("12")          // too short: the ledger refuses it
        boss.press(.enter)
        #expect(boss.text.contains("Add office MAIN: Main Office, 100 Main St, Union; deposits to 12? (y/n)"), "\(boss.text)")
        boss.type("y")
        #expect(boss.text.contains("No office added: An office's bank account is 4 to 34"), "\(boss.text)")
        #expect(try boss.ledger.offices().isEmpty)

        boss.type("n")
        for value in ["main", "Main Office", "100 Main St, Union", "111000025"] {
            boss.type(value)
            boss.press(.enter)
        }
        boss.type("y")
        #expect(boss.text.contains("Office MAIN added (the main office)"), "\(boss.text)")
        #expect(boss.text.contains("MAIN (main): Main Office"))
        #expect(try boss.ledger.offices().main?.bankAccount == "111000025")
        // Esc leaves a form half typed; nothing is added.
        boss.type("n")
        boss.type("north")
        boss.press(.escape)
        #expect(boss.text.contains("No office added"))
        #expect(try boss.ledger.offices().offices.count == 1)
    }
}

@Suite("Offices: hostile input on the reports pane")
struct OfficeFormHostileInputTests {
    /// A card number pasted into the office form is taken out as it is typed and never shown; a
    /// pasted NUL never reaches a field; the ledger refuses either one reaching it another way.
    @Test func aCardNumberOrANulInTheOfficeFormNeverReachesTheScreenOrTheBooks() throws {
        let boss = try UIFixture()
        boss.signIn("super", "9999")
        boss.press(.function(7))
        boss.type("n")
        boss.type("north")
        boss.press(.enter)
        boss.type("4111 1111 1111 1111")
        #expect(boss.text.contains("That looks like a full card number"))
        #expect(!boss.text.contains("4111 1111") && !boss.text.contains("1111 1111"))
        // A NUL pasted into the name, as the terminal sends it: the key decoder drops it.
        var decoder = KeyDecoder()
        for key in decoder.feed(Array("North\u{0}Branch".utf8)) + decoder.flush() { boss.press(key) }
        #expect(boss.runtime.state.officeForm?.values[1] == "NorthBranch")
        let id = try boss.supervisor
        #expect(throws: LedgerError.self) {
            try boss.ledger.addOffice(code: "X", name: "North\u{0}Branch", address: "9 Elm St", bankAccount: "12345", by: id, terminal: "T1")
        }
        #expect(throws: LedgerError.self) {
            try boss.ledger.addOffice(code: "Y", name: "North", address: "Pay 4111-1111-1111-1111", bankAccount: "12345", by: id, terminal: "T1")
        }
        #expect(try boss.ledger.offices().isEmpty)
    }
}
