import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

@Suite("The till command line", .serialized)
struct CLITests {
    @Test(arguments: Engine.all) func demoThenVerifyThenSummary(_ engine: Engine) throws {
        let (books, owner) = try CLIBooks.empty(engine)
        let db = books.db
        let demo = try books.till(["demo", "--db", owner, "--accounts", "120", "--today", "2026-11-20"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("business day 2026-11-20 is open"))
        #expect(demo.stdout.contains("cashier   1111  cashier"))
        #expect(demo.stdout.contains("super     9999  supervisor"))

        let verify = try books.till(["verify", "--db", db])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasSuffix("ledger is sound\n"))

        let summary = try books.till(["summary", "--db", db])
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("business day   2026-11-20 (open)"))
        #expect(summary.stdout.contains("accounts       120"))

        let again = try books.till(["demo", "--db", owner])
        #expect(again.status == 1)
        #expect(again.stderr.contains(engine == .sqlite ? "A ledger already exists at \(db)" : "never overwrites one"), "\(again.stderr)")
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }

    /// A card number in any argument or option refuses the whole command before anything is
    /// opened, and is never repeated back; the ledger, its log and the files beside it hold none.
    @Test(arguments: Engine.all) func aCardNumberInAnyArgumentRefusesTheCommand(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "30", "--today", "2026-11-20"])
        let directory = books.directory, db = books.db
        let account = try #require(try books.read { db in
            try String.fetchOne(db, sql: "SELECT number FROM accounts WHERE status = 'active' AND cash_only_until IS NULL ORDER BY id LIMIT 1")
        })
        let pin = ["TILL_PIN": "1111"]
        let attempts: [[String]] = [
            ["pay", account, "5.00", "--tender", "cash", "--operator", "cashier", "--key", "4111 1111 1111 1111"],
            ["pay", account, "5.00", "--tender", "card:1111:4111111111111111", "--operator", "cashier"],
            ["pay", "4111-1111-1111-1111", "5.00", "--tender", "cash", "--operator", "cashier"],
            ["account", "contact", account, "--field", "phone", "--value", "5500 0000 0000 0004", "--operator", "cashier"],
            ["requests", "new", account, "--type", "leak", "--notes", "card 378282246310005", "--operator", "cashier"],
            ["receipt", "4111111111111111"],
        ]
        for arguments in attempts {
            let run = try books.till(arguments + ["--db", db], environment: pin)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.hasPrefix("till: argument ") && run.stderr.contains("looks like a full card number"), "\(run.stderr)")
            let said = (run.stdout + run.stderr).filter(\.isNumber)
            #expect(!said.contains("4111111111111111") && !said.contains("5500000000000004") && !said.contains("378282246310005"))
        }
        let file = directory.appendingPathComponent("payments.csv")
        try "account,amount,tender,reference\n\(account),5.00,ach,WEB 4111 1111 1111 1111\n".write(to: file, atomically: true, encoding: .utf8)
        let imported = try books.till(["import", "payments", file.path, "--operator", "cashier", "--db", db], environment: pin)
        #expect(imported.status == 1 && imported.stderr.contains("line 2") && imported.stderr.contains("full card number"), "\(imported.stderr)")
        #expect(!imported.stderr.filter(\.isNumber).contains("4111111111111111"))
        let verify = try books.till(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)")
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory.path) where name != "payments.csv" {
            guard let bytes = FileManager.default.contents(atPath: directory.path + "/" + name) else { continue }
            let compact = String(decoding: bytes.filter { ![0x20, 0x2D].contains($0) }, as: UTF8.self)
            #expect(!compact.contains("4111111111111111") && !compact.contains("5500000000000004"), "\(name)")
        }
    }

    /// Only `till init` and `till demo` make a ledger: an empty file, another program's SQLite
    /// database, garbage or a server's connection string is refused and left as it was.
    @Test func aFileThatIsNotATillLedgerIsRefusedAndLeftAsItWas() throws {
        let directory = try TillProcess.temporaryDirectory()
        let empty = directory.appendingPathComponent("empty.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: nil, attributes: [.posixPermissions: 0o600]))
        for command in [["summary"], ["verify"], ["day", "status"]] {
            let run = try TillProcess.till(command + ["--db", empty])
            #expect(run.status == 1 && run.stderr.contains("is an empty file, not a Till ledger: nothing was changed"), "\(run.stderr)")
        }
        #expect((try FileManager.default.attributesOfItem(atPath: empty)[.size] as? NSNumber)?.intValue == 0)

        let other = directory.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE recipes(name TEXT)") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: other)
        let foreign = try TillProcess.till(["summary", "--db", other])
        #expect(foreign.status == 1 && foreign.stderr.contains("is a SQLite database but not a Till ledger"), "\(foreign.stderr)")
        #expect(try DatabaseQueue(path: other).read { db in try db.tableExists("grdb_migrations") } == false)

        let garbage = directory.appendingPathComponent("garbage.sqlite").path
        #expect(FileManager.default.createFile(atPath: garbage, contents: Data((0..<4096).map { UInt8($0 % 251) }),
                                                attributes: [.posixPermissions: 0o600]))
        let junk = try TillProcess.till(["summary", "--db", garbage])
        #expect(junk.status == 1 && junk.stderr.contains("not a readable Till ledger"), "\(junk.stderr)")

        // A PostgreSQL URI goes to the server (none answers at these), any other scheme is refused;
        // neither becomes a file.
        for uri in ["postgresql://till@/books?host=/nonexistent-socket-dir&connect_timeout=2", "postgres://localhost:1/till?connect_timeout=2"] {
            let run = try TillProcess.till(["summary", "--db", uri])
            #expect(run.status == 1 && run.stderr.contains("No PostgreSQL server answers"), "\(run.stderr)")
        }
        let otherScheme = try TillProcess.till(["summary", "--db", "sqlite://x"])
        #expect(otherScheme.status == 1 && otherScheme.stderr.contains("connection string"), "\(otherScheme.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "postgresql:") && !FileManager.default.fileExists(atPath: "sqlite:"))
        // An empty file is where `till init` may start.
        let started = try TillProcess.till(["init", "--db", empty, "--supervisor", "boss", "--name", "Pat Boss"],
                                           environment: ["TILL_PIN": "9876"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(try TillProcess.till(["verify", "--db", empty]).status == 0)
    }

    @Test func theCounterScreenNeedsATerminal() throws {
        let db = try TillProcess.temporaryDirectory().appendingPathComponent("tty.sqlite").path
        #expect(try TillProcess.till(["demo", "--db", db, "--accounts", "20"]).status == 0)
        let ui = try TillProcess.till(["--db", db])
        #expect(ui.status == 1)
        #expect(ui.stderr == "till: The counter screen needs a terminal; `till summary` prints the ledger's summary\n")
    }

    @Test func theDatabaseComesFromTheEnvironmentToo() throws {
        let db = try TillProcess.temporaryDirectory().appendingPathComponent("env.sqlite").path
        #expect(try TillProcess.till(["demo", "--accounts", "20"], environment: ["TILL_DB": db]).status == 0)
        #expect(try TillProcess.till(["verify"], environment: ["TILL_DB": db]).status == 0)
        let missing = try TillProcess.till(["verify", "--db", db + ".nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No ledger at \(db).nope: run `till init` or `till demo` first"))
    }

    /// A new utility's books from nothing: on SQLite a new file; on PostgreSQL `till init` run
    /// again by the DBA with the first supervisor (roles set again, the ledger seeded).
    @Test(arguments: Engine.all) func initImportAndOperatorPINs(_ engine: Engine) throws {
        let (books, _) = try CLIBooks.empty(engine)
        let directory = books.directory, db = books.db
        let roles = engine == .postgres ? ["--owner-role", books.ownerRole!, "--terminal-role", books.terminalRole!] : []
        let created = try books.till(["init", "--db", books.superuser, "--supervisor", "boss", "--pin-stdin"] + roles, stdin: "4321\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("with supervisor boss"), "\(created.stdout)")
        let pepper = engine == .sqlite ? db + ".pepper" : directory.appendingPathComponent("till.pepper").path
        for file in engine == .sqlite ? [db, pepper] : [pepper] {
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600, "\(file)")
        }
        // Once there is a supervisor, init makes no other.
        let twice = try books.till(["init", "--db", books.superuser, "--supervisor", "boss2", "--pin-stdin"] + roles, stdin: "4321\n")
        #expect(twice.status == 1, "\(twice.stdout)")
        #expect(try books.count("SELECT COUNT(*) FROM operators") == 1)

        let accounts = directory.appendingPathComponent("accounts.csv")
        try "account_number,customer_name,service_address\n100001,Jane Smith,12 Oak St\n100002,Zoë Brontë,3 Elm St\n"
            .write(to: accounts, atomically: true, encoding: .utf8)
        let charges = directory.appendingPathComponent("charges.csv")
        try "account_number,bill_date,due_date,revenue_code,amount\n100001,2026-10-05,2026-10-26,water,42.10\n"
            .write(to: charges, atomically: true, encoding: .utf8)

        let wrong = try books.till(["import", "accounts", "--db", db, "--operator", "boss", accounts.path],
                                         environment: ["TILL_PIN": "0000"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("Wrong PIN for boss"))

        // The PIN comes from standard input when TILL_PIN is unset.
        let imported = try books.till(["import", "accounts", "--db", db, "--operator", "boss", accounts.path], stdin: "4321\n")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout == "Imported 2 accounts from \(accounts.path).\n")
        // Charges post into the open business day.
        let unopened = try books.till(["import", "charges", "--db", db, "--operator", "boss", charges.path],
                                            environment: ["TILL_PIN": "4321"])
        #expect(unopened.status == 1 && unopened.stderr.contains("No business day is open"))
        #expect(try books.till(["day", "open", "--db", db, "--operator", "boss"],
                                     environment: ["TILL_PIN": "4321"]).status == 0)
        let billed = try books.till(["import", "charges", "--db", db, "--operator", "boss", charges.path],
                                          environment: ["TILL_PIN": "4321"])
        #expect(billed.status == 0, "\(billed.stderr)")

        let bad = directory.appendingPathComponent("bad.csv")
        try "account_number,bill_date,due_date,revenue_code,amount\n100001,2026-11-05,2026-11-26,water,1.001\n100009,2026-11-05,2026-11-26,water,5\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let refused = try books.till(["import", "charges", "--db", db, "--operator", "boss", bad.path],
                                           environment: ["TILL_PIN": "4321"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("1 bad line; nothing was imported"))
        #expect(refused.stderr.contains("line 2: amount: Amount has more than two decimal places"))

        // A PIN is never an argument.
        let pinArgument = try books.till(["import", "charges", "--db", db, "--operator", "boss", "--pin", "4321", charges.path])
        #expect(pinArgument.status != 0)
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }

    @Test(arguments: Engine.all) func verifyFailsNamingTheFirstFault(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "30", "--today", "2026-11-20"])
        let target = try books.read { db in
            try Int64.fetchOne(db, sql: "SELECT transaction_id FROM postings WHERE book = 'CASH' ORDER BY id LIMIT 1")!
        }
        try books.tamper("UPDATE postings SET amount_cents = amount_cents + 1 WHERE transaction_id = \(target) AND book = 'CASH'")
        let verify = try books.till(["verify", "--db", books.db])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("ledger is NOT sound: transaction #\(target) (payment, receipt"))
        #expect(verify.stderr.contains("does not balance: debits and credits differ by $0.01"))
    }

    @Test(arguments: Engine.all) func postingExportWritesTheDayToAFile(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "200", "--today", "2026-11-20"])
        let directory = books.directory, db = books.db
        let file = directory.appendingPathComponent("postings.csv").path
        let export = try books.till(["export", "postings", "--db", db, "--date", "2026-11-19", "--output", file])
        #expect(export.status == 0, "\(export.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lines = text.split(separator: "\r\n")
        #expect(lines.first == "business_date,transaction_id,receipt_number,kind,account_number,book,amount,tenders,corrects_receipt,operator,terminal,posted_at,memo,office,office_receipt")
        #expect(lines.count > 1)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("2026-11-19,") })
        let badDate = try books.till(["export", "postings", "--db", db, "--date", "19/11/2026"])
        #expect(badDate.status == 1)
        #expect(badDate.stderr.contains("is not a date in the form YYYY-MM-DD"))
    }

    /// An accountant's independent check: hledger reads Till's journal and finds the same balances.
    @Test(arguments: Engine.all) func hledgerReadsTheJournalAndAgreesWithTheTrialBalance(_ engine: Engine) throws {
        let hledger = try #require(TillProcess.which("hledger"), "hledger is not installed: scripts/test installs it (apt-get install hledger)")
        let books = try CLIBooks.demo(engine, ["--accounts", "150", "--today", "2026-11-20"])
        let directory = books.directory, db = books.db
        let journal = directory.appendingPathComponent("till.journal").path
        #expect(try books.till(["export", "journal", "--db", db, "--format", "hledger", "-o", journal]).status == 0)

        let check = try TillProcess.run(hledger, ["-f", journal, "check"])
        #expect(check.status == 0, "\(check.stderr)")
        let balances = try TillProcess.run(hledger, ["-f", journal, "balance", "--flat", "--output-format=csv"])
        #expect(balances.status == 0, "\(balances.stderr)")
        var fromHledger: [String: Money] = [:]
        for line in balances.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard fields.count == 2 else { continue }
            fromHledger[fields[0]] = fields[1] == "0" ? .zero : try Money.parse(fields[1], ceiling: Money(cents: Int64.max), allowNegative: true)
        }
        #expect(fromHledger["total"] == .zero)
        let summary = try books.ledger().summary()
        for (book, amount) in summary.bookBalances where !amount.isZero {
            #expect(fromHledger[book.journalName] == amount, "\(book.journalName)")
        }
        #expect(fromHledger["assets:receivable:customers"] == summary.receivable)

        // A date range exports only that range.
        let october = directory.appendingPathComponent("october.journal").path
        #expect(try books.till(["export", "journal", "--db", db, "--from", "2026-10-01", "--to", "2026-10-31", "-o", october]).status == 0)
        let dates = try TillProcess.run(hledger, ["-f", october, "print", "--output-format=csv"])
        #expect(dates.status == 0)
        #expect(!dates.stdout.contains("2026-09-") && !dates.stdout.contains("2026-11-"))
        #expect(dates.stdout.contains("2026-10-"))
    }

    /// The example files in docs/ import as documented.
    @Test(arguments: Engine.all) func theDocumentedExampleFilesImport(_ engine: Engine) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let examples = root.appendingPathComponent("docs/examples")
        let (books, _) = try CLIBooks.empty(engine)
        let db = books.db
        let roles = engine == .postgres ? ["--owner-role", books.ownerRole!, "--terminal-role", books.terminalRole!] : []
        let created = try books.till(["init", "--db", books.superuser, "--supervisor", "boss", "--pin-stdin"] + roles, stdin: "4321\n")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try books.till(["day", "open", "--db", db, "--operator", "boss"],
                                     environment: ["TILL_PIN": "4321"]).status == 0)
        for kind in ["accounts", "charges"] {
            let result = try books.till(["import", kind, "--db", db, "--operator", "boss",
                                               examples.appendingPathComponent("\(kind).csv").path],
                                              environment: ["TILL_PIN": "4321"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let summary = try books.till(["summary", "--db", db])
        #expect(summary.stdout.contains("accounts       3"))
        #expect(summary.stdout.contains("receivable     $1,326.75"))
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }
}

@Suite("till bench")
struct BenchSmokeTests {
    /// The harness keeps working; timings are not asserted (they are in docs/PERFORMANCE.md).
    @Test func renderBenchPrintsEveryFigure() throws {
        let result = try TillProcess.till(["bench", "render", "--width", "120", "--height", "40", "--samples", "50"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("screen 120x40, 50 samples each (ms)"))
        #expect(result.stdout.contains("render_full        p50 "))
        #expect(result.stdout.contains("keystroke_to_grid  p50 "))
    }

    @Test(arguments: Engine.all) func counterBenchWritesEveryFigureAndLeavesTheLedgerSound(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine, ["--accounts", "300"])
        let directory = books.directory, db = books.db
        let json = directory.appendingPathComponent("bench.json").path
        let result = try books.till(["bench", "counter", "--db", db, "--queries", "20", "--posts", "10", "--json", json])
        #expect(result.status == 0, "\(result.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        for name in ["lookup_query", "lookup_keystroke", "baseline_lookup_query", "account_view", "scan_to_cart", "post_single", "post_split",
                     "baseline_post_single"] {
            let figure = try #require(figures[name] as? [String: Any], "\(name)")
            #expect(Set(figure.keys) == ["p50", "p99", "max", "n"], "\(name)")
            #expect((figure["n"] as? Int ?? 0) > 0, "\(name)")
            #expect(result.stdout.contains(name))
        }
        #expect(figures["accounts"] as? Int == 300)
        #expect(try books.till(["verify", "--db", db]).status == 0)

        // The day bench runs after it on the same ledger: it closes that day and opens the next.
        let dayJSON = directory.appendingPathComponent("day.json").path
        let day = try books.till(["bench", "day", "--db", db, "--payments", "60", "--drawers", "3", "--runs", "3", "--json", dayJSON])
        #expect(day.status == 0, "\(day.stderr)")
        #expect(day.stdout.contains("60 payments over 3 drawers") && day.stdout.contains("over/short $0.00"))
        let dayFigures = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dayJSON))) as? [String: Any])
        for name in ["settlement", "drawer_close"] {
            let figure = try #require(dayFigures[name] as? [String: Any], "\(name)")
            #expect(Set(figure.keys) == ["p50", "p99", "max", "n"], "\(name)")
        }
        #expect(try books.till(["verify", "--db", db]).status == 0)
    }
}
