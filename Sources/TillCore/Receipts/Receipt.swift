/// Everything a printed receipt says, read back from the ledger.
public struct Receipt: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        /// Nil for a miscellaneous receipt line.
        public let account: String?
        public let title: String
        public let serviceAddress: String
        public let previousBalance: Money?
        public let applied: Money
        public let newBalance: Money?
        /// Where the amount went on the account: "bill 2026-10-05 $30.00, late fee $5.00".
        public var paidTo = ""

        public init(account: String?, title: String, serviceAddress: String, previousBalance: Money?, applied: Money,
                    newBalance: Money?) {
            self.account = account
            self.title = title
            self.serviceAddress = serviceAddress
            self.previousBalance = previousBalance
            self.applied = applied
            self.newBalance = newBalance
        }
    }

    public struct Header: Equatable, Sendable {
        public let utilityName: String
        public let utilityAddress: String
        public let utilityPhone: String
        public let footer: String
        /// The office that took the payment, where the ledger has offices (empty: it has none,
        /// and the receipt prints the utility's address).
        public let officeName: String
        public let officeAddress: String

        public init(utilityName: String, utilityAddress: String, utilityPhone: String, footer: String,
                    officeName: String = "", officeAddress: String = "") {
            self.utilityName = utilityName
            self.utilityAddress = utilityAddress
            self.utilityPhone = utilityPhone
            self.footer = footer
            self.officeName = officeName
            self.officeAddress = officeAddress
        }
    }

    public let number: ReceiptNumber
    public let header: Header
    public let businessDate: BusinessDate
    /// Local date and time the payment was posted, "2026-11-20 14:05".
    public let postedAt: String
    public let terminal: String
    public let cashier: String
    public let lines: [Line]
    public let tenders: [Tender]
    public let memo: String
    /// Its number in its office's own sequence ("NORTH-17"), where each office counts its
    /// receipts (`receipt.numbering = office`); printed as the receipt's number.
    public var officeNumber: String?

    /// How the receipt is named to people: "NORTH-17", or "#1042".
    public var name: String { officeNumber ?? "#\(number)" }

    public init(number: ReceiptNumber, header: Header, businessDate: BusinessDate, postedAt: String, terminal: String,
                cashier: String, lines: [Line], tenders: [Tender], memo: String) {
        self.number = number
        self.header = header
        self.businessDate = businessDate
        self.postedAt = postedAt
        self.terminal = terminal
        self.cashier = cashier
        self.lines = lines
        self.tenders = tenders
        self.memo = memo
    }

    public var total: Money { (try? Money.sum(lines.map(\.applied))) ?? .zero }
    public var change: Money { (try? Money.sum(tenders.map(\.change))) ?? .zero }
    /// The cash drawer opens only when cash or a check went into it.
    public var opensDrawer: Bool { tenders.contains { $0.kind == .cash || $0.kind == .check } }
}
