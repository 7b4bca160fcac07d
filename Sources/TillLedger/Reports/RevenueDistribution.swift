import GRDB
import TillCore

/// Where the day's receipts went: the one computation behind the settle pane, `till report
/// revenue`, the settlement report, the report files and the day close.
///
/// Every payment, miscellaneous receipt and void of the business day counts, whatever its
/// tender (counter, mail batch, payment file, lockbox check straight to the bank):
/// - a miscellaneous receipt's revenue code is credited directly;
/// - a deposit collected is a liability, its own line;
/// - what a payment's credit paid when it was posted (its own allocations) is split across the
///   paid charge's revenue lines in proportion (`RevenueSplit`); a paid charge that is not a bill
///   or fee (a payment charged back by a reversal or a returned check, a refund) is its own line;
/// - what a payment credited beyond its allocations stays on the account: never negative.
/// A void counts its original's figures negatively, split the same way to the cent.
public struct RevenueDistribution: Sendable, Equatable {
    public var byCode: [BookAccount: Money] = [:]
    public var depositsCollected: Money = .zero
    /// Paid onto charges that were not bills or fees: payments charged back, refunds.
    public var recharged: Money = .zero
    /// Credited beyond what the payments paid: credit on the accounts.
    public var unapplied: Money = .zero

    public var total: Money {
        Money(cents: byCode.values.reduce(0) { $0 + $1.cents } + depositsCollected.cents + recharged.cents + unapplied.cents)
    }

    public var lines: [Settlement.RevenueLine] {
        var lines = BookAccount.revenueCodes.compactMap { book in
            byCode[book].flatMap { $0.isZero ? nil : Settlement.RevenueLine(head: .revenue(book), amount: $0) }
        }
        for (head, amount) in [(Settlement.RevenueLine.Head.depositsCollected, depositsCollected), (.recharged, recharged),
                               (.unapplied, unapplied)] where !amount.isZero {
            lines.append(Settlement.RevenueLine(head: head, amount: amount))
        }
        return lines
    }

    mutating func add(_ book: BookAccount, _ cents: Int64) {
        byCode[book] = Money(cents: (byCode[book]?.cents ?? 0) + cents)
    }
}

extension Ledger {
    /// The day's payment-like transactions (`payment`, `misc-receipt`, `void`) lie between these ids.
    static func dayRange(_ day: String, _ db: Database) throws -> (first: Int64, last: Int64)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT MIN(id), MAX(id) FROM transactions WHERE business_date = ?", arguments: [day]),
              let first: Int64 = row[0], let last: Int64 = row[1] else { return nil }
        return (first, last)
    }

    static func revenueDistribution(_ day: String, range: (first: Int64, last: Int64)?, _ db: Database) throws -> RevenueDistribution {
        var result = RevenueDistribution()
        guard let range else { return result }
        let arguments: StatementArguments = [range.first, range.last, day]
        var credited: Int64 = 0
        // What each transaction credited (a void: debited back) to receivables, deposits and revenue codes.
        for row in try Row.fetchAll(db, sql: """
            SELECT p.book, -SUM(p.amount_cents) FROM transactions t JOIN postings p ON p.transaction_id = t.id
            WHERE t.id BETWEEN ? AND ? AND t.business_date = ? AND t.kind IN ('payment', 'misc-receipt', 'void')
              AND (p.book IN ('AR', 'DEPOSITS') OR p.book LIKE 'REV!_%' ESCAPE '!')
            GROUP BY p.book
            """, arguments: arguments) {
            let code: String = row[0], cents: Int64 = row[1]
            switch BookAccount(rawValue: code) {
            case .receivable?: credited += cents
            case .depositsHeld?: result.depositsCollected = Money(cents: cents)
            case let book? where book.kind == .revenue: result.add(book, cents)
            default: throw LedgerError(.invalid, "An unknown book \(code) in the day's postings: run till verify")
            }
        }
        // Each allocation a payment made when it was posted (a void: its original's, negatively),
        // with the credit postings of the charge it paid, in posting order.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT t.id, al.id, CASE WHEN t.kind = 'void' THEN -al.amount_cents ELSE al.amount_cents END, rp.book, -rp.amount_cents
            FROM transactions t
            JOIN allocations al ON al.transaction_id = CASE WHEN t.kind = 'void' THEN t.corrects_id ELSE t.id END
            JOIN postings cp ON cp.id = al.credit_posting_id AND cp.transaction_id = al.transaction_id
            JOIN postings chp ON chp.id = al.charge_posting_id
            LEFT JOIN postings rp ON rp.transaction_id = chp.transaction_id AND rp.amount_cents < 0 AND rp.book <> 'AR'
            WHERE t.id BETWEEN ? AND ? AND t.business_date = ? AND t.kind IN ('payment', 'void')
            ORDER BY t.id, al.id, rp.id
            """, arguments: arguments)
        var allocated: Int64 = 0
        // One allocation as one transaction counts it: a void and its original may be neighbours.
        var current: (transaction: Int64, allocation: Int64, amount: Int64)?
        var parts: [(book: BookAccount?, weight: Int64)] = []
        func flush() {
            guard let allocation = current else { return }
            allocated += allocation.amount
            let shares = RevenueSplit.split(Money(cents: allocation.amount), weights: parts.map(\.weight))
            var other = allocation.amount
            for (part, share) in zip(parts, shares) where part.book?.kind == .revenue {
                result.add(part.book!, share.cents)
                other -= share.cents
            }
            result.recharged = Money(cents: result.recharged.cents + other)
        }
        while let row = try rows.next() {
            let transaction: Int64 = row[0], allocation: Int64 = row[1]
            if current?.transaction != transaction || current?.allocation != allocation {
                flush()
                current = (transaction, allocation, row[2])
                parts = []
            }
            if let code: String = row[3] { parts.append((BookAccount(rawValue: code), row[4])) }
        }
        flush()
        result.unapplied = Money(cents: credited - allocated)
        return result
    }

    /// Payments the bank took straight in (lockbox checks of a payment file): no tender in any drawer.
    static func atBank(_ day: String, range: (first: Int64, last: Int64)?, _ db: Database) throws -> (count: Int, amount: Money) {
        guard let range else { return (0, .zero) }
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), COALESCE(SUM(p.amount_cents), 0) FROM transactions t JOIN postings p ON p.transaction_id = t.id
            WHERE t.id BETWEEN ? AND ? AND t.business_date = ? AND t.kind = 'payment' AND p.book = 'BANK'
            """, arguments: [range.first, range.last, day])!
        return (row[0], Money(cents: row[1]))
    }
}
