import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// A bank's returns as one lot: NACHA return entries with their R codes, and a CSV of checks
/// the lockbox's bank sent back; each reverses its payment like an NSF, with the reason's fee
/// and follow-ups, all or nothing, and never twice.
@Suite("Bank returns as one lot")
struct ReturnsTests {
    let autopay = AutopayTests()

    /// A return file as a bank writes one, built plainly field by field: returned debits
    /// (transaction code 26) each with its addenda 99 naming the reason and the original trace.
    static func returnFile(_ items: [(account: String, cents: Int64, code: String, trace: String)]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count) }
        func zero(_ v: Int64, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        var records = ["101 021000021123456789026112012000940101" + pad("UNION PUD", 23) + pad("FIRST UNION BANK", 23) + pad("", 8),
                       "5225" + pad("UNION PUD", 16) + pad("", 20) + "1234567890" + "PPD" + pad("RETURN", 10) + pad("", 6) + "261121" + "   " + "1"
                           + "02100002" + "0000001"]
        var hash: Int64 = 0, total: Int64 = 0
        for (index, item) in items.enumerated() {
            records.append("626" + "01100001" + "5" + pad("73915602846", 17) + zero(item.cents, 10) + pad(item.account, 15) + pad("CUSTOMER", 22)
                           + "  " + "1" + "02100002" + zero(Int64(index + 1), 7))
            records.append("799" + item.code + item.trace + "      " + "01100001" + pad("", 44) + "02100002" + zero(Int64(index + 1), 7))
            hash += 1_100_001
            total += item.cents
        }
        records.append("8225" + zero(Int64(items.count * 2), 6) + zero(hash, 10) + zero(0, 12) + zero(total, 12) + "1234567890" + pad("", 25)
                       + "02100002" + "0000001")
        let count = records.count + 1
        records.append("9" + "000001" + zero(Int64((count + 9) / 10), 6) + zero(Int64(items.count * 2), 8) + zero(hash, 10) + zero(0, 12)
                       + zero(total, 12) + pad("", 39))
        while records.count % 10 != 0 { records.append(String(repeating: "9", count: 94)) }
        return records.joined(separator: "\n") + "\n"
    }

    /// Drafted and posted: 100001 $90.00, 100002 $55.25, 100003 $210.00.
    func drafted(_ f: CounterFixture) throws -> (Actor, AutopayDraft) {
        let lead = try autopay.lead(f)
        try autopay.setACH(f)
        try autopay.enrol(f, lead)
        // The key is the ledger's own: beside the SQLite file, in the files directory for PostgreSQL.
        #expect(f.ledger.bankKeyPath.hasPrefix(f.directory.path + "/") && FileManager.default.fileExists(atPath: f.ledger.bankKeyPath))
        return (lead, try f.ledger.draftAutopay(effective: CounterFixture.today, actor: lead))
    }

    @Test(arguments: Engine.all) func eachReturnReversesItsDebitWithTheReasonsFeeAndFollowUps(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let (lead, draft) = try drafted(f)
            let traces = draft.lines.map(\.traceNumber)
            let file = Self.returnFile([("100001", 9_000, "R01", traces[0]), ("100002", 5_525, "R02", traces[1]), ("100003", 21_000, "R01", traces[2])])
            let achBefore = try achClearing(f)
            let lot = try f.ledger.importReturns(Array(file.utf8), fileName: "returns.ach", actor: lead)
            #expect(lot.posted.map(\.account) == ["100001", "100002", "100003"])
            #expect(lot.posted.map(\.fee) == [Money(cents: 2_500), .zero, Money(cents: 2_500)])
            // Charged back to what each owed, and the R01 fee added.
            #expect(try ["100001", "100002", "100003"].map { try f.balance($0) } == [Money(cents: 11_500), Money(cents: 5_525), Money(cents: 23_500)])
            // The money comes out of ACH clearing, where the debits went: re-derived from the postings.
            #expect(try achClearing(f) == achBefore - 35_525)
            // R02 (account closed) stops the autopay; one R01 is not yet cash only (returns.cash_only_after = 2).
            #expect(try f.ledger.autopayEnrollments().map(\.account) == ["100001", "100003"])
            #expect(lot.posted[1].followUp == "Automatic payment has been stopped: enrol again with an open bank account.")
            #expect(try f.ledger.account("100001")?.cashOnlyUntil == nil)
            // A letter each, saying why.
            #expect(lot.letters.count == 3)
            let letter = try String(contentsOfFile: try #require(lot.letters.first), encoding: .utf8)
            #expect(letter.contains("returned\nby your bank: insufficient funds (R01)") || letter.contains("insufficient funds (R01)"), "\(letter)")
            // The account pane and the settlement show the returns.
            #expect(try f.ledger.accountDetail("100001")?.payments.first?.tenders == "returned R01")
            let report = ReportText.settlement(try f.ledger.settlement(CounterFixture.today), width: 80).joined(separator: "\n")
            #expect(report.contains("Returned payments: 3"), "\(report)")
            #expect(report.contains("Returned ACH on #"), "\(report)")
            // The same file again: nothing posted twice.
            let count = try f.count("transactions")
            let again = try f.ledger.importReturns(Array(file.utf8), fileName: "returns.ach", actor: lead)
            #expect(again.posted.isEmpty && again.alreadyReturned.count == 3 && again.lotID == nil)
            #expect(try f.count("transactions") == count)
            let verified = try f.ledger.verify()
            #expect(verified.isSound, "\(verified.firstFault ?? "")")
            // Each figure agrees with its posting; a return's amount changed behind Till's back would
            // not (its seal names it too), and the check says so on its own.
            #expect(try f.ledger.read { db in try Ledger.othersSendFault(db) } == nil)
            // The second R01 within a year makes 100001 cash only.
            let second = try f.ledger.draftAutopay(effective: CounterFixture.today.adding(days: 1), actor: lead)
            let trace = try #require(second.lines.first { $0.account == "100001" }?.traceNumber)
            let lot2 = try f.ledger.importReturns(Array(Self.returnFile([("100001", 11_500, "R01", trace)]).utf8), fileName: "returns2.ach", actor: lead)
            #expect(lot2.posted.first?.followUp.hasPrefix("Until 2027-11-20 we accept only cash") == true, "\(lot2.report)")
            #expect(try f.ledger.account("100001")?.cashOnlyUntil == (try BusinessDate("2027-11-20")))
        }
    }

    func achClearing(_ f: CounterFixture) throws -> Int64 {
        try f.ledger.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_cents), 0) FROM postings WHERE book = 'ACH'")! }
    }

    @Test(arguments: Engine.all) func aLockboxCheckReturnedByCSVComesOutOfTheBank(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let lead = try autopay.lead(f)
            let bankBefore = try f.ledger.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_cents), 0) FROM postings WHERE book = 'BANK'")! }
            let payments = "account,amount,tender,reference\n100001,40.00,check,5001\n"
            _ = try f.ledger.importPayments(csv: Array(payments.utf8), fileName: "lockbox.csv", actor: lead)
            #expect(try f.balance("100001") == Money(cents: 5_000))
            let lot = try f.ledger.importReturns(Array("account,check_number,amount,reason\n100001,5001,40.00,nsf\n".utf8),
                                                 fileName: "returned-checks.csv", actor: lead)
            #expect(lot.posted.map(\.reasonCode) == ["NSF"] && lot.posted.first?.fee == Money(cents: 2_500))
            #expect(try f.balance("100001") == Money(cents: 11_500))
            let bank = try f.ledger.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(amount_cents) FROM postings WHERE book = 'BANK'")! }
            #expect(bank == bankBefore) // in $40.00 with the file, out $40.00 with the return
            // Returned once: the counter's NSF refuses it too.
            let receipt = try #require(lot.posted.first?.returnedReceipt)
            #expect(throws: LedgerError.self) { _ = try f.ledger.returnCheck(receipt: receipt, reason: "again", actor: lead) }
            #expect(try f.ledger.verify().isSound)
            // A return moved onto another payment behind Till's back is named.
            try f.tamper("UPDATE returned_items SET original_transaction_id = 1")
            #expect(!(try f.ledger.verify().isSound))
        }
    }

    @Test(arguments: Engine.all) func aFileWithOneBadItemPostsNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let (lead, draft) = try drafted(f)
            let traces = draft.lines.map(\.traceNumber)
            let before = try f.count("transactions")
            let cases: [(String, String)] = [
                (Self.returnFile([("100001", 9_000, "R01", traces[0]), ("100002", 9_999, "R01", traces[1])]), "not $99.99 from 100002"),
                (Self.returnFile([("100001", 9_000, "R01", traces[0]), ("100002", 5_525, "R01", "021000029999999")]), "none of our autopay debits"),
                (Self.returnFile([("100001", 9_000, "R01", traces[0]), ("100001", 9_000, "R01", traces[0])]), "returned on line 3 too"),
                (Self.returnFile([("100001", 9_000, "X01", traces[0])]), "is not an R code"),
                (String(Self.returnFile([("100001", 9_000, "R01", traces[0])]).dropLast(40)), "94 characters"),
                (Self.returnFile([("100001", 9_000, "R01", traces[0])]).replacingOccurrences(of: "CUSTOMER", with: "CUST\u{0}MER"), "byte 0x00"),
                ("account,check_number,amount,reason\n100001,777,10.00,NSF\n", "no check 777 of $10.00 was paid to 100001"),
                ("account,check_number,amount,reason\n100001,777,10.00,BOUNCED\n", "a return code such as NSF"),
            ]
            for (file, reason) in cases {
                #expect { _ = try f.ledger.importReturns(Array(file.utf8), fileName: "bad", actor: lead) } throws: {
                    "\($0)".contains(reason)
                }
            }
            #expect(try f.count("transactions") == before)
            #expect(try f.count("return_lots") == 0)
            // A cashier may not import returns.
            let file = Self.returnFile([("100001", 9_000, "R01", traces[0])])
            #expect(throws: LedgerError.self) {
                _ = try f.ledger.importReturns(Array(file.utf8), fileName: "r", actor: Actor(operatorID: f.cashier.id, terminal: "T1"))
            }
        }
    }

    @Test(arguments: Engine.all) func theBooksStayBalancedThroughHledger(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let (lead, draft) = try drafted(f)
            let traces = draft.lines.map(\.traceNumber)
            _ = try f.ledger.importReturns(Array(Self.returnFile([("100002", 5_525, "R03", traces[1])]).utf8), fileName: "r.ach", actor: lead)
            // hledger reads the day's journal, and assets:ach clearing holds what was drafted less what came back.
            let total = try SuspenseTests().hledgerBalance(f.ledger, "ACH")
            #expect(total == "$300.00", "\(total)")
        }
    }

    @Test(arguments: [Engine.sqlite]) func aTrainingCopyKeepsNoneOfItsPeopleOrBankAccounts(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let (lead, draft) = try drafted(f)
            _ = try f.ledger.importReturns(Array(Self.returnFile([("100002", 5_525, "R03", draft.lines[1].traceNumber)]).utf8), fileName: "r.ach",
                                           actor: lead)
            _ = try f.ledger.addAgency(name: "County Energy Aid", contact: "Dana Okafor (555) 300-1000", actor: lead)
            _ = try f.ledger.pledge(account: try f.account("100002"), agency: "County Energy Aid", amount: Money(cents: 1_000),
                                    caseNumber: "EA-2026-77", expires: CounterFixture.today, actor: lead)
            let destination = f.directory.appendingPathComponent("training.sqlite").path
            let copy = try Ledger.copyForTraining(from: f.ledger.path, to: destination)
            #expect(try copy.verify().isSound)
            copy.checkpoint()
            let bytes = try Data(contentsOf: URL(fileURLWithPath: destination))
            for secret in ["Dana Okafor", "EA-2026-77", "Smith, Jane"] { // trace numbers are the utility's own, not a customer's
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in the training copy")
            }
            // (100002 owes again after its return: the pledge is on it.)
            // No draft is made from a training copy: its bank accounts are gone, not merely sealed.
            #expect(try copy.autopayEnrollments().allSatisfy { $0.lastFour == "0000" })
        }
    }
}
