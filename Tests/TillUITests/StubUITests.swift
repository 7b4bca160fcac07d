import Foundation
import Testing
import TillCore
import TillLedger
@testable import TillUI

/// A bill stub scanned at the counter: a keyboard-wedge reader types the scan line and Enter
/// into Lookup.
@Suite("Scanning a bill stub")
struct StubUITests {
    /// A demo account whose newest bill's stub is the one to pay by, and that stub.
    func currentStub(_ f: UIFixture, where wanted: (String) -> Bool = { _ in true }) throws -> (number: String, line: String, amount: Money) {
        let numbers = try f.ledger.writer.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL ORDER BY id")
        }
        for number in numbers {
            guard let stub = try? f.ledger.stub(for: AccountNumber(number)), stub.amount.isPositive,
                  wanted(stub.line), try f.ledger.readStub(stub.line).standing == .current else { continue }
            return (number, stub.line, stub.amount)
        }
        throw LedgerError(.invalid, "no current stub in the demo")
    }

    @Test func aScannedStubPutsItsAccountAndAmountInTheCart() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        let stub = try currentStub(f)
        f.press(.function(2))
        f.type(stub.line)
        f.press(.enter)
        let state = f.runtime.state
        #expect(state.payment.lines.first?.accountNumber == stub.number)
        #expect(state.payment.entry == stub.amount.formatted)
        #expect(state.message?.text == "Stub for \(stub.number): \(stub.amount.formatted) due. Enter takes it; type another amount to change it")
        #expect(f.text.contains("\(stub.amount.formatted)_"), "the amount line shows the stub's amount, ready for Enter")
        f.press(.enter) // exactly the stub's amount
        #expect(f.runtime.state.payment.lines.first?.amount == stub.amount)
        f.type("c")
        f.press(.enter) // cash, exact
        f.press(.enter) // post
        #expect(try f.ledger.readStub(stub.line).standing == .paid(stub.amount))
        #expect(try f.ledger.verify().isSound)
    }

    /// A scan line whose first digits pass for a card number while it arrives: the guard takes
    /// them out of the search, and Enter still reads the whole line; a card number alone is not kept.
    @Test func aScanLineThatStartsLikeACardIsStillReadAndACardAloneIsDropped() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        // A demo stub whose line starts with a run of 13 to 19 digits that passes the Luhn test.
        let stub = try currentStub(f) { line in (13...19).contains { CardNumber.looksLikeFullCardNumber(String(line.prefix($0))) } }
        let held = String(stub.line.prefix(try #require((13...19).first { CardNumber.looksLikeFullCardNumber(String(stub.line.prefix($0))) })))
        f.press(.function(2))
        f.type(stub.line)
        #expect(!f.runtime.state.query.hasPrefix(held), "the guard took the card-like start out of the search")
        f.press(.enter)
        #expect(f.runtime.state.payment.lines.first?.accountNumber == stub.number)
        f.press(.escape, .escape)
        f.press(.function(2))
        f.type("4111111111111111")
        #expect(f.runtime.state.query.isEmpty && f.runtime.state.heldScanDigits == "4111111111111111")
        f.press(.enter)
        #expect(f.runtime.state.heldScanDigits.isEmpty && f.runtime.state.query.isEmpty)
        #expect(f.runtime.state.message?.text == "Type an account number, meter number, phone, address or name")
        f.type("4111111111111111")
        f.type("a")
        #expect(f.runtime.state.heldScanDigits.isEmpty && f.runtime.state.query == "a")
    }

    @Test func aMisreadStubIsRefusedAndAPaidOneWarns() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        let stub = try currentStub(f)
        f.press(.function(2))
        let last = Int(String(stub.line.last!))!
        f.type(String(stub.line.dropLast()) + String((last + 1) % 10))
        f.press(.enter)
        #expect(f.runtime.state.message?.text == "The scan line's check digit is wrong: scan the stub again or type the account number")
        #expect(f.runtime.state.payment.lines.isEmpty)

        // Paid at the counter already: the stub warns and shows what is owed now.
        for _ in 0..<40 { f.press(.backspace) }
        f.type(stub.number)
        f.press(.enter, .function(3), .enter)
        f.type("c")
        f.press(.enter, .enter, .enter) // cash exact, post, next customer
        f.press(.function(2))
        f.type(stub.line)
        f.press(.enter)
        #expect(f.runtime.state.message?.text.hasPrefix("Stub: The bill of ") == true, "\(String(describing: f.runtime.state.message))")
        #expect(f.runtime.state.message?.kind == .warning)
    }

    @Test func stubsScannedIntoAMailBatchFillEachLine() throws {
        let f = try UIFixture()
        f.signIn()
        f.openDrawerWithStandardFloat()
        // Two stubs, one of which starts like a card number while its digits arrive.
        let first = try currentStub(f) { line in (13...19).contains { CardNumber.looksLikeFullCardNumber(String(line.prefix($0))) } }
        let second = try currentStub(f) { line in line != first.line }
        f.press(.function(6))
        f.type("b")
        f.type(try (first.amount + second.amount).formatted)
        f.press(.enter)
        f.type(first.line)
        f.press(.enter)
        var batch = try #require(f.runtime.state.batch)
        #expect(batch.account == first.number && batch.amount == first.amount && batch.field == .check, "\(f.text)")
        f.type("1201"); f.press(.enter)
        f.type(second.line); f.press(.enter)
        f.type("1202"); f.press(.enter)
        batch = try #require(f.runtime.state.batch)
        #expect(batch.lines.map(\.account) == [first.number, second.number] && batch.difference.isZero, "\(f.text)")
        // A misread stub fills nothing.
        let last = Int(String(first.line.last!))!
        f.type(String(first.line.dropLast()) + String((last + 1) % 10)); f.press(.enter)
        #expect(f.runtime.state.message?.text == "The scan line's check digit is wrong: scan the stub again or type the account number")
        #expect(f.runtime.state.batch?.field == .account && f.runtime.state.batch?.lines.count == 2)
        f.press(.enter)
        #expect(f.runtime.state.batch == nil, "\(f.text)")
        #expect(try f.ledger.readStub(first.line).standing == .paid(first.amount))
        #expect(try f.ledger.verify().isSound)
    }
}
