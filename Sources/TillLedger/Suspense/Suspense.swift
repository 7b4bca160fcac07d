import Foundation
import GRDB
import TillCore

/// What is known of a payment that no account could be matched to: why it is in suspense, the
/// account number it named (if any), and whatever the payer, the check or the file said.
public struct SuspenseDetails: Sendable, Equatable {
    /// Why no account: "unknown account", "closed account", "no stub", "walk-in: account not known".
    public var reason: String
    public var accountGiven: String
    public var payer: String
    public var address: String
    public var phone: String
    public var reference: String
    public var checkNumber: String
    /// The payment file's line as it was read, with the file's name and line number.
    public var sourceLine: String

    public init(reason: String, accountGiven: String = "", payer: String = "", address: String = "", phone: String = "",
                reference: String = "", checkNumber: String = "", sourceLine: String = "") {
        self.reason = reason
        self.accountGiven = accountGiven
        self.payer = payer
        self.address = address
        self.phone = phone
        self.reference = reference
        self.checkNumber = checkNumber
        self.sourceLine = sourceLine
    }

    /// Trimmed, one line each, within length, no control or direction-changing characters.
    func checked() throws -> SuspenseDetails {
        var copy = self
        let fields: [(WritableKeyPath<SuspenseDetails, String>, String, Int)] = [
            (\.reason, "reason", 200), (\.accountGiven, "account given", 40), (\.payer, "payer", 100), (\.address, "address", 200),
            (\.phone, "phone", 40), (\.reference, "reference", 40), (\.checkNumber, "check number", 40), (\.sourceLine, "file line", 1000),
        ]
        for (path, name, limit) in fields {
            let value = copy[keyPath: path].trimmingSpacesAndTabs()
            if let bad = TextSafety.firstUnsafe(in: value) {
                throw LedgerError(.invalid, "The \(name) holds \(TextSafety.describe(bad)): type it again without it")
            }
            guard value.count <= limit else { throw LedgerError(.invalid, "The \(name) is over \(limit) characters") }
            copy[keyPath: path] = value
        }
        guard !copy.reason.isEmpty else { throw LedgerError(.invalid, "Say why the payment goes to suspense") }
        return copy
    }
}

/// A payment held in suspense, with what has moved out of it since.
public struct SuspenseItem: Sendable, Equatable {
    public enum Status: String, Sendable { case open, applied, refunded, cleared, voided }

    public struct Move: Sendable, Equatable {
        public let kind: String // "apply" or "refund"
        public let account: String? // the account applied to
        public let amount: Money
        public let receipt: ReceiptNumber?
        public let businessDate: BusinessDate
        public let payee: String
        public let operatorLogin: String
    }

    public let id: Int64
    public let transactionID: Int64
    public let receipt: ReceiptNumber?
    public let businessDate: BusinessDate
    public let amount: Money
    public let details: SuspenseDetails
    public let terminal: String
    public let operatorLogin: String
    public let tender: String
    public let moves: [Move]
    /// Voided or reversed: the money went back, nothing is left to apply.
    public let undone: Bool

    /// What is left to apply or refund.
    public var open: Money {
        undone ? .zero : Money(cents: amount.cents - moves.reduce(0) { $0 + $1.amount.cents })
    }

    public var status: Status {
        if undone { return .voided }
        if open.isPositive { return .open }
        let kinds = Set(moves.map(\.kind))
        return kinds == ["apply"] ? .applied : kinds == ["refund"] ? .refunded : .cleared
    }

    /// Days since it came in, on `day`.
    public func age(on day: BusinessDate) -> Int { max(0, day.days(since: businessDate)) }
}

extension Ledger {
    /// The settings' age past which an open item is named to the closer.
    public func suspenseWarnDays() throws -> Int { try read { db in Int(try Self.intSetting(.suspenseWarnDays, db)) } }

    /// Every suspense item (only those with money left, with `openOnly`), oldest first.
    public func suspenseItems(openOnly: Bool = true) throws -> [SuspenseItem] {
        try read { db in try Self.suspenseItems(where: openOnly ? Self.openSuspenseSQL : "true", arguments: [], db) }
    }

    public func suspenseItem(_ id: Int64) throws -> SuspenseItem {
        try read { db in try Self.suspenseItem(id, db) }
    }

    /// Items with money left: not voided or reversed, and not all applied or refunded. Asked in
    /// SQL, so the settle pane and the worklist never read the items long since cleared.
    static let openSuspenseSQL = """
        NOT EXISTS (SELECT 1 FROM transactions v WHERE v.corrects_id = s.transaction_id AND v.kind IN ('void', 'reversal', 'nsf'))
        AND s.amount_cents > COALESCE((SELECT SUM(m.amount_cents) FROM suspense_moves m WHERE m.item_id = s.id), 0)
        """

    static func suspenseItem(_ id: Int64, _ db: Store) throws -> SuspenseItem {
        guard let item = try suspenseItems(where: "s.id = ?", arguments: [id], db).first else {
            throw LedgerError(.unknownTransaction, "No suspense item #\(id): `till suspense list` shows them")
        }
        return item
    }

    /// The open items' total and count (the settle pane's line, the closer's warning).
    static func suspenseItems(where condition: String, arguments: SQLArguments, _ db: Store) throws -> [SuspenseItem] {
        var moves: [Int64: [SuspenseItem.Move]] = [:]
        for row in try SQLRow.fetchAll(db, sql: """
            SELECT m.item_id, m.kind, a.number, m.amount_cents, t.receipt_number, t.business_date, m.payee, o.login
            FROM suspense_moves m JOIN transactions t ON t.id = m.transaction_id JOIN operators o ON o.id = t.operator_id
            LEFT JOIN accounts a ON a.id = m.account_id
            WHERE m.item_id IN (SELECT s.id FROM suspense_items s WHERE \(condition)) ORDER BY m.id
            """, arguments: arguments) {
            let receipt: Int64? = row[4]
            moves[row[0], default: []].append(SuspenseItem.Move(
                kind: row[1], account: row[2], amount: Money(cents: row[3]), receipt: receipt.map(ReceiptNumber.init),
                businessDate: try BusinessDate(row[5]), payee: row[6], operatorLogin: row[7]))
        }
        return try SQLRow.fetchAll(db, sql: """
            SELECT s.id, s.transaction_id, t.receipt_number, t.business_date, s.amount_cents, s.reason, s.account_given, s.payer,
                   s.address, s.phone, s.reference, s.check_number, s.source_line, t.terminal_id, o.login,
                   COALESCE((SELECT \(db.joinedText("x.kind", order: "x.id", distinct: true)) FROM tenders x WHERE x.transaction_id = t.id),
                            'check (lockbox)'),
                   EXISTS (SELECT 1 FROM transactions v WHERE v.corrects_id = t.id AND v.kind IN ('void', 'reversal', 'nsf'))
            FROM suspense_items s JOIN transactions t ON t.id = s.transaction_id JOIN operators o ON o.id = t.operator_id
            WHERE \(condition) ORDER BY s.id
            """, arguments: arguments).map { row in
            let receipt: Int64? = row[2], id: Int64 = row[0]
            return SuspenseItem(
                id: id, transactionID: row[1], receipt: receipt.map(ReceiptNumber.init), businessDate: try BusinessDate(row[3]),
                amount: Money(cents: row[4]),
                details: SuspenseDetails(reason: row[5], accountGiven: row[6], payer: row[7], address: row[8], phone: row[9],
                                         reference: row[10], checkNumber: row[11], sourceLine: row[12]),
                terminal: row[13], operatorLogin: row[14], tender: row[15], moves: moves[id] ?? [], undone: row[16])
        }
    }

    /// Records the suspense item of a payment that credited SUSPENSE (in the payment's transaction).
    static func recordSuspenseItem(_ request: PostingRequest, transactionID: Int64, _ db: Store) throws {
        let held = -request.lines.filter { $0.book == .suspense }.reduce(0) { $0 + $1.amount.cents }
        guard held > 0 else {
            throw LedgerError(.invalid, "Only a payment puts money into suspense; it moves out by `till suspense apply` or `refund`")
        }
        let details = try (request.suspense ?? SuspenseDetails(reason: "no account given")).checked()
        try db.cachedStatement(sql: """
            INSERT INTO suspense_items(transaction_id, amount_cents, reason, account_given, payer, address, phone, reference,
                                       check_number, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [transactionID, held, details.reason, details.accountGiven, details.payer, details.address,
                                     details.phone, details.reference, details.checkNumber, details.sourceLine])
    }

    /// A suspense payment whose money was applied or refunded is no longer voided or reversed:
    /// the money has gone on. (A transfer moves an applied amount to another account.)
    static func checkSuspenseUntouched(_ original: OriginalPayment, verb: String, _ db: Store) throws {
        guard original.lines.contains(where: { $0.book == .suspense }),
              let item = try Int64.fetchOne(db, sql: "SELECT id FROM suspense_items WHERE transaction_id = ?", arguments: [original.id]),
              try Bool.fetchOne(db, sql: "SELECT 1 FROM suspense_moves WHERE item_id = ?", arguments: [item]) == true else { return }
        throw LedgerError(.invalid, "Receipt #\(original.receipt) was held in suspense (item #\(item)) and money has since been "
                          + "applied or refunded from it: it is no longer \(verb); a transfer moves an applied amount to another account")
    }

    /// Applies (part of) a suspense item to one account, or splits it across several: a transfer
    /// out of SUSPENSE onto each account's receivable, allocated like a payment, pointing at the
    /// receipt that took the money. A part without an amount takes what is left.
    public func applySuspense(item id: Int64, to parts: [(account: AccountNumber, amount: Money?)], reason: String, actor: Actor,
                              idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        guard !parts.isEmpty else { throw LedgerError(.invalid, "Name the account to apply the item to") }
        guard Set(parts.map(\.account)).count == parts.count else { throw LedgerError(.invalid, "Name each account once") }
        guard parts.filter({ $0.amount == nil }).count <= 1 else {
            throw LedgerError(.invalid, "Give each account its amount (one of them may take what is left)")
        }
        return try serviceWrite(idempotencyKey) { db, day in
            let item = try Self.suspenseItem(id, db)
            try Self.checkOpen(item)
            let given = parts.compactMap(\.amount)
            guard given.allSatisfy(\.isPositive) else { throw LedgerError(.invalid, "Each amount must be more than $0.00") }
            let givenTotal = given.reduce(0) { $0 + $1.cents }
            guard givenTotal <= item.open.cents else {
                throw LedgerError(.invalid, "Suspense item #\(id) has \(item.open.formatted) left; the amounts add up to \(Money(cents: givenTotal).formatted)")
            }
            let rest = item.open.cents - givenTotal
            var amounts: [(AccountNumber, Money)] = []
            for part in parts {
                let amount = part.amount ?? Money(cents: rest)
                guard amount.isPositive else { throw LedgerError(.invalid, "Nothing is left of item #\(id) for \(part.account)") }
                amounts.append((part.account, amount))
            }
            let total = Money(cents: amounts.reduce(0) { $0 + $1.1.cents })
            var ids: [AccountNumber: Int64] = [:]
            for (account, _) in amounts {
                guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, status FROM accounts WHERE number = ?", arguments: [account.rawValue]) else {
                    throw LedgerError(.unknownAccount, "No account \(account)")
                }
                guard (row["status"] as String) != "closed" else { throw LedgerError(.invalid, "Account \(account) is closed") }
                ids[account] = row["id"]
            }
            let auth = try Self.authorize(.suspenseApply, amount: total, actor: actor, db)
            let names = amounts.map { "\($0.0) \($0.1.formatted)" }.joined(separator: ", ")
            let from = "suspense item #\(id)" + (item.receipt.map { " (receipt #\($0))" } ?? "")
            let posted = try self.insert(PostingRequest(
                kind: .transfer, lines: [PostingLine(.suspense, total)] + amounts.map { PostingLine(.receivable, Money(cents: -$0.1.cents), account: $0.0) },
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, corrects: item.transactionID,
                overrideBy: auth.approver?.id, memo: "Applied from \(from) to \(names): \(reason)"),
                businessDate: day, accountIDs: ids, db)
            let move = try db.cachedStatement(sql: """
                INSERT INTO suspense_moves(item_id, transaction_id, kind, account_id, amount_cents) VALUES (?, ?, 'apply', ?, ?)
                """)
            for (account, amount) in amounts { try move.execute(arguments: [id, posted.id, ids[account], amount.cents]) }
            try Self.finish(auth, posted, event: "suspense.applied", detail: "#\(id) \(names): \(reason)", db, at: self.timestamp())
            let left = Money(cents: item.open.cents - total.cents)
            return ServiceOutcome(transaction: posted, summary: "\(total.formatted) of suspense item #\(id) applied to \(names) "
                                  + "(#\(Self.number(posted)))" + (left.isPositive ? "; \(left.formatted) still in suspense." : "."))
        }
    }

    /// Refunds (part of) a suspense item to whoever sent it: a refund request for accounts payable,
    /// as for a credit balance, out of SUSPENSE into refunds payable.
    public func refundSuspense(item id: Int64, amount: Money?, payee: String?, address: String?, reason: String, actor: Actor,
                               idempotencyKey: String? = nil) throws -> ServiceOutcome {
        let reason = try Self.reasonText(reason)
        var outcome = try serviceWrite(idempotencyKey) { db, day in
            let item = try Self.suspenseItem(id, db)
            try Self.checkOpen(item)
            let amount = try Self.amount(amount, upTo: item.open, else: "Suspense item #\(id) has \(item.open.formatted) to refund")
            let pay = try SuspenseDetails(reason: reason, payer: payee ?? item.details.payer, address: address ?? item.details.address).checked()
            guard !pay.payer.isEmpty, !pay.address.isEmpty else {
                throw LedgerError(.invalid, "Suspense item #\(id) names no \(pay.payer.isEmpty ? "payer" : "address"): give the payee and address the refund is mailed to")
            }
            let auth = try Self.authorize(.refund, amount: amount, actor: actor, db)
            let posted = try self.insert(PostingRequest(
                kind: .refund, lines: [PostingLine(.suspense, amount), PostingLine(.refundsPayable, Money(cents: -amount.cents))],
                operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: idempotencyKey, corrects: item.transactionID,
                overrideBy: auth.approver?.id, memo: "Refund of suspense item #\(id) to \(pay.payer): \(reason)"),
                businessDate: day, accountIDs: [:], db)
            try db.execute(sql: """
                INSERT INTO suspense_moves(item_id, transaction_id, kind, account_id, amount_cents, payee, address)
                VALUES (?, ?, 'refund', NULL, ?, ?, ?)
                """, arguments: [id, posted.id, amount.cents, pay.payer, pay.address])
            try Self.finish(auth, posted, event: "suspense.refunded", detail: "#\(id) \(amount.formatted) to \(pay.payer): \(reason)",
                            db, at: self.timestamp())
            return ServiceOutcome(transaction: posted, summary: "Refund of \(amount.formatted) of suspense item #\(id) to \(pay.payer) requested (#\(Self.number(posted))).")
        }
        if let posted = outcome.transaction, !posted.wasAlreadyPosted,
           let file = try? writeRefundFile(transactionID: posted.id, lines: suspenseRefundText(transactionID: posted.id)) {
            outcome = ServiceOutcome(transaction: posted, summary: outcome.summary + " Written: " + nameBesideLedger(file), files: [file])
        }
        return outcome
    }

    static func checkOpen(_ item: SuspenseItem) throws {
        guard !item.undone else { throw LedgerError(.invalid, "Suspense item #\(item.id) was voided or reversed: nothing is left in it") }
        guard item.open.isPositive else { throw LedgerError(.invalid, "Suspense item #\(item.id) is \(item.status.rawValue): nothing is left in it") }
    }

    /// The refund request accounts payable pays a suspense refund from.
    public func suspenseRefundText(transactionID: Int64) throws -> [String] {
        try read { db in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT m.item_id, m.payee, m.address, m.amount_cents, t.receipt_number, t.business_date, t.memo, c.receipt_number AS taken,
                       o.display_name AS requested, b.display_name AS approved
                FROM suspense_moves m JOIN transactions t ON t.id = m.transaction_id JOIN transactions c ON c.id = t.corrects_id
                JOIN operators o ON o.id = t.operator_id LEFT JOIN operators b ON b.id = t.override_operator_id
                WHERE m.transaction_id = ? AND m.kind = 'refund'
                """, arguments: [transactionID]) else { throw LedgerError(.unknownTransaction, "No suspense refund #\(transactionID)") }
            let receipt: Int64? = row["receipt_number"], taken: Int64? = row["taken"]
            return [
                try Self.setting(.utilityName, db), "REFUND REQUEST FOR ACCOUNTS PAYABLE", "",
                "Refund:   \(receipt.map { "#\($0)" } ?? "")  \(row["business_date"] as String)",
                "Source:   payment in suspense, item #\(row["item_id"] as Int64)" + (taken.map { " (receipt #\($0))" } ?? ""),
            ] + Self.refundRequestFoot(row)
        }
    }
}

extension SuspenseItem {
    /// One line of the worklist: id, date, age, amount left, who and why.
    public func listLine(on day: BusinessDate) -> String {
        let who = details.payer.isEmpty ? (details.accountGiven.isEmpty ? "(payer not known)" : "account \(details.accountGiven)?") : details.payer
        return "#\(String(id).padded(5)) \(businessDate)  \(String(age(on: day)).leftPadded(3))d  \(open.formatted.leftPadded(11))  "
            + "\(who) — \(details.reason)" + (status == .open ? "" : "  [\(status.rawValue)]")
    }

    /// The worklist's line on a narrow pane: id, age, what is left, who.
    public func shortLine(on day: BusinessDate) -> String {
        let who = details.payer.isEmpty ? (details.accountGiven.isEmpty ? "(no name)" : "acct \(details.accountGiven)?") : details.payer
        return "#\(id) \(age(on: day))d \(open.formatted) \(who)"
    }

    public static let csvHeader = ["item", "date", "age_days", "receipt", "amount", "open", "status", "tender", "account_given",
                                   "payer", "address", "phone", "reference", "check_number", "reason"]

    public func csvRow(on day: BusinessDate) -> [String] {
        [String(id), businessDate.description, String(age(on: day)), receipt.map { "\($0)" } ?? "", amount.decimalString, open.decimalString,
         status.rawValue, tender, details.accountGiven, details.payer, details.address, details.phone, details.reference,
         details.checkNumber, details.reason]
    }

    /// Everything known of the item, and where its money went.
    public func detailLines(on day: BusinessDate) -> [String] {
        var lines = ["Suspense item #\(id)  \(status.rawValue.uppercased())",
                     "Taken     \(businessDate) (\(age(on: day)) days ago) on receipt #\(receipt.map { "\($0)" } ?? "-") by \(operatorLogin) at \(terminal)",
                     "Amount    \(amount.formatted) by \(tender); open \(open.formatted)",
                     "Why       \(details.reason)"]
        for (label, value) in [("Account?", details.accountGiven), ("Payer", details.payer), ("Address", details.address),
                               ("Phone", details.phone), ("Reference", details.reference), ("Check", details.checkNumber),
                               ("File line", details.sourceLine)] where !value.isEmpty {
            lines.append(label.padded(10) + value)
        }
        for move in moves {
            let to = move.kind == "apply" ? "applied to \(move.account ?? "?")" : "refunded to \(move.payee)"
            lines.append("  \(move.businessDate)  \(move.amount.formatted.leftPadded(11))  \(to) on #\(move.receipt.map { "\($0)" } ?? "-") by \(move.operatorLogin)")
        }
        return lines
    }
}

extension Ledger {
    /// The open business day, or the calendar's date when none is open: what ages are counted to.
    public func today() throws -> BusinessDate {
        try read { db in try Self.openDay(db) ?? Timestamp.localDate(now()) }
    }
}
