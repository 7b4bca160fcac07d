import Foundation
import Testing
import TillCore
@testable import TillLedger
#if canImport(Glibc)
import Glibc
#endif

/// Several terminals on one ledger, and a process killed at any moment: nothing lost,
/// nothing posted twice, nothing half-written. Sizes come from the environment so a longer
/// soak is one variable away: TILL_STRESS_PROCESSES, TILL_STRESS_POSTS, TILL_KILL_ROUNDS.
extension Processes {
@Suite("Trust: many terminals, kill -9", .serialized)
struct TrustTests {
    static func size(_ name: String, _ fallback: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? fallback
    }

    static func demo(_ engine: Engine) throws -> CLIBooks {
        let books = try CLIBooks.demo(engine, ["--accounts", "40"])
        // Eight terminals posting as one operator: each holds a drawer of its own.
        let allowed = try books.till(["settings", "drawer.one_per_operator", "false", "--operator", "super", "--db", books.db],
                                     environment: ["TILL_PIN": "9999"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        return books
    }

    /// `KEY RECEIPT` lines a harness acknowledged.
    static func acknowledged(_ path: String) -> [(key: String, receipt: Int64)] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let receipt = Int64(parts[1]) else { return nil } // a line cut by the kill
            return (String(parts[0]), receipt)
        }
    }

    @Test(arguments: Engine.all) func eightTerminalsPostAtOnceWithoutAGapOrADuplicate(_ engine: Engine) throws {
        let processes = Self.size("TILL_STRESS_PROCESSES", 8), posts = Self.size("TILL_STRESS_POSTS", 1000)
        let books = try Self.demo(engine)
        let directory = books.directory, db = books.db
        let before = try books.count("SELECT COUNT(*) FROM transactions WHERE kind = 'payment'")
        var children: [(pid: pid_t, directory: URL)] = []
        for index in 0..<processes {
            children.append(try books.spawn([
                "post-loop", "--db", db, "--operator", "cashier", "--count", "\(posts)", "--key-prefix", "S\(index)",
                "--ack", directory.appendingPathComponent("ack\(index)").path,
                "--times", directory.appendingPathComponent("times\(index)").path,
            ], environment: ["TILL_PIN": "1111", "TILL_TERMINAL": "STRESS\(index)"]))
        }
        for child in children {
            let status = TillProcess.wait(child.pid)
            let stderr = (try? String(contentsOfFile: child.directory.appendingPathComponent("err").path, encoding: .utf8)) ?? ""
            #expect(status == 0, "\(stderr)")
        }
        // Exactly processes × posts new payments, each acknowledged receipt among them once.
        let (payments, keyed) = try books.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE kind = 'payment'")!,
             try Dictionary(uniqueKeysWithValues: SQLRow.fetchAll(db, sql: """
                SELECT idempotency_key, receipt_number FROM transactions WHERE idempotency_key LIKE 'S%-%'
                """).map { ($0[0] as String, $0[1] as Int64) }))
        }
        #expect(payments - before == processes * posts)
        var acknowledged = 0
        for index in 0..<processes {
            for ack in Self.acknowledged(directory.appendingPathComponent("ack\(index)").path) {
                #expect(keyed[ack.key] == ack.receipt)
                acknowledged += 1
            }
        }
        #expect(acknowledged == processes * posts)
        // Receipts 1…N without a gap, every transaction balanced, every cache right.
        let verify = try books.till(["verify", "--db", db])
        #expect(verify.status == 0, "\(verify.stdout)")
        // How long each post took, waits included, over every terminal's posts: for RELIABILITY.md.
        var took: [Int64] = []
        for index in 0..<processes {
            let text = try String(contentsOfFile: directory.appendingPathComponent("times\(index)").path, encoding: .utf8)
            took += text.split(separator: "\n").compactMap { Int64($0) }
        }
        took.sort()
        #expect(took.count == processes * posts)
        func at(_ perMille: Int) -> String {
            let micros = took[min(took.count - 1, took.count * perMille / 1_000)]
            return "\(micros / 1_000).\(micros % 1_000 / 100) ms"
        }
        print("stress \(processes)×\(posts): each post p50 \(at(500)), p99 \(at(990)), p99.9 \(at(999)), max \(at(1_000))")
    }

    /// A payment file killed at random moments of its import: each run again finishes it; at the
    /// end every line is posted exactly once, in one batch that adds up, and the books are sound.
    @Test(arguments: Engine.all) func aPaymentFileKilledMidImportIsFinishedByRunningItAgain(_ engine: Engine) throws {
        let books = try Self.demo(engine)
        let directory = books.directory, db = books.db
        let accounts = try books.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM accounts WHERE cash_only_until IS NULL ORDER BY id LIMIT 200")
        }
        let lines = 4_000
        var text = "account,amount,tender,reference\n"
        for index in 0..<lines { text += "\(accounts[index % accounts.count]),\(1 + index % 50).\(String(format: "%02d", index % 100)),\(["ach", "card", "lockbox"][index % 3]),KILL-\(index)\n" }
        let file = directory.appendingPathComponent("big.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for _ in 0..<4 {
            let child = try books.spawn(["import", "payments", file.path, "--db", db, "--operator", "lead"],
                                              environment: ["TILL_PIN": "3333", "TILL_TERMINAL": "KILLIMP"])
            usleep(UInt32.random(in: 150_000...500_000, using: &generator))
            kill(child.pid, SIGKILL)
            if TillProcess.wait(child.pid) == 128 + SIGKILL { killed += 1 }
            try? FileManager.default.removeItem(at: child.directory)
        }
        let finish = try books.till(["import", "payments", file.path, "--db", db, "--operator", "lead"], environment: ["TILL_PIN": "3333"])
        #expect(finish.status == 0, "\(finish.stderr)")
        let (posted, batches, complete) = try books.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE idempotency_key LIKE 'import:KILL-%'")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT l.batch_id) FROM batch_lines l WHERE l.reference LIKE 'KILL-%'")!,
             try Int.fetchOne(db, sql: """
                 SELECT COUNT(*) FROM batches b WHERE b.kind = 'import'
                   AND b.line_count = (SELECT COUNT(*) FROM batch_lines l WHERE l.batch_id = b.id)
                   AND b.total_cents = (SELECT SUM(p.amount_cents) FROM batch_lines l JOIN postings p ON p.transaction_id = l.transaction_id
                                        AND p.book IN ('ACH', 'CARD', 'BANK') WHERE l.batch_id = b.id)
                 """)!)
        }
        #expect(posted == lines, "every line once")
        #expect(batches == 1 && complete >= 1, "one batch, finished and adding up (\(killed) runs killed)")
        #expect(try books.till(["verify", "--db", db]).status == 0)
        let again = try books.till(["import", "payments", file.path, "--db", db, "--operator", "lead"], environment: ["TILL_PIN": "3333"])
        #expect(again.stdout.contains("0 posted, $0.00; \(lines) already posted"), "\(again.stdout)")
    }

    @Test(arguments: Engine.all) func killedAtAnyMomentNothingIsLostHalfWrittenOrPostedTwice(_ engine: Engine) throws {
        // A terminal on PostgreSQL takes longer to start (its connection and statements; 150-200 ms
        // for a debug build here, most of a 60-260 ms window): its kills wait that much more, so a
        // round ends mid-posting rather than mid-start, and half as many rounds take the same time.
        let rounds = Self.size("TILL_KILL_ROUNDS", engine == .postgres ? 100 : 200)
        let startup: UInt32 = engine == .postgres ? 150_000 : 0
        let books = try Self.demo(engine)
        let directory = books.directory, db = books.db
        let ack = directory.appendingPathComponent("ack").path
        var generator = SystemRandomNumberGenerator()
        var killed = 0
        for round in 0..<rounds {
            // Every round starts three keys before the last one acknowledged: those (and one that
            // may have committed unacknowledged as the kill came) are answered from the ledger,
            // then new ones are posted until the kill.
            let last = Self.acknowledged(ack).compactMap { Int($0.key.dropFirst(2)) }.max() ?? -1
            let child = try books.spawn([
                "post-loop", "--db", db, "--operator", "cashier", "--count", "1000000", "--key-prefix", "K",
                "--start", "\(max(0, last + 1 - 3))", "--ack", ack,
            ], environment: ["TILL_PIN": "1111", "TILL_TERMINAL": "KILL"])
            usleep(UInt32.random(in: 60_000...260_000, using: &generator) + startup)
            kill(child.pid, SIGKILL)
            if TillProcess.wait(child.pid) == 128 + SIGKILL { killed += 1 }
            try? FileManager.default.removeItem(at: child.directory)
            if round % 25 == 24 || round == rounds - 1 {
                let verify = try books.till(["verify", "--db", db])
                #expect(verify.status == 0, "after \(round + 1) kills: \(verify.stdout)")
            }
        }
        #expect(killed >= rounds * 9 / 10, "only \(killed) of \(rounds) runs were killed mid-way")
        // Every acknowledged receipt is in the ledger under its key; a key acknowledged twice
        // (once before a kill, once after a restart) has one receipt.
        let keyed = try books.read { db in
            try Dictionary(uniqueKeysWithValues: SQLRow.fetchAll(db, sql: """
                SELECT idempotency_key, receipt_number FROM transactions WHERE idempotency_key LIKE 'K-%'
                """).map { ($0[0] as String, $0[1] as Int64) })
        }
        let acks = Self.acknowledged(ack)
        #expect(acks.count > rounds, "the harness acknowledged only \(acks.count) payments in \(rounds) rounds")
        var seen: [String: Int64] = [:]
        for a in acks {
            #expect(keyed[a.key] == a.receipt, "acknowledged \(a.key) as #\(a.receipt), the ledger has \(keyed[a.key].map { "#\($0)" } ?? "nothing")")
            if let first = seen[a.key] { #expect(first == a.receipt) }
            seen[a.key] = a.receipt
        }
        // The keys posted run K-0 … K-(n-1) with none missing: a restart never skipped or doubled one.
        let numbers = keyed.keys.compactMap { Int($0.dropFirst(2)) }.sorted()
        #expect(numbers == Array(0..<numbers.count))
        // None of these receipts printed (the harness has no printer): every one waits in the
        // terminal's reprint queue, as a payment does whose process died before its receipt printed.
        let queue = try books.ledger().reprintQueue(terminal: "KILL")
        #expect(Set(queue.map(\.value)) == Set(keyed.values))
        print("kill -9: \(killed) kills, \(keyed.count) payments posted, \(acks.count) acknowledgements")
    }

    @Test(arguments: Engine.all) func aBackupTakenWhilePostingIsWholeAndPrivate(_ engine: Engine) throws {
        let books = try Self.demo(engine)
        let directory = books.directory, db = books.db
        let poster = try books.spawn([
            "post-loop", "--db", db, "--operator", "cashier", "--count", "400", "--key-prefix", "B",
        ], environment: ["TILL_PIN": "1111", "TILL_TERMINAL": "BACKUP"])
        var copies: [String] = []
        for index in 0..<3 {
            usleep(150_000)
            let copy = directory.appendingPathComponent("copy\(index).sqlite").path
            let taken = try books.till(["backup", "--db", db, copy])
            #expect(taken.status == 0, "\(taken.stderr)")
            copies.append(copy)
        }
        #expect(TillProcess.wait(poster.pid) == 0)
        for copy in copies {
            let verify = try books.till(["verify", "--db", copy])
            #expect(verify.status == 0, "\(copy): \(verify.stdout)")
            let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
        // A backup never overwrites a file.
        let again = try books.till(["backup", "--db", db, copies[0]])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
    }

    @Test(arguments: Engine.all) func aWorldWritableLedgerIsRefusedAndNoFullCardNumberIsEverStored(_ engine: Engine) throws {
        let books = try Self.demo(engine), db = books.db
        // Someone tries to enter a full card number, in every field that takes card details.
        let env = ["TILL_PIN": "1111", "TILL_TERMINAL": "T9"]
        for tender in ["card:4111111111111111:A1B2C3:VISA", "card:4242:4111111111111111:VISA", "ach:4111111111111111",
                       "check:4111111111111111"] {
            let tried = try books.till(["pay", "100001", "10.00", "--tender", tender, "--operator", "cashier", "--db", db], environment: env)
            #expect(tried.status == 1, "\(tender) was accepted")
            #expect(!tried.stderr.contains("4111111111111111"), "the number was echoed: \(tried.stderr)")
        }
        #expect(try books.count("SELECT COUNT(*) FROM transactions WHERE terminal_id = 'T9'") == 0)
        // The file and the mode it is kept with are SQLite's (a PostgreSQL ledger's files are the server's).
        guard engine == .sqlite else { return }
        for file in [db, db + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(Self.luhnRun(in: bytes) == nil, "\(file) holds a card-like number")
        }
        // Anyone may write the file: refused, unless the operator says so.
        chmod(db, 0o666)
        let refused = try books.till(["summary", "--db", db])
        #expect(refused.status == 1 && refused.stderr.contains("may be written by anyone"))
        #expect(try books.till(["summary", "--db", db, "--allow-world-writable"]).status == 0)
        // Readable by the group or by anyone: refused the same way (the books hold PIN hashes).
        for mode: mode_t in [0o644, 0o640, 0o604] {
            chmod(db, mode)
            let readable = try books.till(["summary", "--db", db])
            #expect(readable.status == 1 && readable.stderr.contains("may be read by others"), "\(String(mode, radix: 8))")
        }
        #expect(try books.till(["summary", "--db", db, "--allow-world-writable"]).status == 0)
        chmod(db, 0o600)
        #expect(try books.till(["summary", "--db", db]).status == 0)
    }

    /// The first run of 13 to 19 ASCII digits passing the Luhn check, if any.
    static func luhnRun(in data: Data) -> String? {
        var digits: [UInt8] = []
        func check() -> String? {
            guard digits.count >= 13 else { return nil }
            for length in 13...min(19, digits.count) {
                for start in 0...(digits.count - length) {
                    let run = digits[start..<(start + length)].map { Int($0 - 48) }
                    var sum = 0
                    for (index, digit) in run.reversed().enumerated() {
                        let value = index % 2 == 1 ? digit * 2 : digit
                        sum += value > 9 ? value - 9 : value
                    }
                    if sum % 10 == 0 && Set(run).count > 1 { return String(decoding: digits[start..<(start + length)], as: UTF8.self) }
                }
            }
            return nil
        }
        for byte in data {
            if byte >= 48 && byte <= 57 { digits.append(byte); continue }
            if let found = check() { return found }
            digits.removeAll(keepingCapacity: true)
        }
        return check()
    }
}
}
