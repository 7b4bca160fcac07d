import GRDB
import TillCore

/// Where the day's receipts went (computed by `DayScan`): the one computation behind the settle pane, `till report
/// revenue`, the settlement report, the report files and the day close.
///
/// Every payment, miscellaneous receipt and void of the business day counts, whatever its
/// tender (counter, mail batch, payment file, lockbox check straight to the bank):
/// - a miscellaneous receipt's revenue code is credited directly;
/// - a deposit collected is a liability, its own line;
/// - what a payment's credit paid when it was posted (its own allocations) is split across the
///   paid charge's revenue lines in proportion (`RevenueSplit`); a paid charge that is not a bill
///   or fee (a payment charged back by a reversal or a returned check, a refund) is its own line;
/// - what a payment credited beyond its allocations stays on the account: never negative;
/// - what a payment put in suspense (no account matched) is its own line, whatever happens to it later.
/// A void counts its original's figures negatively, split the same way to the cent.
public struct RevenueDistribution: Sendable, Equatable {
    public var byCode: [BookAccount: Money] = [:]
    public var depositsCollected: Money = .zero
    /// Paid onto charges that were not bills or fees: payments charged back, refunds.
    public var recharged: Money = .zero
    /// Credited beyond what the payments paid: credit on the accounts.
    public var unapplied: Money = .zero
    /// Taken with no account matched: held in SUSPENSE.
    public var suspense: Money = .zero

    public var total: Money {
        Money(cents: byCode.values.reduce(0) { $0 + $1.cents } + depositsCollected.cents + recharged.cents + unapplied.cents
              + suspense.cents)
    }

    public var lines: [Settlement.RevenueLine] {
        var lines = BookAccount.revenueCodes.compactMap { book in
            byCode[book].flatMap { $0.isZero ? nil : Settlement.RevenueLine(head: .revenue(book), amount: $0) }
        }
        for (head, amount) in [(Settlement.RevenueLine.Head.depositsCollected, depositsCollected), (.recharged, recharged),
                               (.unapplied, unapplied), (.suspense, suspense)] where !amount.isZero {
            lines.append(Settlement.RevenueLine(head: head, amount: amount))
        }
        return lines
    }

    mutating func add(_ book: BookAccount, _ cents: Int64) {
        byCode[book] = Money(cents: (byCode[book]?.cents ?? 0) + cents)
    }
}

extension Ledger {
    /// A revenue book as a small number in SQL (its place in `BookAccount.revenueCodes`, −1 for
    /// any other book), so the day's rows are read through SQLite's C API without making strings.
    static func revenueIndexSQL(_ column: String) -> String {
        "CASE \(column) " + BookAccount.revenueCodes.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }
            .joined(separator: " ") + " ELSE -1 END"
    }
}
