import GRDB
import TillCore

/// A payment as the ledger holds it, with what has corrected it since: what voids,
/// reversals, returned checks and transfers start from.
struct OriginalPayment {
    let id: Int64
    let receipt: ReceiptNumber
    let kind: String
    let businessDate: String
    let operatorID: Int64
    let drawerSession: Int64?
    /// True when its drawer session has closed (or it was taken without one on an earlier day).
    let drawerOpen: Bool
    let lines: [PostingLine]
    let accountIDs: [AccountNumber: Int64]
    let tenders: [(id: Int64, tender: Tender)]
    /// Corrections pointing at it: kind and receipt.
    let corrections: [(kind: String, receipt: ReceiptNumber?)]
    /// What each account is credited with now: the payment's own credits moved by its transfers, in receipt order.
    let credits: [(account: AccountNumber, amount: Money)]

    var isPayment: Bool { kind == "payment" || kind == "misc-receipt" }

    /// The void, reversal or returned check that already undid it, if any.
    var undoneBy: (kind: String, receipt: ReceiptNumber?)? {
        corrections.first { ["void", "reversal", "nsf"].contains($0.kind) }
    }

    func credit(of account: AccountNumber) -> Money { credits.first { $0.account == account }?.amount ?? .zero }
}

extension Ledger {
    static func originalPayment(_ receipt: ReceiptNumber, _ db: Store) throws -> OriginalPayment {
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT t.id, t.kind, t.business_date, t.operator_id, t.drawer_session_id, s.closed_at
            FROM transactions t LEFT JOIN drawer_sessions s ON s.id = t.drawer_session_id
            WHERE t.receipt_number = ?
            """, arguments: [receipt.value]) else {
            throw LedgerError(.unknownTransaction, "No receipt #\(receipt)")
        }
        let id: Int64 = row["id"], session: Int64? = row["drawer_session_id"]
        var accountIDs: [AccountNumber: Int64] = [:]
        func lines(of transaction: Int64) throws -> [PostingLine] {
            try SQLRow.fetchAll(db, sql: """
                SELECT p.book, p.amount_cents, p.account_id, a.number FROM postings p LEFT JOIN accounts a ON a.id = p.account_id
                WHERE p.transaction_id = ? ORDER BY p.id
                """, arguments: [transaction]).compactMap { row in
                guard let book = BookAccount(rawValue: row["book"]) else { return nil }
                let number = try (row["number"] as String?).map { try AccountNumber($0) }
                if let number { accountIDs[number] = row["account_id"] }
                return PostingLine(book, Money(cents: row["amount_cents"]), account: number)
            }
        }
        let own = try lines(of: id)
        let corrections = try SQLRow.fetchAll(db, sql: """
            SELECT id, kind, receipt_number FROM transactions WHERE corrects_id = ? ORDER BY id
            """, arguments: [id])
        // Credits by account: the payment's own, then each transfer's moves, in the order accounts appear.
        var order: [AccountNumber] = [], net: [AccountNumber: Int64] = [:]
        func add(_ line: PostingLine) {
            guard line.book == .receivable, let account = line.account else { return }
            if net[account] == nil { order.append(account) }
            net[account, default: 0] -= line.amount.cents
        }
        own.forEach(add)
        for correction in corrections where (correction["kind"] as String) == "transfer" {
            try lines(of: correction["id"]).forEach(add)
        }
        let tenders = try SQLRow.fetchAll(db, sql: """
            SELECT id, kind, amount_cents, tendered_cents, reference, last_four, card_brand FROM tenders WHERE transaction_id = ? ORDER BY id
            """, arguments: [id]).map { row in
            (id: row["id"] as Int64,
             tender: Tender(kind: try StoredValue.read(row["kind"], as: "tender kind"), amount: Money(cents: row["amount_cents"]),
                            tendered: Money(cents: row["tendered_cents"]), reference: row["reference"],
                            lastFour: row["last_four"], brand: row["card_brand"]))
        }
        let today = try openDay(db)?.description
        let drawerOpen = session != nil ? (row["closed_at"] as String?) == nil : (row["business_date"] as String) == today
        return OriginalPayment(
            id: id, receipt: receipt, kind: row["kind"], businessDate: row["business_date"], operatorID: row["operator_id"],
            drawerSession: session, drawerOpen: drawerOpen, lines: own, accountIDs: accountIDs, tenders: tenders,
            corrections: corrections.map { (kind: $0["kind"], receipt: ($0["receipt_number"] as Int64?).map(ReceiptNumber.init)) },
            credits: order.map { (account: $0, amount: Money(cents: net[$0] ?? 0)) })
    }

    /// The open day, or the refusal every account action gives without one.
    static func requireOpenDay(_ db: Store) throws -> BusinessDate {
        guard let day = try openDay(db) else {
            throw LedgerError(.dayNotOpen, "No business day is open: a lead or supervisor opens the day first")
        }
        return day
    }

    static func accountID(_ number: AccountNumber, _ db: Store) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM accounts WHERE number = ?", arguments: [number.rawValue]) else {
            throw LedgerError(.unknownAccount, "No account \(number)")
        }
        return id
    }

    /// A reason is required for every correction: trimmed, one line, up to 200 characters.
    static func reasonText(_ reason: String) throws -> String {
        let reason = try lineText(reason, "reason")
        guard !reason.isEmpty else { throw LedgerError(.invalid, "Give a reason: it goes on the audit trail") }
        return reason
    }

    /// Free text a person types for the record (a reason, a why): trimmed, one line of up to 200
    /// characters, no control or direction-changing characters (they would reach the audit
    /// trail and every screen that shows it). May be empty.
    static func lineText(_ text: String, _ what: String) throws -> String {
        let text = text.trimmingSpacesAndTabs()
        guard text.count <= 200, !text.contains("\n") else { throw LedgerError(.invalid, "A \(what) is one line of up to 200 characters") }
        if let bad = TextSafety.firstUnsafe(in: text) {
            throw LedgerError(.invalid, "The \(what) holds \(TextSafety.describe(bad)): type it again without it")
        }
        return text
    }
}
