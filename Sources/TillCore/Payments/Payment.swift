

/// A payment at the counter: a cart of account lines and miscellaneous receipts,
/// paid by one or more tenders. Turns into balanced posting lines.
public struct Payment: Sendable {
    public enum Line: Sendable, Hashable {
        case account(AccountNumber, Money)
        case miscellaneous(BookAccount, Money)
        /// A deposit for new service, held for the account until its final bill.
        case deposit(AccountNumber, Money)
        /// Money no account could be matched to: held in SUSPENSE until it is applied or refunded.
        case suspense(Money)
    }

    public var lines: [Line]
    public var tenders: [Tender]

    public init(lines: [Line], tenders: [Tender]) {
        self.lines = lines
        self.tenders = tenders
    }

    public var cartTotal: Money {
        get throws(MoneyError) {
            try Money.sum(lines.map { line in
                switch line {
                case .account(_, let amount), .miscellaneous(_, let amount), .deposit(_, let amount), .suspense(let amount): amount
                }
            })
        }
    }

    /// Debits each tender's book and credits each account's receivable (or the revenue code).
    public func postingLines() throws(DomainError) -> [PostingLine] {
        guard !lines.isEmpty else { throw DomainError(.invalidPosting, "The cart is empty") }
        guard !tenders.isEmpty else { throw DomainError(.invalidTender, "No tender: how is the customer paying?") }
        for tender in tenders { try tender.validate() }
        let cart: Money, paid: Money
        do {
            cart = try cartTotal
            paid = try Money.sum(tenders.map(\.amount))
        } catch { throw DomainError(.invalidAmount, error.description) }
        guard paid == cart else {
            throw DomainError(.unbalanced, paid < cart
                ? "Tenders \(paid.formatted) are short of the cart total \(cart.formatted)"
                : "Tenders \(paid.formatted) exceed the cart total \(cart.formatted)")
        }
        var result: [PostingLine] = []
        var byBook: [BookAccount: Money] = [:]
        for tender in tenders {
            do { byBook[tender.kind.book] = try (byBook[tender.kind.book] ?? .zero) + tender.amount } catch {
                throw DomainError(.invalidAmount, error.description)
            }
        }
        for kind in TenderKind.allCases { if let amount = byBook[kind.book] { result.append(PostingLine(kind.book, amount)) } }
        for line in lines {
            switch line {
            case .account(let number, let amount):
                guard amount.isPositive else { throw DomainError(.invalidAmount, "Amount for \(number) must be more than $0.00") }
                result.append(PostingLine(.receivable, Money(cents: -amount.cents), account: number))
            case .miscellaneous(let book, let amount):
                guard book.kind == .revenue else { throw DomainError(.invalidPosting, "\(book.rawValue) is not a revenue code") }
                guard amount.isPositive else { throw DomainError(.invalidAmount, "A receipt must be more than $0.00") }
                result.append(PostingLine(book, Money(cents: -amount.cents)))
            case .deposit(let number, let amount):
                guard amount.isPositive else { throw DomainError(.invalidAmount, "A deposit must be more than $0.00") }
                result.append(PostingLine(.depositsHeld, Money(cents: -amount.cents), account: number))
            case .suspense(let amount):
                guard amount.isPositive else { throw DomainError(.invalidAmount, "A payment to suspense must be more than $0.00") }
                result.append(PostingLine(.suspense, Money(cents: -amount.cents)))
            }
        }
        return result
    }
}
