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

    /// A revenue book as a small number in SQL (its place in `BookAccount.revenueCodes`, −1 for
    /// any other book), so the day's rows are read through SQLite's C API without making strings.
    static func revenueIndexSQL(_ column: String) -> String {
        "CASE \(column) " + BookAccount.revenueCodes.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }
            .joined(separator: " ") + " ELSE -1 END"
    }

    /// The day's revenue distribution and what the bank took straight in (lockbox checks), in
    /// two passes over the day's payment-like transactions.
    static func revenueAndBank(_ day: String, range: (first: Int64, last: Int64)?, _ db: Database)
        throws -> (revenue: RevenueDistribution, bank: (count: Int, amount: Money)) {
        var result = RevenueDistribution()
        guard let range else { return (result, (0, .zero)) }
        let arguments: StatementArguments = [range.first, range.last, day]
        let codes = BookAccount.revenueCodes
        var byCode = [Int64](repeating: 0, count: codes.count)
        var credited: Int64 = 0, deposits: Int64 = 0, bankCount = 0, bankAmount: Int64 = 0
        // What each transaction credited (a void: debited back) to receivables, deposits and
        // revenue codes; and a payment's debit to the bank (a lockbox check).
        let postings = try RawCursor(db, """
            SELECT CASE p.book WHEN 'AR' THEN -2 WHEN 'DEPOSITS' THEN -3 WHEN 'BANK' THEN -4 ELSE \(revenueIndexSQL("p.book")) END,
                   p.amount_cents, t.kind = 'payment'
            FROM transactions t JOIN postings p ON p.transaction_id = t.id
            WHERE t.id BETWEEN ? AND ? AND t.business_date = ? AND t.kind IN ('payment', 'misc-receipt', 'void')
            """, arguments: arguments)
        while postings.hasRow {
            let book = postings.int(0), amount = postings.int(1)
            switch book {
            case -2: credited -= amount
            case -3: deposits -= amount
            case -4: if postings.int(2) == 1 { bankCount += 1; bankAmount += amount }
            case 0...: byCode[Int(book)] -= amount
            default: break // the tender books
            }
            try postings.advance()
        }
        // Each allocation a payment made when it was posted (a void: its original's, negatively),
        // with the credit postings of the charge it paid.
        let rows = try RawCursor(db, """
            SELECT t.id, al.id, CASE WHEN t.kind = 'void' THEN -al.amount_cents ELSE al.amount_cents END,
                   rp.id, \(revenueIndexSQL("rp.book")), -rp.amount_cents
            FROM transactions t
            JOIN allocations al ON al.transaction_id = CASE WHEN t.kind = 'void' THEN t.corrects_id ELSE t.id END
            JOIN postings cp ON cp.id = al.credit_posting_id AND cp.transaction_id = al.transaction_id
            JOIN postings chp ON chp.id = al.charge_posting_id
            LEFT JOIN postings rp ON rp.transaction_id = chp.transaction_id AND rp.amount_cents < 0 AND rp.book <> 'AR'
            WHERE t.id BETWEEN ? AND ? AND t.business_date = ? AND t.kind IN ('payment', 'void')
            """, arguments: arguments)
        var allocated: Int64 = 0, recharged: Int64 = 0
        // One allocation as one transaction counts it: a void and its original may be neighbours.
        var current: (transaction: Int64, allocation: Int64, amount: Int64)?
        var parts: [(id: Int64, code: Int64, weight: Int64)] = []
        func flush() {
            guard let allocation = current else { return }
            allocated += allocation.amount
            // The rounding rule takes the charge's lines in the order they were posted.
            parts.sort { $0.id < $1.id }
            let shares = RevenueSplit.split(Money(cents: allocation.amount), weights: parts.map(\.weight))
            var other = allocation.amount
            for (part, share) in zip(parts, shares) where part.code >= 0 {
                byCode[Int(part.code)] += share.cents
                other -= share.cents
            }
            recharged += other
        }
        while rows.hasRow {
            let transaction = rows.int(0), allocation = rows.int(1)
            if current?.transaction != transaction || current?.allocation != allocation {
                flush()
                current = (transaction, allocation, rows.int(2))
                parts.removeAll(keepingCapacity: true)
            }
            if rows.int(3) != 0 { parts.append((rows.int(3), rows.int(4), rows.int(5))) }
            try rows.advance()
        }
        flush()
        for (index, cents) in byCode.enumerated() where cents != 0 { result.byCode[codes[index]] = Money(cents: cents) }
        result.depositsCollected = Money(cents: deposits)
        result.recharged = Money(cents: recharged)
        result.unapplied = Money(cents: credited - allocated)
        return (result, (bankCount, Money(cents: bankAmount)))
    }
}
