import Foundation
import GRDB
import TillCore

extension Ledger {
    /// Takes back (part of) the account's latest late fee not yet reversed: a credit to the
    /// account against late-fee revenue, paying that fee first. A CSR may reverse up to
    /// `authority.csr.late_fee_reversal_cents`, a lead up to `authority.lead.adjustment_cents`.
    public func reverseLateFee(account: AccountNumber, amount: Money?, reason: String, actor: Actor,
                               idempotencyKey: String? = nil) throws -> ServiceOutcome {
        try reverseFee(.lateFee, account: account, amount: amount, reason: reason, actor: actor, idempotencyKey: idempotencyKey)
    }

    /// The fees a reversal may take back, with the name the adjustment keeps.
    public static let reversibleFees: [BookAccount: String] = [.lateFee: "late-fee", .nsfFee: "nsf-fee", .reconnectFee: "reconnect-fee"]

    /// Takes back (part of) the account's latest fee of a kind — a late fee, a returned-check
    /// fee, a reconnect fee — within the same limits as a late-fee reversal.
    public func reverseFee(_ book: BookAccount, account: AccountNumber, amount: Money?, reason: String, actor: Actor,
                           idempotencyKey: String? = nil) throws -> ServiceOutcome {
        guard let kind = Self.reversibleFees[book] else { throw LedgerError(.invalid, "\(book.name) is not a fee that is reversed") }
        let name = book == .nsfFee ? "returned-check fee" : book == .reconnectFee ? "reconnect fee" : "late fee"
        let reason = try Self.reasonText(reason)
        return try serviceWrite(idempotencyKey) { db, day in
            let id = try Self.accountID(account, db)
            // The fee is what its transaction credited to the fee's revenue; what was reversed
            // of it is what later adjustments credited back to the account against it.
            // (The alias `unreversed` is filtered on in an outer query: PostgreSQL's WHERE
            // cannot name a column alias of its own SELECT.)
            guard let fee = try SQLRow.fetchOne(db, sql: """
                SELECT * FROM (
                    SELECT p.id, t.business_date,
                           -(SELECT SUM(f.amount_cents) FROM postings f WHERE f.transaction_id = t.id AND f.book = ?)
                           + COALESCE((SELECT SUM(r.amount_cents) FROM adjustments j
                                       JOIN postings r ON r.transaction_id = j.transaction_id AND r.book = 'AR'
                                       WHERE j.charge_posting_id = p.id), 0) AS unreversed
                    FROM postings p JOIN transactions t ON t.id = p.transaction_id
                    WHERE p.account_id = ? AND p.book = 'AR' AND p.amount_cents > 0
                      AND EXISTS (SELECT 1 FROM postings f WHERE f.transaction_id = t.id AND f.book = ?)
                ) AS fees
                WHERE unreversed > 0
                ORDER BY id DESC LIMIT 1
                """, arguments: [book.rawValue, id, book.rawValue]) else {
                throw LedgerError(.invalid, "Account \(account) has no \(name) to reverse")
            }
            let unreversed = Money(cents: fee["unreversed"])
            let amount = try Self.amount(amount, upTo: unreversed,
                                         else: "The \(name) of \(fee["business_date"] as String) has \(unreversed.formatted) left to reverse")
            let auth = try Self.authorize(.lateFeeReversal, amount: amount, actor: actor, db)
            var request = PostingRequest(
                kind: .adjustment, lines: [PostingLine(book, amount), PostingLine(.receivable, Money(cents: -amount.cents), account: account)],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey,
                overrideBy: auth.approver?.id, memo: "\(name.capitalizedFirst) of \(fee["business_date"] as String) reversed: \(reason)")
            request.allocateFirst = fee["id"]
            let posted = try self.insert(request, businessDate: day, accountIDs: [account: id], db)
            try db.execute(sql: "INSERT INTO adjustments(transaction_id, kind, charge_posting_id) VALUES (?, ?, ?)",
                           arguments: [posted.id, kind, fee["id"] as Int64])
            try Self.finish(auth, posted, event: "fee.reversed", detail: "\(account) \(kind) \(amount.formatted): \(reason)", db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "\(name.capitalizedFirst) \(amount.formatted) reversed on \(account) (#\(Self.number(posted))).")
        }
    }

    /// A credit against water charges for water lost to a leak between two dates: up to the
    /// water billed to the account since the leak began. A lead adjusts up to
    /// `authority.lead.adjustment_cents`; beyond it, a supervisor.
    public func adjustForLeak(account: AccountNumber, amount: Money, from: BusinessDate, to: BusinessDate, reason: String,
                              actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        guard amount.isPositive else { throw LedgerError(.invalid, "A leak adjustment must be more than $0.00") }
        guard from <= to else { throw LedgerError(.invalid, "The leak's dates run backwards: \(from) is after \(to)") }
        return try serviceWrite(idempotencyKey) { db, day in
            guard to <= day else { throw LedgerError(.invalid, "The leak cannot end after today (\(day))") }
            let id = try Self.accountID(account, db)
            let billed = Money(cents: try Int64.fetchOne(db, sql: """
                SELECT -COALESCE(SUM(w.amount_cents), 0) FROM postings p JOIN transactions t ON t.id = p.transaction_id
                JOIN postings w ON w.transaction_id = t.id AND w.book = 'REV_WATER'
                WHERE p.account_id = ? AND p.book = 'AR' AND p.amount_cents > 0 AND t.kind = 'bill' AND t.business_date >= ?
                """, arguments: [id, from.description]) ?? 0)
            guard amount <= billed else {
                throw LedgerError(.invalid, "Water billed to \(account) since \(from) is \(billed.formatted): a leak adjustment cannot be more")
            }
            let auth = try Self.authorize(.leakAdjustment, amount: amount, actor: actor, db)
            let posted = try self.insert(PostingRequest(
                kind: .adjustment, lines: [PostingLine(.water, amount), PostingLine(.receivable, Money(cents: -amount.cents), account: account)],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, overrideBy: auth.approver?.id,
                memo: "Leak adjustment \(from) to \(to): \(reason)"), businessDate: day, accountIDs: [account: id], db)
            try db.execute(sql: "INSERT INTO adjustments(transaction_id, kind, period_from, period_to) VALUES (?, 'leak', ?, ?)",
                           arguments: [posted.id, from.description, to.description])
            try Self.finish(auth, posted, event: "leak.adjusted", detail: "\(account) \(amount.formatted) \(from)–\(to): \(reason)",
                            db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Leak adjustment \(amount.formatted) credited to \(account) (#\(Self.number(posted))).")
        }
    }

    /// Refunds (part of) a credit balance: the account is debited and the amount is owed to the
    /// payee through accounts payable, who gets the printed refund request.
    public func refundCredit(account: AccountNumber, amount: Money?, payee: String?, address: String?, reason: String,
                             actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        try refund(.credit, account: account, amount: amount, payee: payee, address: address, reason: reason, actor: actor,
                   idempotencyKey: idempotencyKey)
    }

    /// Refunds the deposit held for the account (at its final bill), through accounts payable.
    public func refundDeposit(account: AccountNumber, amount: Money?, payee: String?, address: String?, reason: String,
                              actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        try refund(.deposit, account: account, amount: amount, payee: payee, address: address, reason: reason, actor: actor,
                   idempotencyKey: idempotencyKey)
    }

    enum RefundSource: String { case credit, deposit }

    private func refund(_ source: RefundSource, account: AccountNumber, amount: Money?, payee: String?, address: String?,
                        reason: String, actor: Actor, idempotencyKey: String?) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        var outcome = try serviceWrite(idempotencyKey) { db, day in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT id, customer_name, mailing_address, service_address, balance_cents, deposit_held_cents FROM accounts WHERE number = ?
                """, arguments: [account.rawValue]) else { throw LedgerError(.unknownAccount, "No account \(account)") }
            let id: Int64 = row["id"]
            let available = Money(cents: source == .credit ? -(row["balance_cents"] as Int64) : row["deposit_held_cents"])
            guard available.isPositive else {
                throw LedgerError(.invalid, source == .credit ? "Account \(account) has no credit balance to refund"
                                                               : "Account \(account) holds no deposit")
            }
            let amount = try Self.amount(amount, upTo: available,
                                         else: "Account \(account) has \(available.formatted) \(source == .credit ? "of credit" : "of deposit") to refund")
            let payee = (payee?.trimmingSpacesAndTabs()).flatMap { $0.isEmpty ? nil : $0 } ?? (row["customer_name"] as String)
            let mailing: String = row["mailing_address"]
            let address = (address?.trimmingSpacesAndTabs()).flatMap { $0.isEmpty ? nil : $0 }
                ?? (mailing.isEmpty ? row["service_address"] as String : mailing)
            guard payee.count <= 100, address.count <= 200 else { throw LedgerError(.invalid, "Payee or address is too long") }
            let action: ServiceAction = source == .credit ? .refund : .depositRefund
            let auth = try Self.authorize(action, amount: amount, actor: actor, db)
            let owed = source == .credit ? PostingLine(.receivable, amount, account: account) : PostingLine(.depositsHeld, amount, account: account)
            let posted = try self.insert(PostingRequest(
                kind: .refund, lines: [owed, PostingLine(.refundsPayable, Money(cents: -amount.cents))],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, overrideBy: auth.approver?.id,
                memo: "Refund of \(source == .credit ? "credit balance" : "deposit") to \(payee): \(reason)"),
                businessDate: day, accountIDs: [account: id], db)
            try db.execute(sql: """
                INSERT INTO refund_requests(transaction_id, account_id, source, payee, address, amount_cents) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [posted.id, id, source.rawValue, payee, address, amount.cents])
            try Self.finish(auth, posted, event: "refund.requested", detail: "\(account) \(amount.formatted) \(source.rawValue) to \(payee): \(reason)",
                            db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Refund of \(amount.formatted) to \(payee) requested (#\(Self.number(posted))).")
        }
        if let posted = outcome.transaction, !posted.wasAlreadyPosted {
            if let file = try? writeRefundRequest(transactionID: posted.id) { outcome.files.append(file) }
            if source == .deposit, let letter = try? writeLetters(.depositRefund, on: posted.businessDate, transactionID: posted.id).first {
                outcome.files.append(letter)
            }
            if !outcome.files.isEmpty {
                outcome = ServiceOutcome(transaction: posted, summary: outcome.summary + " Written: " + outcome.files.map(nameBesideLedger).joined(separator: ", "),
                                         files: outcome.files)
            }
        }
        return outcome
    }

    /// Applies (part of) the deposit held to the account's balance, at its final bill.
    public func applyDeposit(account: AccountNumber, amount: Money?, reason: String, actor: Actor,
                             idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        return try serviceWrite(idempotencyKey) { db, day in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, deposit_held_cents FROM accounts WHERE number = ?",
                                             arguments: [account.rawValue]) else { throw LedgerError(.unknownAccount, "No account \(account)") }
            let held = Money(cents: row["deposit_held_cents"])
            guard held.isPositive else { throw LedgerError(.invalid, "Account \(account) holds no deposit") }
            let amount = try Self.amount(amount, upTo: held, else: "Account \(account) holds \(held.formatted) of deposit")
            let auth = try Self.authorize(.depositApply, amount: amount, actor: actor, db)
            let posted = try self.insert(PostingRequest(
                kind: .deposit, lines: [PostingLine(.depositsHeld, amount, account: account),
                                        PostingLine(.receivable, Money(cents: -amount.cents), account: account)],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, overrideBy: auth.approver?.id,
                memo: "Deposit applied to the balance: \(reason)"), businessDate: day, accountIDs: [account: row["id"]], db)
            try Self.finish(auth, posted, event: "deposit.applied", detail: "\(account) \(amount.formatted): \(reason)", db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Deposit \(amount.formatted) applied to \(account) (#\(Self.number(posted))).")
        }
    }

    /// The refund request accounts payable pays from, as text, and written to `reports/refunds/`.
    public func refundRequestText(transactionID: Int64) throws -> [String] {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT r.source, r.payee, r.address, r.amount_cents, t.receipt_number, t.business_date, t.memo, a.number,
                       o.display_name AS requested, b.display_name AS approved
                FROM refund_requests r JOIN transactions t ON t.id = r.transaction_id JOIN accounts a ON a.id = r.account_id
                JOIN operators o ON o.id = t.operator_id LEFT JOIN operators b ON b.id = t.override_operator_id
                WHERE r.transaction_id = ?
                """, arguments: [transactionID]) else { throw LedgerError(.unknownTransaction, "No refund request #\(transactionID)") }
            let receipt: Int64? = row["receipt_number"]
            return [
                try Self.setting(.utilityName, db), "REFUND REQUEST FOR ACCOUNTS PAYABLE", "",
                "Refund:   \(receipt.map { "#\($0)" } ?? "")  \(row["business_date"] as String)",
                "Account:  \(row["number"] as String)",
                "Source:   \((row["source"] as String) == "deposit" ? "deposit held" : "credit balance")",
            ] + Self.refundRequestFoot(row)
        }
    }

    /// The lines every refund request ends with: whom to pay, where, how much, why, who asked and
    /// who approved (columns `payee`, `address`, `amount_cents`, `memo`, `requested`, `approved`).
    static func refundRequestFoot(_ row: SQLRow) -> [String] {
        ["Pay to:   \(row["payee"] as String)",
         "Address:  \(row["address"] as String)",
         "Amount:   \(Money(cents: row["amount_cents"]).formatted)",
         "Reason:   \(row["memo"] as String)",
         "Requested by: \(row["requested"] as String)",
         "Approved by:  \((row["approved"] as String?) ?? "(within authority)")"]
    }

    func writeRefundRequest(transactionID: Int64) throws -> String {
        try writeRefundFile(transactionID: transactionID, lines: try refundRequestText(transactionID: transactionID))
    }

    func writeRefundFile(transactionID: Int64, lines: [String]) throws -> String {
        let directory = (reportsDirectory as NSString).appendingPathComponent("refunds")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (directory as NSString).appendingPathComponent("refund-\(transactionID).txt")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension Ledger {
    /// Writes off (part of) a balance that will not be collected — after collection work, a
    /// bankruptcy discharge, a deceased customer's closed estate: a credit to the account against
    /// bad debt. With `referToCollections` the account is also marked as sent to the collection
    /// agency that day (the delinquency list shows it). A supervisor's action by default
    /// (`authority.writeoff.role`).
    public func writeOff(account: AccountNumber, amount: Money?, reason: String, referToCollections: Bool = false,
                         actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        return try serviceWrite(idempotencyKey) { db, day in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, balance_cents FROM accounts WHERE number = ?",
                                             arguments: [account.rawValue]) else { throw LedgerError(.unknownAccount, "No account \(account)") }
            let owed = Money(cents: row["balance_cents"])
            guard owed.isPositive else { throw LedgerError(.invalid, "Account \(account) owes nothing to write off") }
            let amount = try Self.amount(amount, upTo: owed, else: "Account \(account) owes \(owed.formatted): write off up to that")
            let auth = try Self.authorize(.writeOff, amount: amount, actor: actor, db)
            let id: Int64 = row["id"]
            let posted = try self.insert(PostingRequest(
                kind: .writeOff, lines: [PostingLine(.badDebt, amount), PostingLine(.receivable, Money(cents: -amount.cents), account: account)],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, overrideBy: auth.approver?.id,
                memo: "Written off" + (referToCollections ? ", sent to collections" : "") + ": \(reason)"),
                businessDate: day, accountIDs: [account: id], db)
            if referToCollections {
                try db.execute(sql: "UPDATE accounts SET collections_on = ? WHERE id = ?", arguments: [day.description, id])
            }
            try Self.finish(auth, posted, event: "balance.written-off",
                            detail: "\(account) \(amount.formatted)" + (referToCollections ? " referred to collections" : "") + ": \(reason)",
                            db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "\(amount.formatted) written off on \(account)"
                                  + (referToCollections ? ", referred to collections" : "") + " (#\(Self.number(posted))).")
        }
    }
}
