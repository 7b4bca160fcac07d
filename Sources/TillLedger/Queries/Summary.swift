import GRDB
import TillCore

/// What `till` prints about a ledger until the terminal UI opens.
public struct LedgerSummary: Sendable {
    public let utilityName: String
    public let openDay: BusinessDate?
    public let accounts: Int
    public let pastDueAccounts: Int
    public let receivable: Money
    public let transactions: Int
    public let postings: Int
    public let lastReceipt: ReceiptNumber?
    public let operators: [(login: String, role: String)]
    public let bookBalances: [(BookAccount, Money)]
}

extension Ledger {
    public func summary() throws -> LedgerSummary {
        try read { db in
            let day = try Self.openDay(db)
            let today = (day ?? Timestamp.localDate(now())).description
            let pastDue = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM accounts a WHERE a.balance_cents > 0 AND EXISTS (
                    SELECT 1 FROM postings p JOIN transactions t ON t.id = p.transaction_id
                    WHERE p.account_id = a.id AND p.book = 'AR' AND p.amount_cents > 0 AND t.due_date < ?
                      AND p.amount_cents > COALESCE((SELECT SUM(x.amount_cents) FROM allocations x WHERE x.charge_posting_id = p.id), 0))
                """, arguments: [today]) ?? 0
            let sums = Dictionary(uniqueKeysWithValues: try SQLRow.fetchAll(db, sql: "SELECT book, SUM(amount_cents) FROM postings GROUP BY book")
                .map { (row: SQLRow) in (row[0] as String, row[1] as Int64) })
            // In the chart's order: assets, liabilities, revenues, expenses.
            let books = BookAccount.allCases.compactMap { book in sums[book.rawValue].map { (book, Money(cents: $0)) } }
            return LedgerSummary(
                utilityName: try Self.setting(.utilityName, db),
                openDay: day,
                accounts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") ?? 0,
                pastDueAccounts: pastDue,
                receivable: Money(cents: try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(balance_cents), 0) FROM accounts") ?? 0),
                transactions: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions") ?? 0,
                postings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM postings") ?? 0,
                lastReceipt: try Int64.fetchOne(db, sql: "SELECT MAX(receipt_number) FROM transactions WHERE receipt_number IS NOT NULL").map(ReceiptNumber.init),
                operators: try SQLRow.fetchAll(db, sql: "SELECT login, role FROM operators WHERE active = 1 ORDER BY id")
                    .map { ($0["login"], $0["role"]) },
                bookBalances: books)
        }
    }
}
