import Foundation
import Synchronization
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Files from the outside world: text taken as it is or refused whole, payment files whose
/// references mean one payment, errors that name the file's own line, and an import that a kill
/// half-way through leaves finishable.
@Suite("Messy import files")
struct ImportHardeningTests {
    static let header = "account,amount,tender,reference\n"

    func boss(_ f: CounterFixture) -> Actor { Actor(operatorID: f.supervisor.id, terminal: "T9") }

    func problems(_ body: () throws -> Void) -> [ImportError.Problem] {
        do { try body() } catch let error as ImportError { return error.problems } catch { Issue.record("\(error)") }
        return []
    }

    @Test(arguments: Engine.all) func controlCharactersAndBidiOverridesRefuseTheFileNamingLineAndColumn(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let accounts = "account_number,customer_name,service_address\n200001,Ann Good,1 First St\n200002,Bob\u{0}Hidden,2 Second St\n"
            let found = problems { _ = try f.ledger.importAccounts(csv: Array(accounts.utf8), fileName: "a.csv", by: f.supervisor.id) }
            #expect(found == [.init(line: 3, reason: "column customer_name holds U+0000 (NUL); save the file without it")])
            #expect(try f.count("accounts") == 3)

            for (text, named) in [("WEB-1\u{1B}[2J", "U+001B (ESC)"), ("WEB-\u{202E}1", "U+202E (a right-to-left override)"),
                                  ("WEB\t1", "U+0009 (a tab)"), ("\"WEB\n1\"", "U+000A (a line break)"), ("WEB\u{85}", "U+0085 (a control character)")] {
                let file = Self.header + "100001,5.00,ach,\(text)\n"
                let found = problems { _ = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: boss(f)) }
                #expect(found.map(\.line) == [2] && found.first?.reason.contains(named) == true, "\(found)")
                // The message names the character; it never carries it.
                #expect(found.allSatisfy { TextSafety.firstUnsafe(in: $0.reason) == nil })
            }
            let charges = "account_number,bill_date,due_date,revenue_code,amount,description\n100001,2026-11-01,2026-11-21,water,5.00,Water\u{7}\n"
            let bell = problems { _ = try f.ledger.importCharges(csv: Array(charges.utf8), fileName: "c.csv", by: f.supervisor.id) }
            #expect(bell.map(\.line) == [2] && bell.first?.reason.hasPrefix("column description holds U+0007") == true)
            #expect(try f.balance("100001") == Money(dollars: 90))
        }
    }

    /// A card number typed into any column of a payment file is refused and never echoed.
    @Test(arguments: Engine.all) func aCardNumberInAnyColumnIsRefusedAndNotEchoed(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            for line in ["4111 1111 1111 1111,5.00,ach,W1", "100001,5.00,4111-1111-1111-1111,W2", "100001,5.00,ach,4111111111111111"] {
                let file = Self.header + line + "\n"
                let found = problems { _ = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: boss(f)) }
                #expect(found.count == 1 && found.first?.line == 2, "\(found)")
                #expect(found.allSatisfy { !$0.reason.filter(\.isNumber).contains("4111111111111111") }, "\(found)")
            }
            #expect(TextSafety.quoted("W\u{1B}[2J") == "\"W<U+001B>[2J\"" && TextSafety.quoted("AB-12") == "\"AB-12\"")
        }
    }

    @Test(arguments: Engine.all) func aRepeatedColumnRefusesTheFile(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let file = "account,amount,tender,reference,Amount\n100001,5.00,ach,WEB-1,500.00\n"
            let found = problems { _ = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: boss(f)) }
            #expect(found == [.init(line: 1, reason: "column amount appears more than once: keep one")])
            #expect(try f.balance("100001") == Money(dollars: 90))
        }
    }

    @Test(arguments: Engine.all) func aReferencePostedBeforeIsSkippedOnlyWhenItIsTheSamePayment(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let first = Self.header + "100001,10.00,ach,WEB-777\n100003,25.00,lockbox,LBX-9\n"
            let posted = try f.ledger.importPayments(csv: Array(first.utf8), fileName: "monday.csv", actor: boss(f))
            #expect(posted.posted.map(\.line) == [2, 3])
            // The same payments, padded and in another file: skipped.
            let again = Self.header + "  100001 , 10.00 ,ACH, WEB-777 \n100003,25.00,check,LBX-9\n100002,5.00,card,WEB-778\n"
            let second = try f.ledger.importPayments(csv: Array(again.utf8), fileName: "tuesday.csv", actor: boss(f))
            #expect(second.alreadyPosted.map(\.line) == [2, 3] && second.posted.map(\.line) == [4])
            // The same reference for another account, amount or tender is a real payment: a conflict refuses the file.
            for line in ["100002,10.00,ach,WEB-777", "100001,10.01,ach,WEB-777", "100001,10.00,card,WEB-777"] {
                let file = Self.header + "100002,1.00,ach,WEB-900\n" + line + "\n"
                let found = problems { _ = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "wed.csv", actor: boss(f)) }
                #expect(found.count == 1 && found.first?.line == 3, "\(found)")
                #expect(found.first?.reason.contains("was posted before on receipt #1 (batch #1 line 2) for account 100001, $10.00 by ach") == true,
                        "\(found)")
            }
            #expect(try f.balance("100002") == Money(cents: 5_525 - 500))
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func everyErrorNamesTheFilesOwnLineAndTheCountsAgree(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let file = Self.header + "100001,1.00,ach,A1\n\n999999,2.00,ach,A2\n100002,3.00,lockbox,A3\n100001,abc,ach,A4\n"
            var caught: ImportError?
            do { _ = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "p.csv", actor: boss(f)) } catch let error as ImportError { caught = error }
            let error = try #require(caught)
            // The parse finds line 6; the ledger finds 4 (no such account) and 5 (cash only) — each by its own line.
            #expect(error.problems.map(\.line) == [6])
            let fixed = file.replacingOccurrences(of: "abc", with: "4.00")
            try f.ledger.setSetting(.importUnknownToSuspense, "false", by: f.supervisor.id) // else line 4 goes to suspense
            do { _ = try f.ledger.importPayments(csv: Array(fixed.utf8), fileName: "p.csv", actor: boss(f)) } catch let error as ImportError { caught = error }
            #expect(caught?.problems.map(\.line) == [4, 5])
            #expect(caught?.description.hasPrefix("p.csv: 2 bad lines; nothing was imported") == true)
            #expect(caught?.problems.allSatisfy { $0.line > 0 } == true)
            #expect(try f.balance("100001") == Money(dollars: 90))
        }
    }

    @Test(arguments: Engine.all) func aKilledImportIsFinishedByRunningTheSameFileAgain(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lines = (1...350).map { "\(["100001", "100003"][$0 % 2]),1.\(String(format: "%02d", $0 % 100)),ach,K-\($0)" }
            let file = Array((Self.header + lines.joined(separator: "\n") + "\n").utf8)
            let actor = boss(f)
            // As a run killed after its first short transaction leaves it: the batch open, 100 lines posted.
            let planned = try Ledger.paymentFileLines(file, fileName: "big.csv", ceiling: Money(dollars: 1_000_000))
            let sha = Ledger.fileDigest(file)
            let batch = try f.ledger.writeImmediate { db in try f.ledger.openImportBatch(planned, digest: sha, fileName: "big.csv", actor: actor, db) }
            _ = try f.ledger.writeImmediate { db in
                try f.ledger.postImportChunk(planned[0..<100], batchID: batch, actor: actor, fileName: "big.csv", for: .seconds(60), db)
            }
            // The closer sees it unfinished until the file is run again.
            let half = try f.ledger.settlement(CounterFixture.today)
            #expect(half.batches.first { $0.id == batch }?.isUnfinished == true)
            #expect(ReportText.settlement(half).contains("    UNFINISHED 100/350: import it again"))
            let rest = try f.ledger.importPayments(csv: file, fileName: "big.csv", actor: actor)
            #expect(try f.ledger.settlement(CounterFixture.today).batches.first { $0.id == batch }?.isUnfinished == false)
            #expect(rest.batchID == batch && rest.posted.count == 250 && rest.alreadyPosted.count == 100)
            let (count, total, expected) = try f.ledger.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch_lines WHERE batch_id = ?", arguments: [batch])!,
                 try Int64.fetchOne(db, sql: "SELECT SUM(p.amount_cents) FROM batch_lines l JOIN postings p ON p.transaction_id = l.transaction_id AND p.book = 'ACH' WHERE l.batch_id = ?", arguments: [batch])!,
                 try Int64.fetchOne(db, sql: "SELECT total_cents FROM batches WHERE id = ?", arguments: [batch])!)
            }
            #expect(count == 350 && total == expected)
            let thrice = try f.ledger.importPayments(csv: file, fileName: "big.csv", actor: actor)
            #expect(thrice.batchID == nil && thrice.posted.isEmpty && thrice.alreadyPosted.count == 350)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func linesPostInTheLedgersAccountOrderEachStillItsOwnFileLine(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            // The file lists 100003 before 100001; an account's own lines keep the file's order.
            let file = Self.header + "100003,3.00,ach,O-1\n100001,1.00,card,O-2\n100003,4.00,ach,O-3\n100001,2.00,ach,O-4\n"
            let result = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "o.csv", actor: boss(f))
            #expect(result.posted.map(\.line) == [3, 5, 2, 4])
            // What the person reads lists the file's lines in its order.
            #expect(result.report.dropFirst(5).prefix(4).map { $0.prefix(4).trimmingCharacters(in: .whitespaces) } == ["2", "3", "4", "5"])
            let rows = try f.ledger.read { db in
                try SQLRow.fetchAll(db, sql: """
                    SELECT l.line, l.reference, t.receipt_number, a.number, -p.amount_cents AS cents
                    FROM batch_lines l JOIN transactions t ON t.id = l.transaction_id
                    JOIN postings p ON p.transaction_id = t.id AND p.book = 'AR' JOIN accounts a ON a.id = p.account_id
                    WHERE l.batch_id = ? ORDER BY t.receipt_number
                    """, arguments: [result.batchID]).map { "\($0[0] as Int) \($0[1] as String) \($0[3] as String) \($0[4] as Int64)" }
            }
            // Each file line is the payment it says, whatever order the receipts were numbered in.
            #expect(rows == ["3 O-2 100001 100", "5 O-4 100001 200", "2 O-1 100003 300", "4 O-3 100003 400"])
            #expect(try f.balance("100001") == Money(dollars: 87))
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aLineThatTurnsBadHalfWaySaysWhereTheImportStandsAndTheSameFileFinishesIt(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lines = (1...6).map { "100001,1.0\($0),ach,H-\($0)" } + ["100003,9.00,lockbox,H-7"]
            let file = Array((Self.header + lines.joined(separator: "\n") + "\n").utf8)
            var turned = false
            var caught: LedgerError?
            do {
                // One line a transaction; after the second, 100003 is made cash only by another terminal.
                _ = try f.ledger.importPayments(csv: file, fileName: "h.csv", actor: boss(f), slice: .zero) { posted, _ in
                    guard posted == 2, !turned else { return }
                    turned = true
                    try? f.tamper("UPDATE accounts SET cash_only_until = '2027-01-31' WHERE number = '100003'")
                }
            } catch let error as LedgerError { caught = error }
            #expect(caught?.message == "line 8: Account 100003 is cash only until 2027-01-31: no checks (return the check with a letter); "
                    + "6 of the file's 7 lines to post are posted in batch #1 and the rest are not: fix that line and import the same file again")
            #expect(try f.count("batch_lines") == 6)
            try f.tamper("UPDATE accounts SET cash_only_until = NULL WHERE number = '100003'")
            let rest = try f.ledger.importPayments(csv: file, fileName: "h.csv", actor: boss(f))
            #expect(rest.batchID == 1 && rest.posted.map(\.line) == [8] && rest.alreadyPosted.count == 6)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aLargeFileCheckedInTwoHalvesNamesEveryBadLineInOrder(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            var lines = (1...2_400).map { "\(["100001", "100003"][$0 % 2]),1.00,ach,L-\($0)" }
            lines[8] = "999999,1.00,ach,L-9"       // file line 10, in the first half
            lines[2_298] = "999998,1.00,ach,L-2299" // file line 2300, in the second
            let file = Array((Self.header + lines.joined(separator: "\n") + "\n").utf8)
            // Unknown accounts refuse the file only where the setting says so (they go to suspense by default).
            try f.ledger.setSetting(.importUnknownToSuspense, "false", by: f.supervisor.id)
            let found = problems { _ = try f.ledger.importPayments(csv: file, fileName: "l.csv", actor: boss(f)) }
            let why = " (import.unknown_to_suspense is false)"
            #expect(found == [.init(line: 10, reason: "No account 999999" + why), .init(line: 2_300, reason: "No account 999998" + why)])
            #expect(try f.count("batch_lines") == 0)
        }
    }

    @Test(arguments: Engine.all) func anImportGivesWayAtTheNextLineWhenATerminalAsks(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lines = (1...20).map { "100001,1.\(String(format: "%02d", $0)),ach,G-\($0)" }
            let file = Array((Self.header + lines.joined(separator: "\n") + "\n").utf8)
            let actor = boss(f)
            let planned = try Ledger.paymentFileLines(file, fileName: "g.csv", ceiling: Money(dollars: 1_000_000))
            let batch = try f.ledger.writeImmediate { db in
                try f.ledger.openImportBatch(planned, digest: Ledger.fileDigest(file), fileName: "g.csv", actor: actor, db)
            }
            // A minute's slice, but someone asks while the third line posts: the chunk ends there.
            var asked = 0
            let chunk = try f.ledger.writeImmediate { db in
                try f.ledger.postImportChunk(planned[...], batchID: batch, actor: actor, fileName: "g.csv", for: .seconds(60),
                                             givingWayTo: { asked += 1; return asked > 2 }, db)
            }
            #expect(chunk.posted.count == 3 && chunk.skipped.isEmpty)
            let rest = try f.ledger.importPayments(csv: file, fileName: "g.csv", actor: actor)
            #expect(rest.batchID == batch && rest.posted.count == 17 && rest.alreadyPosted.count == 3)
        }
    }

    /// The real thing: a payment file imported with a slice of a minute, and a cashier at
    /// another terminal paying meanwhile. The cashier's payment waits for a line and a commit
    /// (the import learns of the wait from SQLite's write queue, or from the server's lock
    /// table), never for the slice; the file then finishes.
    @Test(arguments: Engine.all) func aCashierPayingDuringALongImportWaitsForALineNotTheSlice(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            // Long enough on either engine that the cashier comes while it runs.
            let count = engine == .sqlite ? 2_000 : 1_000
            let lines = (1...count).map { "100001,0.\(String(format: "%02d", 1 + $0 % 99)),ach,W-\($0)" }
            let file = Array((Self.header + lines.joined(separator: "\n") + "\n").utf8)
            let actor = boss(f)
            let batches = try f.count("batches")
            let imported = Mutex<Result<BatchResult, any Error>?>(nil)
            let importer = Thread {
                let result = Result { try f.ledger.importPayments(csv: file, fileName: "w.csv", actor: actor, slice: .seconds(60)) }
                imported.withLock { $0 = result }
            }
            importer.start()
            // Once the import's batch is open (committed before its lines), the import is posting
            // its lines in one long transaction: then the cashier pays.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, try f.count("batches") == batches { usleep(2_000) }
            usleep(20_000)
            #expect(imported.withLock { $0 == nil }, "the import finished before the cashier paid: nothing was tried")
            let counter = try f.anotherTerminal()
            let started = Date()
            _ = try counter.post(Payment(lines: [.account(try f.account("100002"), Money(cents: 700))], tenders: [.cash(Money(cents: 700))]),
                                 operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
            let waited = Date().timeIntervalSince(started)
            #expect(waited < 2, "the payment waited \(waited) s behind a payment file")
            while imported.withLock({ $0 == nil }) { usleep(10_000) }
            let result = try #require(try imported.withLock { $0 }?.get())
            #expect(result.posted.count == count)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func chargesPostIntoTheOpenDayAndRefuseImpossibleBillDates(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let header = "account_number,bill_date,due_date,revenue_code,amount\n"
            for (date, reason) in [("2026-11-21", "bill_date 2026-11-21 is after the open business day 2026-11-20"),
                                   ("1900-01-01", "bill_date 1900-01-01 is more than 730 days before the open business day 2026-11-20")] {
                let file = header + "100001,\(date),2026-12-21,water,5.00\n"
                #expect(problems { _ = try f.ledger.importCharges(csv: Array(file.utf8), fileName: "c.csv", by: f.supervisor.id) }
                            == [.init(line: 2, reason: reason)])
            }
            let good = header + "100001,2026-11-05,2026-11-26,water,5.00\n"
            _ = try f.ledger.importCharges(csv: Array(good.utf8), fileName: "c.csv", by: f.supervisor.id)
            let row = try f.ledger.read { db in
                try SQLRow.fetchOne(db, sql: "SELECT business_date, bill_date, memo FROM transactions WHERE kind = 'bill' ORDER BY id DESC LIMIT 1")!
            }
            #expect(row[0] as String == "2026-11-20" && row[1] as String == "2026-11-05" && (row[2] as String).contains("2026-11-05"))
            // With the day closed nothing imports.
            let x = try f.ledger.expectation(session: f.drawer)
            _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: CashCount.making(x.expectedCash), checksFound: [], cardBatch: .zero),
                                         operatorID: f.cashier.id, terminal: "T1")
            _ = try f.ledger.closeBusinessDay(by: f.supervisor.id, terminal: "T9", bag: "B-1")
            let later = header + "100001,2026-11-06,2026-11-27,water,5.00\n"
            #expect(throws: LedgerError.self) { _ = try f.ledger.importCharges(csv: Array(later.utf8), fileName: "c.csv", by: f.supervisor.id) }
            #expect(try f.ledger.verify().isSound)
        }
    }
}
