/// What a CSR, lead or supervisor does to an account besides taking a payment; each is
/// checked against the operator's authority before anything is written.
public enum ServiceAction: String, CaseIterable, Sendable {
    case void
    case reversal
    case nsf
    case refund
    case transfer
    case lateFeeReversal = "late-fee-reversal"
    case leakAdjustment = "leak-adjustment"
    case depositApply = "deposit-apply"
    case depositRefund = "deposit-refund"
    case paymentPlan = "payment-plan"
    case serviceRequest = "service-request"
    case contactUpdate = "contact-update"
    case batchOutOfBalance = "batch-out-of-balance"
    case importPayments = "import-payments"
    case feesAssess = "fees-assess"
    case drawerOverShort = "drawer-over-short"
    case writeOff = "write-off"
    case suspenseApply = "suspense-apply"
    case pledge
    case autopay
    case autopayDraft = "autopay-draft"
    case returnsImport = "returns-import"

    public var title: String {
        switch self {
        case .void: "a void of another cashier's payment"
        case .reversal: "a reversal"
        case .nsf: "a returned check (NSF)"
        case .refund: "a refund"
        case .transfer: "a transfer"
        case .lateFeeReversal: "a fee reversal"
        case .leakAdjustment: "a leak adjustment"
        case .depositApply: "applying a deposit"
        case .depositRefund: "refunding a deposit"
        case .paymentPlan: "a payment arrangement"
        case .serviceRequest: "a service request"
        case .contactUpdate: "an address or contact change"
        case .batchOutOfBalance: "posting a batch out of balance"
        case .importPayments: "importing a payment file"
        case .feesAssess: "the late-fee run"
        case .drawerOverShort: "closing a drawer beyond the over/short limit"
        case .writeOff: "a write-off"
        case .suspenseApply: "applying a payment from suspense"
        case .pledge: "recording an assistance pledge or enrolment"
        case .autopay: "an autopay enrolment or stop"
        case .autopayDraft: "the autopay draft"
        case .returnsImport: "importing a bank's returns"
        }
    }
}

/// The office's authority policy, read from the settings (`authority.*`).
public struct AuthorityLimits: Equatable, Sendable {
    /// The least role that may take each action on its own, where the action has no amount limit.
    public var minimumRole: [ServiceAction: Role]
    /// A CSR reverses late fees up to this much in one action.
    public var csrLateFeeReversal: Money
    /// A lead reverses late fees and adjusts up to this much in one action.
    public var leadAdjustment: Money

    public init(minimumRole: [ServiceAction: Role] = Self.defaultRoles, csrLateFeeReversal: Money = Money(cents: 2500),
                leadAdjustment: Money = Money(cents: 25000)) {
        self.minimumRole = minimumRole
        self.csrLateFeeReversal = csrLateFeeReversal
        self.leadAdjustment = leadAdjustment
    }

    public static let defaultRoles: [ServiceAction: Role] = [
        .void: .lead, .reversal: .lead, .nsf: .lead, .refund: .lead, .transfer: .lead, .depositApply: .lead, .depositRefund: .lead,
        .paymentPlan: .csr, .serviceRequest: .cashier, .contactUpdate: .csr, .batchOutOfBalance: .supervisor,
        .importPayments: .lead, .feesAssess: .lead, .drawerOverShort: .lead, .writeOff: .supervisor,
        .suspenseApply: .csr, .pledge: .csr, .autopay: .csr, .autopayDraft: .lead, .returnsImport: .lead,
    ]
}

public enum Authority {
    /// Why `role` may not take `action` (of `amount`, where it has one) on its own authority, or nil when it may.
    /// A supervisor may do anything.
    public static func refusal(_ action: ServiceAction, amount: Money?, role: Role, limits: AuthorityLimits) -> String? {
        if role == .supervisor { return nil }
        switch action {
        case .lateFeeReversal, .leakAdjustment:
            let limit: Money? = switch role {
            case .lead: limits.leadAdjustment
            case .csr where action == .lateFeeReversal: limits.csrLateFeeReversal
            default: nil
            }
            guard let limit else { return "a \(role.rawValue) may not take \(action.title)" }
            if let amount, amount > limit {
                return "\(action.title.capitalizedFirst) of \(amount.formatted) is over the \(role.rawValue) limit of \(limit.formatted)"
            }
            return nil
        default:
            let least = limits.minimumRole[action] ?? .supervisor
            return role >= least ? nil : "\(action.title.capitalizedFirst) needs a \(least.rawValue) or above; a \(role.rawValue) may not take it alone"
        }
    }

    /// Whether `approver` may approve what `operator` may not: a lead or supervisor, another
    /// person, whose own authority covers the action.
    public static func approvalRefusal(_ action: ServiceAction, amount: Money?, operatorID: Int64, approverID: Int64,
                                       approverRole: Role, limits: AuthorityLimits) -> String? {
        if approverID == operatorID { return "An override is given by another person, not the operator" }
        if approverRole < .lead { return "Only a lead or supervisor gives an override" }
        return refusal(action, amount: amount, role: approverRole, limits: limits).map { "The approver may not either: \($0)" }
    }
}
