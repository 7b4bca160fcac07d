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

    /// The buckets as summed elsewhere (the delinquency list sums them in SQL).
    public init(current: Money, days30: Money, days60: Money, days90: Money, pastDue: Money) {
        self.current = current
        self.days30 = days30
        self.days60 = days60
        self.days90 = days90
        self.pastDue = pastDue
    }

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

/// A payment arrangement: `total` in `installments` monthly payments from `firstDue`. Each
/// installment is `installment` (the total divided by the installments, rounded down to the cent)
/// except the last, which takes the remainder, so the installments add up to the total exactly.
public struct PaymentPlan: Equatable, Sendable {
    public let installments: Int
    public let installment: Money
    public let total: Money
    public let firstDue: BusinessDate
    /// What the account has paid since the plan was made (payments posted after it only).
    public let paidSinceStart: Money

    public init(installments: Int, installment: Money, total: Money? = nil, firstDue: BusinessDate, paidSinceStart: Money) {
        self.installments = installments
        self.installment = installment
        self.total = total ?? Money(cents: installment.cents * Int64(installments))
        self.firstDue = firstDue
        self.paidSinceStart = paidSinceStart
    }

    /// The plan for `total` in `installments`: nil when that leaves an installment under a cent.
    public static func dividing(_ total: Money, into installments: Int, firstDue: BusinessDate) -> PaymentPlan? {
        guard installments > 0, total.cents >= Int64(installments) else { return nil }
        return PaymentPlan(installments: installments, installment: Money(cents: total.cents / Int64(installments)), total: total,
                           firstDue: firstDue, paidSinceStart: .zero)
    }

    /// The last installment: what is left of the total after the others.
    public var lastInstallment: Money { Money(cents: total.cents - installment.cents * Int64(installments - 1)) }

    /// What is due through installment `k` (1-based): k regular installments, the total at the last.
    func dueThrough(_ k: Int) -> Int64 { k >= installments ? total.cents : installment.cents * Int64(k) }

    /// Installments fully paid so far.
    public var installmentsPaid: Int {
        guard installment.isPositive, paidSinceStart.isPositive else { return 0 }
        var k = 0
        while k < installments && dueThrough(k + 1) <= paidSinceStart.cents { k += 1 }
        return k
    }

    public var isComplete: Bool { installmentsPaid >= installments }

    /// The next installment due and what is left of it, or nil when the plan is paid.
    public var next: (due: BusinessDate, amount: Money)? {
        guard !isComplete else { return nil }
        let k = installmentsPaid
        return (firstDue.adding(months: k), Money(cents: dueThrough(k + 1) - max(0, paidSinceStart.cents)))
    }

    /// "3 × $54.84 … ": how the plan reads on the screen and in the audit trail, the last
    /// installment named when it differs.
    public var terms: String {
        let regular = installments == 1 ? "1 × \(total.formatted)"
            : lastInstallment == installment ? "\(installments) × \(installment.formatted)"
            : "\(installments - 1) × \(installment.formatted) and a last of \(lastInstallment.formatted)"
        return "\(regular) monthly from \(firstDue) (\(total.formatted))"
    }
}

/// What the counter must notice about an account, in the order it shows them.
public enum AccountAlert: Equatable, Sendable {
    case lockedOff(restoreAmount: Money, reconnectFee: Money)
    case shutoffPending(date: BusinessDate, stopAmount: Money)
    /// A pending shut-off that a payment plan being kept holds off.
    case shutoffHeld(date: BusinessDate)
    /// A pending shut-off that assistance agencies' open pledges hold off.
    case shutoffHeldByPledge(date: BusinessDate, pledged: Money)
    /// An agency's pledge still to be paid.
    case pledge(agency: String, amount: Money, expires: BusinessDate)
    /// Enrolled in an assistance program ("Enrolled in LIHEAP (…) since …").
    case enrolled(String)
    /// Debited by the autopay draft: "On autopay: checking ****2846".
    case autopay(String)
    case cashOnly(until: BusinessDate)
    case paymentPlan(nextDue: BusinessDate, amount: Money, missed: Bool)
    case creditBalance(Money)

    /// The line the account pane shows, in the theme's warning colour. The amount to take
    /// comes first, where the cashier's eye lands and where a narrow pane cannot push it off.
    public var text: String {
        switch self {
        case .lockedOff(let restore, let fee):
            "Pay \(restore.formatted) to restore service: locked off"
                + (fee.isPositive ? " (includes the \(fee.formatted) reconnect fee)" : "")
        case .shutoffPending(let date, let stop):
            stop.isPositive ? "Pay \(stop.formatted) to stop the shut-off of \(date)"
                            : "Shut-off pending \(date): nothing past due now; check the notice"
        case .shutoffHeld(let date): "Shut-off of \(date) held: the payment plan is being kept"
        case .shutoffHeldByPledge(let date, let pledged): "Shut-off of \(date) held: \(pledged.formatted) pledged by an agency"
        case .pledge(let agency, let amount, let expires): "\(amount.formatted) pledged by \(agency), open until \(expires)"
        case .enrolled(let text): text
        case .autopay(let bank): "On autopay: \(bank)"
        case .cashOnly(let until): "Cash only until \(until): no checks"
        case .paymentPlan(let due, let amount, let missed):
            missed ? "\(amount.formatted) plan installment due \(due) was MISSED"
                   : "\(amount.formatted) next plan installment, due \(due)"
        case .creditBalance(let credit): "Credit balance of \(credit.formatted)"
        }
    }

    /// The alerts of an account, from its standing and the office's policy.
    /// Restoring a locked-off account takes the whole balance plus the reconnect fee;
    /// stopping a pending shut-off takes what is past due.
    public static func of(status: String, balance: Money, aging: Aging, shutoffDate: BusinessDate?,
                          cashOnlyUntil: BusinessDate?, plan: PaymentPlan?, reconnectFee: Money,
                          today: BusinessDate, pledges: [(agency: String, open: Money, expires: BusinessDate)] = [],
                          enrollments: [String] = [], autopay: String? = nil) -> [AccountAlert] {
        var alerts: [AccountAlert] = []
        if status == "locked-off" {
            let restore = (try? Money.max(balance, .zero) + reconnectFee) ?? balance
            alerts.append(.lockedOff(restoreAmount: restore, reconnectFee: reconnectFee))
        }
        // A plan being kept holds the shut-off, as the shut-off list says (`till delinquency`).
        let planKept = plan?.next.map { $0.due >= today } ?? false
        // Open pledges count against what is past due: paying the rest stops the shut-off (under
        // `pledge.counts` = with-rest-paid the pledge counts only then; the shut-off list agrees).
        let pledged = pledges.reduce(0) { $0 + $1.open.cents }
        let rest = aging.pastDue.cents - pledged
        let pledgeHolds = pledged > 0 && rest <= 0
        if let date = shutoffDate, date >= today, status == "active" {
            alerts.append(planKept ? .shutoffHeld(date: date)
                          : pledgeHolds ? .shutoffHeldByPledge(date: date, pledged: Money(cents: pledged))
                          : .shutoffPending(date: date, stopAmount: Money(cents: max(0, rest))))
        }
        for pledge in pledges { alerts.append(.pledge(agency: pledge.agency, amount: pledge.open, expires: pledge.expires)) }
        for enrollment in enrollments { alerts.append(.enrolled(enrollment)) }
        if let autopay { alerts.append(.autopay(autopay)) }
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
    /// Where the money went on this account: "bill 2026-10-05 $30.00, late fee $5.00".
    public var paidTo = ""

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
