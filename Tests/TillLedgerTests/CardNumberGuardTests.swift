import Foundation
import GRDB
import Testing
import TillCore
@testable import TillLedger

/// The ledger's own guard: a card number that reaches it by any path is refused before it is
/// written, the audit log keeps what happened without the number, and verify names an older
/// ledger that holds one.
@Suite("The ledger refuses card numbers")
struct CardNumberGuardTests {
    func actor(_ f: CounterFixture) -> Actor { Actor(operatorID: f.supervisor.id, terminal: "T9") }

    /// On SQLite, and on PostgreSQL where the test server runs (its guard is Till's check run
    /// on every row a write touched before it commits).
    @Test(arguments: Engine.all)
    func everyWritePathRefusesACardNumberAndChangesNothing(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f in try refusesEverywhere(f) }
    }

    func refusesEverywhere(_ f: CounterFixture) throws {
        let before = try f.count("account_notes")
        for text in ["call 4111 1111 1111 1111", "4111-1111-1111-1111", "card ４１１１１１１１１１１１１１１１"] {
            #expect {
                try f.ledger.addNote(text, account: "100001", operatorID: f.cashier.id, terminal: "T1")
            } throws: { error in
                (error as? LedgerError)?.code == .cardNumber
                    && !(error as! LedgerError).message.filter(\.isNumber).contains("4111111111111111")
            }
        }
        #expect(try f.count("account_notes") == before)
        // A contact change, a setting, an account import, a payment's memo: each refused whole.
        #expect(throws: LedgerError.self) {
            _ = try f.ledger.updateContact(account: try AccountNumber("100001"), field: .phone, value: "4111111111111111", actor: actor(f))
        }
        #expect(throws: LedgerError.self) { try f.ledger.setSetting(.receiptFooter, "Pay with 4111111111111111", by: f.supervisor.id) }
        let accounts = "account_number,customer_name,service_address\n200001,Ann 4111 1111 1111 1111,1 First St\n"
        #expect(throws: ImportError.self) { _ = try f.ledger.importAccounts(csv: Array(accounts.utf8), fileName: "a.csv", by: f.supervisor.id) }
        #expect(try f.ledger.account("200001") == nil)
        let transactions = try f.count("transactions")
        #expect(throws: LedgerError.self) {
            try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 5))],
                                      tenders: [.cash(Money(dollars: 5), tendered: Money(dollars: 5))]),
                              operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer, memo: "paid by 4111 1111 1111 1111")
        }
        #expect(try f.count("transactions") == transactions)
        // Raw SQL through the ledger's own write path (any future caller) is refused too.
        #expect {
            try f.ledger.writeImmediate { db in
                try db.execute(sql: "UPDATE accounts SET email = '5500-0000-0000-0004@example.com' WHERE number = '100001'")
            }
        } throws: { ($0 as? LedgerError)?.code == .cardNumber }
        #expect(try f.ledger.account("100001")?.phone == "(555) 201-0001")
        // A card number behind a NUL byte is still seen: the whole text is bound and checked.
        if !f.ledger.isPostgres { // (PostgreSQL's text takes no NUL at all)
            let notes = try f.count("account_notes")
            #expect {
                try f.ledger.writeImmediate { db in
                    try db.cachedStatement(sql: "INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text) VALUES (1, '2026-11-20T10:00:00Z', ?, 'T1', ?)")
                        .execute(arguments: [f.cashier.id, "ok\u{0}4111 1111 1111 1111"])
                }
            } throws: { ($0 as? LedgerError)?.code == .cardNumber }
            #expect(try f.count("account_notes") == notes)
        }
        #expect(try f.ledger.verify().isSound)
    }

    @Test func theAuditLogKeepsWhatHappenedWithoutTheNumber() throws {
        let f = try CounterFixture()
        try f.ledger.audit("signin.unknown", detail: "id 4111111111111111 tried", operatorID: nil, terminal: "T1")
        let detail = try f.ledger.writer.read { db in
            try String.fetchOne(db, sql: "SELECT detail FROM audit_events WHERE event = 'signin.unknown'")
        }
        #expect(detail == "id (card number withheld) tried")
    }

    /// A person with the database (sqlite3, or a superuser in psql) writes card numbers where
    /// Till never would: every column of a table is looked at, ASCII and other digits alike,
    /// five rows named a column at most; near misses (12 digits, 13 that are no card) are not
    /// named. The same words on both engines (PostgreSQL looks at a table's columns in one pass).
    @Test(arguments: Engine.all)
    func verifyNamesEveryColumnAPersonWroteOneInto(_ engine: Engine) throws {
        try CounterFixture.on(engine) { f in
            let posted = try f.payCash("100001", cents: 2_000)
            let notes = Array(repeating: "(1, '2026-11-20T10:00:00Z', \(f.cashier.id), 'T1', 'card 4111111111111111')", count: 6)
                .joined(separator: ", ")
            try f.tamper("""
                UPDATE transactions SET memo = 'paid with 4111 1111 1111 1111' WHERE id = \(posted.id);
                UPDATE accounts SET email = '４１１１１１１１１１１１１１１１', phone = '3782-822463-10005' WHERE number = '100002';
                UPDATE accounts SET customer_name = 'Card 4111-1111-1111-1111' WHERE id <= 3;
                INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text) VALUES \(notes);
                UPDATE accounts SET mailing_address = 'PO Box 1234 5678 9012', service_address = '1234567890123 Long Road'
                WHERE number = '100003';
                """)
            let fault = try #require(try f.ledger.verify().checks.first { $0.name == "no full card number in any text" }?.fault)
            #expect(fault == "what looks like a full card number is stored in "
                    + "accounts.customer_name (id 1, 2, 3); accounts.phone (id 2); accounts.email (id 2); "
                    + "transactions.memo (id \(posted.id)); account_notes.text (id 1, 2, 3, 4, 5 and maybe more) (docs/RELIABILITY.md: removing one from an older ledger)", "\(fault)")
        }
    }

    /// Written behind Till's back (or by an older Till): verify names the table, column and
    /// row, never the number; the sqlite3 shell itself is not stopped (the guard lives in Till).
    @Test func verifyNamesWhereAnOlderLedgerHoldsOne() throws {
        let f = try CounterFixture()
        let queue = try DatabaseQueue(path: f.ledger.path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text) VALUES (1, '2026-11-20T10:00:00Z', ?, 'T1', 'card 4111 1111 1111 1111')",
                           arguments: [f.cashier.id])
            try db.execute(sql: "UPDATE settings SET value = '378282246310005' WHERE key = 'receipt.footer'")
            // Hidden behind a NUL, where SQLite's length() stops counting.
            try db.execute(sql: "UPDATE accounts SET email = CAST(X'00' || '4111111111111111' AS TEXT) WHERE number = '100002'")
        }
        let report = try f.ledger.verify()
        let fault = try #require(report.firstFault)
        #expect(fault.contains("account_notes.text (id ") && fault.contains("settings.value (key receipt.footer)")
                && fault.contains("accounts.email (id 2)"), "\(fault)")
        #expect(!fault.filter(\.isNumber).contains("4111111111111111") && !fault.contains("378282246310005"))
        // A balance still posts to an account whose old row holds one: only what is written is checked.
        try queue.write { db in try db.execute(sql: "UPDATE accounts SET phone = '4111111111111111' WHERE number = '100001'") }
        let posted = try f.ledger.post(Payment(lines: [.account(try f.account("100001"), Money(dollars: 5))],
                                               tenders: [.cash(Money(dollars: 5), tendered: Money(dollars: 5))]),
                                       operatorID: f.cashier.id, terminal: "T1", drawerSession: f.drawer)
        #expect(!posted.wasAlreadyPosted)
    }
}

/// The shared write path and what is read back: every transaction balances whoever builds it,
/// and a stored value Till does not know is an error, never cash or a default.
@Suite("The write path and stored values")
struct WritePathTests {
    @Test func insertRefusesAnUnbalancedTransactionForEveryCaller() throws {
        let f = try CounterFixture()
        let before = try f.ledger.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions") }
        let unbalanced = PostingRequest(kind: .fee, lines: [PostingLine(.receivable, Money(dollars: 5), account: try f.account("100001")),
                                                            PostingLine(.lateFee, Money(dollars: -4))],
                                        operatorID: f.supervisor.id, terminal: "T9")
        #expect(throws: LedgerError.self) {
            try f.ledger.writer.write { db in
                _ = try f.ledger.insert(unbalanced, businessDate: CounterFixture.today, accountIDs: [try f.account("100001"): 1], Store(db))
            }
        }
        let badTender = PostingRequest(kind: .payment, lines: [PostingLine(.cardClearing, Money(dollars: 5)),
                                                               PostingLine(.receivable, Money(dollars: -5), account: try f.account("100001"))],
                                       tenders: [Tender(kind: .card, amount: Money(dollars: 5), lastFour: "42x")],
                                       operatorID: f.supervisor.id, terminal: "T9")
        #expect(throws: LedgerError.self) {
            try f.ledger.writer.write { db in
                _ = try f.ledger.insert(badTender, businessDate: CounterFixture.today, accountIDs: [try f.account("100001"): 1], Store(db))
            }
        }
        #expect(try f.ledger.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions") } == before)
    }

    @Test func anUnknownStoredValueIsAnErrorNotADefault() throws {
        let f = try CounterFixture()
        let number = try f.ledger.createServiceRequest(account: try f.account("100001"), type: .leakCheck, priority: .normal, notes: "",
                                                 actor: Actor(operatorID: f.supervisor.id, terminal: "T9"))
        try f.tamper("UPDATE service_requests SET type = 'teleport' WHERE id = \(number)")
        #expect {
            _ = try f.ledger.serviceRequests()
        } throws: { error in
            "\(error)".contains("unknown work order type \"teleport\"")
        }
        let posted = try f.payCash("100002", cents: 1_000)
        try f.tamper("PRAGMA ignore_check_constraints = ON; UPDATE tenders SET kind = 'gold' WHERE transaction_id = \(posted.id)")
        #expect {
            _ = try f.ledger.receipt(try #require(posted.receipt))
        } throws: { error in
            "\(error)".contains("unknown tender kind \"gold\"")
        }
    }

    /// Settings are typed in one place: a value written by hand that does not parse, or a row that
    /// is missing, is the default — never $0.00 for the over/short approval limit.
    @Test func aSettingThatDoesNotParseIsItsDefault() throws {
        let f = try CounterFixture()
        try f.tamper("UPDATE settings SET value = 'five dollars' WHERE key = 'drawer.over_short_approval_cents'")
        try f.tamper("DELETE FROM settings WHERE key = 'backup.keep'")
        let settings = try f.ledger.typedSettings()
        #expect(settings.overShortApproval == Money(dollars: 5))
        #expect(settings.backupKeep == 30)
    }
}
