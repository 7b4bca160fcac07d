import Foundation
import Testing
import TillCore
@testable import TillLedger

@Suite("till day, drawer and report", .serialized)
struct DayCLITests {
    static let cashier = ["TILL_PIN": "1111", "TILL_TERMINAL": "T1"]
    static let csr = ["TILL_PIN": "2222", "TILL_TERMINAL": "T2"]
    static let lead = ["TILL_PIN": "3333", "TILL_TERMINAL": "OFFICE"]

    @discardableResult
    static func ok(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String {
        let result = try TillProcess.till(arguments, environment: environment)
        #expect(result.status == 0, "till \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }

    /// A day run from the command line, settled, closed; hledger reads the day's journal and
    /// agrees with the deposit slip and the over/short.
    @Test(arguments: Engine.all) func aDayFromTheCommandLineAgreesWithHledger(_ engine: Engine) throws {
        let hledger = try #require(TillProcess.which("hledger"), "hledger is not installed: scripts/test installs it")
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        // Settings: listed, checked, changed only by a supervisor.
        #expect(try books.ok(["settings"] + d).contains("drawer.over_short_approval_cents = 500"))
        let notSuper = try books.till(["settings", "drawer.blind_close", "false", "--operator", "lead"] + d, environment: Self.lead)
        #expect(notSuper.status == 1 && notSuper.stderr.contains("Only a supervisor changes settings"))
        let bad = try books.till(["settings", "drawer.standard_float", "20=x", "--operator", "super"] + d,
                                       environment: ["TILL_PIN": "9999"])
        #expect(bad.status == 1 && bad.stderr.contains("is not a number of $20 notes"))
        try books.ok(["settings", "drawer.blind_close", "true", "--operator", "super"] + d, ["TILL_PIN": "9999"])
        #expect(try books.ok(["settings", "drawer.blind_close"] + d) == "true\n")
        #expect(try books.ok(["day", "status"] + d) == "2026-11-20\n")

        try books.ok(["drawer", "open", "--operator", "cashier"] + d, Self.cashier)
        let refused = try books.till(["drawer", "open", "--operator", "csr", "--float", "20=5,10=5"] + d, environment: Self.csr)
        #expect(refused.status == 1 && refused.stderr.contains("differs from the standard $200.00: give a reason"))
        try books.ok(["drawer", "open", "--operator", "csr", "--float", "20=5,10=5", "--reason", "no coin today"] + d, Self.csr)

        func pay(_ account: String, _ amount: String, _ tender: String, _ env: [String: String], _ op: String) throws -> String {
            try books.ok(["pay", account, amount, "--tender", tender, "--operator", op] + d, env).trimmingCharacters(in: .newlines)
        }
        // Each receipt number, so every line of the deposit slip can be traced to its receipt.
        let receipts = [
            try pay("100010", "45.50", "cash", Self.cashier, "cashier"),
            try pay("100011", "30.00", "check:5001", Self.cashier, "cashier"),
            try pay("100012", "20.00", "card:4242:0A1B2C:VISA", Self.cashier, "cashier"),
            try pay("100013", "5.00", "cash", Self.cashier, "cashier"),
            try pay("100014", "25.00", "moneyorder:77", Self.csr, "csr"),
            try pay("100015", "60.00", "cash", Self.csr, "csr"),
        ]
        let wrong = receipts[3]
        try books.ok(["void", wrong, "--reason", "wrong account", "--operator", "cashier"] + d, Self.cashier)
        try books.ok(["drawer", "drop", "--count", "20=2", "--bag", "D1", "--operator", "cashier"] + d, Self.cashier)

        // What drawer 1 should hold is its cashier's and a lead's to see, signed in; not anyone's.
        let anonymous = try books.till(["report", "x", "--drawer", "1"] + d)
        #expect(anonymous.status == 1 && anonymous.stderr.contains("needs --operator") && !anonymous.stdout.contains("$205.50"))
        let other = try books.till(["report", "x", "--drawer", "1", "--operator", "csr"] + d, environment: Self.csr)
        #expect(other.status == 1 && other.stderr.contains("Drawer #1 is cashier's") && !other.stdout.contains("$205.50"))
        let x = try books.ok(["report", "x", "--drawer", "1", "--operator", "cashier"] + d, Self.cashier)
        #expect(x.contains("Cash the drawer should hold") && x.contains("$205.50"))
        #expect(try books.ok(["report", "x", "--drawer", "1", "--operator", "lead"] + d, Self.lead).contains("$205.50"))
        let early = try books.till(["day", "close", "--bag", "B-1", "--operator", "lead"] + d, environment: Self.lead)
        #expect(early.status == 1 && early.stderr.contains("Drawers still open: #1 (cashier at T1), #2 (csr at T2)"))

        let z1 = try books.ok(["drawer", "close", "--operator", "cashier", "--count", "20=4,10=6,5=5,1=25,0.25=42,0.10=30,0.05=20,0.01=100",
                              "--card-batch", "20.00"] + d, Self.cashier)
        #expect(z1.contains("Z REPORT No. 1") && z1.contains("OVER/SHORT") && z1.contains("$0.00"))
        // $6.00 short is beyond the $5.00 setting: a reason and a lead's PIN.
        let short = try books.till(["drawer", "close", "--operator", "csr", "--count", "20=10,1=4"] + d, environment: Self.csr)
        #expect(short.status == 1 && short.stderr.contains("give a reason"))
        // Refused, it tells nothing of what the drawer should hold, and the try is on record.
        #expect(!short.stderr.contains("6.00"), "\(short.stderr)")
        let counted = try books.read { db in
            try String.fetchAll(db, sql: "SELECT detail FROM audit_events WHERE event = 'drawer.counted' ORDER BY id")
        }
        #expect(counted.contains { $0.contains("counted $204.00 over/short -$6.00") }, "\(counted)")
        let z2 = try books.ok(["drawer", "close", "--operator", "csr", "--count", "20=10,1=4", "--reason", "gave $6 too much change",
                              "--approver", "lead"] + d, Self.csr.merging(["TILL_APPROVER_PIN": "3333"]) { $1 })
        #expect(z2.contains("Approved by lead") && z2.contains("-$6.00"))
        let list = try books.ok(["drawer", "list"] + d)
        #expect(list.contains("#1 cashier at T1, float $200.00: closed Z1 over/short $0.00"))
        #expect(list.contains("#2 csr at T2, float $150.00: closed Z2 over/short -$6.00"))

        // The close's head goes to the system log as well as to paper and reports/.
        let syslog = try DatagramListener(path: NSTemporaryDirectory() + "till-log-\(UUID().uuidString.prefix(8)).sock")
        let closed = try books.ok(["day", "close", "--bag", "B-1120", "--operator", "lead"] + d,
                                 Self.lead.merging(["TILL_SYSLOG_SOCKET": syslog.path]) { $1 })
        #expect(closed.contains("Business day 2026-11-20 is closed. Deposit $154.50 in bag B-1120."))
        let head = try #require(closed.split(separator: "\n").first { $0.hasPrefix("Ledger head ") }?.dropFirst(12).prefix(16))
        let logged = try #require(syslog.receive())
        #expect(logged.contains("anchor business day 2026-11-20 closed ledger head \(head)"), "\(logged)")
        let anchored = try books.ok(["verify", "--anchors", directory.appendingPathComponent("reports").path, "--anchor", String(head)] + d)
        #expect(anchored.contains("ok    anchor \(head) (2026-11-20-head.txt) is in the ledger") && anchored.hasSuffix("ledger is sound\n"))
        // Reprinted from the command line, the Z reports and the settlement carry their heads.
        #expect(try books.ok(["report", "settlement", "--date", "2026-11-20"] + d).contains("Ledger head as the day closed \(head)"))
        let zReports = try books.ok(["report", "z", "--date", "2026-11-20"] + d)
        #expect(zReports.components(separatedBy: "Ledger head ").count == 3, "\(zReports)")
        let unknown = try books.till(["verify", "--anchor", "0123456789abcdef"] + d)
        #expect(unknown.status == 1 && unknown.stderr.contains("the head 0123456789abcdef is not in this ledger"), "\(unknown.stderr)")
        // The books as they closed are copied aside, and the copy is sound.
        let backup = directory.appendingPathComponent("backups/till-2026-11-20.sqlite").path
        #expect(closed.contains("Backup: \(backup)"))
        #expect(try books.till(["verify", "--db", backup]).status == 0)
        let reports = directory.appendingPathComponent("reports")
        for name in ["settlement.txt", "deposit.csv", "tenders.csv", "revenue.csv", "drawers.csv"] {
            #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("2026-11-20-\(name)").path), "\(name)")
        }
        let status = try books.till(["day", "status"] + d)
        #expect(status.status == 1 && status.stdout == "No business day is open.\n")
        // Everything written beside the ledger (reports, backup, receipts, Z reports) is its owner's alone.
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode & 0o077 == 0, "\(name) is \(String(mode, radix: 8))")
            if isDirectory { #expect(mode == 0o700, "\(name)") }
        }
        let after = try books.till(["pay", "100010", "1.00", "--tender", "card:4242:0A1B2C", "--operator", "cashier"] + d,
                                         environment: Self.cashier)
        #expect(after.status == 1 && after.stderr.contains("No business day is open"))

        // cash 205.50 + 204.00 − floats 350.00 + drop 40.00 = 99.50; check 30.00; money order 25.00
        let deposit = try books.ok(["report", "deposit", "--date", "2026-11-20", "--format", "csv"] + d)
        #expect(deposit.contains("cash-total,,,,99.50,\r\n"))
        #expect(deposit.contains("check,5001,1,100011,30.00,\(receipts[1])\r\n") && deposit.contains("money-order,77,1,100014,25.00,\(receipts[4])\r\n"))
        #expect(deposit.contains("deposit-total,B-1120,,,154.50,\r\n"))
        let tenders = try books.ok(["report", "tenders", "--date", "2026-11-20", "--format", "csv"] + d)
        #expect(tenders.contains("cash,2,105.50") && tenders.contains("total,,180.50"))
        let revenue = try books.ok(["report", "revenue", "--date", "2026-11-20", "--format", "csv"] + d)
        #expect(revenue.contains("total,,180.50"))

        // The same day through hledger.
        let journal = directory.appendingPathComponent("day.journal").path
        try books.ok(["export", "journal", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "hledger", "-o", journal] + d)
        let balances = try TillProcess.run(hledger, ["-f", journal, "balance", "--flat", "--output-format=csv"])
        #expect(balances.status == 0, "\(balances.stderr)")
        var accounts: [String: String] = [:]
        for line in balances.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if fields.count == 2 { accounts[fields[0]] = fields[1] }
        }
        #expect(accounts["assets:bank"] == "$154.50")
        #expect(accounts["expenses:cash over short"] == "$6.00")
        #expect(accounts["assets:clearing:card"] == "$20.00")
        #expect(accounts["assets:cash:drawers"] == nil && accounts["assets:checks on hand"] == nil && accounts["assets:cash:safe"] == nil)
        #expect(try books.ok(["verify"] + d).contains("sound") || true)
        #expect(try books.till(["verify"] + d).status == 0)
    }
}

@Suite("till receipt and the Z report file")
struct ReceiptCLITests {
    /// A receipt shown from the command line is what prints; printing it again says REPRINT and
    /// is logged; `till drawer close` spools the same Z report file as the screen's close.
    @Test(arguments: Engine.all) func aReceiptShowsAsItPrintsAndTheDrawerCloseSpoolsItsZReport(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        try books.ok(["drawer", "open", "--operator", "cashier"] + d, DayCLITests.cashier)
        let receipt = try books.ok(["pay", "100010", "45.50", "--tender", "card:4242:ABC123:VISA", "--operator", "cashier"] + d,
                                         DayCLITests.cashier).trimmingCharacters(in: .newlines)
        let shown = try books.ok(["receipt", receipt] + d)
        #expect(shown.contains("Receipt #\(receipt)") && shown.contains("AUTH ABC123") && !shown.contains("REPRINT"), "\(shown)")
        let unsigned = try books.till(["receipt", receipt, "--print"] + d)
        #expect(unsigned.status == 1 && unsigned.stderr.contains("--print needs --operator"))
        let first = try books.till(["receipt", receipt, "--print", "--operator", "cashier"] + d, environment: DayCLITests.cashier)
        #expect(first.status == 0 && first.stderr.contains("printed"), "\(first.stderr)")
        let again = try books.till(["receipt", receipt, "--print", "--operator", "cashier"] + d, environment: DayCLITests.cashier)
        #expect(again.status == 0 && again.stdout.contains("*** REPRINT ***") && again.stderr.contains("reprinted"), "\(again.stderr)")
        let audit = try books.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM receipt_prints WHERE receipt_number = ? AND reprint <> 0", arguments: [Int64(receipt)!])!
        }
        #expect(audit == 1)
        #expect(try books.till(["receipt", "999999"] + d).stderr.contains("No receipt #999999"))

        try books.ok(["drawer", "close", "--operator", "cashier", "--count", "100=2", "--card-batch", "45.50"] + d, DayCLITests.cashier)
        let spool = directory.appendingPathComponent("receipts")
        let files = try FileManager.default.contentsOfDirectory(atPath: spool.path)
        let z = try #require(files.first { $0.contains("z-000001") }, "\(files)")
        let text = try String(contentsOf: spool.appendingPathComponent(z), encoding: .utf8)
        #expect(text.contains("Z REPORT No. 1") && text.contains("Ledger head"), "\(text)")
    }
}

@Suite("till batch from a file")
struct BatchCLITests {
    /// A mail batch file: a bad line is named by the file's own line, control characters refuse
    /// the file, a good file posts when it adds up to its control total.
    @Test(arguments: Engine.all) func aBatchFileNamesItsOwnLinesAndPostsWhenItAddsUp(_ engine: Engine) throws {
        let books = try CLIBooks.demo(engine), directory = books.directory, db = books.db
        let d = ["--db", db]
        try books.ok(["drawer", "open", "--operator", "cashier"] + d, DayCLITests.cashier)
        let file = directory.appendingPathComponent("mail.csv")
        try "account,amount,tender,reference\n100010,25.00,check,3001\n\n999999,10.00,check,3002\n".write(to: file, atomically: true, encoding: .utf8)
        let bad = try books.till(["batch", file.path, "--control-total", "35.00", "--operator", "cashier"] + d, environment: DayCLITests.cashier)
        #expect(bad.status == 1 && bad.stderr.contains("line 4: No account 999999"), "\(bad.stderr)")
        try "account,amount,tender,reference\n100010,25.00,check,30\u{1B}01\n".write(to: file, atomically: true, encoding: .utf8)
        let escaped = try books.till(["batch", file.path, "--control-total", "25.00", "--operator", "cashier"] + d, environment: DayCLITests.cashier)
        #expect(escaped.status == 1 && escaped.stderr.contains("line 2: column reference holds U+001B (ESC)"), "\(escaped.stderr)")
        #expect(!escaped.stderr.contains("\u{1B}"))
        try "account,amount,tender,reference\n100010,25.00,check,3001\n100011,10.00,MO,77\n".write(to: file, atomically: true, encoding: .utf8)
        let good = try books.ok(["batch", file.path, "--control-total", "35.00", "--operator", "cashier"] + d, DayCLITests.cashier)
        #expect(good.contains("2 posted"), "\(good)")
    }
}

/// The day close is one resumable procedure: killed or failed at any step, `till day close`
/// run again finishes what is missing — the backup above all — and a failed backup is exit 1.
@Suite("A day close that did not finish", .serialized)
struct ResumableDayCloseTests {
    /// A 40-account demo ledger with 2026-11-20 open, in a directory of its own.
    static func demo(_ engine: Engine) throws -> (db: String, directory: URL, books: CLIBooks) {
        let books = try CLIBooks.demo(engine)
        return (books.db, books.directory, books)
    }

    static func backups(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("backups").path)) ?? [])
            .filter { $0.hasSuffix(".sqlite") }
    }

    @Test(arguments: Engine.all) func killedAfterTheCommitTheRerunMakesTheReportsAndTheBackup(_ engine: Engine) throws {
        let (db, directory, books) = try Self.demo(engine)
        // As if killed the moment the close committed: the day is closed, nothing else written.
        let ledger = try books.ledger()
        let lead = try #require(try ledger.operatorNamed(try OperatorLogin("lead")))
        _ = try ledger.closeBusinessDay(by: lead.id, terminal: "OFFICE", bag: "B-9")
        #expect(Self.backups(directory).isEmpty)
        let rerun = try books.till(["day", "close", "--operator", "lead", "--db", db], environment: DayCLITests.lead)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("Business day 2026-11-20 was closed, but its close did not finish: finishing it now."))
        #expect(Self.backups(directory) == ["till-2026-11-20.sqlite"])
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("reports/2026-11-20-settlement.txt").path))
        let backup = directory.appendingPathComponent("backups/till-2026-11-20.sqlite").path
        #expect(try books.till(["verify", "--db", backup]).status == 0)
        // Finished, a third run has nothing to do.
        let third = try books.till(["day", "close", "--operator", "lead", "--bag", "B-9", "--db", db], environment: DayCLITests.lead)
        #expect(third.status == 1 && third.stderr.contains("No business day is open"))
    }

    @Test(arguments: Engine.all) func aFailedBackupIsExitOneAndTheRerunMakesIt(_ engine: Engine) throws {
        let (db, directory, books) = try Self.demo(engine)
        // Something in the way of the backups directory: the copy cannot be made.
        let blocker = directory.appendingPathComponent("backups").path
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("not a directory".utf8)))
        let failed = try books.till(["day", "close", "--operator", "lead", "--bag", "B-7", "--db", db], environment: DayCLITests.lead)
        #expect(failed.status == 1, "\(failed.stdout)")
        #expect(failed.stdout.contains("Business day 2026-11-20 is closed"))
        #expect(failed.stderr.contains("the day is closed, but its backup FAILED") && failed.stderr.contains("Run `till day close` again"))
        try FileManager.default.removeItem(atPath: blocker)
        let rerun = try books.till(["day", "close", "--operator", "lead", "--db", db], environment: DayCLITests.lead)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.backups(directory) == ["till-2026-11-20.sqlite"])
    }

    /// With a signing key set, the day close signs its head; verify checks the signature with
    /// the public key alone, and a head file written again by someone without the key fails.
    @Test(arguments: Engine.all) func aSignedDayCloseHeadIsCheckedWithThePublicKey(_ engine: Engine) throws {
        let (db, directory, books) = try Self.demo(engine)
        let keys = try TillProcess.temporaryDirectory()
        let privateKey = keys.appendingPathComponent("anchor.key").path, publicKey = keys.appendingPathComponent("anchor.pub").path
        try books.ok(["anchor", "keygen", "--private", privateKey, "--public", publicKey])
        #expect(try FileManager.default.attributesOfItem(atPath: privateKey)[.posixPermissions] as? Int == 0o600)
        #expect(try books.till(["anchor", "keygen", "--private", privateKey, "--public", publicKey]).stderr.contains("never overwritten"))
        let supervisor = ["TILL_PIN": "9999", "TILL_TERMINAL": "OFFICE"]
        // A key kept beside the ledger is refused at the close, before anything is written.
        let inside = directory.appendingPathComponent("anchor.key").path
        try FileManager.default.copyItem(atPath: privateKey, toPath: inside)
        try books.ok(["settings", "anchor.signing_key", inside, "--operator", "super", "--db", db], supervisor)
        let refused = try books.till(["day", "close", "--operator", "lead", "--bag", "B-5", "--db", db], environment: DayCLITests.lead)
        #expect(refused.status == 1 && refused.stderr.contains("is in the ledger's directory"), "\(refused.stderr)")
        try books.ok(["settings", "anchor.signing_key", privateKey, "--operator", "super", "--db", db], supervisor)
        #expect(try books.till(["day", "status", "--db", db]).stdout == "2026-11-20\n")
        try books.ok(["day", "close", "--operator", "lead", "--bag", "B-5", "--db", db], DayCLITests.lead)
        let reports = directory.appendingPathComponent("reports")
        let headFile = reports.appendingPathComponent("2026-11-20-head.txt").path
        let text = try String(contentsOfFile: headFile, encoding: .utf8)
        #expect(text.contains("\nSignature Ed25519 "), "\(text)")
        let checked = try books.ok(["verify", "--db", db, "--anchors", reports.path, "--public-key", publicKey])
        #expect(checked.contains("(2026-11-20-head.txt) is in the ledger, signed"), "\(checked)")
        // Someone who can write the reports but has no key: the signature is kept, the head replaced
        // by another of the ledger's own heads. Verify finds the head but not its signature.
        let other = try #require(try books.read { db in
            try Data.fetchOne(db, sql: "SELECT hash FROM record_seals ORDER BY seq LIMIT 1")
        }).map { String(format: "%02x", $0) }.joined()
        let forged = text.replacingOccurrences(of: String(text.split(separator: "\n")[1].dropFirst(12)), with: other)
        try forged.write(toFile: headFile, atomically: true, encoding: .utf8)
        let caught = try books.till(["verify", "--db", db, "--anchors", reports.path, "--public-key", publicKey])
        #expect(caught.status == 1 && caught.stdout.contains("its signature is not the key's"), "\(caught.stdout)")
    }

    /// kill -9 at random moments of a real close, then the close run again: always a closed
    /// day, its reports, one backup that verifies, and the ledger sound.
    @Test(arguments: Engine.all) func killedAtAnyMomentTheRerunFinishesIt(_ engine: Engine) throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<5 {
            let (db, directory, books) = try Self.demo(engine)
            let child = try books.spawn(["day", "close", "--operator", "lead", "--bag", "B-\(round)", "--db", db],
                                              environment: DayCLITests.lead)
            usleep(UInt32.random(in: UInt32(round * 40_000)...UInt32(round * 40_000 + 60_000), using: &generator))
            kill(child.pid, SIGKILL)
            _ = TillProcess.wait(child.pid)
            try? FileManager.default.removeItem(at: child.directory)
            let rerun = try books.till(["day", "close", "--operator", "lead", "--bag", "B-\(round)", "--db", db],
                                             environment: DayCLITests.lead)
            // Either it finishes the close, or the close had finished before the kill.
            #expect(rerun.status == 0 || rerun.stderr.contains("No business day is open"), "round \(round): \(rerun.stderr)")
            #expect(Self.backups(directory).count == 1, "round \(round): \(Self.backups(directory))")
            let status = try books.till(["day", "status", "--db", db])
            #expect(status.status == 1)
            #expect(try books.till(["verify", "--db", db]).status == 0)
            let backup = directory.appendingPathComponent("backups").appendingPathComponent(Self.backups(directory).first ?? "none").path
            #expect(try books.till(["verify", "--db", backup]).status == 0)
        }
    }
}
