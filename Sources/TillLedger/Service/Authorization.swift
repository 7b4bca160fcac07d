import GRDB
import TillCore

/// Who takes an account action: the signed-in operator at a terminal and, for one action
/// beyond their authority, the lead or supervisor who approved it there (already signed in
/// with their id and PIN by the caller; nothing stays unlocked after the action).
public struct Actor: Sendable, Equatable {
    public let operatorID: Int64
    public let terminal: String
    public let approverID: Int64?

    public init(operatorID: Int64, terminal: String, approverID: Int64? = nil) {
        self.operatorID = operatorID
        self.terminal = terminal
        self.approverID = approverID
    }
}

/// The outcome of an authority check: the operator, and the approver when one was needed.
struct Authorization {
    let action: ServiceAction
    let amount: Money?
    let actor: Actor
    let operatorRecord: Operator
    let approver: Operator?

    /// Records the override, when there was one, against the transaction it allowed.
    func record(_ db: Store, at: String, transactionID: Int64?, detail: String) throws {
        guard let approver else { return }
        try db.execute(sql: """
            INSERT INTO overrides(at, business_date, action, operator_id, approver_id, terminal_id, amount_cents, transaction_id, detail)
            VALUES (?, (SELECT date FROM business_days WHERE closed_at IS NULL), ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, action.rawValue, actor.operatorID, approver.id, actor.terminal, amount?.cents, transactionID, detail])
        try Audit.record(db, at: at, operatorID: actor.operatorID, terminal: actor.terminal, event: "override.granted",
                         detail: "\(action.rawValue) approved by \(approver.login): \(detail)")
    }
}

/// One action taken under another person's authority, for the supervisor's report.
public struct OverrideRecord: Sendable, Equatable {
    public let at: String
    public let action: String
    public let operatorLogin: String
    public let approverLogin: String
    public let terminal: String
    public let amount: Money?
    public let receipt: ReceiptNumber?
    public let detail: String
}

extension Ledger {
    static func authorityLimits(_ db: Store) throws -> AuthorityLimits {
        var roles = AuthorityLimits.defaultRoles
        let keyed: [(ServiceAction, SettingKey)] = [
            (.reversal, .reversalRole), (.nsf, .nsfRole), (.refund, .refundRole), (.transfer, .transferRole),
            (.depositApply, .depositRole), (.depositRefund, .depositRole), (.paymentPlan, .planRole), (.contactUpdate, .contactRole),
            (.writeOff, .writeOffRole), (.suspenseApply, .suspenseRole), (.pledge, .pledgeRole),
        ]
        for (action, key) in keyed { if let role = Role(rawValue: try setting(key, db)) { roles[action] = role } }
        return AuthorityLimits(minimumRole: roles, csrLateFeeReversal: Money(cents: try intSetting(.csrLateFeeReversalCents, db)),
                               leadAdjustment: Money(cents: try intSetting(.leadAdjustmentCents, db)))
    }

    /// Checks the operator's authority for an action; beyond it, the actor's approver must hold it.
    /// Throws `needsOverride` when no approver was given, so the screen can ask for one.
    static func authorize(_ action: ServiceAction, amount: Money?, actor: Actor, _ db: Store) throws -> Authorization {
        guard let op = try fetchOperator(db, id: actor.operatorID) else {
            throw LedgerError(.unknownOperator, "Unknown operator #\(actor.operatorID)")
        }
        let limits = try authorityLimits(db)
        guard let refusal = Authority.refusal(action, amount: amount, role: op.role, limits: limits) else {
            return Authorization(action: action, amount: amount, actor: actor, operatorRecord: op, approver: nil)
        }
        guard let approverID = actor.approverID else {
            throw LedgerError(.needsOverride, "\(refusal): a lead or supervisor may approve it with their id and PIN")
        }
        guard let approver = try fetchOperator(db, id: approverID) else {
            throw LedgerError(.unknownOperator, "Unknown approving operator #\(approverID)")
        }
        if let why = Authority.approvalRefusal(action, amount: amount, operatorID: op.id, approverID: approver.id,
                                               approverRole: approver.role, limits: limits) {
            throw LedgerError(.notAuthorized, why)
        }
        return Authorization(action: action, amount: amount, actor: actor, operatorRecord: op, approver: approver)
    }

    /// Every action taken under override between two business dates.
    public func overrides(from: BusinessDate, to: BusinessDate) throws -> [OverrideRecord] {
        try read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT o.at, o.action, a.login AS operator, b.login AS approver, COALESCE(o.terminal_id, '') AS terminal,
                       o.amount_cents, t.receipt_number, o.detail
                FROM overrides o JOIN operators a ON a.id = o.operator_id JOIN operators b ON b.id = o.approver_id
                LEFT JOIN transactions t ON t.id = o.transaction_id
                WHERE o.business_date BETWEEN ? AND ?
                ORDER BY o.id
                """, arguments: [from.description, to.description]).map { row -> OverrideRecord in
                let local = Timestamp.localMinute(row["at"])
                let cents: Int64? = row["amount_cents"], receipt: Int64? = row["receipt_number"]
                return OverrideRecord(at: local, action: row["action"], operatorLogin: row["operator"], approverLogin: row["approver"],
                                      terminal: row["terminal"], amount: cents.map(Money.init(cents:)),
                                      receipt: receipt.map(ReceiptNumber.init), detail: row["detail"])
            }
        }
    }
}
