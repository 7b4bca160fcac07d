import Foundation
import GRDB
import TillCore

/// Where a batch of payments came from.
public enum BatchKind: String, Sendable, CaseIterable {
    case mail
    case dropBox = "drop-box"
    case importFile = "import"
}

/// One payment of a batch: an account, an amount, how it was paid, and its reference (the
/// check number, or the file's payment reference).
public struct BatchLine: Sendable, Equatable {
    public let account: AccountNumber
    public let amount: Money
    public let tender: TenderKind
    public let reference: String
    public let paidOn: BusinessDate?
    /// The line of the file it came from (a payment file), for messages.
    public var fileLine: Int?
    /// What the line says of its payer besides the account (a payment file's payer, address,
    /// phone columns and the line as read): kept if the line goes to suspense.
    public var known: SuspenseDetails?

    /// A mail check without a stub: the account field says `SUSPENSE`, and the payment is held
    /// in suspense for a CSR to apply.
    public var isSuspense: Bool { account.rawValue.uppercased() == "SUSPENSE" }

    /// The line's tender as the ledger keeps it.
    var drawerTender: Tender {
        Tender(kind: tender, amount: amount, tendered: amount, reference: reference.isEmpty ? nil : reference)
    }

    public init(account: AccountNumber, amount: Money, tender: TenderKind = .check, reference: String = "", paidOn: BusinessDate? = nil) {
        self.account = account
        self.amount = amount
        self.tender = tender
        self.reference = reference
        self.paidOn = paidOn
    }
}

/// What a posted batch did, and its report.
public struct BatchResult: Sendable, Equatable {
    public internal(set) var batchID: Int64?
    public let kind: BatchKind
    public let controlTotal: Money
    public var posted: [(line: Int, account: String, amount: Money, receipt: ReceiptNumber?)] = []
    /// Lines whose reference was posted before (an imported file seen again): nothing posted for them.
    public var alreadyPosted: [(line: Int, reference: String)] = []
    /// Lines of `posted` whose account was unknown or closed: held in suspense, by item.
    public var toSuspense: [(line: Int, item: Int64, reason: String)] = []
    public var total: Money { Money(cents: posted.reduce(0) { $0 + $1.amount.cents }) }

    public static func == (a: Self, b: Self) -> Bool {
        a.batchID == b.batchID && a.posted.map(\.line) == b.posted.map(\.line) && a.alreadyPosted.map(\.line) == b.alreadyPosted.map(\.line)
    }

    /// A few lines: the batch, the counts and totals, the receipt range.
    public var summary: [String] {
        let receipts = posted.compactMap(\.receipt)
        var lines = ["BATCH \(batchID.map { "#\($0)" } ?? "(nothing new)")  \(kind.rawValue)",
                     "\(posted.count) posted, \(total.formatted); \(alreadyPosted.count) already posted, skipped"]
        if !toSuspense.isEmpty {
            let held = posted.filter { line in toSuspense.contains { $0.line == line.line } }.reduce(0) { $0 + $1.amount.cents }
            lines.append("\(toSuspense.count) of them to suspense, \(Money(cents: held).formatted): no account matched "
                         + "(till suspense list)")
        }
        if let first = receipts.min(), let last = receipts.max() { lines.append("Receipts #\(first) to #\(last)") }
        return lines
    }

    /// The batch report: every line with its receipt, the totals and the difference.
    public var report: [String] {
        var lines = ["BATCH \(batchID.map { "#\($0)" } ?? "(nothing new)")  \(kind.rawValue)",
                     "Control total  \(controlTotal.formatted)", "Posted total   \(total.formatted)",
                     "Difference     \(Money(cents: total.cents - controlTotal.cents).formatted)", ""]
        // In the file's line order, whatever order the lines posted in (a payment file posts in
        // account order).
        let held = Dictionary(toSuspense.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = posted.map { item in
            (item.line, "\(String(item.line).leftPadded(4))  \(item.account.padded(12)) \(item.amount.formatted.leftPadded(12))  #\(item.receipt.map { "\($0)" } ?? "-")"
                + (held[item.line].map { "  to suspense item #\($0.item): \($0.reason)" } ?? ""))
        } + alreadyPosted.map { item in (item.line, "\(String(item.line).leftPadded(4))  reference \(item.reference): posted before, skipped") }
        lines += rows.sorted { $0.0 < $1.0 }.map(\.1)
        lines.append("\(posted.count) posted, \(alreadyPosted.count) already posted" + (toSuspense.isEmpty ? "" : ", \(toSuspense.count) to suspense"))
        return lines
    }
}

extension Ledger {
    /// Checks one batch line as it is typed: the account exists, and pays by check only if it
    /// may. Returns the customer's name and balance for the screen.
    public func checkBatchLine(_ line: BatchLine) throws -> (name: String, balance: Money) {
        try read { db in
            if line.isSuspense {
                do throws(DomainError) { try line.drawerTender.validate() } catch { throw LedgerError(domain: error) }
                return ("(no account: held in suspense)", .zero)
            }
            let checked = try Self.checkLine(line, day: try Self.openDay(db) ?? Timestamp.localDate(now()), intoDrawer: true, db)
            return (checked.name, checked.balance)
        }
    }

    /// `closedIsUnknown`: a closed account is refused as unknown (a payment file sends it to suspense).
    static func checkLine(_ line: BatchLine, day: BusinessDate, intoDrawer: Bool, ceiling: Money? = nil, closedIsUnknown: Bool = false,
                          _ db: Store) throws -> (id: Int64, name: String, balance: Money, lockedOff: Bool) {
        guard line.amount.isPositive else { throw LedgerError(.invalid, "The amount must be more than $0.00") }
        guard line.amount <= (try ceiling ?? amountCeiling(db)) else { throw LedgerError(.invalid, "\(line.amount.formatted) is over the limit for one payment") }
        guard let row = try SQLRow.fetchOne(db.cachedStatement(sql: "SELECT id, customer_name, balance_cents, cash_only_until, status FROM accounts WHERE number = ?"),
                                         arguments: [line.account.rawValue]) else {
            throw LedgerError(.unknownAccount, "No account \(line.account)")
        }
        // Columns by place: a payment file checks every line twice, and naming them was a tenth of it.
        if closedIsUnknown, (row[4] as String) == "closed" { throw LedgerError(.unknownAccount, "Account \(line.account) is closed") }
        if line.tender == .check, let until = (row[3] as String?).flatMap({ try? BusinessDate($0) }), until >= day {
            throw LedgerError(.invalid, "Account \(line.account) is cash only until \(until): no checks (return the check with a letter)")
        }
        guard line.reference.count <= 40 else { throw LedgerError(.invalid, "A reference is at most 40 characters") }
        guard !CardNumber.looksLikeFullCardNumber(line.reference) else {
            throw LedgerError(.invalid, "That reference looks like a full card number: Till never stores one")
        }
        // Into a drawer: the tender's own rules (a check or money order needs its number).
        if intoDrawer && line.tender.goesInDrawer {
            do throws(DomainError) { try line.drawerTender.validate() } catch { throw LedgerError(domain: error) }
        }
        return (row[0], row[1], Money(cents: row[2]), (row[4] as String) == "locked-off")
    }

    /// Posts a mail or drop-box batch (checks, money orders, cash into the operator's open
    /// drawer) as one all-or-nothing transaction: one payment and receipt per line. A batch that
    /// does not add up to its control total posts only with a supervisor's override and a reason.
    /// Lines carry idempotency keys (`keyPrefix` + line), so a batch posted twice posts once.
    /// A payment file is `importPayments` (Import/PaymentImport.swift).
    public func postBatch(kind: BatchKind, controlTotal: Money, lines: [BatchLine], reason: String = "", actor: Actor,
                          drawerSession: Int64? = nil, source: String = "", keyPrefix: String? = nil) throws -> BatchResult {
        guard !lines.isEmpty else { throw LedgerError(.invalid, "The batch has no lines") }
        guard kind != .importFile else { throw LedgerError(.invalid, "A payment file is imported with till import payments") }
        let reason = reason.trimmingSpacesAndTabs()
        let result = try writeImmediate { db -> BatchResult in
            let day = try Self.requireOpenDay(db)
            var result = BatchResult(batchID: nil, kind: kind, controlTotal: controlTotal)
            var checked: [(index: Int, line: BatchLine, id: Int64, key: String?)] = []
            var problems: [String] = []
            for (index, line) in lines.enumerated() {
                let key: String? = keyPrefix.map { "batch:\($0):\(index + 1)" }
                if let key, try Self.postedWithKey(key, db) != nil {
                    result.alreadyPosted.append((line: index + 1, reference: line.reference)); continue
                }
                // A line of a file is named by the file's own line; a keyed line by its place.
                let named = line.fileLine ?? index + 1
                do {
                    if line.isSuspense {
                        guard line.amount.isPositive else { throw LedgerError(.invalid, "The amount must be more than $0.00") }
                        do throws(DomainError) { try line.drawerTender.validate() } catch { throw LedgerError(domain: error) }
                        checked.append((index + 1, line, 0, key))
                    } else {
                        checked.append((index + 1, line, try Self.checkLine(line, day: day, intoDrawer: true, db).id, key))
                    }
                } catch let error as LedgerError {
                    problems.append("line \(named): \(error.message)")
                }
                if !line.tender.goesInDrawer {
                    problems.append("line \(named): a \(kind.rawValue) batch takes checks, money orders or cash, not \(line.tender.rawValue)")
                }
            }
            guard problems.isEmpty else {
                throw LedgerError(.invalid, "Nothing posted: \(problems.count) bad line\(problems.count == 1 ? "" : "s"): " + problems.prefix(20).joined(separator: "; "))
            }
            guard !checked.isEmpty else { return result } // every line posted before
            guard let drawerSession else {
                throw LedgerError(.noDrawer, "A \(kind.rawValue) batch goes into your drawer: open one first (F4)")
            }
            try Self.checkOwnOpenDrawer(drawerSession, operatorID: actor.operatorID, terminal: actor.terminal, db)
            let total = Money(cents: checked.reduce(0) { $0 + $1.line.amount.cents })
            var auth: Authorization?
            if total != controlTotal {
                guard !reason.isEmpty else {
                    throw LedgerError(.invalid, "The batch is \(Money(cents: total.cents - controlTotal.cents).formatted) off its control total \(controlTotal.formatted): find the difference, or give a reason for a supervisor's override")
                }
                auth = try Self.authorize(.batchOutOfBalance, amount: Money(cents: total.cents - controlTotal.cents), actor: actor, db)
            }
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO batches(kind, business_date, at, operator_id, approved_by, control_total_cents, total_cents, line_count, reason, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [kind.rawValue, day.description, now, actor.operatorID, auth?.approver?.id,
                                 controlTotal.cents, total.cents, checked.count, reason, source])
            let batchID = db.lastInsertedRowID
            for item in checked {
                let line = item.line
                let number = line.account
                var request = PostingRequest(
                    kind: .payment, lines: [PostingLine(line.tender.book, line.amount),
                                            line.isSuspense ? PostingLine(.suspense, Money(cents: -line.amount.cents))
                                                : PostingLine(.receivable, Money(cents: -line.amount.cents), account: number)],
                    tenders: [line.drawerTender], operatorID: actor.operatorID, terminal: actor.terminal, idempotencyKey: item.key,
                    drawerSession: drawerSession,
                    memo: "Batch #\(batchID) line \(item.index)" + (line.paidOn.map { ", paid \($0)" } ?? ""))
                if line.isSuspense {
                    request.suspense = SuspenseDetails(reason: "\(kind.rawValue) batch #\(batchID) line \(item.index): no stub, no account",
                                                       reference: line.reference, checkNumber: line.tender == .check ? line.reference : "")
                }
                let ids = line.isSuspense ? [:] : [number: item.id]
                var posted = try insert(request, businessDate: day, accountIDs: ids, db)
                if !line.isSuspense { posted.restoreRequests = try restoreIfPaidUp(request, posted, accountIDs: ids, db) }
                try db.execute(sql: """
                    INSERT INTO batch_lines(batch_id, line, transaction_id, tender, reference, paid_on) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [batchID, item.index, posted.id, line.tender.rawValue, line.reference, line.paidOn?.description])
                result.posted.append((line: item.index, account: number.rawValue, amount: line.amount, receipt: posted.receipt))
            }
            result.batchID = batchID
            let detail = "#\(batchID) \(kind.rawValue) \(checked.count) lines \(total.formatted) control \(controlTotal.formatted)"
                + (source.isEmpty ? "" : " from \(source)")
            try auth?.record(db, at: now, transactionID: nil, detail: detail + ": \(reason)")
            try Audit.record(db, at: now, operatorID: actor.operatorID, terminal: actor.terminal, event: "batch.posted",
                             detail: detail + (auth?.approver.map { " out of balance, override by \($0.login): \(reason)" } ?? ""))
            return result
        }
        checkpointIfLarge()
        return result
    }
}
