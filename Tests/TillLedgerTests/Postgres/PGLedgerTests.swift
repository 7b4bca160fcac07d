import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
@testable import TillLedger

/// A SQLite ledger copied to PostgreSQL reads the same there: the same journal byte for byte,
/// the same head, the same settlement, receipts and accounts, through the same store seam.
@Suite("A ledger on PostgreSQL", .enabled(if: TestPostgres.available, "no TILL_TEST_POSTGRES server (scripts/test starts one)"))
struct PGLedgerTests {
    /// An empty PostgreSQL ledger: roles set up, migrated by its owner, the terminals' privileges granted.
    static func initialized(_ name: String) throws -> (owner: String, terminal: String) {
        let admin = try PGConnection(TestPostgres.uri(database: name))
        let roles = (owner: name + "_owner", terminal: name + "_terminal")
        try PGSchema.setUpRoles(admin, owner: roles.owner, terminal: roles.terminal)
        try PGSchema.migrate(admin, owner: roles.owner)
        try PGSchema.grantTerminal(admin, owner: roles.owner, terminal: roles.terminal)
        return roles
    }

    func journal(_ ledger: Ledger) throws -> (text: String, head: LedgerHead?) {
        var text = ""
        var head: LedgerHead?
        _ = try ledger.exportJournal(from: nil, to: nil, head: { head = $0 }) { text += $0 }
        return (text, head)
    }

    /// A payment's cost on PostgreSQL is its round trips to the server: its reads before it
    /// writes go together, its inserts with the next read, the seal's reads together, the
    /// last seal with the COMMIT. Held here so a change that adds round trips is seen.
    @Test("a payment on PostgreSQL takes seven round trips, ten where it pays a charge")
    func aPaymentsRoundTrips() throws {
        try CounterFixture.on(.postgres) { f in
            guard case .postgres(let pool) = f.ledger.backend else { Issue.record("not on PostgreSQL"); return }
            _ = try f.payCash("100001", cents: 500, key: "warm") // each statement prepared once per connection
            // BEGIN with the lock and the newest id; the reads before writing (the open day, the
            // operator, the drawer, the account, the key, the next receipt…); the transaction
            // with the terminal; its postings and tender with the open items and the account's
            // status; the allocation; the guard's and chain's reads; the chain's seal with the
            // record seals' reads; the allocations' range; its digest; the last seal with the COMMIT.
            var before = pool.roundTrips
            let posted = try f.payCash("100002", cents: 700, key: "k-1")
            let allocated = pool.roundTrips - before
            #expect(allocated == 10, "\(allocated) round trips")
            #expect(try f.ledger.receipt(try #require(posted.receipt))?.tenders.first?.amount == Money(cents: 700))
            // An account with nothing left to pay: no allocation, no range to seal.
            _ = try f.payCash("100002", cents: try f.balance("100002").cents)
            before = pool.roundTrips
            _ = try f.payCash("100002", cents: 100, key: "k-2")
            let unallocated = pool.roundTrips - before
            #expect(unallocated == 7, "\(unallocated) round trips")
            // Two accounts in two tenders, each allocating to a charge, one of them locked off
            // (the restore check reads the reconnect fee and its work orders); the statements
            // for three postings and two tenders are prepared the first time (two round trips).
            before = pool.roundTrips
            _ = try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(cents: 300)),
                                                  .account(try f.account("100003"), Money(cents: 400))],
                                          tenders: [.cash(Money(cents: 500)), .check(Money(cents: 200), number: "1001")]),
                                  operatorID: f.cashier.id, terminal: "T1", idempotencyKey: "k-3", drawerSession: f.drawer)
            let split = pool.roundTrips - before
            #expect(split <= 17, "\(split) round trips")
            // The same key again is answered from the reads alone (its three statements that
            // compare the request are prepared the first time).
            before = pool.roundTrips
            let replayed = try f.payCash("100002", cents: 700, key: "k-1")
            let again = pool.roundTrips - before
            #expect(again <= 11, "\(again) round trips")
            #expect(replayed.wasAlreadyPosted && replayed.id == posted.id)
            #expect(try f.ledger.verify().isSound)
        }
    }

    /// A keystroke's lookup is one round trip: the exact-number statement and the words'
    /// statement together, outside a transaction.
    @Test("a lookup on PostgreSQL takes one round trip")
    func aLookupsRoundTrips() throws {
        try CounterFixture.on(.postgres) { f in
            guard case .postgres(let pool) = f.ledger.backend else { Issue.record("not on PostgreSQL"); return }
            for text in ["1000", "o", "oak st", "100001"] {
                let first = try f.ledger.searchAccounts(text).map(\.number) // statements prepared once per connection
                let before = pool.roundTrips
                let again = try f.ledger.searchAccounts(text).map(\.number)
                #expect(pool.roundTrips - before == 1, "\(text): \(pool.roundTrips - before) round trips")
                #expect(again == first)
            }
            #expect(try f.ledger.searchAccounts("100001").first?.number == "100001")
        }
    }

    /// The session's table of rows written is not emptied by the server at each commit (that
    /// cost 0.3 ms a payment): each write empties it as it begins, so a note left there by a
    /// transaction that was not a write's is never sealed as if the write had made it.
    @Test("a write seals only what it wrote, not a note an earlier transaction left in the session")
    func aWriteSealsOnlyItsOwnNotes() throws {
        try CounterFixture.on(.postgres) { f in
            guard case .postgres(let pool) = f.ledger.backend else { Issue.record("not on PostgreSQL"); return }
            _ = try f.payCash("100001", cents: 500, key: "warm")
            let connection = try pool.connection()
            // The connection that wrote: its session has the table, and the write emptied it.
            #expect(try connection.execute("SELECT count(*) FROM pg_temp.till_pending_records").scalar == "0")
            let seals = "SELECT count(*) FROM record_seals WHERE tbl = 'settings'"
            let before = try connection.execute(seals).scalar
            // A note committed outside any write, as a stray statement on the session would leave it.
            try connection.execute("INSERT INTO pg_temp.till_pending_records VALUES ('settings', 'receipt_footer')")
            pool.giveBack(connection)
            _ = try f.payCash("100002", cents: 700, key: "k-1")
            let after = try pool.connection()
            defer { pool.giveBack(after) }
            #expect(after === connection, "the payment ran on the connection with the note")
            #expect(try after.execute(seals).scalar == before, "the stray note was sealed")
            #expect(try after.execute("SELECT count(*) FROM pg_temp.till_pending_records").scalar == "0")
            #expect(try f.ledger.verify().isSound)
        }
    }

    @Test("a demo ledger copied to PostgreSQL gives the same journal, head, settlement, receipts and accounts")
    func copiedDemoReadsTheSame() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 120, seed: 11)
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            let summary = try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner))
            #expect(summary.rows.first { $0.table == "transactions" }!.count > 1_000)
            // The lookup's prefixes are read from the index alone from the first keystroke.
            let admin = try PGConnection(TestPostgres.uri(database: name))
            #expect(try admin.execute("SELECT relallvisible > 0 FROM pg_class WHERE oid = 'till.account_prefixes'::regclass").scalar == "t")
            #expect(Set(summary.rows.map(\.table)).union(PGCopy.kept).count == 52)

            // The terminals read it as they would their own.
            let pg = try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal))
            #expect(pg.isPostgres)
            let (fileJournal, fileHead) = try journal(sqlite)
            let (pgJournal, pgHead) = try journal(pg)
            #expect(pgJournal == fileJournal)
            #expect(fileHead != nil && pgHead == fileHead && summary.head == fileHead)

            #expect(try "\(pg.summary())" == "\(sqlite.summary())")
            let day = try BusinessDate("2026-11-19")
            #expect(try "\(pg.settlement(day))" == "\(sqlite.settlement(day))")
            for number in ["100001", "100007", "100042"] {
                #expect(try "\(String(describing: pg.accountDetail(number)))" == "\(String(describing: sqlite.accountDetail(number)))", "account \(number)")
            }
            // The counter's lookup finds the same accounts, in the same order, on both (on
            // PostgreSQL starting from each query's rarest word: the copy's ANALYZE counted them).
            #expect(try pg.read { db in try db.lookupPrefixCounts() }.count > 100)
            let names = try sqlite.read { db in try String.fetchAll(db, sql: "SELECT customer_name FROM accounts ORDER BY id LIMIT 40") }
            let typed: [String] = ["1000", "100042", "a", "ma", "st", "oak st", "555", "(555) 2", "M1000", "zzz", "m", "84", "1", "5 2", "fl",
                                   "w a", "o'b", "-0001", "zoë", "ZOE", "12.5"]
            let words: [String] = names.flatMap { $0.split(separator: " ") }.map(String.init)
            // Two words from each name and address, the way a cashier types them ("smi jo",
            // "12 oak"): some read side by side, some looked up, by the counts.
            let addresses = try sqlite.read { db in try String.fetchAll(db, sql: "SELECT service_address FROM accounts ORDER BY id LIMIT 40") }
            let pairs: [String] = (names + addresses).compactMap { text in
                let parts = text.split { !($0.isLetter || $0.isNumber) }
                return parts.count > 1 ? parts[0].prefix(3).lowercased() + " " + parts[1].prefix(2).lowercased() : nil
            } + ["m j", "1 s", "s 1", "a e", "e a"]
            let counts = try pg.read { db in try db.lookupPrefixCounts() }
            let forms = Set(pairs.map { AccountSearch.PostgresLookup(words: AccountSearch.words($0), limit: 50, counts: counts).form })
            #expect(forms == [.lookedUp, .sideBySide], "\(forms)")
            let queries: [String] = typed + words.map { String($0.prefix(4)) }.prefix(30) + words.map { String($0.prefix(2)) }.prefix(20) + pairs
            for query in queries {
                let (p, l) = (try pg.searchAccounts(query).map(\.number), try sqlite.searchAccounts(query).map(\.number))
                #expect(p == l, "lookup \(query): \(p) against \(l)")
            }
            for receipt in [1, 500, 1_000].map({ ReceiptNumber(Int64($0)) }) {
                #expect(try "\(String(describing: pg.receipt(receipt)))" == "\(String(describing: sqlite.receipt(receipt)))", "receipt \(receipt)")
            }
        }
    }

    @Test("a copy goes into an empty, migrated ledger only, and a failed one leaves nothing")
    func copyRefusals() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 20, seed: 5)
        try TestPostgres.withDatabase { uri, name in
            #expect { try sqlite.copy(toPostgres: uri) } throws: { "\($0)".contains("holds no Till ledger yet") }
            let roles = try Self.initialized(name)
            let owner = TestPostgres.uri(database: name, user: roles.owner)
            // The terminals' role may not copy: it may not set the kept balances' columns… nor anything of the owner's.
            let asTerminal = TestPostgres.uri(database: name, user: roles.terminal)
            #expect(throws: LedgerError.self) { try sqlite.copy(toPostgres: asTerminal) }
            let admin = try PGConnection(owner)
            #expect(try admin.execute("SELECT COUNT(*) FROM till.transactions").scalar == "0")
            _ = try sqlite.copy(toPostgres: owner)
            #expect { try sqlite.copy(toPostgres: owner) } throws: { "\($0)".contains("holds books already") }
        }
    }

    /// The rows go by COPY's text format, where a tab ends a value, a newline a row and a
    /// backslash starts an escape: a note holding each of them (and a name in other alphabets)
    /// arrives as the file holds it, byte for byte, and the seals' bytes with it; a text with a
    /// NUL, which PostgreSQL cannot hold, is refused by table and row and leaves the ledger empty.
    @Test("a copy moves every text byte for byte, and refuses a NUL by table and row, copying nothing")
    func copyMovesHostileTextExactly() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 20, seed: 5)
        let hostile = ["tab\there", "back\\slash \\N \\x41", "line\nbreak", "cr\rlf\r\n", "\\.", "\t", "zoë Ñandú 東京 ✓", " trailing "]
        let queue = try DatabaseQueue(path: sqlite.path)
        try queue.write { db in
            for (index, text) in hostile.enumerated() {
                try db.execute(sql: """
                    INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text)
                    VALUES (?, '2026-11-20T10:00:00Z', (SELECT MIN(id) FROM operators), 'T1', ?)
                    """, arguments: [index + 1, text])
            }
            try db.execute(sql: "UPDATE accounts SET mailing_address = ? WHERE id = 3", arguments: ["PO Box 7\tSuite \\4\nSpringfield"])
        }
        let notes = "SELECT id, account_id, text FROM account_notes ORDER BY id"
        let address = "SELECT mailing_address FROM accounts WHERE id = 3"
        let seals = "SELECT transaction_id, hash FROM transaction_hashes ORDER BY transaction_id"
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            let summary = try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner))
            let pg = try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal))
            for sql in [notes, address, seals] {
                let file = try sqlite.read { db in try SQLRow.fetchAll(db, sql: sql).map(\.values) }
                let copied = try pg.read { db in try SQLRow.fetchAll(db, sql: sql).map(\.values) }
                #expect(copied == file, "\(sql)")
                #expect(!file.isEmpty)
            }
            let texts = try pg.read { db in try String.fetchAll(db, sql: "SELECT text FROM account_notes ORDER BY id") }
            #expect(texts.suffix(hostile.count) == hostile[...])
            #expect(summary.head == (try journal(pg).head))
            // The notes were written behind Till's back: verify says so the same way on both.
            let (onServer, inFile) = (try pg.verify().firstFault, try sqlite.verify().firstFault)
            #expect(onServer != nil && onServer == inFile, "\(String(describing: onServer)) against \(String(describing: inFile))")
        }
        try queue.write { db in
            try db.execute(sql: "UPDATE accounts SET email = CAST('a' || X'00' || 'b' AS TEXT) WHERE id = 4")
        }
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            #expect { try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner)) } throws: { error in
                "\(error)".contains("accounts, row 4") && "\(error)".contains("NUL") && "\(error)".contains("nothing was copied")
            }
            let admin = try PGConnection(TestPostgres.uri(database: name, user: roles.owner))
            #expect(try admin.execute("SELECT (SELECT COUNT(*) FROM till.accounts) + (SELECT COUNT(*) FROM till.operators)").scalar == "0")
        }
    }

    /// The foreign keys are checked once over all the rows at the end of a copy, not as each
    /// goes in: a file whose note names an account it does not hold (written with SQLite's
    /// own checks off) is still refused, by the key's name, and nothing is copied.
    @Test("a copy of a file with a row naming a missing account is refused by the foreign key, copying nothing")
    func copyRefusesADanglingReference() throws {
        let (sqlite, _) = try DemoAndExportTests.demo(accounts: 20, seed: 5)
        let queue = try DatabaseQueue(path: sqlite.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: """
                INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text)
                VALUES (999999, '2026-11-20T10:00:00Z', (SELECT MIN(id) FROM operators), 'T1', 'nobody')
                """)
        }
        try TestPostgres.withDatabase { _, name in
            let roles = try Self.initialized(name)
            #expect { try sqlite.copy(toPostgres: TestPostgres.uri(database: name, user: roles.owner)) } throws: { error in
                "\(error)".contains("account_notes_account_id_fkey")
            }
            let admin = try PGConnection(TestPostgres.uri(database: name, user: roles.owner))
            #expect(try admin.execute("SELECT (SELECT COUNT(*) FROM till.account_notes) + (SELECT COUNT(*) FROM till.accounts)").scalar == "0")
            // The keys are back as the migrations made them, and the triggers on.
            #expect(try admin.execute("""
                SELECT COUNT(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = 'till' AND k.contype = 'f'
                """).scalar != "0")
            #expect(try admin.execute("""
                SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'till' AND t.tgenabled = 'D'
                """).scalar == "0")
        }
    }

    /// A settlement's figures, as the closer reads them (the clock's times left out: the two
    /// runs post at different moments).
    static func figures(_ s: Settlement) -> [String] {
        ["\(s.tenders)", "\(s.revenue)", "\(String(describing: s.receipts))", "\(s.corrections)", "\(s.batches)",
         "\(s.checks)", "\(s.floatsKept)", "\(s.cashCounted.total)", "\(s.drops.total)", "\(s.closed != nil)",
         "\(s.suspenseOpen.map { "\($0.amount) \($0.details.reason) \($0.receipt.map { "\($0)" } ?? "")" })",
         "\(s.drawers.map { "\($0.operatorLogin) \($0.terminal) \($0.openingFloat) \(String(describing: $0.close?.balance))" })"]
    }

    /// The reconciliation suite's random day (bills, every tender, voids, drops, a payment file, a
    /// mail batch, transfers, reversals, returned checks, refunds, suspense, over/short) run once on
    /// SQLite and once on PostgreSQL: the same settlement, the same journal, the same day close,
    /// verify sound on both, and hledger agrees with PostgreSQL's books.
    @Test("a random day posted on PostgreSQL gives what it gives on SQLite", arguments: [UInt64(3), 8])
    func aRandomDayMatchesSQLite(seed: UInt64) throws {
        let date = CounterFixture.today
        let lite = try RandomDay(seed: seed)
        try lite.run()
        try TestPostgres.withDatabase { _, name in
            let day = try RandomDay(seed: seed, postgres: name)
            try day.run()
            let (l, p) = (lite.f.ledger, day.f.ledger)
            #expect(p.isPostgres)
            #expect(try Self.figures(p.settlement(date)) == Self.figures(l.settlement(date)), "seed \(seed)")
            func journal(_ ledger: Ledger) throws -> String {
                var text = ""
                _ = try ledger.exportJournal(from: date, to: date) { text += $0 }
                return text.split(separator: "\n").filter { !$0.hasPrefix("; ledger head") }.joined(separator: "\n")
            }
            #expect(try journal(p) == journal(l), "seed \(seed)")
            let closedLite = try l.closeBusinessDay(by: lite.lead.id, terminal: "T9", bag: "B-\(seed)")
            let closed = try p.closeBusinessDay(by: day.lead.id, terminal: "T9", bag: "B-\(seed)")
            #expect(closed.depositTotal == closedLite.depositTotal)
            #expect(try Self.figures(p.settlement(date)) == Self.figures(l.settlement(date)), "seed \(seed), closed")
            #expect(try p.summary().bookBalances.map { "\($0)" } == l.summary().bookBalances.map { "\($0)" })
            #expect(try p.summary().lastReceipt == l.summary().lastReceipt)
            let report = try p.verify()
            #expect(report.isSound, "seed \(seed): \(report.firstFault ?? "")")
            try ReconciliationTests.expectHledgerAgrees(p, date, seed: seed)

            // …and back into a file: the same rows, journal and head, verify sound there too.
            let back = day.f.directory.appendingPathComponent("back.sqlite").path
            let copied = try p.copy(toFile: back)
            let file = try Ledger(path: back)
            #expect(try file.verify().isSound)
            #expect(try journal(file) == journal(p))
            #expect(try copied.head == LedgerHead(hash: p.read { try RecordSeals.head($0) }))
            #expect(try copied.head == LedgerHead(hash: file.read { try RecordSeals.head($0) }))
        }
    }

    /// Eight terminals post at once while every connection to the database is cut, again and
    /// again (as a server restart or a network break would): each payment a terminal was told
    /// was posted is in the ledger once, under its key and with the receipt it was given; the
    /// receipt numbers have no gap and no repeat, and verify is sound.
    @Test("eight terminals post through cut connections: nothing lost, nothing doubled, receipts gapless")
    func eightTerminalsThroughCutConnections() throws {
        try TestPostgres.withDatabase { uri, name in
            let f = try CounterFixture(postgres: name)
            let pepper = PINPepper.path(forLedger: f.directory.appendingPathComponent("till.sqlite").path, environment: [:])
            let posted = Mutex<[String: ReceiptNumber]>([:])
            let failures = Mutex<[String]>([])
            let running = Atomic<Int>(8)
            let cuts = Atomic<Int>(0)
            let address = f.ledger.path
            // Two offices, each counting its own receipts: terminals 2 and 4…7 stand in North.
            _ = try f.mainAndNorth()
            for terminal in 4..<8 { _ = try f.ledger.placeTerminal("T\(terminal)", in: "NORTH", by: f.supervisor.id) }
            try f.ledger.setSetting(.receiptNumbering, "office", by: f.supervisor.id)
            // Cuts every other connection to this database five times a second until the terminals are done.
            let admin = try PGConnection(uri)
            let cutter = Thread {
                while running.load(ordering: .relaxed) > 0 {
                    if let cut = try? admin.execute("""
                        SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                        WHERE datname = $1 AND pid <> pg_backend_pid()
                        """, [.text(name)]).scalar, let count = Int(cut) { cuts.add(count, ordering: .relaxed) }
                    usleep(200_000)
                }
            }
            cutter.start()
            // Eight threads of their own, all posting at once (not two at a time, as on two cores).
            let group = DispatchGroup()
            for terminal in 0..<8 {
                group.enter()
                Thread {
                    defer { group.leave() }
                    postAll(terminal)
                }.start()
            }
            group.wait()
            @Sendable func postAll(_ terminal: Int) {
                defer { running.subtract(1, ordering: .relaxed) }
                do {
                    let ledger = try Ledger(postgres: address, pepperFile: pepper, filesDirectory: f.directory.path)
                    for n in 0..<20 {
                        let key = "T\(terminal)-\(n)"
                        let cents = Int64(100 + terminal * 100 + n)
                        let done = try ledger.post(Payment(lines: [.account(try AccountNumber("10000\(1 + n % 3)"), Money(cents: cents))],
                                                           tenders: [.card(Money(cents: cents), lastFour: "4242", authorization: "A\(n)")]),
                                                   operatorID: f.cashier.id, terminal: "T\(terminal)", idempotencyKey: key)
                        posted.withLock { $0[key] = done.receipt }
                    }
                } catch {
                    failures.withLock { $0.append("T\(terminal): \(error)") }
                }
            }
            while !cutter.isFinished { usleep(10_000) }
            #expect(failures.withLock { $0 } == [])
            #expect(cuts.load(ordering: .relaxed) > 0, "no connection was cut: the test proved nothing")
            let acknowledged = posted.withLock { $0 }
            #expect(acknowledged.count == 160)
            let stored = try f.ledger.read { db in
                try SQLRow.fetchAll(db, sql: "SELECT idempotency_key, receipt_number FROM transactions WHERE idempotency_key LIKE 'T%-%'")
            }
            #expect(stored.count == 160, "each key once")
            for row in stored {
                let key: String = row[0], receipt: Int64 = row[1]
                #expect(acknowledged[key]?.value == receipt, "\(key): the receipt the terminal printed is the one stored")
            }
            #expect(Set(stored.map { $0[1] as Int64 }).count == 160)
            // Each office's own numbers: one a receipt, 1…N in the utility's order, none skipped.
            let (expected, officeNumbers) = try OfficeReceiptTests.plainOfficeNumbers(f.ledger)
            #expect(officeNumbers.count == 160 && officeNumbers == expected)
            #expect(Set(officeNumbers.values.filter { $0.hasPrefix("NORTH-") }) == Set((1...100).map { "NORTH-\($0)" }))
            let report = try f.ledger.verify()
            #expect(report.isSound, "\(report.firstFault ?? "")")
        }
    }

    @Test("a database without Till's schema, or with a newer one, is refused with what to do")
    func schemaChecks() throws {
        try TestPostgres.withDatabase { uri, name in
            #expect { try Ledger.open(uri) } throws: { "\($0)".contains("holds no Till ledger") && "\($0)".contains("till init") }
            let roles = try Self.initialized(name)
            let admin = try PGConnection(uri)
            try admin.execute("INSERT INTO till.migrations(version, name, sha256) VALUES (99, 'from a newer Till', '')")
            #expect { try Ledger.open(TestPostgres.uri(database: name, user: roles.terminal)) } throws: {
                "\($0)".contains("newer version of Till")
            }
        }
    }
}
