import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// The service pane (F6), headless: actions with and without an override, and mail batch entry.
@Suite("Account service at the counter")
struct ServiceUITests {
    /// A check payment of an earlier day (its drawer long closed), and the account it paid.
    func earlierCheck(_ f: UIFixture, skip: Int = 0) throws -> (receipt: Int64, account: String) {
        let row = try #require(try f.ledger.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT t.receipt_number, a.number FROM tenders x JOIN transactions t ON t.id = x.transaction_id
                JOIN postings p ON p.transaction_id = t.id AND p.book = 'AR' JOIN accounts a ON a.id = p.account_id
                WHERE x.kind = 'check' AND t.kind = 'payment' AND t.business_date < '2026-11-20'
                  AND (SELECT COUNT(*) FROM tenders y WHERE y.transaction_id = t.id AND y.kind = 'check') = 1
                ORDER BY t.id LIMIT 1 OFFSET ?
                """, arguments: [skip])
        })
        return (row[0], row[1])
    }

    func open(_ f: UIFixture, _ account: String) {
        f.press(.function(2))
        f.type(account)
        f.press(.enter)
    }

    /// Batch entry takes the keyer's shorthand and the tender spellings used everywhere else.
    @Test func batchEntryReadsShorthandAndSpelledTenders() {
        let read = { (text: String) in BatchEntry.tender(text) }
        #expect(read("2041") == (.check, "2041") && read("c") == (.cash, "") && read("m77") == (.moneyOrder, "77"))
        #expect(read("cash") == (.cash, "") && read("MO 77") == (.moneyOrder, "77") && read("money-order 77") == (.moneyOrder, "77"))
        #expect(read("check 2041") == (.check, "2041") && read("Cheque 9") == (.check, "9"))
    }

    @Test func aCSRsReturnedCheckNeedsALeadsOverrideForThatOneAction() throws {
        let f = try UIFixture()
        let (receipt, account) = try earlierCheck(f)
        let before = try #require(try f.ledger.account(account)).balance
        f.signIn("csr", "2222")
        open(f, account)
        f.press(.function(6))
        #expect(f.text.contains("n NSF (returned)"))
        f.type("n")
        #expect(f.text.contains("Returned check (NSF)") && f.text.contains("Receipt no."))
        f.type("\(receipt)")
        f.press(.enter, .enter)         // one check: no number needed
        f.type("bank returned NSF")
        f.press(.enter)
        #expect(f.text.contains("Enter or y posts it"))
        f.press(.enter)
        // Beyond a CSR's authority: the screen asks for an override; nothing is posted yet.
        #expect(f.text.contains("Override for this one action"))
        #expect(f.text.contains("Needs an override") && f.text.contains("Approver id"))
        #expect(try f.ledger.account(account)?.balance == before)
        // A wrong PIN is refused and asked again.
        f.type("lead")
        f.press(.enter)
        f.type("0000")
        f.press(.enter)
        #expect(f.runtime.state.serviceForm?.step == .approverLogin)
        #expect(try f.ledger.account(account)?.balance == before)
        f.type("lead")
        f.press(.enter)
        f.type("3333")
        f.press(.enter)
        #expect(f.runtime.state.serviceForm == nil)
        #expect(f.text.contains("Returned check"))
        let fee = Money(cents: 2_500)
        let after = try #require(try f.ledger.account(account))
        #expect(after.cashOnlyUntil != nil)
        #expect(after.balance > before && after.balance.cents - before.cents > fee.cents)
        let overrides = try f.ledger.overrides(from: try BusinessDate("2026-01-01"), to: try BusinessDate("2027-12-31"))
        #expect(overrides.map(\.action) == ["nsf"] && overrides[0].approverLogin == "lead" && overrides[0].operatorLogin == "csr")
        // The override is not kept: the next returned check asks again.
        let second = try earlierCheck(f, skip: 1)
        f.type("n")
        f.type("\(second.receipt)")
        f.press(.enter, .enter)
        f.type("NSF")
        f.press(.enter, .enter)
        #expect(f.text.contains("Override for this one action"))
        f.press(.escape)
        #expect(try f.ledger.verify().isSound)
    }

    @Test func aCSRReversesASmallLateFeeWithoutAnOverride() throws {
        let f = try UIFixture()
        let account = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: """
                SELECT a.number FROM accounts a JOIN postings p ON p.account_id = a.id AND p.book = 'AR' AND p.amount_cents > 0
                JOIN postings q ON q.transaction_id = p.transaction_id AND q.book = 'REV_LATE_FEE' ORDER BY a.id LIMIT 1
                """)
        })
        let before = try #require(try f.ledger.account(account)).balance
        f.signIn("csr", "2222")
        open(f, account)
        f.press(.function(6))
        f.type("l")
        f.press(.enter)            // a late fee
        f.press(.enter)            // the whole fee
        f.type("first late payment in years")
        f.press(.enter, .enter)
        #expect(f.runtime.state.serviceForm == nil, "\(f.text)")
        #expect(f.text.contains("Late fee"))
        #expect(try #require(try f.ledger.account(account)).balance < before)
        #expect(try f.ledger.overrides(from: try BusinessDate("2026-01-01"), to: try BusinessDate("2027-12-31")).isEmpty)
    }

    @Test func aMailBatchShowsItsDifferenceAndPostsOnlyBalanced() throws {
        let f = try UIFixture()
        let accounts = try f.ledger.writer.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL ORDER BY id LIMIT 2")
        }
        f.signIn()
        f.press(.function(4))
        f.type("o")
        f.press(.end, .enter)
        f.press(.function(6))
        f.type("b")
        #expect(f.text.contains("Control total"))
        f.type("75.00")
        f.press(.enter)
        f.type(accounts[0]); f.press(.enter)
        f.type("50.00"); f.press(.enter)
        f.type("1201"); f.press(.enter)
        #expect(f.text.contains("Difference -$25.00"))
        f.type("999999"); f.press(.enter)
        f.type("5.00"); f.press(.enter, .enter)
        #expect(f.text.contains("No account 999999"))
        f.press(.enter)            // Enter on the (refilled) account goes on: clear it first
        for _ in 0..<10 { f.press(.backspace) }
        f.press(.escape)           // back to the account
        f.press(.enter)            // empty account: out of balance, asks for a reason
        #expect(f.text.contains("Out of balance by -$25.00"))
        f.press(.escape)
        f.type(accounts[1]); f.press(.enter)
        f.type("25.00"); f.press(.enter)
        f.type("m88"); f.press(.enter)
        #expect(f.text.contains("Difference $0.00"))
        f.press(.enter)
        #expect(f.runtime.state.batch == nil, "\(f.text)")
        #expect(f.text.contains("2 payments, $75.00"))
        let drawer = try #require(f.runtime.state.status.drawerSession)
        #expect(try f.ledger.expectation(session: drawer).checks.count == 2)
        #expect(try f.ledger.verify().isSound)
    }

    @Test func aDepositIsCollectedThroughThePaymentCart() throws {
        let f = try UIFixture()
        let account = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' ORDER BY id LIMIT 1")
        })
        f.signIn()
        f.press(.function(4)); f.type("o"); f.press(.end, .enter)
        open(f, account)
        f.press(.function(6))
        f.type("$")
        #expect(f.runtime.state.focus == .payment)
        #expect(f.text.contains("Deposit \(account)"))
        f.type("150"); f.press(.enter)
        f.type("c"); f.press(.enter)   // cash, the whole amount
        f.press(.enter)                // confirm
        #expect(f.text.contains("posted"), "\(f.text)")
        #expect(try f.ledger.account(account)?.depositHeld == Money(dollars: 150))
    }
}

@Suite("The reports pane")
struct ReportsPaneTests {
    @Test func aSupervisorSeesTheDaysOverridesAndChangesASetting() throws {
        let f = try UIFixture()
        f.signIn("super", "9999")
        f.press(.function(7))
        #expect(f.text.contains("Actions under override today") && f.text.contains("utility.name"))
        let index = try #require(f.runtime.state.reports?.settings.firstIndex { $0.key == "authority.csr.late_fee_reversal_cents" })
        for _ in 0..<index { f.press(.down) }
        f.press(.enter)
        for _ in 0..<10 { f.press(.backspace) }
        f.type("12x")
        f.press(.enter)
        #expect(f.text.contains("Not changed: authority.csr.late_fee_reversal_cents takes"))
        #expect(try f.ledger.setting(.csrLateFeeReversalCents) == "2500")
        f.press(.enter)
        for _ in 0..<10 { f.press(.backspace) }
        f.type("1500")
        f.press(.enter)
        #expect(try f.ledger.setting(.csrLateFeeReversalCents) == "1500")
        #expect(f.text.contains("authority.csr.late_fee_reversal_cents = 1500"))
    }

    @Test func aCashierMayReadButNotChangeTheSettings() throws {
        let f = try UIFixture()
        f.signIn()
        f.press(.function(7), .enter)
        #expect(f.text.contains("Only a supervisor changes settings"))
        #expect(f.runtime.state.settingEdit == nil)
    }
}
