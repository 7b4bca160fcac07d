import GRDB
import TillCore

extension Ledger {
    /// Voids a payment taken in a drawer that is still open (or a card/e-check payment of the
    /// open day): a new transaction that reverses every posting and tender of the original and
    /// points at it. The cashier who took it may void it (the `authority.cashier.void_own_session`
    /// setting); anyone else needs a lead or supervisor, as operator or as approver.
    @discardableResult
    public func void(receipt: ReceiptNumber, reason: String, operatorID: Int64, terminal: String,
                     approvedBy: Int64? = nil, idempotencyKey: String? = nil) throws -> PostedTransaction {
        let reason = try Self.reasonText(reason)
        let posted = try writeImmediate { db -> PostedTransaction in
            if let key = idempotencyKey, let earlier = try Self.postedWithKey(key, db) { return earlier }
            let day = try Self.requireOpenDay(db)
            let original = try Self.originalPayment(receipt, db)
            guard original.isPayment else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is a \(original.kind), not a payment: only payments are voided")
            }
            if let done = original.corrections.first {
                throw LedgerError(.invalid, done.kind == "void"
                    ? "Receipt #\(receipt) was already voided by #\(done.receipt.map { "\($0)" } ?? "?")"
                    : "Receipt #\(receipt) was corrected by #\(done.receipt.map { "\($0)" } ?? "?") (\(done.kind)): it is no longer voided")
            }
            try Self.checkSuspenseUntouched(original, verb: "voided", db)
            guard original.businessDate == day.description, original.drawerOpen else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is from a closed drawer or day: it is reversed, not voided")
            }
            guard let op = try Self.fetchOperator(db, id: operatorID) else { throw LedgerError(.unknownOperator, "Unknown operator") }
            let approver = try approvedBy.flatMap { try Self.fetchOperator(db, id: $0) }
            let ownVoid = try original.operatorID == operatorID && Self.setting(.cashierVoidOwnSession, db) == "true"
            guard ownVoid || op.role >= .lead || (approver.map { $0.role >= .lead && $0.id != operatorID } ?? false) else {
                throw LedgerError(.needsOverride, "Voiding another cashier's payment needs a lead or supervisor's approval")
            }
            let lines = original.lines.map { PostingLine($0.book, Money(cents: -$0.amount.cents), account: $0.account) }
            let tenders = original.tenders.map { original in
                var tender = original.tender
                tender.amount = Money(cents: -tender.amount.cents)
                tender.tendered = tender.amount
                return tender
            }
            let approvedByOther = ownVoid || op.role >= .lead ? nil : approver
            let request = PostingRequest(kind: .void, lines: lines, tenders: tenders, operatorID: operatorID, terminal: terminal,
                                         idempotencyKey: idempotencyKey, corrects: original.id, overrideBy: approvedByOther?.id,
                                         drawerSession: original.drawerSession, memo: "Void of #\(receipt): \(reason)")
            let posted = try insert(request, businessDate: day, accountIDs: original.accountIDs, db)
            let now = timestamp()
            if let approvedByOther {
                try Authorization(action: .void, amount: nil, actor: Actor(operatorID: operatorID, terminal: terminal),
                                  operatorRecord: op, approver: approvedByOther)
                    .record(db, at: now, transactionID: posted.id, detail: "void of #\(receipt): \(reason)")
            }
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "payment.voided",
                             detail: "#\(receipt) by #\(posted.receipt.map { "\($0)" } ?? "?")" + (approver.map { " approved by \($0.login)" } ?? ""))
            return posted
        }
        checkpointIfLarge()
        return posted
    }
}
