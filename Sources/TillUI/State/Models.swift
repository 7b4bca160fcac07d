import TillCore

/// What the UI knows of the signed-in operator.
public struct OperatorInfo: Equatable, Sendable {
    public let id: Int64
    public let login: String
    public let name: String
    public let role: Role_

    public init(id: Int64, login: String, name: String, role: Role_) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
    }
}

/// TillCore's operator role (named apart from the theme `Role`).
public typealias Role_ = TillCore.Role

/// The status line's facts, refreshed by the runtime.
public struct StatusInfo: Equatable, Sendable {
    public var utilityName: String
    public var businessDate: BusinessDate?
    public var terminal: String
    public var drawer: String
    public var clock: String
    /// The signed-in operator's open drawer session at this terminal.
    public var drawerSession: Int64?
    /// Active leads' and supervisors' ids: an approver field refuses any other before asking a PIN.
    public var approvers: Set<String> = []
    /// A training ledger: the status line says TRAINING on every screen.
    public var training = false

    public init(utilityName: String, businessDate: BusinessDate?, terminal: String, drawer: String, clock: String) {
        self.utilityName = utilityName
        self.businessDate = businessDate
        self.terminal = terminal
        self.drawer = drawer
        self.clock = clock
    }
}

/// One line of lookup results.
public struct AccountLine: Equatable, Sendable {
    public let number: String
    public let name: String
    public let serviceAddress: String
    public let status: String
    public let balance: Money

    public init(number: String, name: String, serviceAddress: String, status: String, balance: Money) {
        self.number = number
        self.name = name
        self.serviceAddress = serviceAddress
        self.status = status
        self.balance = balance
    }
}

/// The account pane's facts.
public struct AccountView: Equatable, Sendable {
    public let line: AccountLine
    public let mailingAddress: String
    public let phone: String
    public let meter: String
    public let depositHeld: Money
    public let cashOnlyUntil: BusinessDate?
    public var openCharges: [OpenCharge] = []
    public var aging: Aging?
    public var payments: [PaymentSummary] = []
    public var notes: [AccountNote] = []
    public var alerts: [AccountAlert] = []

    public init(line: AccountLine, mailingAddress: String, phone: String, meter: String, depositHeld: Money,
                cashOnlyUntil: BusinessDate?) {
        self.line = line
        self.mailingAddress = mailingAddress
        self.phone = phone
        self.meter = meter
        self.depositHeld = depositHeld
        self.cashOnlyUntil = cashOnlyUntil
    }
}

/// A receipt as it prints, line by line, for the receipt pane.
public struct ReceiptPreview: Equatable, Sendable {
    public let number: ReceiptNumber
    public let lines: [String]
    public init(number: ReceiptNumber, lines: [String]) {
        self.number = number
        self.lines = lines
    }
}

/// What a posted payment gave back to the counter.
public struct PostedPayment: Equatable, Sendable {
    public let receipt: ReceiptNumber
    public let change: Money
    /// Nil when the receipt printed; otherwise why not (it waits in the reprint queue).
    public let printFailure: String?
    public let wasAlreadyPosted: Bool
    /// Work orders the payment raised: a locked-off account paid up gets its service restored.
    public var restoreRequests: [Int64] = []
    /// How the receipt is named to the customer: "#1042", or its office's number ("NORTH-17").
    public var name: String


    public init(receipt: ReceiptNumber, change: Money, printFailure: String?, wasAlreadyPosted: Bool = false,
                restoreRequests: [Int64] = []) {
        self.restoreRequests = restoreRequests
        self.receipt = receipt
        self.name = "#\(receipt)"
        self.change = change
        self.printFailure = printFailure
        self.wasAlreadyPosted = wasAlreadyPosted
    }
}

/// The drawer pane's facts, from the ledger.
public struct DrawerView: Equatable, Sendable {
    /// The operator's open drawer at this terminal.
    public var session: Int64?
    /// The X report while a drawer is open; the Z report just after a close.
    public var report: [String]
    /// The checks and money orders the drawer holds, for the closing tick list.
    public var checks: [DrawerCheck]
    public var standardFloat: CashCount
    /// Nil when closes are blind (the default); otherwise the cash the drawer should hold,
    /// shown while it is counted (setting `drawer.blind_close` = false).
    public var expectedCash: Money?

    public init(session: Int64?, report: [String], checks: [DrawerCheck], standardFloat: CashCount, expectedCash: Money? = nil) {
        self.expectedCash = expectedCash
        self.session = session
        self.report = report
        self.checks = checks
        self.standardFloat = standardFloat
    }
}

/// A closing count ready for the ledger, with the approver's credentials when needed.
public struct DrawerCloseSubmission: Equatable, Sendable {
    public let count: CashCount
    public let found: Set<Int64>
    public let cardBatch: Money
    public let reason: String
    public let approverLogin: String?
    public let approverPIN: String?

    public init(count: CashCount, found: Set<Int64>, cardBatch: Money, reason: String, approverLogin: String?, approverPIN: String?) {
        self.count = count
        self.found = found
        self.cardBatch = cardBatch
        self.reason = reason
        self.approverLogin = approverLogin
        self.approverPIN = approverPIN
    }
}

/// The settle pane's facts: the day's settlement report as lines, and what the closer may do next.
public struct SettleView: Equatable, Sendable {
    public var date: BusinessDate?
    public var dayOpen: Bool
    public var openDrawers: Int
    public var lines: [String]
    /// The office whose share of the day the pane is, where offices keep their own days.
    public var office: String?
    /// False once the pane's office has closed its share: it opens again the next day.
    public var canOpen = true

    public init(date: BusinessDate?, dayOpen: Bool, openDrawers: Int, lines: [String], office: String? = nil) {
        self.date = date
        self.dayOpen = dayOpen
        self.openDrawers = openDrawers
        self.lines = lines
        self.office = office
    }
}
