import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
@testable import TillUI

/// A full card number pasted into every field the counter screen has: none is ever shown,
/// kept, printed or written, and the ledger, its log and every file beside it hold none.
@Suite("No card number in any field")
struct CardNumberTests {
    /// Test card numbers in the ways people paste them: plain, spaced, dashed, dotted, Amex
    /// grouping, and in full-width digits.
    static let cards = ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "3782.822463.10005",
                        "６０１１１１１１１１１１１１１７"]
    static let digitRuns = ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117"]

    @Test func theDetectorFindsCardsInTextAndLeavesOrdinaryNumbersAlone() {
        for card in Self.cards {
            #expect(CardNumber.containsFullCardNumber(card), "\(card)")
            #expect(CardNumber.containsFullCardNumber("call back re \(card) thanks"), "\(card)")
            #expect(CardNumber.containsFullCardNumber("(\(card))"), "\(card)")
            let withheld = CardNumber.withheld("paid with \(card) today")
            #expect(withheld == "paid with (card number withheld) today")
        }
        // A phone number run into a card is still a card.
        #expect(CardNumber.containsFullCardNumber("555-1234 4111111111111111"))
        for ordinary in ["2026-12-02T06:20:35.532Z", "(555) 123-4567", "100018", "4111111111111112",
                         "Bill 2026-11 for 100018", "$1,234.56", "12345678901234567890123", "1 555 123 4567",
                         "import:3F2504E0-4F89-11D3-9A0C-0305E82C3301:17"] {
            #expect(!CardNumber.containsFullCardNumber(ordinary), "\(ordinary)")
        }
        // Glued to letters, a plain run is still a card; a grouped one is not (UUID segments).
        #expect(CardNumber.containsFullCardNumber("card4111111111111111x"))
        #expect(!CardNumber.containsFullCardNumber("3f2504e0-4111-1111-1111-1111e82c3301"))
        #expect(CardNumber.masked("ref 41111111111111") == "ref ••••••••••1111")
        #expect(CardNumber.masked("ref 411111111111") == "ref 411111111111")
    }

    /// Random UUIDs (file names, idempotency keys) and timestamps are never taken for cards:
    /// a false refusal would stop a command or a payment for nothing.
    @Test func uuidsAndTimestampsAreNeverCards() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let uuid = UUID().uuidString
            #expect(!CardNumber.containsFullCardNumber(uuid), "\(uuid)")
            #expect(!CardNumber.containsFullCardNumber("/tmp/till-cli-\(uuid.lowercased())/e2e.sqlite"))
        }
        for _ in 0..<20_000 {
            let seconds = Double(UInt64.random(in: 0..<4_000_000_000, using: &generator))
            let stamp = Date(timeIntervalSince1970: seconds).ISO8601Format(.iso8601.year().month().day().time(includingFractionalSeconds: true))
            #expect(!CardNumber.containsFullCardNumber(stamp), "\(stamp)")
        }
    }

    /// Types `text` and asserts the screen never shows a card's digits, whole or grouped.
    func paste(_ f: UIFixture, _ text: String, _ sourceLocation: SourceLocation = #_sourceLocation) {
        f.type(text)
        let screen = f.text.filter { !" -.".contains($0) }
        for run in Self.digitRuns {
            #expect(!screen.contains(run), "the screen shows a card number after pasting \(text)", sourceLocation: sourceLocation)
        }
    }

    func pasteEachCard(_ f: UIFixture, then tail: String = "", _ sourceLocation: SourceLocation = #_sourceLocation) {
        for card in Self.cards { paste(f, card, sourceLocation) }
        if !tail.isEmpty { f.type(tail) }
    }

    /// F4, then `o` (float) or `d` (drop): one $100 note typed in the top row, End, Enter.
    func countOneHundred(_ f: UIFixture, _ action: Character) {
        f.press(.function(4))
        f.type(String(action))
        f.press(.home)
        f.type("1")
        f.press(.end, .enter)
    }

    @Test func pastedIntoEveryFieldNoneIsKeptShownPrintedOrWritten() throws {
        let f = try UIFixture(size: Size(width: 100, height: 30))
        let directory = (f.ledger.path as NSString).deletingLastPathComponent

        // The sign-in id (an unknown id would be audited), then a real sign-in.
        pasteEachCard(f)
        #expect(f.runtime.state.credentials.login.isEmpty)
        #expect(f.text.contains("full card number"))
        f.signIn("lead", "3333")
        #expect(f.runtime.state.session != nil)

        // The search and the command line.
        f.press(.function(2))
        pasteEachCard(f)
        #expect(f.runtime.state.query.isEmpty)
        f.press(.escape)
        f.type(":")
        pasteEachCard(f, then: "find x")
        #expect(f.runtime.state.command == "find x")
        f.press(.escape, .character("y"))

        // A float that differs: its reason.
        countOneHundred(f, "o")
        pasteEachCard(f, then: "one more hundred")
        f.press(.enter)
        #expect(f.runtime.state.status.drawerSession != nil)

        // An account note.
        let account = try #require(try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents > 5000 AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        f.press(.function(2))
        f.type(account)
        f.press(.enter)
        f.type("n")
        pasteEachCard(f, then: "call back Tuesday")
        f.press(.enter)
        #expect(f.text.contains("Note added"))

        // The payment: the amount line, a check number, a card's last four and auth code, a misc memo.
        f.press(.function(3))
        pasteEachCard(f)
        f.press(.enter)
        f.type("k")
        pasteEachCard(f)
        f.press(.enter)
        pasteEachCard(f, then: "2041")
        f.press(.enter)
        #expect(f.text.contains("Check #2041"))
        f.press(.enter)
        #expect(f.text.contains("posted"))
        f.press(.enter)
        f.type("x")
        pasteEachCard(f)
        f.press(.escape, .character("y"), .escape, .character("y"))

        // A drop's bag number.
        countOneHundred(f, "d")
        pasteEachCard(f, then: "BAG-9")
        f.press(.enter)

        // Every service form's fields: each takes the paste and keeps none of it.
        f.press(.function(2))
        f.type(account)
        f.press(.enter, .function(6))
        for key in ["v", "r", "n", "t", "l", "k", "f", "e", "p", "x", "s", "w", "c", "o", "b", "g", "a", "z"] {
            f.type(key)
            for _ in 0..<4 {
                pasteEachCard(f)
                f.press(.enter)
            }
            for _ in 0..<3 { f.press(.escape, .character("y")) }
            f.press(.function(6))
        }
        // A contact change that goes through, with a card around the new phone number.
        f.type("c")
        f.type("phone")
        f.press(.enter)
        pasteEachCard(f, then: "555-0100")
        f.press(.enter, .enter)
        #expect(f.text.contains("Phone of \(account) changed"))
        #expect(try f.ledger.account(account)?.phone == "555-0100")

        // A setting's new value (the lead may not change it; the field still refuses the paste).
        f.press(.function(7), .enter)
        pasteEachCard(f)
        f.press(.escape)

        // The day's deposit bag.
        f.press(.function(8))
        f.type("c")
        pasteEachCard(f)
        f.press(.escape, .character("y"))
        f.press(.function(10))

        try Self.expectNoCardNumber(in: f.ledger, directory: directory)
    }

    /// Scans the ledger's text through SQL, the raw bytes of the file and its log, and every
    /// file written beside it, for any of the pasted numbers with or without separators, and
    /// the text files for any Luhn-valid run at all.
    static func expectNoCardNumber(in ledger: Ledger, directory: String,
                                   _ sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try ledger.verify().isSound, sourceLocation: sourceLocation)
        let everyText = try ledger.writer.read { db -> [String] in
            var texts: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for column in try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) WHERE type = 'TEXT'", arguments: [table]) {
                    texts += try String.fetchAll(db, sql: "SELECT \(column) FROM \"\(table)\" WHERE \(column) IS NOT NULL")
                }
            }
            return texts
        }
        for text in everyText {
            // Full-width and other digits read as ASCII, so a look-alike is found too.
            let digits = String(text.filter { !" -.".contains($0) }.map { c in
                c.isNumber && c.unicodeScalars.count == 1 ? c.wholeNumberValue.map { Character("\($0)") } ?? c : c
            })
            for run in digitRuns { #expect(!digits.contains(run), "stored: \(CardNumber.withheld(text))", sourceLocation: sourceLocation) }
        }
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasSuffix("-wal") } || files.contains { $0.hasSuffix(".sqlite") })
        for file in files {
            let path = directory + "/" + file
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let bytes = FileManager.default.contents(atPath: path) else { continue }
            let compact = String(decoding: bytes.filter { ![0x20, 0x2D, 0x2E].contains($0) }, as: UTF8.self)
            for run in digitRuns { #expect(!compact.contains(run), "\(file) holds a pasted card number", sourceLocation: sourceLocation) }
            if !file.contains("sqlite"), let text = String(data: bytes, encoding: .utf8) {
                #expect(!CardNumber.containsFullCardNumber(text), "\(file) holds a Luhn-valid run", sourceLocation: sourceLocation)
            }
        }
    }
}
