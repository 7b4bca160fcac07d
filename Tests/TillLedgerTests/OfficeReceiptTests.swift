import Foundation
import GRDB
import Testing
import TillCore
import TillPrinting
@testable import TillLedger

@Suite("Receipt numbers counted per office: each office's sequence gapless, and verify proves it")
struct OfficeReceiptTests {
    /// A cash payment of `cents` at `terminal` into `drawer`.
    static func pay(_ f: CounterFixture, _ account: String, _ cents: Int64, at terminal: String, by op: Operator, drawer: Int64?,
                    key: String? = nil) throws -> PostedTransaction {
        try f.ledger.post(Payment(lines: [.account(try f.account(account), Money(cents: cents))], tenders: [.cash(Money(cents: cents))]),
                          operatorID: op.id, terminal: terminal, idempotencyKey: key, drawerSession: drawer)
    }

    /// Every receipt's office number as a plain reading of the rows expects it: receipts in the
    /// utility's order, each counted for its terminal's office while the office mode stood.
    static func plainOfficeNumbers(_ l: Ledger) throws -> (expected: [Int64: String], stored: [Int64: String]) {
        try l.read { db in
            let placed = Dictionary(uniqueKeysWithValues: try SQLRow.fetchAll(db, sql: """
                SELECT p.terminal_id, f.code FROM terminal_offices p JOIN offices f ON f.id = p.office_id
                """).map { ($0[0] as String, $0[1] as String) })
            let main = try String.fetchOne(db, sql: "SELECT code FROM offices ORDER BY id LIMIT 1") ?? ""
            let changes = try SQLRow.fetchAll(db, sql: "SELECT mode, from_receipt FROM receipt_numbering ORDER BY id")
            var counts: [String: Int64] = [:], expected: [Int64: String] = [:]
            for row in try SQLRow.fetchAll(db, sql: """
                SELECT receipt_number, terminal_id FROM transactions WHERE receipt_number IS NOT NULL ORDER BY receipt_number
                """) {
                let receipt: Int64 = row[0]
                let mode = changes.last { ($0["from_receipt"] as Int64) <= receipt }.map { $0["mode"] as String } ?? "utility"
                guard mode == "office" else { continue }
                let office = placed[row[1] as String] ?? main
                counts[office, default: 0] += 1
                expected[receipt] = "\(office)-\(counts[office]!)"
            }
            let stored = Dictionary(uniqueKeysWithValues: try SQLRow.fetchAll(db, sql: """
                SELECT t.receipt_number, f.code, r.number FROM office_receipts r
                JOIN transactions t ON t.id = r.transaction_id JOIN offices f ON f.id = r.office_id
                """).map { ($0[0] as Int64, "\($0[1] as String)-\($0[2] as Int64)") })
            return (expected, stored)
        }
    }

    @Test(arguments: Engine.all) func eachOfficeCountsItsOwn(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let l = f.ledger
            // Numbering by office needs offices.
            #expect { try l.setSetting(.receiptNumbering, "office", by: f.supervisor.id) } throws: { "\($0)".contains("add the offices first") }
            let first = try f.payCash("100001", cents: 1_000)
            let offices = try f.mainAndNorth()
            let nora = try l.addOperator(login: try OperatorLogin("nora"), displayName: "Nora North", role: .cashier, pin: "2222",
                                         by: f.supervisor.id)
            let north = try l.openDrawer(operatorID: nora.id, terminal: "T2").id
            #expect(throws: LedgerError.self) { try l.setSetting(.receiptNumbering, "branch", by: f.supervisor.id) }
            #expect(throws: LedgerError.self) { try l.setSetting(.receiptNumbering, "office", by: f.cashier.id) }
            // Before: the utility's numbers alone.
            let before = try Self.pay(f, "100002", 200, at: "T2", by: nora, drawer: north)
            #expect(try l.receipt(before.receipt!)?.officeNumber == nil)
            #expect(try l.receiptName(first.receipt!) == "#\(first.receipt!)")

            try l.setSetting(.receiptNumbering, "office", by: f.supervisor.id)
            try l.setSetting(.receiptNumbering, "office", by: f.supervisor.id) // again: nothing new recorded
            #expect(try f.count("receipt_numbering") == 1)
            var names: [String] = []
            for (terminal, op, drawer) in [("T1", f.cashier, f.drawer), ("T2", nora, north), ("T2", nora, north), ("T1", f.cashier, f.drawer),
                                           ("T2", nora, north)] {
                let posted = try Self.pay(f, "100003", 300, at: terminal, by: op, drawer: drawer)
                names.append(try l.receiptName(posted.receipt!))
                // The utility's sequence goes on as before, one number a receipt.
                #expect(posted.receipt == ReceiptNumber(before.receipt!.value + Int64(names.count)))
            }
            #expect(names == ["MAIN-1", "NORTH-1", "NORTH-2", "MAIN-2", "NORTH-3"])
            // A payment sent twice under its key takes one number.
            let once = try Self.pay(f, "100001", 700, at: "T2", by: nora, drawer: north, key: "again")
            let twice = try Self.pay(f, "100001", 700, at: "T2", by: nora, drawer: north, key: "again")
            #expect(twice.wasAlreadyPosted && twice.receipt == once.receipt)
            #expect(try l.receiptName(once.receipt!) == "NORTH-4")

            // Found by either number, in any case, with a # or spaces; refused plainly otherwise.
            let northTwo = try l.findReceipt(" north-2 ")
            #expect(try l.receiptName(northTwo) == "NORTH-2")
            #expect(try l.findReceipt("#\(northTwo)") == northTwo)
            #expect(try l.findReceipt("\(northTwo)") == northTwo)
            #expect { try l.findReceipt("NORTH-9") } throws: { "\($0)" == "No receipt NORTH-9: NORTH's receipts run to NORTH-4" }
            #expect { try l.findReceipt("SOUTH-1") } throws: { "\($0)".contains("No office \"SOUTH\": the offices are MAIN, NORTH") }
            #expect { try l.findReceipt("999999") } throws: { "\($0)" == "No receipt #999999" }
            for bad in ["", "-3", "NORTH-", "NORTH-0", "1NORTH-2", "NORTH 2", "N\u{0}-1", "4111 1111 1111 1111", "4111111111111111"] {
                #expect(throws: LedgerError.self, "\(bad)") { try l.findReceipt(bad) }
                do { _ = try l.findReceipt(bad) } catch { #expect(!"\(error)".contains("1111"), "a card number repeated") }
            }

            // The receipt prints its office's number, and the utility's that finds it anywhere.
            let printed = try #require(try l.receipt(northTwo))
            let lines = ReceiptLayout.lines(printed, width: 42, reprint: false).map(\.text)
            #expect(lines.contains { $0.hasPrefix("Receipt NORTH-2 ") } && lines.contains("Utility receipt #\(northTwo)"), "\(lines)")
            // A void takes its office's next number, and the voided receipt names it.
            let void = try l.void(receipt: northTwo, reason: "wrong account", operatorID: nora.id, terminal: "T2")
            #expect(try l.receiptName(void.receipt!) == "NORTH-5")
            #expect(try l.receipt(northTwo)?.memo.contains("VOIDED by NORTH-5") == true)

            // Back to the utility's numbers: none taken; and by office again: each office goes on where it was.
            try l.setSetting(.receiptNumbering, "utility", by: f.supervisor.id)
            let plain = try Self.pay(f, "100002", 100, at: "T2", by: nora, drawer: north)
            #expect(try l.receiptName(plain.receipt!) == "#\(plain.receipt!)")
            try l.setSetting(.receiptNumbering, "office", by: f.supervisor.id)
            #expect(try l.receiptName(try Self.pay(f, "100002", 100, at: "T2", by: nora, drawer: north).receipt!) == "NORTH-6")
            #expect(try l.receiptName(try f.payCash("100002", cents: 100).receipt!) == "MAIN-3")

            // North's share of the day names its own numbers of the day.
            let share = try l.settlement(CounterFixture.today, office: offices.north)
            #expect(share.officeReceipts.map { "\($0.code) \($0.first) \($0.last) \($0.count)" } == "NORTH 1 6 6")
            #expect(ReportText.settlement(share).contains("Office's NORTH-1 to NORTH-6 (6)"))
            #expect(try l.settlement(CounterFixture.today).officeReceipts == nil)
            // The same numbers re-derived by a plain reading of the rows.
            let (expected, stored) = try Self.plainOfficeNumbers(l)
            #expect(expected.count == 9 && stored == expected)
            let report = try l.verify()
            #expect(report.isSound, "\(report.checks.compactMap(\.fault))")
            #expect(report.checks.contains { $0.name.hasPrefix("receipt numbers by office") })
        }
    }

    /// Someone with the file (or a superuser) changes the numbers: verify names each way.
    @Test(arguments: Engine.all) func verifyNamesEachTampering(_ engine: Engine) throws {
        let cases: [(name: String, sql: (Int64) -> String, fault: String)] = [
            ("a number taken out", { _ in "DELETE FROM office_receipts WHERE number = 2" },
             "was taken while each office numbered its receipts, but has no office's number"),
            ("a number skipped", { _ in "UPDATE office_receipts SET number = 9 WHERE number = 2" }, "NORTH-2 is missing"),
            ("a receipt from before given one", { t in
                "INSERT INTO office_receipts(transaction_id, office_id, number) VALUES (\(t), (SELECT MIN(id) FROM offices), 99)"
            }, "but was taken while the utility numbered receipts"),
            ("the setting turned back by hand", { _ in "UPDATE settings SET value = 'utility' WHERE key = 'receipt.numbering'" },
             "receipt.numbering says utility but the recorded numbering is office"),
            ("the record of the change moved", { _ in "UPDATE receipt_numbering SET from_receipt = 1" },
             "has no office's number"),
        ]
        for tampering in cases {
            try CounterFixture.on(engine) { f throws in
                let l = f.ledger
                let early = try f.payCash("100001", cents: 1_000)
                let earlyID: Int64 = try l.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM transactions WHERE receipt_number = ?",
                                                                           arguments: [early.receipt!.value])! }
                _ = try f.mainAndNorth()
                try l.setSetting(.receiptNumbering, "office", by: f.supervisor.id)
                let nora = try l.addOperator(login: try OperatorLogin("nora"), displayName: "Nora North", role: .cashier, pin: "2222",
                                             by: f.supervisor.id)
                let north = try l.openDrawer(operatorID: nora.id, terminal: "T2").id
                for _ in 0..<3 { _ = try Self.pay(f, "100002", 250, at: "T2", by: nora, drawer: north) }
                _ = try f.payCash("100003", cents: 400)
                #expect(try l.verify().isSound)
                try f.tamper(tampering.sql(earlyID))
                let faults = try l.verify().checks.compactMap(\.fault)
                #expect(faults.contains { $0.contains(tampering.fault) }, "\(tampering.name): \(faults)")
            }
        }
    }
}
