import TillCore

/// Everything needed to post one transaction. `post(_:)` validates it whole
/// before writing anything.
public struct PostingRequest: Sendable {
    public var kind: TransactionKind
    public var lines: [PostingLine]
    public var tenders: [Tender]
    public var operatorID: Int64
    public var terminal: String
    /// A key the client makes once per intended transaction; posting it again returns the first result.
    public var idempotencyKey: String?
    public var corrects: Int64?
    public var overrideBy: Int64?
    public var drawerSession: Int64?
    public var dueDate: BusinessDate?
    public var memo: String
    /// A charge its receivable credit pays first (a late-fee reversal pays the late fee it reverses).
    var allocateFirst: Int64?
    /// What is known of a payment credited to SUSPENSE (no account matched): its suspense item.
    public var suspense: SuspenseDetails?
    /// A charge of an account the payment pays first (`till pay --to`): resolved when it posts.
    var direction: (account: AccountNumber, target: ChargeTarget)?
    /// The assistance agency paying (`:agency`, `till agency pay`): each account's credit fulfils its pledges.
    var agencyID: Int64?

    public init(kind: TransactionKind, lines: [PostingLine], tenders: [Tender] = [], operatorID: Int64,
                terminal: String, idempotencyKey: String? = nil, corrects: Int64? = nil, overrideBy: Int64? = nil,
                drawerSession: Int64? = nil, dueDate: BusinessDate? = nil, memo: String = "") {
        self.kind = kind
        self.lines = lines
        self.tenders = tenders
        self.operatorID = operatorID
        self.terminal = terminal
        self.idempotencyKey = idempotencyKey
        self.corrects = corrects
        self.overrideBy = overrideBy
        self.drawerSession = drawerSession
        self.dueDate = dueDate
        self.memo = memo
    }
}

/// What a posting produced.
public struct PostedTransaction: Sendable, Equatable {
    public let id: Int64
    public let receipt: ReceiptNumber?
    public let businessDate: BusinessDate
    /// True when the idempotency key had been posted before and nothing new was written.
    public let wasAlreadyPosted: Bool
    /// Work orders the posting raised: restoring service to a locked-off account paid up.
    public var restoreRequests: [Int64] = []
}
