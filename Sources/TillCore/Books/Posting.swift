/// One line of a transaction: an amount to a book, positive for a debit and
/// negative for a credit. The lines of a transaction sum to zero.
public struct PostingLine: Hashable, Sendable {
    public var book: BookAccount
    public var account: AccountNumber?
    public var amount: Money

    public init(_ book: BookAccount, _ amount: Money, account: AccountNumber? = nil) {
        self.book = book
        self.amount = amount
        self.account = account
    }
}

public enum Balance {
    /// Checks the double-entry rules one place, before anything is written.
    public static func check(_ lines: [PostingLine]) throws(DomainError) {
        guard lines.count >= 2 else {
            throw DomainError(.unbalanced, "A transaction needs at least two postings")
        }
        var total = Money.zero
        for line in lines {
            if line.amount.isZero {
                throw DomainError(.invalidPosting, "A posting to \(line.book.rawValue) has a zero amount")
            }
            if line.book.requiresCustomer && line.account == nil {
                throw DomainError(.invalidPosting, "A posting to \(line.book.rawValue) must name a customer account")
            }
            if !line.book.requiresCustomer && line.account != nil {
                throw DomainError(.invalidPosting, "A posting to \(line.book.rawValue) may not name a customer account")
            }
            do { total = try total + line.amount } catch {
                throw DomainError(.invalidAmount, error.description)
            }
        }
        if !total.isZero {
            throw DomainError(.unbalanced, "Debits and credits differ by \(total.formatted)")
        }
    }
}
