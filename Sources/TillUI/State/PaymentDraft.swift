import TillCore

/// One line of the cart: an account and what is paid on it, or a miscellaneous
/// receipt (a permit, a copy fee) credited to a revenue code.
public struct CartLine: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case account(AccountLine, cashOnlyUntil: BusinessDate?)
        case miscellaneous(BookAccount, description: String)
        /// A deposit for new service, held for the account (collected from the service pane, F6 $).
        case deposit(AccountLine)
        /// Money no account is known for (a walk-in without the account, a stub for an unknown
        /// one): held in suspense with the payer's name (`:suspense NAME`).
        case suspense(payer: String)
    }

    public var kind: Kind
    public var amount: Money?

    public var accountNumber: String? {
        if case .account(let line, _) = kind { return line.number }
        return nil
    }

    /// What the account owes now (nil for a miscellaneous receipt).
    public var balanceDue: Money? {
        if case .account(let line, _) = kind { return line.balance }
        return nil
    }

    /// The account whose figures change when this line posts (a deposit's too).
    public var touchedAccount: String? {
        if case .deposit(let line) = kind { return line.number }
        return accountNumber
    }

    public var label: String {
        switch kind {
        case .deposit(let line): "Deposit \(line.number) \(line.name)"
        case .account(let line, _): "\(line.number) \(line.name)"
        case .miscellaneous(let book, let description): description.isEmpty ? book.name : "\(description) (\(book.name))"
        case .suspense(let payer): "Suspense: " + (payer.isEmpty ? "payer not known" : payer)
        }
    }
}

/// A payment being entered: the cart, the tenders taken so far, and the step the
/// cashier is on. Each step asks one thing on the pane's input line.
public struct PaymentDraft: Equatable, Sendable {
    public enum Step: Equatable, Sendable {
        /// Choosing what next: a tender key, another line, or Enter to confirm.
        case cart
        case lineAmount(Int)
        case miscCode
        case miscDescription(BookAccount)
        case tenderAmount(TenderKind)
        case tenderDetail(TenderField)
        case confirm
        case done(PostedPayment)
    }

    public enum TenderField: Equatable, Sendable { case number, brand, lastFour, authorization }

    public var lines: [CartLine] = []
    /// A charge the payment pays first (`:to bill:2026-10-05`, `late-fee`, `nsf-fee`, `reconnect`).
    public var direction: String?
    /// The assistance agency paying (`:agency`), and what its pledges await by account.
    public var agency: String?
    public var pledges: [String: AgencyPledge] = [:]
    public var tenders: [Tender] = []
    /// The tender being entered, once its amount is known.
    public var pending: Tender?
    public var step: Step = .cart
    public var entry = ""
    public var selected = 0
    /// Makes the idempotency key: one draft, one posting, however often Enter is pressed.
    public var serial = 0

    public init() {}

    /// True when there is nothing a person would be sorry to lose.
    public var isEmpty: Bool {
        if case .done = step { return true }
        return lines.isEmpty && tenders.isEmpty
    }

    public var cartTotal: Money { (try? Money.sum(lines.compactMap(\.amount))) ?? .zero }
    public var tendered: Money { (try? Money.sum(tenders.map(\.amount))) ?? .zero }
    /// What is still to be tendered.
    public var remaining: Money { (try? cartTotal - tendered) ?? .zero }
    public var change: Money { (try? Money.sum(tenders.map(\.change))) ?? .zero }
    public var isCovered: Bool { !lines.isEmpty && lines.allSatisfy { $0.amount != nil } && remaining.isZero }

    /// The payment to post.
    public func payment() throws(DomainError) -> Payment {
        var result: [Payment.Line] = []
        for line in lines {
            guard let amount = line.amount else { throw DomainError(.invalidAmount, "\(line.label) has no amount yet") }
            switch line.kind {
            case .account(let account, _): result.append(.account(try AccountNumber(account.number), amount))
            case .miscellaneous(let book, _): result.append(.miscellaneous(book, amount))
            case .deposit(let account): result.append(.deposit(try AccountNumber(account.number), amount))
            case .suspense: result.append(.suspense(amount))
            }
        }
        return Payment(lines: result, tenders: tenders)
    }

    /// Revenue codes a miscellaneous receipt may credit, in the order the picker lists them.
    public static let revenueCodes: [BookAccount] = BookAccount.allCases.filter { $0.kind == .revenue }
        .sorted { ($0 == .miscellaneous ? 0 : 1, $0.rawValue) < ($1 == .miscellaneous ? 0 : 1, $1.rawValue) }

    /// The card brands the picker offers, by key.
    public static let brandKeys: [(key: Character, brand: String, name: String)] = [
        ("v", "VISA", "Visa"), ("m", "MC", "Mastercard"), ("a", "AMEX", "Amex"), ("d", "DISC", "Discover"),
        ("o", "CARD", "other"),
    ]
}

/// A posting the UI asks the runtime to make.
public struct PaymentSubmission: Equatable, Sendable {
    public let lines: [Payment.Line]
    public let tenders: [Tender]
    public let idempotencyKey: String
    public let drawerSession: Int64?
    /// Accounts in the cart, reloaded after posting.
    public let accounts: [String]
    /// What the miscellaneous lines were for ("Permit 2291").
    public let memo: String
    /// The payer of a line to suspense (nil: no such line).
    public var suspensePayer: String?
    /// The charge the payment is directed to, as typed (`:to`).
    public var direction: String?
    /// The assistance agency paying (`:agency`).
    public var agency: String?
}

/// What an agency's open pledges on one account await.
public struct AgencyPledge: Equatable, Sendable {
    public let amount: Money
    public let caseNumber: String

    public init(amount: Money, caseNumber: String) {
        self.amount = amount
        self.caseNumber = caseNumber
    }
}

extension PaymentDraft {
    /// Under an agency's payment, what a line does to the agency's pledge, and whether it is a
    /// problem the cashier must see before posting: no pledge, or more than pledged.
    public func pledgeNote(_ line: CartLine) -> (text: String, problem: Bool)? {
        guard let agency, let account = line.accountNumber else { return nil }
        guard let pledge = pledges[account] else { return ("no open pledge from \(agency)", true) }
        if let amount = line.amount, amount > pledge.amount {
            return ("\(Money(cents: amount.cents - pledge.amount.cents).formatted) more than the \(pledge.amount.formatted) pledged", true)
        }
        return ("pledge \(pledge.amount.formatted)" + (pledge.caseNumber.isEmpty ? "" : " case \(pledge.caseNumber)"), false)
    }

    /// The lines an agency's payment would post without a pledge, or beyond it.
    public var pledgeProblems: Int { lines.filter { pledgeNote($0)?.problem == true }.count }
}

