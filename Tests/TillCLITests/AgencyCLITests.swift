import Foundation
import Testing
import TillCore
@testable import TillLedger

/// `till agency` and `till pledges` as a CSR and a cashier use them from a shell: an agency, an
/// enrolment, pledges, the agency's one check for two accounts, and every refusal exits 1.
@Suite("till agency and till pledges")
struct AgencyCLITests {
    @Test(arguments: Engine.all) func addEnrolPledgePayListAndRefuse(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        let csr = ["--operator", "csr"] + d
        try books.ok(["agency", "add", "County Energy Aid", "--program", "LIHEAP", "--contact", "(555) 300-1000"] + csr, DayCLITests.csr)
        #expect(try books.ok(["agency", "list"] + d) == "County Energy Aid — LIHEAP  ((555) 300-1000)\n")
        let owing = try books.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND balance_cents >= 3000 ORDER BY id LIMIT 3")
        }
        try #require(owing.count == 3)
        let enrolled = try books.ok(["agency", "enroll", owing[0], "--agency", "county energy aid", "--case", "EA-1"] + csr, DayCLITests.csr)
        #expect(enrolled.contains("Enrolled in LIHEAP (County Energy Aid, case EA-1) since 2026-11-20"), "\(enrolled)")
        for (account, amount) in [(owing[0], "20.00"), (owing[1], "15.00")] {
            let pledged = try books.ok(["agency", "pledge", account, "--agency", "County Energy Aid", "--amount", amount,
                                              "--case", "EA-\(account)", "--expires", "2026-12-20"] + csr, DayCLITests.csr)
            #expect(pledged.contains("from County Energy Aid on \(account), open until 2026-12-20"), "\(pledged)")
        }
        // A line beyond its pledge, a line with none: named, nothing posted.
        let lines = ["\(owing[0])=20.00", "\(owing[1])=16.00", "\(owing[2])=5.00"]
        let cashier = ["--operator", "cashier"] + d
        try books.ok(["drawer", "open"] + cashier, DayCLITests.cashier)
        let refused = try books.till(["agency", "pay", "--agency", "County Energy Aid", "--tender", "check:8123"] + lines + cashier,
                                           environment: DayCLITests.cashier)
        #expect(refused.status == 1 && refused.stderr.contains("$1.00 more than the $15.00 pledged on \(owing[1])")
                && refused.stderr.contains("no open pledge from this agency on \(owing[2])"), "\(refused.stderr)")
        #expect(try books.ok(["pledges", "--status", "open"] + d).contains("2 pledges, $35.00 open"))
        // The agency's check for the two pledged accounts.
        let paid = try books.ok(["agency", "pay", "--agency", "County Energy Aid", "--tender", "check:8123", "--key", "agency-8123",
                                       "\(owing[0])=20.00", "\(owing[1])=10.00"] + cashier, DayCLITests.cashier)
        #expect(paid.contains("fulfils pledge case EA-\(owing[0]) ($20.00 pledged)") && paid.contains(": $30.00 from County Energy Aid"), "\(paid)")
        let again = try books.ok(["agency", "pay", "--agency", "County Energy Aid", "--tender", "check:8123", "--key", "agency-8123",
                                        "\(owing[0])=20.00", "\(owing[1])=10.00"] + cashier, DayCLITests.cashier)
        #expect(again.contains("posted before under this key: nothing posted twice"), "\(again)")
        let csv = try books.ok(["pledges", "--format", "csv"] + d).split(whereSeparator: \.isNewline).map(String.init)
        #expect(csv.first == "pledge,agency,account,name,amount,paid,open,status,pledged_on,expires_on,case")
        #expect(csv.count == 3 && csv[1].contains(",15.00,10.00,5.00,open,") && csv[2].contains(",20.00,20.00,0.00,fulfilled,"), "\(csv)")
        #expect(try books.ok(["pledges", "--status", "fulfilled"] + d).contains("1 pledge, $0.00 open"))
        // Refusals: exit 1, a reason.
        for (arguments, environment, reason) in [
            (["agency", "pledge", owing[2], "--agency", "Nobody", "--amount", "5.00", "--expires", "2026-12-01"] + csr, DayCLITests.csr, "No agency \"Nobody\""),
            (["agency", "pledge", owing[2], "--agency", "County Energy Aid", "--amount", "5.00", "--expires", "2026-12-01"] + cashier,
             DayCLITests.cashier, "needs a csr or above"),
            (["agency", "pledge", owing[2], "--agency", "County Energy Aid", "--amount", "5", "--expires", "2026-11-01"] + csr, DayCLITests.csr,
             "expires on the open day"),
            (["pledges", "--status", "late"] + d, [:], "--status is open, fulfilled or expired"),
            (["agency", "pay", "--agency", "County Energy Aid", "--tender", "check:1", "oops"] + cashier, DayCLITests.cashier, "write ACCOUNT=AMOUNT"),
        ] {
            let result = try books.till(arguments, environment: environment)
            #expect(result.status == 1 && result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
        try books.ok(["verify"] + d)
    }

    @Test(arguments: Engine.all) func enrolFromStandardInputDraftTwiceAndGetTheSameFile(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        try Self.setACH(books)
        let bad = try books.till(["settings", "ach.destination_routing", "021000022", "--operator", "super"] + d, environment: Self.supervisor)
        #expect(bad.status == 1 && bad.stderr.contains("check digit"), "\(bad.stderr)")
        let owing = try books.read { db in
            try String.fetchAll(db, sql: """
                SELECT number FROM accounts a WHERE status = 'active' AND balance_cents > 0 AND cash_only_until IS NULL
                AND EXISTS (SELECT 1 FROM open_items o WHERE o.account_id = a.id AND o.remaining_cents > 0 AND o.sort_date <= '2026-11-26')
                ORDER BY id LIMIT 2
                """)
        }
        let csr = ["--operator", "csr"] + d
        let enrolled = try books.till(["autopay", "enroll", owing[0], "--routing", "011000015", "--bank-account-stdin"] + csr,
                                            environment: DayCLITests.csr, stdin: "73915602846\n")
        #expect(enrolled.status == 0 && enrolled.stdout.contains("checking ****2846 at 011000015"), "\(enrolled.stderr)")
        try books.ok(["autopay", "enroll", owing[1], "--routing", "122105278", "--bank-account", "4400991", "--savings"] + csr, DayCLITests.csr)
        for (arguments, reason) in [
            (["autopay", "enroll", owing[0], "--routing", "011000016", "--bank-account", "12345"], "check digit does not match"),
            (["autopay", "enroll", owing[0], "--routing", "011000015", "--bank-account", "12"], "4 to 17 digits"),
            (["autopay", "enroll", owing[0], "--routing", "011000015", "--bank-account", "12345"], "already on autopay"),
            (["autopay", "enroll", owing[0], "--routing", "011000015"], "Give the bank account number once"),
        ] {
            let result = try books.till(arguments + csr, environment: DayCLITests.csr)
            #expect(result.status == 1 && result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
        #expect(try books.ok(["autopay", "list"] + d).contains("2 enrolments"))
        let lead = ["--operator", "lead"] + d
        let file = directory.appendingPathComponent("draft.ach").path
        let made = try books.ok(["autopay", "draft", "--date", "2026-11-26", "-o", file] + lead, DayCLITests.lead)
        #expect(made.contains("Autopay draft for 2026-11-26:") && made.contains("posted as e-check payments"), "\(made)")
        let first = try String(contentsOfFile: file, encoding: .utf8)
        #expect(PlainNacha(first).problems.isEmpty)
        #expect(PlainNacha(first).entries.map(\.id) == owing.sorted(), "\(first)")
        let again = try books.ok(["autopay", "draft", "--date", "2026-11-26", "-o", file] + lead, DayCLITests.lead)
        #expect(again.contains("made before: the same file again, nothing posted"), "\(again)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == first)
        try books.ok(["verify"] + d)
    }

    @Test(arguments: Engine.all) func importReturnsPostsTheLotOnceAndRefusesABadFile(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        let lead = ["--operator", "lead"] + d
        let payments = directory.appendingPathComponent("lockbox.csv")
        try "account,amount,tender,reference\n100012,62.75,check,4410\n".write(to: payments, atomically: true, encoding: .utf8)
        try books.ok(["import", "payments", payments.path] + lead, DayCLITests.lead)
        let returns = directory.appendingPathComponent("returned.csv")
        try "account,check_number,amount,reason,returned_on\n100012,4410,62.75,NSF,2026-11-19\n".write(to: returns, atomically: true, encoding: .utf8)
        let posted = try books.ok(["import", "returns", returns.path] + lead, DayCLITests.lead)
        #expect(posted.contains("1 returned, $62.75, fees $25.00") && posted.contains("Letter: letters/2026-11-20/returned-payment-100012.txt"),
                "\(posted)")
        let again = try books.ok(["import", "returns", returns.path] + lead, DayCLITests.lead)
        #expect(again.contains("RETURNS LOT (nothing new)") && again.contains("4410: returned before, skipped"), "\(again)")
        let bad = directory.appendingPathComponent("bad.csv")
        try "account,check_number,amount,reason\n100012,4411,62.75,NSF\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try books.till(["import", "returns", bad.path] + lead, environment: DayCLITests.lead)
        #expect(refused.status == 1 && refused.stderr.contains("line 2: no check 4411 of $62.75 was paid to 100012"), "\(refused.stderr)")
        let cashier = try books.till(["import", "returns", returns.path, "--operator", "cashier"] + d, environment: DayCLITests.cashier)
        #expect(cashier.status == 1 && cashier.stderr.contains("Importing a bank's returns needs a lead"), "\(cashier.stderr)")
        try books.ok(["verify"] + d)
    }

    static let supervisor = ["TILL_PIN": "9999", "TILL_TERMINAL": "OFFICE"]

    /// The bank's ACH details, set by the supervisor as an office would.
    static func setACH(_ books: CLIBooks) throws {
        let d = ["--db", books.db]
        for (key, value) in [("ach.destination_routing", "021000021"), ("ach.destination_name", "FIRST UNION BANK"), ("ach.origin", "1234567890"),
                             ("ach.origin_name", "UNION PUD"), ("ach.company_name", "UNION PUD"), ("ach.company_id", "1234567890"),
                             ("ach.odfi", "02100002")] {
            try books.ok(["settings", key, value, "--operator", "super"] + d, supervisor)
        }
    }

    /// A demo ledger with the bank's ACH details set and every open account on autopay.
    static func enrolledLedger(_ engine: Engine, accounts count: Int = 1500) throws -> (books: CLIBooks, book: Ledger) {
        let books = try CLIBooks.demo(engine, ["--accounts", "\(count)", "--today", "2026-11-20"])
        try Self.setACH(books)
        let book = try books.ledger()
        let csr = try #require(try book.operatorNamed(try OperatorLogin("csr")))
        let accounts = try book.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE status IN ('active', 'locked-off') ORDER BY id")
        }
        for (index, account) in accounts.enumerated() {
            _ = try book.enrollAutopay(account: try AccountNumber(account), routing: try RoutingNumber("011000015"),
                                       bankAccount: try BankAccountNumber(String(10_000_000 + index)), kind: .checking,
                                       actor: Actor(operatorID: csr.id, terminal: "T2"))
        }
        return (books, book)
    }

    /// Two leads make the same day's draft at the same moment: one draft, each account debited
    /// once, and both are handed the same file.
    @Test(arguments: Engine.all) func twoDraftsAtOnceDebitEachAccountOnce(_ engine: Engine) throws {
        let (books, book) = try Self.enrolledLedger(engine, accounts: 800)
        let directory = books.directory, db = books.db
        let files = ["a", "b"].map { directory.appendingPathComponent("draft-\($0).ach").path }
        let children = try files.map { file in
            try books.spawn(["autopay", "draft", "--date", "2026-11-26", "-o", file, "--operator", "lead", "--db", db],
                                  environment: DayCLITests.lead)
        }
        for child in children { #expect(TillProcess.wait(child.pid) == 0) }
        let texts = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(texts[0] == texts[1])
        let plain = PlainNacha(texts[0])
        #expect(plain.problems.isEmpty && !plain.entries.isEmpty)
        #expect(Set(plain.entries.map(\.id)).count == plain.entries.count)
        let drafted = try book.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE idempotency_key LIKE 'autopay:2026-11-26:%'")!
        }
        #expect(drafted == plain.entries.count)
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }

    /// kill -9 at random moments of a real draft, then the draft run again: every enrolled
    /// account that owed is debited exactly once, the file adds up, and the ledger is sound.
    @Test(arguments: Engine.all) func aDraftKilledAtAnyMomentIsFinishedByRunningItAgain(_ engine: Engine) throws {
        var generator = SystemRandomNumberGenerator()
        let (books, book) = try Self.enrolledLedger(engine)
        let directory = books.directory, db = books.db
        let d = ["--db", db]
        var interrupted: [Int] = []
        for (round, date) in ["2026-11-26", "2026-12-10"].enumerated() {
            let file = directory.appendingPathComponent("draft-\(date).ach").path
            let arguments = ["autopay", "draft", "--date", date, "-o", file, "--operator", "lead"] + d
            let child = try books.spawn(arguments, environment: DayCLITests.lead)
            if round == 0 {
                // Killed once the first debits have committed, whenever that is on a busy machine.
                let deadline = Date().addingTimeInterval(20)
                while Date() < deadline, try book.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM autopay_entries")! }) == 0 {
                    usleep(5_000)
                }
                usleep(UInt32.random(in: 0...30_000, using: &generator))
            } else {
                usleep(UInt32.random(in: 150_000...450_000, using: &generator))
            }
            kill(child.pid, SIGKILL)
            _ = TillProcess.wait(child.pid)
            try? FileManager.default.removeItem(at: child.directory)
            interrupted.append(try book.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM autopay_entries x JOIN autopay_drafts d ON d.id = x.draft_id WHERE d.effective_date = ?
                    """, arguments: [date])!
            })
            try books.ok(arguments, DayCLITests.lead)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let plain = PlainNacha(text)
            #expect(plain.problems.isEmpty, "\(date): \(plain.problems)")
            // Each account once, and each entry is a payment of its amount under its own key.
            #expect(Set(plain.entries.map(\.id)).count == plain.entries.count, "\(date)")
            let posted = try book.read { db in
                try SQLRow.fetchOne(db, sql: """
                    SELECT COUNT(*), COALESCE(SUM(t.amount), 0) FROM (
                      SELECT -SUM(p.amount_cents) AS amount FROM transactions x JOIN postings p ON p.transaction_id = x.id AND p.book = 'AR'
                      WHERE x.idempotency_key LIKE ? GROUP BY x.id) t
                    """, arguments: ["autopay:\(date):%"])!
            }
            #expect(posted[0] as Int == plain.entries.count && posted[1] as Int64 == plain.entries.reduce(0) { $0 + $1.cents }, "\(date)")
        }
        // What the kills caught: entries already posted when each run was killed (from none to all).
        print("draft kill test: entries posted at the kill \(interrupted)")
        try books.ok(["verify"] + d)
    }
}
