import Foundation
import GRDB
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// `:to` directs the cart's payment to a charge; the receipt's memo and the account pane say where it went.
@Suite("Directed payments on the screen")
struct DirectedPaymentUITests {
    @Test func aPaymentDirectedToTheNewerBillPaysItFirst() throws {
        let f = try UIFixture()
        // An account with two open bills: the newer one is paid first when directed.
        let (number, newest) = try #require(try f.ledger.writer.read { db -> (String, String)? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT a.number, MAX(COALESCE(t.bill_date, t.business_date)) FROM open_items o JOIN accounts a ON a.id = o.account_id
                JOIN postings p ON p.id = o.posting_id JOIN transactions t ON t.id = p.transaction_id
                WHERE t.kind = 'bill' AND o.remaining_cents > 1000 AND a.cash_only_until IS NULL AND a.status = 'active'
                GROUP BY a.id HAVING COUNT(DISTINCT COALESCE(t.bill_date, t.business_date)) >= 2 ORDER BY a.id LIMIT 1
                """) else { return nil }
            return (row[0], row[1])
        })
        f.signIn()
        f.type(":to late-fee"); f.press(.enter)
        #expect(f.text.contains("A payment is directed to a charge of one account"))
        f.press(.function(2)); f.type(number); f.press(.enter, .function(3))
        f.type(":to bill:\(newest)"); f.press(.enter)
        #expect(f.text.contains("Pays bill:\(newest) first (:to)"), "\(f.text)")
        f.type(":to bill:2026-99-01"); f.press(.enter)
        #expect(f.text.contains("Unknown charge"))
        f.type("10.00"); f.press(.enter)
        f.type("d")   // card
        f.press(.enter) // the whole amount
        f.type("v"); f.type("4242"); f.press(.enter); f.type("A1B2C3"); f.press(.enter)
        f.press(.enter)
        #expect(f.text.contains("posted"), "\(f.text)")
        let memo = try f.ledger.writer.read { db in try String.fetchOne(db, sql: "SELECT memo FROM transactions WHERE kind = 'payment' ORDER BY id DESC LIMIT 1") }
        #expect(memo == "Directed to the bill of \(newest)")
        let paid = try #require(try f.ledger.accountDetail(number)).payments.first
        #expect(paid?.paidTo == "bill \(newest) $10.00", "\(String(describing: paid))")
    }
}
