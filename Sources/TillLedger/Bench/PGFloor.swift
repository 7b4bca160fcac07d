import Foundation
import TillCore

/// What a benchmark figure is measured against: the same SQL on a bare connection, with none
/// of Till's code around it — SQLite's C API for a file, libpq for PostgreSQL.
public protocol BenchFloor: AnyObject {
    /// The counter's lookup (the exact-number statement, then the match); returns the rows seen.
    @discardableResult
    func lookup(_ text: String, limit: Int) -> Int
    /// One cash payment with the least SQL that records it, in one transaction that holds the
    /// ledger's write lock: next receipt number, the transaction, two postings and the tender.
    func postMinimal(accountID: Int64, operatorID: Int64, terminal: String, day: BusinessDate, cents: Int64,
                     drawer: Int64, postedAt: String) throws
}

extension SQLiteFloor: BenchFloor {}

extension Ledger {
    /// The floor for this ledger's engine.
    public func benchFloor() throws -> any BenchFloor {
        switch backend {
        case .sqlite: try SQLiteFloor(path: path)
        case .postgres(let pool): try PGFloor(uri: pool.uri)
        }
    }
}

/// The floor on PostgreSQL: one libpq connection, the lookup's statements and a minimal
/// payment, as `SQLiteFloor` does on a file.
final class PGFloor: BenchFloor {
    private let connection: PGConnection
    /// The lookup's commonest prefixes, read once as a terminal's connection reads them.
    private var counts: [String: Int]?

    init(uri: String) throws {
        connection = try PGConnection(uri)
        try connection.execute("SET search_path TO \(PGSchema.name)")
    }

    @discardableResult
    func lookup(_ text: String, limit: Int = 50) -> Int {
        let words = AccountSearch.words(text)
        guard !words.isEmpty else { return 0 }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rows = 0
        rows += (try? connection.execute(PGDialect.translated(AccountSearch.exactSQL),
                                         [.text(trimmed), .text(trimmed.uppercased()), .int(Int64(limit))]).count) ?? 0
        if counts == nil { counts = (try? AccountSearch.prefixCounts(connection)) ?? [:] }
        let lookup = AccountSearch.PostgresLookup(words: words, limit: limit, counts: counts ?? [:])
        rows += (try? connection.execute(PGDialect.translated(lookup.sql), lookup.arguments.map(\.pg)).count) ?? 0
        return rows
    }

    func postMinimal(accountID: Int64, operatorID: Int64, terminal: String, day: BusinessDate, cents: Int64,
                     drawer: Int64, postedAt: String) throws {
        try connection.transaction {
            try connection.execute(PGWrite.lockSQL)
            let number = try connection.execute("""
                SELECT COALESCE(MAX(receipt_number), 0) + 1 FROM transactions WHERE receipt_number IS NOT NULL
                """).scalar ?? "1"
            let id = try connection.execute("""
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, receipt_number, drawer_session_id, memo)
                VALUES ('payment', $1, $2, $3, $4, $5, $6, '') RETURNING id
                """, [.text(day.description), .text(postedAt), .int(operatorID), .text(terminal), .text(number), .int(drawer)]).scalar ?? "0"
            try connection.execute("""
                INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES ($1, 'CASH', NULL, $2), ($1, 'AR', $3, $4)
                """, [.text(id), .int(cents), .int(accountID), .int(-cents)])
            try connection.execute("INSERT INTO tenders(transaction_id, kind, amount_cents, tendered_cents) VALUES ($1, 'cash', $2, $2)",
                                   [.text(id), .int(cents)])
        }
    }
}
