import ArgumentParser
import Foundation
import TillCore
import TillLedger

/// `till pay`: one payment from a script (an IVR, a web portal, a lockbox feed), with the
/// same validation, drawer rule and idempotency as the counter screen.
struct PayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Post one payment to an account and print its receipt number.",
        discussion: """
            TENDER is cash, check:NUMBER, moneyorder:NUMBER, card:LAST4:AUTH[:BRAND] or ach:LAST4.
            Cash, checks and money orders need the operator's open drawer at this terminal ($TILL_TERMINAL).
            The same --key with the same account, amount, tender and operator posts once and prints the same
            receipt number; the same --key with anything different is refused (exit 1) naming the first receipt.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var signIn: OperatorOptions
    @Argument(help: "The account number, or SUSPENSE when no account is known (with --payer and what else is known).") var account: String
    @Argument(help: "The amount, e.g. 45.50.") var amount: String
    @Option(help: "How it is paid (see above).") var tender: String
    @Option(help: "An idempotency key: a retry with the same key never posts twice.") var key: String?
    @Option(help: "Pay this charge first: bill:YYYY-MM-DD, late-fee, nsf-fee or reconnect (recorded on the receipt).") var to: String?
    @Option(help: "To SUSPENSE: who paid.") var payer: String?
    @Option(help: "To SUSPENSE: their address.") var address: String?
    @Option(help: "To SUSPENSE: their phone.") var phone: String?
    @Option(help: "To SUSPENSE: why no account (default: account not known).") var why: String?

    func run() throws {
        try reporting {
            let book = try ledger.open()
            let toSuspense = account.uppercased() == "SUSPENSE"
            guard toSuspense || (payer, address, phone, why) == (nil, nil, nil, nil) else {
                throw Failure(message: "--payer, --address, --phone and --why are for a payment to SUSPENSE")
            }
            let money = try Money.parse(amount, ceiling: try book.typedSettings().amountCeiling)
            let target = try to.map { try ChargeTarget(spec: $0) }
            if target != nil && toSuspense { throw Failure(message: "A payment to SUSPENSE pays no charge: --to is for an account") }
            let tender = try Self.tender(tender, amount: money)
            let op = try signIn.signIn(book)
            // Like the counter: a payment belongs to the operator's open drawer (its card batch too).
            let drawer = try book.currentDrawer(operatorID: op.id, terminal: Terminal.id)
            if tender.kind.goesInDrawer && drawer == nil {
                throw Failure(message: "\(tender.kind.rawValue) needs an open drawer: \(op.login) has none at terminal \(Terminal.id)")
            }
            let line: Payment.Line = toSuspense ? .suspense(money) : .account(try AccountNumber(account), money)
            let details = toSuspense ? SuspenseDetails(reason: why ?? "account not known", payer: payer ?? "", address: address ?? "",
                                                       phone: phone ?? "", reference: tender.reference ?? "",
                                                       checkNumber: tender.kind == .check ? tender.reference ?? "" : "") : nil
            let posted = try book.post(Payment(lines: [line], tenders: [tender]), operatorID: op.id, terminal: Terminal.id,
                                       idempotencyKey: key.map(IdempotencyKey.user), drawerSession: drawer?.id, suspense: details,
                                       directedTo: target)
            guard let receipt = posted.receipt else { throw Failure(message: "The ledger issued no receipt number") }
            print(receipt)
            book.checkpoint()
        }
    }

    /// Parses `cash`, `check:2041`, `moneyorder:77`, `card:1234:0A1B2C[:VISA]`, `ach:6789`.
    static func tender(_ spec: String, amount: Money) throws -> Tender {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let tender: Tender
        switch (TenderKind(spelling: parts[0]), parts.count) {
        case (.cash?, 1): tender = .cash(amount)
        case (.check?, 2): tender = .check(amount, number: parts[1])
        case (.moneyOrder?, 2): tender = .moneyOrder(amount, number: parts[1])
        case (.card?, 3): tender = .card(amount, lastFour: parts[1], authorization: parts[2].uppercased())
        case (.card?, 4): tender = .card(amount, lastFour: parts[1], authorization: parts[2].uppercased(), brand: parts[3].uppercased())
        case (.ach?, 2): tender = .ach(amount, lastFour: parts[1])
        default:
            throw Failure(message: "Unknown tender \"\(CardNumber.looksLikeFullCardNumber(spec.filter(\.isNumber)) ? "(card number withheld)" : spec)\": use cash, check:NUMBER, moneyorder:NUMBER, card:LAST4:AUTH or ach:LAST4")
        }
        try tender.validate()
        return tender
    }
}
