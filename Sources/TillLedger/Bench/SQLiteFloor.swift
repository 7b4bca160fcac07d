import Foundation
import GRDBSQLite
import TillCore

/// The floor a benchmark is measured against: the same SQL run on a bare SQLite
/// connection through the C API, with none of Till's code around it.
public final class SQLiteFloor {
    private var db: OpaquePointer?

    public init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            throw LedgerError(.database, "cannot open \(path)")
        }
        try exec("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON")
    }

    deinit { sqlite3_close_v2(db) }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw LedgerError(.database, String(cString: sqlite3_errmsg(db)))
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw LedgerError(.database, String(cString: sqlite3_errmsg(db)))
        }
        return statement
    }

    private lazy var exact = try? prepare(AccountSearch.exactSQL)
    private lazy var match = try? prepare(AccountSearch.matchSQL)

    /// The counter's lookup: the exact-number statement, then the FTS prefix match, each
    /// row stepped and its columns read. Returns the rows seen.
    @discardableResult
    public func lookup(_ text: String, limit: Int = 50) -> Int {
        let words = AccountSearch.words(text)
        guard !words.isEmpty else { return 0 }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rows = 0
        sqlite3_reset(exact)
        sqlite3_bind_text(exact, 1, trimmed, -1, SQLITE_TRANSIENT_)
        sqlite3_bind_text(exact, 2, trimmed.uppercased(), -1, SQLITE_TRANSIENT_)
        sqlite3_bind_int64(exact, 3, Int64(limit))
        rows += stepAll(exact)
        let plan = AccountSearch.Plan(words: words, limit: limit)
        sqlite3_reset(match)
        sqlite3_bind_text(match, 1, plan.expression, -1, SQLITE_TRANSIENT_)
        sqlite3_bind_int64(match, 2, Int64(plan.ftsLimit))
        rows += stepAll(match)
        return rows
    }

    private func stepAll(_ statement: OpaquePointer?) -> Int {
        var rows = 0
        while sqlite3_step(statement) == SQLITE_ROW {
            for column in 0..<sqlite3_column_count(statement) { _ = sqlite3_column_text(statement, column) }
            rows += 1
        }
        return rows
    }

    /// One cash payment with the least SQL that records it: next receipt number, the
    /// transaction, two postings and the tender, in one `BEGIN IMMEDIATE` transaction.
    public func postMinimal(accountID: Int64, operatorID: Int64, terminal: String, day: BusinessDate, cents: Int64,
                            drawer: Int64, postedAt: String) throws {
        try exec("BEGIN IMMEDIATE")
        do {
            let receipt = try prepare("SELECT COALESCE(MAX(receipt_number), 0) + 1 FROM transactions WHERE receipt_number IS NOT NULL")
            defer { sqlite3_finalize(receipt) }
            guard sqlite3_step(receipt) == SQLITE_ROW else { throw LedgerError(.database, "no receipt number") }
            let number = sqlite3_column_int64(receipt, 0)
            try exec("""
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, receipt_number, drawer_session_id, memo)
                VALUES ('payment', '\(day)', '\(postedAt)', \(operatorID), '\(terminal)', \(number), \(drawer), '');
                INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES (last_insert_rowid(), 'CASH', NULL, \(cents));
                INSERT INTO postings(transaction_id, book, account_id, amount_cents)
                    SELECT transaction_id, 'AR', \(accountID), -\(cents) FROM postings WHERE id = last_insert_rowid();
                INSERT INTO tenders(transaction_id, kind, amount_cents, tendered_cents)
                    SELECT transaction_id, 'cash', \(cents), \(cents) FROM postings WHERE id = last_insert_rowid();
                COMMIT
                """)
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }
}

/// SQLITE_TRANSIENT: SQLite copies the bound text.
private let SQLITE_TRANSIENT_ = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
