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
        let reason = reason.trimmingSpacesAndTabs()
        guard !reason.isEmpty else { throw LedgerError(.invalid, "A void needs a reason") }
        let posted = try writeImmediate { db -> PostedTransaction in
            if let key = idempotencyKey, let earlier = try Self.postedWithKey(key, db) { return earlier }
            guard let day = try Self.openDay(db) else { throw LedgerError(.dayNotOpen, "No business day is open") }
            guard let original = try Row.fetchOne(db, sql: """
                SELECT t.id, t.kind, t.business_date, t.operator_id, t.drawer_session_id, s.closed_at
                FROM transactions t LEFT JOIN drawer_sessions s ON s.id = t.drawer_session_id
                WHERE t.receipt_number = ?
                """, arguments: [receipt.value]) else {
                throw LedgerError(.unknownTransaction, "No receipt #\(receipt)")
            }
            let originalID: Int64 = original["id"]
            guard ["payment", "misc-receipt"].contains(original["kind"] as String) else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is a \(original["kind"] as String), not a payment: only payments are voided")
            }
            if let voided = try Int64.fetchOne(db, sql: "SELECT receipt_number FROM transactions WHERE corrects_id = ? AND kind = 'void'",
                                               arguments: [originalID]) {
                throw LedgerError(.invalid, "Receipt #\(receipt) was already voided by #\(voided)")
            }
            guard (original["business_date"] as String) == day.description,
                  (original["drawer_session_id"] as Int64?) == nil || (original["closed_at"] as String?) == nil else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is from a closed drawer or day: it is reversed, not voided")
            }
            guard let op = try Self.fetchOperator(db, id: operatorID) else { throw LedgerError(.unknownOperator, "Unknown operator") }
            let approver = try approvedBy.flatMap { try Self.fetchOperator(db, id: $0) }
            let ownVoid = try original["operator_id"] == operatorID && Self.setting(.cashierVoidOwnSession, db) == "true"
            guard ownVoid || op.role >= .lead || (approver.map { $0.role >= .lead && $0.id != operatorID } ?? false) else {
                throw LedgerError(.notAuthorized, "Voiding another cashier's payment needs a lead or supervisor's approval")
            }
            var lines: [PostingLine] = []
            var accountIDs: [AccountNumber: Int64] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT p.book, p.amount_cents, p.account_id, a.number FROM postings p LEFT JOIN accounts a ON a.id = p.account_id
                WHERE p.transaction_id = ? ORDER BY p.id
                """, arguments: [originalID]) {
                guard let book = BookAccount(rawValue: row["book"]) else { continue }
                let number = try (row["number"] as String?).map { try AccountNumber($0) }
                if let number { accountIDs[number] = row["account_id"] }
                lines.append(PostingLine(book, Money(cents: -(row["amount_cents"] as Int64)), account: number))
            }
            let tenders = try Row.fetchAll(db, sql: """
                SELECT kind, amount_cents, tendered_cents, reference, last_four, card_brand FROM tenders WHERE transaction_id = ? ORDER BY id
                """, arguments: [originalID]).map { row in
                Tender(kind: TenderKind(rawValue: row["kind"]) ?? .cash, amount: Money(cents: -(row["amount_cents"] as Int64)),
                       tendered: Money(cents: -(row["amount_cents"] as Int64)), reference: row["reference"],
                       lastFour: row["last_four"], brand: row["card_brand"])
            }
            let request = PostingRequest(kind: .void, lines: lines, tenders: tenders, operatorID: operatorID, terminal: terminal,
                                         idempotencyKey: idempotencyKey, corrects: originalID,
                                         overrideBy: ownVoid || op.role >= .lead ? nil : approver?.id,
                                         drawerSession: original["drawer_session_id"], memo: "Void of #\(receipt): \(reason)")
            let posted = try insert(request, businessDate: day, accountIDs: accountIDs, db)
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "payment.voided",
                             detail: "#\(receipt) by #\(posted.receipt.map { "\($0)" } ?? "?")" + (approver.map { " approved by \($0.login)" } ?? ""))
            return posted
        }
        checkpointIfLarge()
        return posted
    }
}
