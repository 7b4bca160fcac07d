import GRDB
import TillCore

/// What an account action posted, and what the screen should tell the operator about it.
public struct ServiceOutcome: Sendable, Equatable {
    public let transaction: PostedTransaction?
    /// One line for the message bar: what was done, with its receipt.
    public let summary: String
    /// Files written for the action (an NSF letter, a refund request for accounts payable).
    public var files: [String] = []

    public init(transaction: PostedTransaction?, summary: String, files: [String] = []) {
        self.transaction = transaction
        self.summary = summary
        self.files = files
    }
}

extension Ledger {
    /// Takes a payment back off its accounts after its drawer closed (a payment still in an open
    /// drawer is voided instead). Posts on the open day, points at the original receipt: the
    /// accounts are charged again with what the payment credits them now, and the money side
    /// comes out of the bank, where the closed drawer's takings went (card and e-check out of
    /// their clearing accounts).
    public func reverse(receipt: ReceiptNumber, reason: String, actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        return try serviceWrite(idempotencyKey) { db, day in
            let original = try Self.originalPayment(receipt, db)
            try Self.checkUndoable(original, verb: "reversed")
            try Self.checkSuspenseUntouched(original, verb: "reversed", db)
            guard !original.drawerOpen else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is still in an open drawer: void it instead (v)")
            }
            let auth = try Self.authorize(.reversal, amount: nil, actor: actor, db)
            var lines: [PostingLine] = []
            for line in original.lines where line.book != .receivable {
                lines.append(PostingLine(Self.whereMoneyWent(line.book), Money(cents: -line.amount.cents), account: line.account))
            }
            for credit in original.credits where credit.amount.isPositive {
                lines.append(PostingLine(.receivable, credit.amount, account: credit.account))
            }
            let posted = try self.insert(PostingRequest(
                kind: .reversal, lines: Self.merged(lines), operatorID: actor.operatorID, terminal: actor.terminal,
                idempotencyKey: idempotencyKey, corrects: original.id, overrideBy: auth.approver?.id,
                memo: "Reversal of #\(receipt): \(reason)"), businessDate: day, accountIDs: original.accountIDs, db)
            try Self.finish(auth, posted, event: "payment.reversed", detail: "#\(receipt): \(reason)", db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Receipt #\(receipt) reversed by #\(Self.number(posted)).")
        }
    }

    /// A returned check: charges the accounts it paid again, adds the NSF fee, makes the account
    /// pay cash (or money order, card) for the set number of months, and writes the NSF letter.
    /// `checkNumber` picks the check when the receipt took more than one.
    public func returnCheck(receipt: ReceiptNumber, checkNumber: String? = nil, reason: String, actor: Actor,
                            idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        var outcome = try serviceWrite(idempotencyKey) { db, day in
            let original = try Self.originalPayment(receipt, db)
            try Self.checkUndoable(original, verb: "returned")
            let checks = try Self.checks(of: original, db)
            let wanted = checkNumber?.trimmingSpacesAndTabs() ?? ""
            let picked = wanted.isEmpty ? checks : checks.filter { $0.number == wanted }
            guard let check = picked.first else {
                throw LedgerError(.invalid, checks.isEmpty ? "Receipt #\(receipt) took no check"
                                                          : "Receipt #\(receipt) took no check number \(wanted)")
            }
            guard picked.count == 1 else {
                let numbers = checks.map(\.number).joined(separator: ", ")
                throw LedgerError(.invalid, "Receipt #\(receipt) took several checks (\(numbers)): give the check number")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM returned_checks WHERE tender_id = ? OR batch_line_id = ?",
                                 arguments: [check.tenderID, check.batchLineID]) == true {
                throw LedgerError(.invalid, "Check \(check.number) of receipt #\(receipt) was already returned")
            }
            // A check still in an open drawer is handed back and its payment voided; a lockbox
            // check (no drawer) went to the bank and may come back any day.
            guard !(original.drawerSession != nil && original.drawerOpen) else {
                throw LedgerError(.invalid, "Receipt #\(receipt) is still in an open drawer: hand the check back and void the payment (v)")
            }
            guard let first = original.credits.first(where: { $0.amount.isPositive }) else {
                throw LedgerError(.invalid, "Receipt #\(receipt) credits no account: a returned check is charged to the account it paid")
            }
            let auth = try Self.authorize(.nsf, amount: check.amount, actor: actor, db)
            let fee = Money(cents: try Self.intSetting(.nsfFeeCents, db))
            let lines = Self.chargeBack(check.amount, of: original, from: .bank, fee: fee, feeTo: first.account)
            let months = Int(try Self.intSetting(.cashOnlyMonthsAfterNSF, db))
            let until = day.adding(months: months)
            let posted = try self.insert(PostingRequest(
                kind: .nsf, lines: Self.merged(lines), operatorID: actor.operatorID, terminal: actor.terminal,
                idempotencyKey: idempotencyKey, corrects: original.id, overrideBy: auth.approver?.id,
                memo: "Returned check \(check.number) on #\(receipt): \(reason)"),
                businessDate: day, accountIDs: original.accountIDs, db)
            let accountID = original.accountIDs[first.account]!
            try db.execute(sql: """
                INSERT INTO returned_checks(tender_id, batch_line_id, check_number, amount_cents, transaction_id, account_id, fee_cents,
                                            cash_only_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [check.tenderID, check.batchLineID, check.number, check.amount.cents, posted.id, accountID, fee.cents,
                                 until.description])
            try db.execute(sql: "UPDATE accounts SET cash_only_until = ? WHERE id = ? AND (cash_only_until IS NULL OR cash_only_until < ?)",
                           arguments: [until.description, accountID, until.description])
            try Self.finish(auth, posted, event: "check.returned",
                            detail: "#\(receipt) check \(check.number) \(check.amount.formatted) fee \(fee.formatted) cash only until \(until): \(reason)",
                            db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Returned check \(check.amount.formatted) on #\(receipt) posted as #\(Self.number(posted)): fee \(fee.formatted), \(first.account) cash only until \(until).")
        }
        if let posted = outcome.transaction, !posted.wasAlreadyPosted,
           let file = try? writeLetters(.nsf, on: posted.businessDate, transactionID: posted.id).first {
            outcome.files.append(file)
            outcome = ServiceOutcome(transaction: posted, summary: outcome.summary + " NSF letter: \(nameBesideLedger(file))", files: outcome.files)
        }
        return outcome
    }

    /// Moves (part of) a payment from the account it was posted to onto the right one; both
    /// accounts' histories show the transfer against the original receipt.
    public func transfer(receipt: ReceiptNumber, from: AccountNumber, to: AccountNumber, amount: Money?, reason: String,
                         actor: Actor, idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        guard from != to else { throw LedgerError(.invalid, "A transfer goes to another account") }
        return try serviceWrite(idempotencyKey) { db, day in
            let original = try Self.originalPayment(receipt, db)
            try Self.checkUndoable(original, verb: "transferred")
            let available = original.credit(of: from)
            guard available.isPositive else { throw LedgerError(.invalid, "Receipt #\(receipt) credits nothing to account \(from)") }
            let amount = try Self.amount(amount, upTo: available, else: "Receipt #\(receipt) credits \(available.formatted) to \(from): transfer up to that")
            var ids = original.accountIDs
            ids[to] = try Self.accountID(to, db)
            let auth = try Self.authorize(.transfer, amount: amount, actor: actor, db)
            let posted = try self.insert(PostingRequest(
                kind: .transfer, lines: [PostingLine(.receivable, amount, account: from),
                                         PostingLine(.receivable, Money(cents: -amount.cents), account: to)],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, corrects: original.id,
                overrideBy: auth.approver?.id, memo: "Transfer of #\(receipt) from \(from) to \(to): \(reason)"),
                businessDate: day, accountIDs: ids, db)
            try Self.finish(auth, posted, event: "payment.transferred",
                            detail: "#\(receipt) \(amount.formatted) from \(from) to \(to): \(reason)", db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "\(amount.formatted) of #\(receipt) moved from \(from) to \(to) (#\(Self.number(posted))).")
        }
    }

    /// What a returned payment posts: `amount` charged back to the accounts the payment paid,
    /// in the receipt's order (beyond them, a payment of revenue codes: miscellaneous), taken
    /// out of `book` where the money went, and the fee charged to `feeTo`.
    static func chargeBack(_ amount: Money, of original: OriginalPayment, from book: BookAccount, fee: Money,
                           feeTo: AccountNumber) -> [PostingLine] {
        var left = amount.cents
        var lines: [PostingLine] = []
        for credit in original.credits where credit.amount.isPositive && left > 0 {
            let part = min(left, credit.amount.cents)
            lines.append(PostingLine(.receivable, Money(cents: part), account: credit.account))
            left -= part
        }
        if left > 0 { lines.append(PostingLine(.miscellaneous, Money(cents: left))) }
        lines.append(PostingLine(book, Money(cents: -amount.cents)))
        if fee.isPositive {
            lines.append(PostingLine(.receivable, fee, account: feeTo))
            lines.append(PostingLine(.nsfFee, Money(cents: -fee.cents)))
        }
        return lines
    }

    /// A check a payment took: a tender, or a lockbox check of an imported file (a batch line).
    struct PaidCheck {
        let tenderID: Int64?
        let batchLineID: Int64?
        let number: String
        let amount: Money
    }

    static func checks(of original: OriginalPayment, _ db: Store) throws -> [PaidCheck] {
        let tenders = original.tenders.filter { $0.tender.kind == .check && $0.tender.amount.isPositive }.map {
            PaidCheck(tenderID: $0.id, batchLineID: nil, number: $0.tender.reference ?? "", amount: $0.tender.amount)
        }
        guard tenders.isEmpty else { return tenders }
        // The bank deposited a lockbox check itself: its batch line is the check.
        return try SQLRow.fetchAll(db, sql: """
            SELECT l.id, l.reference, -SUM(p.amount_cents) AS amount FROM batch_lines l
            JOIN postings p ON p.transaction_id = l.transaction_id AND p.book = 'AR'
            WHERE l.transaction_id = ? AND l.tender = 'check' GROUP BY l.id
            """, arguments: [original.id]).map {
            PaidCheck(tenderID: nil, batchLineID: $0["id"], number: $0["reference"], amount: Money(cents: $0["amount"]))
        }
    }

    // MARK: - Shared by the account actions

    /// Runs an account action in one `BEGIN IMMEDIATE` transaction on the open day; an action
    /// already posted under the same key returns what it posted.
    func serviceWrite(_ key: String?, _ body: (Store, BusinessDate) throws -> ServiceOutcome) throws -> ServiceOutcome {
        let outcome = try writeImmediate { db -> ServiceOutcome in
            if let key, let earlier = try Self.postedWithKey(key, db) {
                return ServiceOutcome(transaction: earlier, summary: "Already posted as #\(Self.number(earlier)): nothing posted twice.")
            }
            return try body(db, try Self.requireOpenDay(db))
        }
        checkpointIfLarge()
        return outcome
    }

    static func checkUndoable(_ original: OriginalPayment, verb: String) throws {
        guard original.isPayment else {
            throw LedgerError(.invalid, "Receipt #\(original.receipt) is a \(original.kind), not a payment: only payments are \(verb)")
        }
        if let done = original.undoneBy {
            throw LedgerError(.invalid, "Receipt #\(original.receipt) was already undone by #\(done.receipt.map { "\($0)" } ?? "?") (\(done.kind))")
        }
    }

    /// Records the override (if any) and the audit event of an action that posted.
    static func finish(_ auth: Authorization, _ posted: PostedTransaction, event: String, detail: String, _ db: Store, at: String) throws {
        try auth.record(db, at: at, transactionID: posted.id, detail: detail)
        try Audit.record(db, at: at, operatorID: auth.actor.operatorID, terminal: auth.actor.terminal, event: event,
                         detail: detail + (auth.approver.map { " (override by \($0.login))" } ?? ""))
    }

    /// Cash, checks and money orders of a closed drawer went to the bank with the day's deposit.
    static func whereMoneyWent(_ book: BookAccount) -> BookAccount {
        switch book {
        case .drawerCash, .checksOnHand, .moneyOrdersOnHand, .safe: .bank
        default: book
        }
    }

    /// One line per book and account, in first-seen order, dropping zeros.
    static func merged(_ lines: [PostingLine]) -> [PostingLine] {
        var order: [String] = [], sums: [String: (BookAccount, AccountNumber?, Int64)] = [:]
        for line in lines {
            let key = line.book.rawValue + "|" + (line.account?.rawValue ?? "")
            if sums[key] == nil { order.append(key); sums[key] = (line.book, line.account, 0) }
            sums[key]!.2 += line.amount.cents
        }
        return order.compactMap { key in
            let (book, account, cents) = sums[key]!
            return cents == 0 ? nil : PostingLine(book, Money(cents: cents), account: account)
        }
    }

    /// The amount asked for (all that is available when none was), refused beyond what is available.
    static func amount(_ requested: Money?, upTo available: Money, else message: @autoclosure () -> String) throws -> Money {
        let amount = requested ?? available
        guard amount.isPositive, amount <= available else { throw LedgerError(.invalid, message()) }
        return amount
    }

    static func number(_ posted: PostedTransaction) -> String { posted.receipt.map { "\($0)" } ?? "\(posted.id)" }
}
