import Foundation
import GRDB
import Testing
import TillApp
import TillCore
import TillLedger
import TillPrinting
@testable import TillUI

/// Training: a demo or a scrubbed copy of the live ledger, marked for good; TRAINING on every
/// screen, "TRAINING — NOT A RECEIPT" on every paper, and the cash drawer left shut.
@Suite("Training ledgers")
struct TrainingTests {
    static func demo(training: Bool) throws -> Ledger {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-training-\(UUID().uuidString)")
        var options = DemoOptions(accounts: 40, seed: 9, today: try BusinessDate("2026-11-20"))
        options.training = training
        return try Ledger.createDemo(at: directory.appendingPathComponent("t.sqlite").path, options).0
    }

    @Test func everyScreenSaysTrainingAndEveryPaperSaysNotAReceipt() throws {
        let ledger = try Self.demo(training: true)
        #expect(ledger.isTraining)
        #expect(throws: LedgerError.self) { try ledger.setSetting(.training, "false", by: 1) }
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            let f = try UIFixture(size: size, ledger: ledger)
            #expect(f.screen.line(0).hasPrefix(" TRAINING "), "\(f.screen.line(0))") // the sign-in screen too
            f.signIn()
            #expect(f.screen.line(0).hasPrefix(" TRAINING "))
            f.press(.function(8))
            #expect(f.screen.line(0).hasPrefix(" TRAINING "))
        }
        // A cash payment: the receipt is marked at its head and foot, and the drawer stays shut.
        let f = try UIFixture(ledger: ledger)
        f.signIn()
        f.openDrawerWithStandardFloat()
        let number = try #require(try ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents > 1000 AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        f.press(.function(2)); f.type(number); f.press(.enter, .function(3))
        f.type("10.00"); f.press(.enter); f.type("c"); f.press(.enter, .enter)
        #expect(f.text.contains("posted"), "\(f.text)")
        let spool = ((ledger.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("receipts")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: spool).first { $0.hasPrefix("receipt-") })
        let lines = try String(contentsOfFile: spool + "/" + file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "TRAINING — NOT A RECEIPT")
        #expect(lines.contains("TRAINING — NOT A RECEIPT") && lines.filter { $0 == "TRAINING — NOT A RECEIPT" }.count == 2)
        #expect(EscPos.ascii("TRAINING — NOT A RECEIPT") == Array("TRAINING - NOT A RECEIPT".utf8))
        #expect(!OfficePrinter.opensDrawerForTest(true, ledger))
        try ledger.setSetting(.trainingOpensDrawer, "true", by: try f.supervisor)
        #expect(OfficePrinter.opensDrawerForTest(true, ledger))
        // A live ledger's paper is not marked.
        let live = try Self.demo(training: false)
        #expect(!live.isTraining && OfficePrinter.opensDrawerForTest(true, live))
    }

    @Test func aCopyOfTheLiveLedgerKeepsTheBooksAndNoOnesDetails() throws {
        let live = try Self.demo(training: false)
        let (names, references) = try live.writer.read { db in
            (try String.fetchAll(db, sql: "SELECT customer_name FROM accounts ORDER BY id LIMIT 20"),
             try String.fetchAll(db, sql: "SELECT reference FROM tenders WHERE kind = 'check' AND length(reference) >= 4 LIMIT 5"))
        }
        let before = try live.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT book, SUM(amount_cents) FROM postings GROUP BY book ORDER BY book").map { "\($0[0] as String) \($0[1] as Int64)" }
        }
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("till-copy-\(UUID().uuidString).sqlite").path
        let copy = try Ledger.copyForTraining(from: live.path, to: destination)
        #expect(copy.isTraining && !live.isTraining)
        #expect(try copy.verify().isSound)
        // The same books to the cent, the same receipts.
        let after = try copy.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT book, SUM(amount_cents) FROM postings GROUP BY book ORDER BY book").map { "\($0[0] as String) \($0[1] as Int64)" }
        }
        #expect(after == before)
        // No customer's name, and no check number, anywhere in the file.
        copy.checkpoint()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: destination))
        for name in names {
            #expect(bytes.range(of: Data(name.utf8)) == nil, "\(name) is still in the training copy")
        }
        // (Short check numbers can occur in other bytes by chance: they are looked for as references.)
        let kept = try copy.writer.read { db in
            try String.fetchAll(db, sql: "SELECT reference FROM tenders WHERE reference IN (\(references.map { "'\($0)'" }.joined(separator: ",")))")
        }
        #expect(!references.isEmpty && kept.isEmpty, "\(kept)")
        #expect(try copy.searchAccounts(names[0]).isEmpty || names[0].hasPrefix("Customer"))
        #expect(try copy.searchAccounts("Customer").count > 0)
        // Operators sign in with their own PINs.
        #expect(try copy.authenticate(try OperatorLogin("cashier"), pin: "1111", terminal: "T1").login.rawValue == "cashier")
        #expect(throws: LedgerError.self) { try Ledger.copyForTraining(from: live.path, to: destination) }
        #expect(throws: LedgerError.self) {
            try Ledger.copyForTraining(from: destination, to: destination + "-2")
        }
    }
}
