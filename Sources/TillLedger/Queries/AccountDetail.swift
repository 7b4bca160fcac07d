import GRDB
import TillCore

/// Everything the account pane shows about one account, read in one snapshot.
public struct AccountDetail: Sendable, Equatable {
    public let record: AccountRecord
    public let shutoffDate: BusinessDate?
    public let openCharges: [OpenCharge]
    public let aging: Aging
    public let payments: [PaymentSummary]
    public let notes: [AccountNote]
    public let plan: PaymentPlan?
    public let alerts: [AccountAlert]
    /// The date aging and alerts were computed for: the open business day, else today.
    public let asOf: BusinessDate
}

extension Ledger {
    /// The account pane's facts: balance, aging, open charges, the last ten payments,
    /// notes (newest first), a payment plan and the alerts the cashier must see.
    public func accountDetail(_ number: String) throws -> AccountDetail? {
        try read { db -> AccountDetail? in
            // On PostgreSQL each of the view's statements was planned again for its values every
            // time (0.3–0.9 ms each, its run 0.01): one account's rows are read by index whatever
            // the values, so the view takes each statement's plan made once per connection.
            if db.isPostgres { try db.execute(sql: "SET LOCAL plan_cache_mode = force_generic_plan") }
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, shutoff_date FROM accounts WHERE number = ?",
                                             arguments: [number]),
                  let record = try Self.accountRecord(number, db) else { return nil }
            let id: Int64 = row["id"]
            let today = try Self.openDay(db) ?? Timestamp.localDate(now())
            let charges = try Self.openCharges(accountID: id, db)
            let aging: Aging
            do { aging = try Aging(charges: charges, today: today) } catch let error as MoneyError { throw LedgerError(.invalid, error.description) }
            let plan = try Self.activePlan(accountID: id, db)
            let shutoff = (row["shutoff_date"] as String?).flatMap { try? BusinessDate($0) }
            let fee = Money(cents: try Self.intSetting(.reconnectFeeCents, db))
            return AccountDetail(
                record: record, shutoffDate: shutoff, openCharges: charges, aging: aging,
                payments: try Self.lastPayments(accountID: id, db), notes: try Self.notes(accountID: id, db), plan: plan,
                alerts: AccountAlert.of(status: record.status, balance: record.balance, aging: aging, shutoffDate: shutoff,
                                        cashOnlyUntil: record.cashOnlyUntil, plan: plan, reconnectFee: fee, today: today,
                                        pledges: try Self.openPledges(accountID: id, on: today, db).map { ($0.agency, $0.open, $0.expiresOn) },
                                        enrollments: try Self.enrollments(accountID: id, on: today, db).map(\.text),
                                        autopay: try SQLRow.fetchOne(db, sql: """
                                            SELECT bank_account_kind || ' ****' || last_four FROM autopay_enrollments e WHERE account_id = ?
                                              AND NOT EXISTS (SELECT 1 FROM autopay_stops s WHERE s.enrollment_id = e.id) ORDER BY id DESC LIMIT 1
                                            """, arguments: [id]).map { $0[0] }),
                asOf: today)
        }
    }

    /// Adds a note to an account, signed with the operator and the time.
    public func addNote(_ text: String, account number: String, operatorID: Int64, terminal: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw LedgerError(.invalid, "A note needs some text") }
        guard trimmed.count <= 500 else { throw LedgerError(.invalid, "A note is at most 500 characters") }
        try writeImmediate { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM accounts WHERE number = ?", arguments: [number]) else {
                throw LedgerError(.unknownAccount, "No account \(number)")
            }
            try db.execute(sql: "INSERT INTO account_notes(account_id, at, operator_id, terminal_id, text) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, timestamp(), operatorID, terminal, trimmed])
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "account.note",
                             detail: number)
        }
    }

    static func openCharges(accountID: Int64, _ db: Store) throws -> [OpenCharge] {
        try SQLRow.fetchAll(db, sql: """
            SELECT COALESCE(t.bill_date, t.business_date) AS billed, COALESCE(t.due_date, t.business_date) AS due, t.memo,
                   (SELECT q.book FROM postings q WHERE q.transaction_id = t.id AND q.book <> 'AR' LIMIT 1) AS book,
                   p.amount_cents - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a
                                              WHERE a.charge_posting_id = p.id), 0) AS remaining
            FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.account_id = ? AND p.book = 'AR' AND p.amount_cents > 0
            ORDER BY due, p.id
            """, arguments: [accountID]).compactMap { row in
            let remaining: Int64 = row["remaining"]
            guard remaining > 0 else { return nil }
            let book = (row["book"] as String?).flatMap(BookAccount.init(rawValue:)) ?? .miscellaneous
            return OpenCharge(billDate: try BusinessDate(row["billed"]), dueDate: try BusinessDate(row["due"]),
                              book: book, description: row["memo"], remaining: Money(cents: remaining))
        }
    }

    static func lastPayments(accountID: Int64, _ db: Store) throws -> [PaymentSummary] {
        try SQLRow.fetchAll(db, sql: """
            SELECT t.id, t.receipt_number, t.business_date, -SUM(p.amount_cents) AS paid, t.kind,
                   (SELECT \(db.joinedText("kind", separator: "+", order: "id")) FROM tenders WHERE transaction_id = t.id) AS tenders,
                   (SELECT 'returned ' || reason_code FROM returned_items WHERE transaction_id = t.id) AS returned
            FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.account_id = ? AND p.book = 'AR' AND p.amount_cents < 0 AND t.kind = 'payment'
               OR p.account_id = ? AND p.book = 'AR' AND t.kind IN ('void', 'reversal', 'nsf', 'transfer', 'adjustment', 'refund', 'deposit', 'write-off')
            GROUP BY t.id ORDER BY t.id DESC LIMIT 10
            """, arguments: [accountID, accountID]).map { row in
            let receipt: Int64? = row["receipt_number"]
            let kind: String = row["kind"]
            // Corrections show what they were instead of their tenders: "transfer", "nsf", "void".
            var summary = PaymentSummary(receipt: receipt.map(ReceiptNumber.init), businessDate: try BusinessDate(row["business_date"]),
                                         amount: Money(cents: row["paid"]), tenders: kind == "payment" ? row["tenders"] ?? "" : row["returned"] ?? kind)
            summary.paidTo = try paidTo(transactionID: row["id"], accountID: accountID, db)
            return summary
        }
    }

    /// Where a transaction's credit to an account went, charge by charge, as the allocations say.
    static func paidTo(transactionID: Int64, accountID: Int64, _ db: Store) throws -> String {
        try SQLRow.fetchAll(db.cachedStatement(sql: """
            SELECT t.kind, COALESCE(t.bill_date, t.business_date),
                   (SELECT q.book FROM postings q WHERE q.transaction_id = t.id AND q.book <> 'AR' ORDER BY q.amount_cents, q.id LIMIT 1),
                   SUM(a.amount_cents)
            FROM allocations a JOIN postings c ON c.id = a.charge_posting_id JOIN transactions t ON t.id = c.transaction_id
            WHERE a.transaction_id = ? AND c.account_id = ? GROUP BY c.id, t.id ORDER BY MIN(a.id)
            """), arguments: [transactionID, accountID]).map { row in
            let kind: String = row[0], date: String = row[1], book = (row[2] as String?).flatMap(BookAccount.init(rawValue:))
            let what: String = switch (kind, book) {
            case (_, .lateFee?): "late fee"
            case (_, .nsfFee?): "NSF fee"
            case (_, .reconnectFee?): "reconnect fee"
            case ("bill", _): "bill \(date)"
            default: "\(kind) \(date)"
            }
            return "\(what) \(Money(cents: row[3]).formatted)"
        }.joined(separator: ", ")
    }

    static func notes(accountID: Int64, _ db: Store) throws -> [AccountNote] {
        try SQLRow.fetchAll(db, sql: """
            SELECT n.at, o.login, n.text FROM account_notes n JOIN operators o ON o.id = n.operator_id
            WHERE n.account_id = ? ORDER BY n.id DESC LIMIT 20
            """, arguments: [accountID]).map { AccountNote(at: Timestamp.localMinute($0["at"]), operatorLogin: $0["login"], text: $0["text"]) }
    }

    static func activePlan(accountID: Int64, _ db: Store) throws -> PaymentPlan? {
        // Prepared once per connection: the delinquency list and the late-fee run ask it of every
        // account with a plan (18,000 on the million-account ledger).
        guard let row = try SQLRow.fetchOne(db.cachedStatement(sql: """
            SELECT installments, installment_cents, total_cents, first_due, starts_on, after_transaction_id FROM payment_plans
            WHERE account_id = ? AND status = 'active' ORDER BY id DESC LIMIT 1
            """), arguments: [accountID]) else { return nil }
        // Payments posted after the plan was made (a plan made before v10: from its first day).
        let after: Int64? = row["after_transaction_id"]
        let paid = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT -COALESCE(SUM(p.amount_cents), 0) FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.account_id = ? AND p.book = 'AR' AND p.amount_cents < 0 AND t.kind = 'payment'
              AND (p.transaction_id > ? OR (CAST(? AS BIGINT) IS NULL AND t.business_date >= ?))
            """), arguments: [accountID, after, after, row["starts_on"] as String]) ?? 0
        let total: Int64? = row["total_cents"]
        return PaymentPlan(installments: row["installments"], installment: Money(cents: row["installment_cents"]),
                           total: total.map(Money.init(cents:)), firstDue: try BusinessDate(row["first_due"]), paidSinceStart: Money(cents: paid))
    }
}
