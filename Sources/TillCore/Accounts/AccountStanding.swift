/// A charge not yet paid in full.
public struct OpenCharge: Equatable, Sendable {
    public let billDate: BusinessDate
    public let dueDate: BusinessDate
    public let book: BookAccount
    public let description: String
    public let remaining: Money

    public init(billDate: BusinessDate, dueDate: BusinessDate, book: BookAccount, description: String, remaining: Money) {
        self.billDate = billDate
        self.dueDate = dueDate
        self.book = book
        self.description = description
        self.remaining = remaining
    }
}

/// Open charges by age since the bill date: current (under 30 days), 30, 60 and 90+.
public struct Aging: Equatable, Sendable {
    public var current = Money.zero
    public var days30 = Money.zero
    public var days60 = Money.zero
    public var days90 = Money.zero
    /// Open charges whose due date has passed: what stops a pending shut-off.
    public var pastDue = Money.zero

    public init(charges: [OpenCharge], today: BusinessDate) throws(MoneyError) {
        for charge in charges {
            let age = today.days(since: charge.billDate)
            switch age {
            case ..<30: current = try current + charge.remaining
            case 30..<60: days30 = try days30 + charge.remaining
            case 60..<90: days60 = try days60 + charge.remaining
            default: days90 = try days90 + charge.remaining
            }
            if charge.dueDate < today { pastDue = try pastDue + charge.remaining }
        }
    }
}

/// A payment arrangement: `installments` payments of `installment`, monthly from `firstDue`.
public struct PaymentPlan: Equatable, Sendable {
    public let installments: Int
    public let installment: Money
    public let firstDue: BusinessDate
    /// What the account has paid since the plan started.
    public let paidSinceStart: Money

    public init(installments: Int, installment: Money, firstDue: BusinessDate, paidSinceStart: Money) {
        self.installments = installments
        self.installment = installment
        self.firstDue = firstDue
        self.paidSinceStart = paidSinceStart
    }

    /// Installments fully paid so far.
    public var installmentsPaid: Int {
        guard installment.isPositive, paidSinceStart.isPositive else { return 0 }
        return Int(min(Int64(installments), paidSinceStart.cents / installment.cents))
    }

    public var isComplete: Bool { installmentsPaid >= installments }

    /// The next installment due and what is left of it, or nil when the plan is paid.
    public var next: (due: BusinessDate, amount: Money)? {
        guard !isComplete else { return nil }
        let partial = paidSinceStart.isPositive ? paidSinceStart.cents % installment.cents : 0
        return (firstDue.adding(months: installmentsPaid), Money(cents: installment.cents - partial))
    }
}

/// What the counter must notice about an account, in the order it shows them.
public enum AccountAlert: Equatable, Sendable {
    case lockedOff(restoreAmount: Money, reconnectFee: Money)
    case shutoffPending(date: BusinessDate, stopAmount: Money)
    case cashOnly(until: BusinessDate)
    case paymentPlan(nextDue: BusinessDate, amount: Money, missed: Bool)
    case creditBalance(Money)

    /// The line the account pane shows, in the theme's warning colour.
    public var text: String {
        switch self {
        case .lockedOff(let restore, let fee):
            "Service locked off: pay \(restore.formatted) to restore service"
                + (fee.isPositive ? " (includes the \(fee.formatted) reconnect fee)" : "")
        case .shutoffPending(let date, let stop):
            stop.isPositive ? "Shut-off pending \(date): pay \(stop.formatted) to stop the shut-off"
                            : "Shut-off pending \(date): nothing past due now; check the notice"
        case .cashOnly(let until): "Cash only until \(until): no checks"
        case .paymentPlan(let due, let amount, let missed):
            missed ? "Payment plan: installment of \(amount.formatted) due \(due) was MISSED"
                   : "Payment plan: next installment \(amount.formatted) due \(due)"
        case .creditBalance(let credit): "Credit balance of \(credit.formatted)"
        }
    }

    /// The alerts of an account, from its standing and the office's policy.
    /// Restoring a locked-off account takes the whole balance plus the reconnect fee;
    /// stopping a pending shut-off takes what is past due.
    public static func of(status: String, balance: Money, aging: Aging, shutoffDate: BusinessDate?,
                          cashOnlyUntil: BusinessDate?, plan: PaymentPlan?, reconnectFee: Money,
                          today: BusinessDate) -> [AccountAlert] {
        var alerts: [AccountAlert] = []
        if status == "locked-off" {
            let restore = (try? Money.max(balance, .zero) + reconnectFee) ?? balance
            alerts.append(.lockedOff(restoreAmount: restore, reconnectFee: reconnectFee))
        }
        if let date = shutoffDate, date >= today, status == "active" {
            alerts.append(.shutoffPending(date: date, stopAmount: aging.pastDue))
        }
        if let until = cashOnlyUntil, until >= today { alerts.append(.cashOnly(until: until)) }
        if let plan, let next = plan.next {
            alerts.append(.paymentPlan(nextDue: next.due, amount: next.amount, missed: next.due < today))
        }
        if balance.isNegative { alerts.append(.creditBalance(Money(cents: -balance.cents))) }
        return alerts
    }
}

/// One payment in an account's history.
public struct PaymentSummary: Sendable, Equatable {
    public let receipt: ReceiptNumber?
    public let businessDate: BusinessDate
    public let amount: Money
    /// Tender kinds, e.g. "cash+check".
    public let tenders: String

    public init(receipt: ReceiptNumber?, businessDate: BusinessDate, amount: Money, tenders: String) {
        self.receipt = receipt
        self.businessDate = businessDate
        self.amount = amount
        self.tenders = tenders
    }
}

/// A note on an account, signed by who wrote it and when.
public struct AccountNote: Sendable, Equatable {
    public let at: String
    public let operatorLogin: String
    public let text: String

    public init(at: String, operatorLogin: String, text: String) {
        self.at = at
        self.operatorLogin = operatorLogin
        self.text = text
    }
}
