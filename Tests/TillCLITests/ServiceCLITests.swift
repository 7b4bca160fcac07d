import Foundation
import Testing
import TillCore
@testable import TillLedger

/// The account-service commands, as a script or the back office would run them.
@Suite("till account, import payments, fees, delinquency, letters", .serialized)
struct ServiceCLITests {
    static let csr = ["TILL_PIN": "2222", "TILL_TERMINAL": "T2"]
    static let lead = ["TILL_PIN": "3333", "TILL_TERMINAL": "OFFICE"]
    static let csrWithLead = ["TILL_PIN": "2222", "TILL_APPROVER_PIN": "3333", "TILL_TERMINAL": "T2"]

    @Test(arguments: Engine.all) func theBackOfficeDayFromTheCommandLine(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "400", "--today", "2026-11-20"]), directory = books.directory, db = books.db
        let d = ["--db", db]

        // A payment file: all or nothing, then once only.
        let file = directory.appendingPathComponent("portal.csv").path
        try "account,amount,tender,reference,date\n100010,25.00,ach,W-1,2026-11-19\n100011,10.00,card,W-2,2026-11-19\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let byCSR = try books.till(["import", "payments", file, "--operator", "csr"] + d, environment: Self.csr)
        #expect(byCSR.status == 1 && byCSR.stderr.contains("needs a lead"))
        let first = try books.ok(["import", "payments", file, "--operator", "lead"] + d, Self.lead)
        #expect(first.contains("2 posted, $35.00; 0 already posted, skipped"), "\(first)")
        #expect(!first.contains("W-1"), "one line per payment only with --verbose")
        let second = try books.ok(["import", "payments", file, "--operator", "lead", "--verbose"] + d, Self.lead)
        #expect(second.contains("0 posted, 2 already posted") && second.contains("reference W-1: posted before, skipped"), "\(second)")
        let bad = directory.appendingPathComponent("bad.csv").path
        try "account,amount,tender,reference\n100010,x,ach,W-9\n100011,1.00,bitcoin,W-10\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try books.till(["import", "payments", bad, "--operator", "lead"] + d, environment: Self.lead)
        #expect(refused.status == 1 && refused.stderr.contains("line 2") && refused.stderr.contains("line 3") && refused.stderr.contains("nothing was imported"))

        // The late-fee run adds nothing the second time.
        let run1 = try books.ok(["fees", "assess", "--operator", "lead"] + d, Self.lead)
        let charged = try #require(run1.firstMatch(of: /(\d+) late fees? charged/)).1
        // The demo's bills whose late fee the billing system already charged are not charged again.
        let carried = try #require(run1.firstMatch(of: /(\d+) bills? already charged/)).1
        #expect(Int(charged)! > 0 && Int(carried)! > 0, "\(run1)")
        let run2 = try books.ok(["fees", "assess", "--operator", "lead"] + d, Self.lead)
        #expect(run2.contains("0 late fees charged") && run2.contains("\(Int(charged)! + Int(carried)!) bill"), "\(run2)")

        // The past-due list as CSV, 90 days and over; the shut-off candidates; the letters.
        let csv = try books.ok(["delinquency", "--min-days", "90", "--format", "csv"] + d)
        #expect(csv.hasPrefix("account,name,status,days_past_due,bucket"))
        let rows = csv.split(whereSeparator: \.isNewline).dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(",90,") })
        let shutoff = try books.ok(["delinquency", "--shutoff"] + d)
        #expect(shutoff.contains("SHUT-OFF CANDIDATES AS OF 2026-11-20"))
        let letters = try books.ok(["letters", "past-due"] + d)
        #expect(letters.contains("letters written") && letters.contains("/letters/2026-11-20/past-due-"), "\(letters)")

        // A CSR's late-fee reversal beyond the limit, approved by a lead; the override report names both.
        let account = try #require(try books.read { db in
            try String.fetchOne(db, sql: """
                SELECT a.number FROM accounts a JOIN postings p ON p.account_id = a.id AND p.book = 'AR' AND p.amount_cents > 0
                JOIN postings q ON q.transaction_id = p.transaction_id AND q.book = 'REV_LATE_FEE' ORDER BY a.id LIMIT 1
                """)
        })
        try books.ok(["settings", "authority.csr.late_fee_reversal_cents", "0", "--operator", "super"] + d, ["TILL_PIN": "9999"])
        let alone = try books.till(["account", "waive-late-fee", account, "--reason", "goodwill", "--operator", "csr"] + d,
                                         environment: Self.csr)
        #expect(alone.status == 1 && alone.stderr.contains("over the csr limit"))
        try books.ok(["account", "waive-late-fee", account, "--reason", "goodwill", "--operator", "csr", "--approver", "lead"] + d,
                           Self.csrWithLead)
        let overrides = try books.ok(["report", "overrides"] + d)
        #expect(overrides.contains("late-fee-reversal  csr approved by lead at T2"))
        // Work orders from the command line.
        let id = try books.ok(["requests", "new", account, "--type", "reread", "--notes", "reads high", "--operator", "csr"] + d, Self.csr)
            .trimmingCharacters(in: .newlines)
        try books.ok(["requests", "update", id, "--status", "done", "--note", "re-read 4411", "--operator", "csr"] + d, Self.csr)
        #expect(try books.ok(["requests", "--status", "done", "--history"] + d).contains("re-read 4411"))
        // A write-off by a lead needs the supervisor; then hledger reads the whole journal,
        // bad debt, late fees, fee reversals and all, and finds it balanced.
        let owing = try #require(try books.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE balance_cents > 0 AND status = 'active' ORDER BY id DESC LIMIT 1")
        })
        let leadAlone = try books.till(["account", "write-off", owing, "--reason", "bankruptcy 26-1", "--operator", "lead"] + d,
                                             environment: Self.lead)
        #expect(leadAlone.status == 1 && leadAlone.stderr.contains("needs a supervisor"))
        try books.ok(["account", "write-off", owing, "--collections", "--reason", "bankruptcy 26-1", "--operator", "lead",
                            "--approver", "super"] + d, ["TILL_PIN": "3333", "TILL_APPROVER_PIN": "9999"])
        let hledger = try #require(TillProcess.which("hledger"), "hledger is not installed: scripts/test installs it")
        let journal = directory.appendingPathComponent("all.journal").path
        try books.ok(["export", "journal", "--format", "hledger", "-o", journal] + d)
        let balance = try TillProcess.run(hledger, ["-f", journal, "balance", "--flat", "--output-format=csv"])
        #expect(balance.status == 0, "\(balance.stderr)")
        #expect(balance.stdout.contains("expenses:bad debt") && balance.stdout.contains("revenues:late fees"))
        #expect(balance.stdout.split(whereSeparator: \.isNewline).last?.contains("\"total\",\"0\"") == true, "\(balance.stdout)")
        let verify = try books.ok(["verify"] + d)
        #expect(verify.contains("ledger is sound"))
    }
}
