import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// A person with the file and `sqlite3` changes what carries money or trust outside the
/// transactions themselves: every change is named by `till verify`, and Till builds on none.
@Suite("The sealed log: days, drawers, operators, settings and every record")
struct SealedRecordsTests {
    /// A day with a cash payment, its drawer closed on an exact count, and the day closed
    /// and deposited.
    static func closeDay(_ f: CounterFixture) throws {
        try f.payCash("100001", cents: 2_000)
        _ = try f.ledger.closeDrawer(session: f.drawer, count: DrawerCount(cash: try CashCount.parse("20=11"), checksFound: [],
                                                                           cardBatch: .zero),
                                     operatorID: f.cashier.id, terminal: "T1")
        _ = try f.ledger.closeBusinessDay(by: f.supervisor.id, terminal: "T1", bag: "B-1120")
    }

    static func sealedLogFault(_ f: CounterFixture) throws -> String? {
        try f.ledger.verify().checks.first { $0.name.hasPrefix("days, drawers, operators") }?.fault
    }

    @Test(arguments: Engine.all) func aClosedDayIsSoundAndEveryTableIsSealed(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try Self.closeDay(f)
            #expect(try f.ledger.verify().isSound)
            let sealed = try f.ledger.read { db in try Set(String.fetchAll(db, sql: "SELECT DISTINCT tbl FROM record_seals")) }
            for table in ["settings", "operators", "terminals", "business_days", "drawer_sessions", "allocations", "audit_events",
                          "cash_counts", "cash_count_lines", "drawer_closes"] {
                #expect(sealed.contains(table), "\(table) is sealed")
            }
        }
    }

    /// Each change is what a person would try; verify names the table every time.
    @Test(arguments: Engine.all, [
        ("UPDATE business_days SET closed_at = NULL, closed_by = NULL", "business_days"),
        ("UPDATE business_days SET deposit_bag = 'B-9999'", "business_days"),
        ("UPDATE drawer_closes SET approved_by = 1, reason = 'approved'", "drawer_closes"),
        ("UPDATE drawer_closes SET counted_cash_cents = counted_cash_cents", "sealed"), // no change at all: sound
        ("UPDATE cash_count_lines SET quantity = quantity + 1 WHERE id = (SELECT MAX(id) FROM cash_count_lines)", "cash_count_lines"),
        ("UPDATE allocations SET amount_cents = amount_cents - 1 WHERE id = (SELECT MIN(id) FROM allocations)", "allocations"),
        ("DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)", "audit_events"),
        ("UPDATE audit_events SET detail = 'nothing happened' WHERE id = 1", "audit_events"),
        ("INSERT INTO audit_events(at, event, detail) SELECT at, event, detail FROM audit_events WHERE id = 1", "audit_events"),
        ("""
         INSERT INTO operators(login, display_name, role, pin_hash, pin_salt, pin_rounds, created_at)
         SELECT 'boss2', 'Forged', 'supervisor', pin_hash, pin_salt, pin_rounds, created_at FROM operators WHERE login = 'super'
         """, "operators"),
        ("UPDATE operators SET role = 'supervisor' WHERE login = 'cashier'", "operators"),
        ("UPDATE settings SET value = '100000' WHERE key = (SELECT MIN(key) FROM settings)", "settings"),
        ("DELETE FROM settings WHERE key = (SELECT MIN(key) FROM settings)", "settings"),
        ("UPDATE drawer_sessions SET opening_float_cents = 10000", "drawer_sessions"),
        ("UPDATE terminals SET description = 'elsewhere'", "terminals"),
    ])
    func everyChangeToASealedRowIsNamed(_ engine: Engine, _ attempt: (change: String, table: String)) throws {
        try CounterFixture.on(engine) { f throws in
            try Self.closeDay(f)
            try f.tamper(attempt.change)
            let fault = try Self.sealedLogFault(f)
            if attempt.table == "sealed" {
                #expect(fault == nil)
            } else {
                #expect(fault?.contains(attempt.table) == true, "\(attempt.change): \(fault ?? "sound")")
            }
        }
    }

    /// The attack as reported: one UPDATE reopens a closed, deposited day. Nothing posts
    /// into it, and verify says so.
    @Test(arguments: Engine.all) func aClosedDayReopenedBehindTillsBackTakesNoPayment(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try Self.closeDay(f)
            try f.tamper("UPDATE business_days SET closed_at = NULL, closed_by = NULL, deposit_bag = NULL, deposit_transaction_id = NULL")
            let drawer = try? f.ledger.openDrawer(operatorID: f.cashier.id, terminal: "T1").id
            #expect(drawer == nil)
            let error = #expect(throws: LedgerError.self) {
                try f.ledger.post(Payment(lines: [.account(try f.account("100002"), Money(cents: 500))], tenders: [.cash(Money(cents: 500))]),
                                  operatorID: f.cashier.id, terminal: "T1")
            }
            #expect(error?.code == .tampered)
            #expect(error?.message.contains("not as Till left it") == true)
            #expect(try f.count("transactions") == f.ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transaction_hashes")! })
            #expect(try Self.sealedLogFault(f)?.contains("business_days row 2026-11-20 was changed outside Till") == true)
        }
    }

    /// On PostgreSQL a connection proves the open day's row once per version: a payment, an
    /// account view and a second payment have proved it on the terminal's connections when the
    /// row is changed behind Till's back. The next payment and drawer are still refused, on
    /// the connections that proved the old version, and nothing is written.
    @Test(arguments: Engine.all) func anOpenDayChangedAfterItWasProvedTakesNoPayment(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            _ = try f.payCash("100001", cents: 500)
            _ = try f.ledger.accountDetail("100001")
            _ = try f.payCash("100002", cents: 700)
            let before = try f.count("transactions")
            try f.tamper("UPDATE business_days SET opened_by = \(f.supervisor.id), opened_at = '2026-11-20T06:00:00.000Z' WHERE closed_at IS NULL")
            for _ in 0..<3 {
                let error = #expect(throws: LedgerError.self) { try f.payCash("100003", cents: 900) }
                #expect(error?.code == .tampered && error?.message.contains("not as Till left it") == true)
            }
            #expect(try f.count("transactions") == before)
            #expect((try? f.ledger.openDrawer(operatorID: f.supervisor.id, terminal: "T2")) == nil)
            #expect(try Self.sealedLogFault(f)?.contains("business_days row 2026-11-20 was changed outside Till") == true)
        }
    }

    /// A setting changed with `sqlite3` is not laundered by Till's next change to it.
    @Test(arguments: Engine.all) func tillWillNotChangeARowThatWasChangedOutsideIt(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try f.tamper("UPDATE settings SET value = '100000' WHERE key = '\(SettingKey.csrLateFeeReversalCents.rawValue)'")
            let error = #expect(throws: LedgerError.self) {
                try f.ledger.setSetting(.csrLateFeeReversalCents, "1500", by: f.supervisor.id)
            }
            #expect(error?.code == .tampered)
            // Nor is the changed value acted on: the CSR's limit stays the default until a
            // supervisor looks.
            #expect(try f.ledger.setting(.csrLateFeeReversalCents) == "2500")
            #expect(try f.ledger.typedSettings() == TypedSettings([:]))
            // A forged operator cannot even fail a sign-in: its row is not Till's.
            try f.tamper("UPDATE operators SET role = 'supervisor' WHERE login = 'cashier'")
            #expect(throws: LedgerError.self) { try f.ledger.authenticate(try OperatorLogin("cashier"), pin: "0000", terminal: "T1") }
        }
    }

    @Test(arguments: Engine.all) func aForgedSealOrARewrittenLogIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try Self.closeDay(f)
            try f.tamper("UPDATE record_seals SET digest = (SELECT digest FROM record_seals WHERE seq = 2) WHERE seq = 3")
            #expect(try Self.sealedLogFault(f)?.contains("the sealed log breaks at record seal #3") == true)
        }
    }

    @Test(arguments: Engine.all) func aSealedLogPointingAtARewrittenTransactionChainIsFound(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f throws in
            try Self.closeDay(f)
            try f.tamper("DELETE FROM transaction_hashes WHERE seq = (SELECT MAX(seq) FROM transaction_hashes)")
            let report = try f.ledger.verify()
            #expect(report.checks.first { $0.name.hasPrefix("days, drawers, operators") }?.fault?.contains("no longer in the chain") == true)
        }
    }

    /// Verify checks the schema itself: a trigger dropped, changed or added, an index dropped
    /// (on PostgreSQL also a function the triggers call, changed to do nothing).
    @Test(arguments: Engine.all) func droppedChangedOrAddedSchemaObjectsAreNamed(_ engine: Engine) throws {
        let attempts: [(String, String)] = switch engine {
        case .sqlite: [
            ("DROP TRIGGER allocations_no_update", "trigger allocations_no_update"),
            ("DROP INDEX record_seals_row", "index record_seals_row"),
            ("""
             DROP TRIGGER audit_events_no_delete;
             CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events WHEN 0 BEGIN SELECT 1; END
             """, "trigger audit_events_no_delete"),
            ("CREATE TRIGGER sneaky AFTER INSERT ON postings BEGIN SELECT 1; END", "trigger sneaky"),
        ]
        case .postgres: [
            ("DROP TRIGGER allocations_append_only ON allocations", "trigger allocations.allocations_append_only"),
            ("DROP INDEX record_seals_row", "index record_seals_row"),
            ("""
             DROP TRIGGER audit_events_append_only ON audit_events;
             CREATE TRIGGER audit_events_append_only BEFORE UPDATE ON audit_events FOR EACH ROW WHEN (false) EXECUTE FUNCTION till_append_only();
             """, "trigger audit_events.audit_events_append_only"),
            ("""
             CREATE FUNCTION sneaky() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER sneaky AFTER INSERT ON postings FOR EACH ROW EXECUTE FUNCTION sneaky();
             """, "sneaky()"),
            ("CREATE OR REPLACE FUNCTION till_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
             "function till_append_only()"),
        ]
        }
        for (sql, named) in attempts {
            try CounterFixture.on(engine) { f throws in
                if engine == .postgres {
                    try f.tamper(sql)
                } else { // the schema itself, as `sqlite3` changes it (not tamper's triggers-off change of rows)
                    let queue = try DatabaseQueue(path: f.ledger.path)
                    try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
                    try queue.close()
                }
                let fault = try f.ledger.verify().checks.first { $0.name.hasPrefix("the schema is Till's") }?.fault
                #expect(fault?.contains(named) == true, "\(sql): \(fault ?? "sound")")
            }
        }
    }
}
