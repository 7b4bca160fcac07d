import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// Heads written down outside the file. A person with the file and Till's source can rewrite
/// the books and reseal both chains so that verify alone says sound; a head written down
/// before the change then shows it.
@Suite("Anchors: the ledger's head outside the file")
struct AnchorTests {
    /// As someone with Till's source would: every seal of both chains after `keepingTransactions`
    /// and `keepingRecords` deleted and written again over the books as they now are.
    /// On PostgreSQL, a superuser with the triggers off for the session does the same.
    static func reseal(_ f: CounterFixture, keepingTransactions: Int64 = 0, keepingRecords: Int64 = 0) throws {
        if let database = f.postgresDatabase {
            let superuser = try PGConnection(TestPostgres.uri(database: database))
            try superuser.execute("SET search_path TO \(PGSchema.name)")
            try superuser.execute("SET session_replication_role = replica")
            try superuser.execute("BEGIN")
            try superuser.execute("DELETE FROM transaction_hashes WHERE seq > \(keepingTransactions)")
            try superuser.execute("DELETE FROM record_seals WHERE seq > \(keepingRecords)")
            try Chain.sealPending(Store(superuser))
            try RecordSeals.sealUnsealed(Store(superuser))
            try superuser.execute("COMMIT")
            return
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in db.add(function: RecordSeals.digestFunction) }
        let queue = try DatabaseQueue(path: f.ledger.path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER transaction_hashes_no_delete; DROP TRIGGER record_seals_no_delete;
                DELETE FROM transaction_hashes WHERE seq > \(keepingTransactions);
                DELETE FROM record_seals WHERE seq > \(keepingRecords);
                """)
            try Chain.sealPending(Store(db))
            try RecordSeals.sealUnsealed(Store(db))
            try db.execute(sql: AppendOnly.triggersSQL(for: "transaction_hashes").components(separatedBy: ";\n")[1] + ";")
            try db.execute(sql: AppendOnly.triggersSQL(for: "record_seals").components(separatedBy: ";\n")[1] + ";")
        }
        try queue.close()
    }

    static func closeDrawerAndDay(_ f: CounterFixture, cash: String) throws -> (z: LedgerHead, day: LedgerHead) {
        _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse(cash), checksFound: [], cardBatch: .zero),
                                     operatorID: f.cashier.id, terminal: "T1")
        let z = try #require(try f.ledger.headOfDrawerClose(session: f.drawer))
        let day = try #require(try f.ledger.closeBusinessDay(by: f.supervisor.id, terminal: "T1", bag: "B-1").closed?.head)
        return (z, day)
    }

    @Test(arguments: Engine.all) func aRewriteBeforeTheAnchorIsCaughtThoughBothChainsVerify(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            let payment = try f.payCash("100001", cents: 2_000)
            let heads = try Self.closeDrawerAndDay(f, cash: "20=11")
            #expect(try f.ledger.anchorFault(heads.day.short) == nil)
            #expect(try f.ledger.anchorFault(heads.z.full) == nil)

            // $20.00 becomes $2.00 on every side, the day's deposit and count with it, and both
            // chains are written again from the start.
            try f.tamper("""
                UPDATE postings SET amount_cents = amount_cents / 10 WHERE transaction_id = \(payment.id);
                UPDATE tenders SET amount_cents = amount_cents / 10, tendered_cents = tendered_cents / 10 WHERE transaction_id = \(payment.id);
                UPDATE allocations SET amount_cents = amount_cents / 10 WHERE transaction_id = \(payment.id);
                """)
            try Self.reseal(f)
            let faultsLeft = try f.ledger.verify().checks.compactMap(\.fault)
            #expect(!faultsLeft.contains { $0.contains("chain") || $0.contains("sealed") }, "\(faultsLeft)")
            for head in [heads.day, heads.z] {
                let fault = try f.ledger.anchorFault(head.short)
                #expect(fault?.contains("is not in this ledger") == true)
            }
        }
    }

    @Test(arguments: Engine.all) func cuttingTheNewestTransactionsOffIsCaught(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let anchor = try f.ledger.head()
            try f.payCash("100002", cents: 500)
            // The head written down covers the $5.00 payment; deleting it takes the head with it.
            let late = try f.ledger.head()
            try f.tamper("""
                DELETE FROM allocations WHERE transaction_id = (SELECT MAX(id) FROM transactions);
                DELETE FROM tenders WHERE transaction_id = (SELECT MAX(id) FROM transactions);
                DELETE FROM postings WHERE transaction_id = (SELECT MAX(id) FROM transactions);
                DELETE FROM transactions WHERE id = (SELECT MAX(id) FROM transactions);
                """)
            let (transactions, records) = try f.ledger.read { db in
                (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM transaction_hashes WHERE transaction_id < (SELECT MAX(transaction_id) FROM transaction_hashes)")!,
                 try Int64.fetchOne(db, sql: "SELECT seq FROM record_seals WHERE hash = ?", arguments: [anchor.hash])!)
            }
            try Self.reseal(f, keepingTransactions: transactions, keepingRecords: records)
            #expect(try f.ledger.anchorFault(late.short) != nil)
            // The window, stated plainly in RELIABILITY.md: what came after the latest head written
            // down can be rewritten without that head showing it.
            #expect(try f.ledger.anchorFault(anchor.short) == nil)
        }
    }

    @Test(arguments: Engine.all) func theZReportsHeadIsItsCloseNotTheNextPayment(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse("20=11"), checksFound: [], cardBatch: .zero),
                                         operatorID: f.cashier.id, terminal: "T1")
            let asClosed = try f.ledger.head()
            // Another terminal posts straight after: the Z report (and its reprint) keeps the close's head.
            let lead = try f.ledger.addOperator(login: try OperatorLogin("lead"), displayName: "Lee", role: .lead, pin: "5555", by: f.supervisor.id)
            let other = try f.ledger.openDrawer(operatorID: lead.id, terminal: "T2").id
            _ = try f.ledger.post(Payment(lines: [.account(try f.account("100002"), Money(cents: 700))], tenders: [.cash(Money(cents: 700))]),
                                  operatorID: lead.id, terminal: "T2", drawerSession: other)
            #expect(try f.ledger.head() != asClosed)
            #expect(try f.ledger.headOfDrawerClose(session: f.drawer) == asClosed)
        }
    }

    @Test(arguments: Engine.all) func aHeadIsCheckedAsWrittenAndNonsenseIsRefused(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let head = try f.ledger.head()
            #expect(try f.ledger.anchorFault(head.short.uppercased()) == nil)
            #expect(try f.ledger.anchorFault(String(head.short.prefix(8)) + " " + String(head.short.dropFirst(8))) == nil)
            #expect(try f.ledger.anchorFault("0123456789abcdef")?.contains("not in this ledger") == true)
            for nonsense in ["", "12345", "zz23456789abcdef", head.full + "00", "0123456789abcde"] {
                #expect(throws: LedgerError.self) { try f.ledger.anchorFault(nonsense) }
            }
        }
    }

    @Test(arguments: Engine.all) func theDayCloseWritesItsHeadWhereVerifyFindsIt(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let heads = try Self.closeDrawerAndDay(f, cash: "20=11")
            let reports = f.directory.appendingPathComponent("reports").path
            try ReportFiles.write(try f.ledger.settlement(CounterFixture.today), to: reports)
            let written = try Ledger.writtenHeads(in: reports)
            #expect(written.map(\.head) == [heads.day.full])
            #expect(written.first?.file == "2026-11-20-head.txt")
            let mode = try FileManager.default.attributesOfItem(atPath: reports + "/2026-11-20-head.txt")[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test(arguments: Engine.all) func aBackupAndAnExportCarryTheHeadOfWhatTheyHold(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.payCash("100001", cents: 2_000)
            let now = try f.ledger.head()
            let copy = try f.ledger.backup(to: f.directory.appendingPathComponent("copy.sqlite").path)
            #expect(copy.head == now)
            #expect(try Ledger(path: copy.path).anchorFault(now.full) == nil)
            var told: LedgerHead?
            var journal = ""
            _ = try f.ledger.exportJournal(from: nil, to: nil, head: { told = $0 }) { journal += $0 }
            #expect(told == now)
            #expect(journal.hasSuffix("; ledger head \(now.full) (as this journal was read; till verify --anchor \(now.short))\n"))
        }
    }
}
