/// What a ledger transaction is. Corrections (`void`, `reversal`, …) name the
/// transaction they correct; nothing posted is ever edited.
public enum TransactionKind: String, CaseIterable, Sendable, Codable {
    case bill            // a charge imported from the billing system
    case payment         // money taken for one or more accounts
    case miscReceipt = "misc-receipt" // money taken for a revenue code, no account
    case void            // same drawer session, reverses a payment
    case reversal        // after the session closed
    case nsf             // returned check
    case adjustment
    case refund
    case transfer
    case deposit         // a customer's deposit for new service
    case bankDeposit = "bank-deposit" // the day's takings to the bank
    case drop            // drawer cash to the safe
    case overShort = "over-short"
    case openingBalance = "opening-balance"
    case fee             // a late or reconnect fee charged by Till
    case writeOff = "write-off" // a balance written off as bad debt
    case dropDifference = "drop-difference" // what a lead found in a drop's bag beyond or short of its count

    /// Kinds the cashier hands a receipt for; these draw the next receipt number.
    public var issuesReceipt: Bool {
        switch self {
        case .bill, .bankDeposit, .drop, .overShort, .openingBalance, .fee, .dropDifference: false
        default: true
        }
    }
}
