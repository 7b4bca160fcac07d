/// The chart of accounts: the books every posting moves money between.
///
/// Postings to `receivable` and `depositsHeld` always name a customer account
/// (a sub-ledger), so a customer's balance is the sum of their receivable postings.
public enum BookAccount: String, CaseIterable, Sendable, Codable {
    case receivable = "AR"
    case drawerCash = "CASH"
    case checksOnHand = "CHECKS"
    case moneyOrdersOnHand = "MONEY_ORDERS"
    case cardClearing = "CARD"
    case achClearing = "ACH"
    case safe = "SAFE"
    case bank = "BANK"
    case depositsHeld = "DEPOSITS"
    case refundsPayable = "REFUNDS_PAYABLE"
    /// Money received that no account could be matched to yet: owed to someone until a CSR
    /// applies it to an account or refunds it (`till suspense`).
    case suspense = "SUSPENSE"
    case water = "REV_WATER"
    case sewer = "REV_SEWER"
    case lateFee = "REV_LATE_FEE"
    case nsfFee = "REV_NSF_FEE"
    case reconnectFee = "REV_RECONNECT"
    case miscellaneous = "REV_MISC"
    case overShort = "OVER_SHORT"
    case badDebt = "BAD_DEBT"

    public enum Kind: String, Sendable { case asset, liability, revenue, expense }

    public var kind: Kind {
        switch self {
        case .receivable, .drawerCash, .checksOnHand, .moneyOrdersOnHand, .cardClearing,
             .achClearing, .safe, .bank: .asset
        case .depositsHeld, .refundsPayable, .suspense: .liability
        case .water, .sewer, .lateFee, .nsfFee, .reconnectFee, .miscellaneous: .revenue
        case .overShort, .badDebt: .expense
        }
    }

    public var name: String {
        switch self {
        case .receivable: "Customer receivables"
        case .drawerCash: "Drawer cash"
        case .checksOnHand: "Checks on hand"
        case .moneyOrdersOnHand: "Money orders on hand"
        case .cardClearing: "Card clearing"
        case .achClearing: "ACH clearing"
        case .safe: "Cash in safe"
        case .bank: "Bank deposits"
        case .depositsHeld: "Customer deposits held"
        case .refundsPayable: "Refunds payable"
        case .suspense: "Payments in suspense"
        case .water: "Water charges"
        case .sewer: "Sewer charges"
        case .lateFee: "Late fees"
        case .nsfFee: "NSF fees"
        case .reconnectFee: "Reconnect fees"
        case .miscellaneous: "Miscellaneous receipts"
        case .overShort: "Cash over/short"
        case .badDebt: "Bad debt written off"
        }
    }

    /// Whether each posting to this book must name a customer account.
    public var requiresCustomer: Bool { self == .receivable || self == .depositsHeld }

    /// Revenue codes a charge may be billed to.
    public static var revenueCodes: [BookAccount] { allCases.filter { $0.kind == .revenue } }

    /// The name of this book in a plain-text accounting journal (hledger).
    public var journalName: String {
        switch self {
        case .receivable: "assets:receivable:customers"
        case .drawerCash: "assets:cash:drawers"
        case .checksOnHand: "assets:checks on hand"
        case .moneyOrdersOnHand: "assets:money orders on hand"
        case .cardClearing: "assets:clearing:card"
        case .achClearing: "assets:clearing:ach"
        case .safe: "assets:cash:safe"
        case .bank: "assets:bank"
        case .depositsHeld: "liabilities:customer deposits"
        case .refundsPayable: "liabilities:refunds payable"
        case .suspense: "liabilities:suspense"
        case .water: "revenues:water"
        case .sewer: "revenues:sewer"
        case .lateFee: "revenues:late fees"
        case .nsfFee: "revenues:nsf fees"
        case .reconnectFee: "revenues:reconnect fees"
        case .miscellaneous: "revenues:miscellaneous"
        case .overShort: "expenses:cash over short"
        case .badDebt: "expenses:bad debt"
        }
    }
}
