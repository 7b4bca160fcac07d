/// A check or money order taken into a drawer, as the closing cashier ticks it off.
public struct DrawerCheck: Hashable, Sendable {
    public let tenderID: Int64
    public let kind: TenderKind
    public let number: String
    public let account: String
    public let amount: Money
    public let receipt: ReceiptNumber?

    public init(tenderID: Int64, kind: TenderKind, number: String, account: String, amount: Money, receipt: ReceiptNumber?) {
        self.tenderID = tenderID
        self.kind = kind
        self.number = number
        self.account = account
        self.amount = amount
        self.receipt = receipt
    }
}

/// What Till expects a drawer to hold: the float, plus what was taken, less drops.
/// Voided payments are already netted out of every figure.
public struct DrawerExpectation: Sendable {
    public var openingFloat: Money
    public var cashTaken: Money
    public var drops: Money
    /// Checks and money orders in the drawer (voided ones are handed back and not listed).
    public var checks: [DrawerCheck]
    /// Card payments taken at this drawer, which the card terminal's batch should match.
    public var card: Money
    public var ach: Money
    /// Payment count and amount by tender kind (net of voids).
    public var byTender: [TenderKind: (count: Int, amount: Money)]
    /// Each drop's bag and what became of it (accepted, with any difference, or pending a lead).
    public var dropNotes: [(label: String, state: String)] = []

    public init(openingFloat: Money, cashTaken: Money, drops: Money, checks: [DrawerCheck], card: Money, ach: Money,
                byTender: [TenderKind: (count: Int, amount: Money)]) {
        self.openingFloat = openingFloat
        self.cashTaken = cashTaken
        self.drops = drops
        self.checks = checks
        self.card = card
        self.ach = ach
        self.byTender = byTender
    }

    /// Float + cash taken − drops.
    public var expectedCash: Money { Money(cents: openingFloat.cents + cashTaken.cents - drops.cents) }

    public func checksTotal(_ kind: TenderKind) -> Money {
        Money(cents: checks.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount.cents })
    }

    /// Compares a count with what is expected. `found` holds the tender ids of the checks
    /// and money orders the cashier ticked.
    public func balance(counted: CashCount, found: Set<Int64>, cardBatch: Money) -> DrawerBalance {
        let missing = checks.filter { !found.contains($0.tenderID) }
        func missingTotal(_ kind: TenderKind) -> Int64 { missing.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount.cents } }
        return DrawerBalance(expectedCash: expectedCash, countedCash: counted.total,
                             cash: Money(cents: counted.total.cents - expectedCash.cents),
                             checks: Money(cents: -missingTotal(.check)),
                             moneyOrders: Money(cents: -missingTotal(.moneyOrder)),
                             expectedCard: card, cardBatch: cardBatch, card: Money(cents: cardBatch.cents - card.cents),
                             missing: missing)
    }
}

/// Expected against counted, per tender: positive is over, negative is short.
public struct DrawerBalance: Equatable, Sendable {
    public let expectedCash: Money
    public let countedCash: Money
    public let cash: Money
    public let checks: Money
    public let moneyOrders: Money
    public let expectedCard: Money
    public let cardBatch: Money
    public let card: Money
    /// Checks and money orders listed but not found.
    public let missing: [DrawerCheck]

    public init(expectedCash: Money, countedCash: Money, cash: Money, checks: Money, moneyOrders: Money,
                expectedCard: Money, cardBatch: Money, card: Money, missing: [DrawerCheck]) {
        self.expectedCash = expectedCash
        self.countedCash = countedCash
        self.cash = cash
        self.checks = checks
        self.moneyOrders = moneyOrders
        self.expectedCard = expectedCard
        self.cardBatch = cardBatch
        self.card = card
        self.missing = missing
    }

    /// Over (+) or short (−) in all, as it posts to the over/short account.
    public var total: Money { Money(cents: cash.cents + checks.cents + moneyOrders.cents + card.cents) }

    /// The size of the differences, each counted whatever its sign: $5 over in cash and $5
    /// short in checks is $10 of difference, not none. Compared with the approval setting.
    public var magnitude: Money {
        Money(cents: [cash, checks, moneyOrders, card].reduce(0) { $0 + $1.cents.magnitude.clampedToInt64 })
    }

    public var isBalanced: Bool { magnitude.isZero }

    /// The posting that takes each difference to the over/short account: a shortage
    /// credits the tender's book (it holds less than the books said) and debits over/short.
    public var postingLines: [PostingLine] {
        var lines: [PostingLine] = []
        for (book, difference) in [(BookAccount.drawerCash, cash), (.checksOnHand, checks),
                                   (.moneyOrdersOnHand, moneyOrders), (.cardClearing, card)] where !difference.isZero {
            lines.append(PostingLine(book, difference))
        }
        if !total.isZero { lines.append(PostingLine(.overShort, Money(cents: -total.cents))) }
        return lines
    }
}

extension UInt64 {
    var clampedToInt64: Int64 { self > UInt64(Int64.max) ? Int64.max : Int64(self) }
}
