import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Money without a home: taken into suspense at the counter and from payment files, counted like
/// any money taken, and moved out only by an apply (to one account or split) or a refund.
@Suite("Suspense and clarification")
struct SuspenseTests {
    func boss(_ f: CounterFixture) -> Actor { Actor(operatorID: f.supervisor.id, terminal: "T9") }

    /// What SUSPENSE holds, summed plainly from the postings.
    func suspenseBook(_ f: CounterFixture) throws -> Int64 {
        try f.ledger.read { db in try Int64.fetchOne(db, sql: "SELECT -COALESCE(SUM(amount_cents), 0) FROM postings WHERE book = 'SUSPENSE'")! }
    }

    /// What hledger makes of one account in the day's exported journal.
    func hledgerBalance(_ ledger: Ledger, _ account: String) throws -> String {
        let hledger = try #require(["/usr/bin/hledger", "/usr/local/bin/hledger"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "hledger is not installed: scripts/test installs it")
        var journal = ""
        _ = try ledger.exportJournal(from: CounterFixture.today, to: CounterFixture.today) { journal += $0 }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("till-suspense-\(UUID().uuidString).journal")
        try journal.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hledger)
        process.arguments = ["-f", file.path, "balance", account, "--flat", "--empty", "--output-format=csv"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The last line is the total: "total","0".
        return text.split(whereSeparator: \.isNewline).last.map { $0.split(separator: ",").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "" } ?? ""
    }

    func walkIn(_ f: CounterFixture, cents: Int64, payer: String = "Dana Walker") throws -> PostedTransaction {
        try f.ledger.post(Payment(lines: [.suspense(Money(cents: cents))], tenders: [.cash(Money(cents: cents))]),
                          operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer,
                          suspense: SuspenseDetails(reason: "walk-in: account not known", payer: payer, address: "9 Elm St", phone: "(555) 201-0099"))
    }

    @Test(arguments: Engine.all) func aWalkInsCashIsHeldCountedAndAppliedLater(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let posted = try walkIn(f, cents: 5_000)
            // The customer's receipt says where the money is, and adds up to what was handed over.
            let number = try #require(posted.receipt)
            let receipt = try #require(try f.ledger.receipt(number))
            #expect(receipt.lines.map(\.title) == ["Held in suspense (no account)"] && receipt.total == Money(cents: 5_000))
            // Money received: in the drawer's cash, the tender report and the day's distribution.
            #expect(try f.ledger.read { db in try Ledger.cashInDrawer(session: f.drawer, db) } == Money(cents: 20_000 + 5_000)) // the float and the walk-in
            let s = try f.ledger.settlement(CounterFixture.today)
            #expect(s.tenders.first { $0.kind == .cash }?.amount == Money(cents: 5_000))
            #expect(s.revenue.first { $0.head == .suspense }?.amount == Money(cents: 5_000))
            #expect(s.revenueTotal == s.tenderTotal)
            #expect(s.suspenseOpen.map(\.id) == [1] && s.suspenseOpenTotal == Money(cents: 5_000))

            let item = try #require(try f.ledger.suspenseItems().first)
            #expect(item.details.payer == "Dana Walker" && item.details.phone == "(555) 201-0099" && item.status == .open)
            #expect(item.tender == "cash" && item.receipt == posted.receipt)
            #expect(try suspenseBook(f) == 5_000)

            // 100001 owes $90.00 over two bills: the item pays its oldest charges, like a payment.
            let applied = try f.ledger.applySuspense(item: item.id, to: [(try f.account("100001"), Money(cents: 3_000))],
                                                     reason: "customer called with the account", actor: boss(f))
            #expect(applied.summary.contains("$30.00 of suspense item #1 applied to 100001 $30.00") && applied.summary.contains("$20.00 still in suspense"))
            #expect(try f.balance("100001") == Money(dollars: 60))
            #expect(try f.ledger.suspenseItem(item.id).open == Money(cents: 2_000))
            #expect(try suspenseBook(f) == 2_000)
            #expect(try hledgerBalance(f.ledger, "liabilities:suspense").contains("20.00"))
            let allocated = try f.ledger.read { db in
                try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM allocations WHERE transaction_id = ?", arguments: [applied.transaction!.id])
            }
            #expect(allocated == 3_000)
            // The rest to another account; then nothing is left and the book is back to zero.
            _ = try f.ledger.applySuspense(item: item.id, to: [(try f.account("100002"), nil)], reason: "the rest for the tenant", actor: boss(f))
            #expect(try f.ledger.suspenseItem(item.id).status == .applied)
            #expect(try f.ledger.suspenseItems().isEmpty)
            #expect(try f.ledger.suspenseItems(openOnly: false).count == 1)
            #expect(try suspenseBook(f) == 0)
            #expect(throws: LedgerError(.invalid, "Suspense item #1 is applied: nothing is left in it")) {
                try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil)], reason: "again", actor: boss(f))
            }
            // The day's distribution still says the money came in to suspense; the applies are corrections.
            let after = try f.ledger.settlement(CounterFixture.today)
            #expect(after.revenue.first { $0.head == .suspense }?.amount == Money(cents: 5_000))
            #expect(after.corrections.filter { $0.kind == .transfer }.count == 2)
            #expect(try f.ledger.verify().isSound)
            // hledger reads the day's journal and agrees: liabilities:suspense is back to zero.
            #expect(try hledgerBalance(f.ledger, "liabilities:suspense") == "0")
        }
    }

    @Test(arguments: Engine.all) func aSplitMustAddUpAndBadRequestsChangeNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try walkIn(f, cents: 10_000)
            let before = try f.count("transactions")
            let refusals: [(() throws -> Void, String)] = [
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), Money(cents: 6_000)), (try f.account("100002"), Money(cents: 5_000))],
                                                  reason: "split", actor: self.boss(f)) },
                 "Suspense item #1 has $100.00 left; the amounts add up to $110.00"),
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("999999"), nil)], reason: "x", actor: self.boss(f)) }, "No account 999999"),
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil), (try f.account("100001"), nil)], reason: "x", actor: self.boss(f)) },
                 "Name each account once"),
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil), (try f.account("100002"), nil)], reason: "x", actor: self.boss(f)) },
                 "Give each account its amount (one of them may take what is left)"),
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), Money(cents: 0))], reason: "x", actor: self.boss(f)) },
                 "Each amount must be more than $0.00"),
                ({ _ = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil)], reason: "  ", actor: self.boss(f)) },
                 "Give a reason: it goes on the audit trail"),
                ({ _ = try f.ledger.applySuspense(item: 7, to: [(try f.account("100001"), nil)], reason: "x", actor: self.boss(f)) },
                 "No suspense item #7: `till suspense list` shows them"),
                ({ _ = try f.ledger.refundSuspense(item: 1, amount: Money(cents: 10_001), payee: nil, address: nil, reason: "x", actor: self.boss(f)) },
                 "Suspense item #1 has $100.00 to refund"),
            ]
            for (attempt, message) in refusals {
                do { try attempt(); Issue.record("no refusal: \(message)") } catch let error as LedgerError { #expect(error.message == message) }
            }
            // A cashier may not apply on their own (a CSR's action by default); a lead approves.
            #expect(throws: LedgerError.self) {
                try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil)], reason: "x", actor: Actor(operatorID: f.cashier.id, terminal: "T1"))
            }
            #expect(try f.count("transactions") == before)
            #expect(try suspenseBook(f) == 10_000)

            let split = try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), Money(cents: 6_000)), (try f.account("100002"), nil)],
                                                   reason: "one check for two accounts", actor: boss(f))
            #expect(split.summary.hasPrefix("$100.00 of suspense item #1 applied to 100001 $60.00, 100002 $40.00"))
            #expect(try f.balance("100001") == Money(dollars: 30))
            #expect(try f.balance("100002") == Money(cents: 5_525 - 4_000))
            #expect(try suspenseBook(f) == 0)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aRefundNeedsAPayeeAndWritesTheRequest(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try f.ledger.post(Payment(lines: [.suspense(Money(cents: 2_500))], tenders: [.card(Money(cents: 2_500), lastFour: "4242", authorization: "A1", brand: "VISA")]),
                                  operatorID: f.cashier.id, terminal: "T1", suspense: SuspenseDetails(reason: "phone payment, no account"))
            #expect(throws: LedgerError(.invalid, "Suspense item #1 names no payer: give the payee and address the refund is mailed to")) {
                try f.ledger.refundSuspense(item: 1, amount: nil, payee: nil, address: nil, reason: "no such customer", actor: boss(f))
            }
            let refund = try f.ledger.refundSuspense(item: 1, amount: nil, payee: "R. Caller", address: "5 Birch Rd, Union", reason: "no such customer",
                                                     actor: boss(f))
            let file = try #require(refund.files.first)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("Source:   payment in suspense, item #1 (receipt #1)") && text.contains("Pay to:   R. Caller")
                    && text.contains("Amount:   $25.00"))
            #expect(try f.ledger.suspenseItem(1).status == .refunded)
            #expect(try suspenseBook(f) == 0)
            let payable = try f.ledger.read { db in
                try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM postings WHERE book = 'REFUNDS_PAYABLE'")
            }
            #expect(payable == -2_500)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aVoidedItemHasNothingLeftAndAnAppliedOneIsNoLongerVoided(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let first = try walkIn(f, cents: 1_000)
            _ = try f.ledger.void(receipt: first.receipt!, reason: "found the account", operatorID: f.cashier.id, terminal: "T1")
            #expect(try f.ledger.suspenseItem(1).status == .voided)
            #expect(try f.ledger.suspenseItems().isEmpty)
            #expect(try suspenseBook(f) == 0)
            #expect(throws: LedgerError(.invalid, "Suspense item #1 was voided or reversed: nothing is left in it")) {
                try f.ledger.applySuspense(item: 1, to: [(try f.account("100001"), nil)], reason: "x", actor: boss(f))
            }
            let second = try walkIn(f, cents: 2_000)
            _ = try f.ledger.applySuspense(item: 2, to: [(try f.account("100001"), Money(cents: 500))], reason: "part", actor: boss(f))
            #expect(throws: LedgerError.self) {
                try f.ledger.void(receipt: second.receipt!, reason: "oops", operatorID: f.supervisor.id, terminal: "T1")
            }
            #expect(try suspenseBook(f) == 1_500)
            // The applied part moves to another account by an ordinary transfer of the receipt.
            _ = try f.ledger.transfer(receipt: second.receipt!, from: try f.account("100001"), to: try f.account("100002"), amount: nil,
                                      reason: "wrong account", actor: boss(f))
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func hostileTextIsRefusedAndNothingIsWritten(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let before = try f.count("transactions")
            for (payer, message) in [("Dana\u{1B}[2J", "U+001B"), ("Eve \u{202E}kcab", "U+202E"), (String(repeating: "x", count: 101), "over 100 characters")] {
                do {
                    _ = try walkIn(f, cents: 100, payer: payer)
                    Issue.record("accepted \(payer.debugDescription)")
                } catch let error as LedgerError { #expect(error.message.contains(message), "\(error.message)") }
            }
            do {
                _ = try walkIn(f, cents: 100, payer: "4111 1111 1111 1111")
                Issue.record("kept a card number")
            } catch let error as LedgerError { #expect(error.code == .cardNumber) }
            #expect(try f.count("transactions") == before)
            #expect(try f.count("suspense_items") == 0)
        }
    }

    @Test(arguments: Engine.all) func aPaymentFilesUnknownAndClosedAccountsGoToSuspense(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.ledger.writeImmediate { db in try db.execute(sql: "UPDATE accounts SET status = 'closed' WHERE number = '100002'") }
            let file = "account,amount,tender,reference,payer,address\n100001,10.00,ach,S1,,\n999999,12.34,ach,S2,\"Ng, Kim\",3 Fir Ln\n"
                + "100002,5.00,lockbox,S3,,\n"
            let result = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "lockbox.csv", actor: boss(f))
            #expect(result.posted.count == 3 && result.toSuspense.map(\.line) == [3, 4])
            #expect(result.summary.contains("2 of them to suspense, $17.34: no account matched (till suspense list)"))
            #expect(result.report.contains { $0.contains("to suspense item #") && $0.contains("No account 999999") })
            let items = try f.ledger.suspenseItems()
            #expect(items.map(\.details.accountGiven) == ["999999", "100002"])
            #expect(items[0].details.payer == "Ng, Kim" && items[0].details.address == "3 Fir Ln" && items[0].details.reference == "S2")
            #expect(items[0].details.sourceLine == "lockbox.csv line 3: 999999,12.34,ach,S2,\"Ng, Kim\",3 Fir Ln")
            #expect(items[1].details.reason == "Account 100002 is closed" && items[1].details.checkNumber == "S3" && items[1].tender == "check (lockbox)")
            // The same file again posts nothing twice.
            let again = try f.ledger.importPayments(csv: Array(file.utf8), fileName: "lockbox.csv", actor: boss(f))
            #expect(again.posted.isEmpty && again.alreadyPosted.count == 3)
            // A reference posted to suspense with another amount is a conflict, not a skip.
            let changed = "account,amount,tender,reference\n999999,99.00,ach,S2\n"
            #expect(throws: ImportError.self) { try f.ledger.importPayments(csv: Array(changed.utf8), fileName: "c.csv", actor: boss(f)) }
            let s = try f.ledger.settlement(CounterFixture.today)
            #expect(s.revenue.first { $0.head == .suspense }?.amount == Money(cents: 1_734) && s.revenueTotal == s.tenderTotal)
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func aMailCheckWithoutAStubGoesToSuspenseInItsBatch(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lines = [BatchLine(account: try f.account("100001"), amount: Money(cents: 2_000), reference: "3001"),
                         BatchLine(account: try f.account("suspense"), amount: Money(cents: 1_500), reference: "3002")]
            #expect(try f.ledger.checkBatchLine(lines[1]).name == "(no account: held in suspense)")
            let result = try f.ledger.postBatch(kind: .mail, controlTotal: Money(cents: 3_500), lines: lines,
                                                actor: Actor(operatorID: f.cashier.id, terminal: "T1"), drawerSession: f.drawer)
            #expect(result.posted.count == 2)
            let item = try #require(try f.ledger.suspenseItems().first)
            #expect(item.amount == Money(cents: 1_500) && item.details.checkNumber == "3002" && item.tender == "check")
            #expect(item.details.reason == "mail batch #1 line 2: no stub, no account")
            // The check is in the drawer like the others, for the deposit.
            #expect(try f.ledger.expectation(session: f.drawer).checks.map(\.number) == ["3001", "3002"])
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test(arguments: Engine.all) func theCloserIsWarnedOfOldItems(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try walkIn(f, cents: 700)
            var s = try f.ledger.settlement(CounterFixture.today)
            #expect(s.suspenseOverdue.isEmpty)
            #expect(s.suspenseOpen.first?.age(on: CounterFixture.today.adding(days: 12)) == 12)
            // Read twelve days on, the item is past the default ten days: the report names it.
            s = try f.ledger.settlement(CounterFixture.today.adding(days: 12))
            #expect(s.suspenseOverdue.map(\.id) == [1])
            let text = ReportText.settlement(s)
            #expect(text.contains { $0.hasPrefix("In suspense now (1)") && $0.hasSuffix("$7.00") })
            #expect(text.contains { $0.hasPrefix("  #1 2026-11-20 12d Dana Walker") })
            #expect(ReportText.suspenseWarning(s) == "WARNING: 1 suspense item older than 10 days (#1): find the customers, or refund them (till suspense)")
            #expect(text.contains { $0.hasPrefix("WARNING: 1 suspense item") })
            try f.ledger.setSetting(.suspenseWarnDays, "0", by: f.supervisor.id)
            // Warned only past the setting's days: an item of today is 0 days old.
            #expect(try f.ledger.settlement(CounterFixture.today).suspenseOverdue.isEmpty)
            #expect(try f.ledger.suspenseWarnDays() == 0)
        }
    }

    @Test(arguments: Engine.all) func verifyNamesASuspenseRowChangedOutsideTill(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try walkIn(f, cents: 700)
            #expect(try f.ledger.verify().isSound)
            try f.tamper("UPDATE suspense_items SET payer = 'Someone Else'")
            let report = try f.ledger.verify()
            #expect(!report.isSound && (report.firstFault ?? "").contains("suspense_items"), "\(report.firstFault ?? "")")
            // An item's amount changed behind Till's back no longer matches its payment's posting.
            try f.tamper("UPDATE suspense_items SET amount_cents = 70")
            let fault = try f.ledger.read { db in try Ledger.suspenseAndDropFault(db) }
            #expect(fault == "suspense item #1 is not what its payment credited to suspense")
            #expect(try f.ledger.verify().checks.contains { $0.fault == fault })
        }
    }
}
