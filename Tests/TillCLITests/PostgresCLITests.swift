import Foundation
import Testing
@testable import TillLedger

/// The DBA's path from the command line: `till init --db postgresql://…` sets up the roles and
/// the schema, `till copy` moves a ledger in, and the terminals' role reads the same books.
@Suite("till on PostgreSQL", .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PostgresCLITests {
    @Test func initCopyAndReadTheSameJournal() throws {
        let directory = try TillProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("books.sqlite").path
        try DayCLITests.ok(["demo", "--accounts", "60", "--today", "2026-11-20", "--db", file])
        try TestPostgres.withDatabase { uri, name in
            let roles = ["--owner-role", name + "_owner", "--terminal-role", name + "_terminal"]
            let prepared = try DayCLITests.ok(["init", "--db", uri] + roles)
            #expect(prepared.contains("Prepared the PostgreSQL ledger") && prepared.contains("till copy --from FILE"))
            let rerun = try TillProcess.till(["init", "--db", uri] + roles)
            #expect(rerun.status == 0 && rerun.stdout.contains("is up to date") && !rerun.stderr.contains("NOTICE"), "\(rerun.stderr)")

            let owner = TestPostgres.uri(database: name, user: name + "_owner")
            let terminal = TestPostgres.uri(database: name, user: name + "_terminal")
            // The terminals' role may not copy into the books.
            let refused = try TillProcess.till(["copy", "--from", file, "--to", terminal])
            #expect(refused.status == 1 && refused.stderr.contains("may not"), "\(refused.stderr)")
            let copied = try DayCLITests.ok(["copy", "--from", file, "--to", owner])
            #expect(copied.contains("Copied") && copied.contains("Head on both:"))
            let again = try TillProcess.till(["copy", "--from", file, "--to", owner])
            #expect(again.status == 1 && again.stderr.contains("holds books already"), "\(again.stderr)")

            let fromFile = try DayCLITests.ok(["export", "journal", "--db", file])
            let fromServer = try DayCLITests.ok(["export", "journal", "--db", terminal])
            #expect(fromServer == fromFile)
            #expect(try DayCLITests.ok(["summary", "--db", terminal]) == DayCLITests.ok(["summary", "--db", file]).replacingOccurrences(of: file, with: LedgerAddress(terminal).described))

            // The terminals' role posts, with the pepper its file names: the same receipt number
            // the file would give next, and verify sound with the head moved on.
            let csr = DayCLITests.csr.merging(["TILL_PEPPER_FILE": file + ".pepper"]) { $1 }
            let pay = try TillProcess.till(["pay", "100010", "45.50", "--tender", "card:4242:AUTH1", "--operator", "csr", "--db", terminal],
                                           environment: csr)
            let onFile = try TillProcess.till(["pay", "100010", "45.50", "--tender", "card:4242:AUTH1", "--operator", "csr", "--db", file],
                                              environment: DayCLITests.csr)
            #expect(pay.status == 0 && pay.stdout == onFile.stdout, "\(pay.stderr)")
            let verified = try DayCLITests.ok(["verify", "--db", terminal])
            #expect(verified.contains("ledger is sound"))
            // Without the pepper a PIN cannot be checked: refused, nothing written.
            let noPepper = try TillProcess.till(["pay", "100010", "1.00", "--tender", "card:4242:AUTH2", "--operator", "csr", "--db", terminal],
                                                environment: DayCLITests.csr.merging(["TILL_PEPPER_FILE": file + ".missing"]) { $1 })
            #expect(noPepper.status == 1, "\(noPepper.stdout)")
            let journalOnFile = try DayCLITests.ok(["export", "journal", "--db", file])
            let journalOnServer = try DayCLITests.ok(["export", "journal", "--db", terminal])
            #expect(journalOnServer.split(separator: "\n").dropLast() == journalOnFile.split(separator: "\n").dropLast())
        }
    }

    /// `till demo` into PostgreSQL: the same seed and date give the same books and head as the
    /// file demo, and its pepper is where TILL_PEPPER_FILE says, for the terminals.
    @Test func aDemoOnPostgreSQLIsTheFileDemo() throws {
        let directory = try TillProcess.temporaryDirectory()
        let file = directory.appendingPathComponent("demo.sqlite").path
        try DayCLITests.ok(["demo", "--accounts", "30", "--seed", "4", "--today", "2026-11-20", "--db", file])
        try TestPostgres.withDatabase { uri, name in
            try DayCLITests.ok(["init", "--db", uri, "--owner-role", name + "_owner", "--terminal-role", name + "_terminal"])
            let pepper = directory.appendingPathComponent("pg.pepper").path
            let owner = TestPostgres.uri(database: name, user: name + "_owner")
            let made = try TillProcess.till(["demo", "--accounts", "30", "--seed", "4", "--today", "2026-11-20", "--db", owner],
                                            environment: ["TILL_PEPPER_FILE": pepper])
            #expect(made.status == 0 && made.stdout.contains("TILL_PEPPER_FILE"), "\(made.stderr)")
            // The copy's statistics are the ledger's own tables': no server warning reaches the DBA.
            #expect(!made.stderr.contains("WARNING"), "\(made.stderr)")
            let again = try TillProcess.till(["demo", "--if-missing", "--db", owner], environment: ["TILL_PEPPER_FILE": pepper])
            #expect(again.status == 0 && again.stdout.contains("Using the existing ledger"), "\(again.stderr)")
            let terminal = TestPostgres.uri(database: name, user: name + "_terminal")
            // The same journal; the heads differ only by the operators' PIN salts and pepper,
            // which are random wherever a demo is made (the transactions' chain is the same).
            let onServer = try DayCLITests.ok(["export", "journal", "--db", terminal]).split(separator: "\n")
            let onFile = try DayCLITests.ok(["export", "journal", "--db", file]).split(separator: "\n")
            #expect(onServer.count > 1_000 && onServer.dropLast() == onFile.dropLast())
            let pay = try TillProcess.till(["pay", "100010", "5.00", "--tender", "card:4242:AUTH9", "--operator", "csr", "--db", terminal],
                                           environment: DayCLITests.csr.merging(["TILL_PEPPER_FILE": pepper]) { $1 })
            #expect(pay.status == 0, "\(pay.stderr)")
            #expect(try DayCLITests.ok(["verify", "--db", terminal]).contains("ledger is sound"))
        }
    }

    @Test func aWrongAddressSaysWhatIsWrong() throws {
        let socket = TestPostgres.socketDirectory
        let missing = try TillProcess.till(["summary", "--db", "postgresql:///no_such_books?host=\(socket)&user=postgres"])
        #expect(missing.status == 1 && missing.stderr.contains("has no such database"), "\(missing.stderr)")
        try TestPostgres.withDatabase { uri, _ in
            let empty = try TillProcess.till(["summary", "--db", uri])
            #expect(empty.status == 1 && empty.stderr.contains("holds no Till ledger"), "\(empty.stderr)")
            let badRole = try TillProcess.till(["init", "--db", uri, "--owner-role", "x;drop", "--terminal-role", "t"])
            #expect(badRole.status == 1 && badRole.stderr.contains("not a role name"), "\(badRole.stderr)")
        }
        let secret = try TillProcess.till(["summary", "--db", "postgresql://till:hunter2@/books?host=\(socket)&connect_timeout=2"])
        #expect(secret.status == 1 && !secret.stderr.contains("hunter2"), "\(secret.stderr)")
    }
}
