import Foundation
import GRDB
import TillCore

extension Ledger {
    /// A receipt as printed: who, when, where, each account's balance before and after,
    /// miscellaneous lines and the tenders. Nil if no transaction has that number.
    public func receipt(_ number: ReceiptNumber) throws -> Receipt? {
        try read { db -> Receipt? in
            guard let row = try SQLRow.fetchOne(db, sql: """
                SELECT t.id, t.business_date, t.posted_at, t.terminal_id, t.memo, o.display_name
                FROM transactions t JOIN operators o ON o.id = t.operator_id WHERE t.receipt_number = ?
                """, arguments: [number.value]) else { return nil }
            let id: Int64 = row["id"]
            var lines: [Receipt.Line] = []
            for posting in try SQLRow.fetchAll(db, sql: """
                SELECT p.book, p.amount_cents, a.id AS account_id, a.number, a.customer_name, a.service_address
                FROM postings p LEFT JOIN accounts a ON a.id = p.account_id
                WHERE p.transaction_id = ? AND p.amount_cents < 0 AND (p.book IN ('AR', 'DEPOSITS', 'SUSPENSE') OR p.book LIKE 'REV_%')
                ORDER BY p.id
                """, arguments: [id]) {
                let applied = Money(cents: -(posting["amount_cents"] as Int64))
                let book: BookAccount = try StoredValue.read(posting["book"], as: "book")
                if book == .depositsHeld {
                    // A deposit for new service: held for the account, not applied to its balance.
                    lines.append(Receipt.Line(account: posting["number"], title: "Deposit for new service (held)",
                                              serviceAddress: posting["service_address"], previousBalance: nil, applied: applied, newBalance: nil))
                } else if book == .suspense {
                    lines.append(Receipt.Line(account: nil, title: "Held in suspense (no account)", serviceAddress: "",
                                              previousBalance: nil, applied: applied, newBalance: nil))
                } else if let accountID = posting["account_id"] as Int64? {
                    let before = try Int64.fetchOne(db, sql: """
                        SELECT COALESCE(SUM(amount_cents), 0) FROM postings
                        WHERE account_id = ? AND book = 'AR' AND transaction_id < ?
                        """, arguments: [accountID, id]) ?? 0
                    var line = Receipt.Line(account: posting["number"], title: posting["customer_name"],
                                            serviceAddress: posting["service_address"], previousBalance: Money(cents: before),
                                            applied: applied, newBalance: Money(cents: before - applied.cents))
                    line.paidTo = try Self.paidTo(transactionID: id, accountID: accountID, db)
                    lines.append(line)
                } else {
                    lines.append(Receipt.Line(account: nil, title: book.name, serviceAddress: "", previousBalance: nil,
                                              applied: applied, newBalance: nil))
                }
            }
            let tenders = try SQLRow.fetchAll(db, sql: """
                SELECT kind, amount_cents, tendered_cents, reference, last_four, card_brand FROM tenders
                WHERE transaction_id = ? ORDER BY id
                """, arguments: [id]).map { t in
                Tender(kind: try StoredValue.read(t["kind"], as: "tender kind"), amount: Money(cents: t["amount_cents"]),
                       tendered: Money(cents: t["tendered_cents"]), reference: t["reference"], lastFour: t["last_four"],
                       brand: t["card_brand"])
            }
            let office = try Self.officeMap(db).office(of: row["terminal_id"])
            let header = Receipt.Header(utilityName: try Self.setting(.utilityName, db),
                                        utilityAddress: try Self.setting(.utilityAddress, db),
                                        utilityPhone: try Self.setting(.utilityPhone, db),
                                        footer: try Self.setting(.receiptFooter, db),
                                        officeName: office?.name ?? "", officeAddress: office?.address ?? "")
            // A voided payment says so wherever it is shown or reprinted.
            var memo: String = row["memo"]
            if let void = try Int64.fetchOne(db, sql: "SELECT receipt_number FROM transactions WHERE corrects_id = ? AND kind = 'void'",
                                             arguments: [id]) {
                let name = try Self.officeReceiptNumber(ReceiptNumber(void), db) ?? "#\(void)"
                memo = (memo.isEmpty ? "" : memo + " ") + "VOIDED by \(name)"
            }
            var receipt = Receipt(number: number, header: header, businessDate: try BusinessDate(row["business_date"]),
                                  postedAt: Timestamp.localMinute(row["posted_at"]), terminal: row["terminal_id"],
                                  cashier: row["display_name"], lines: lines, tenders: tenders, memo: memo)
            receipt.officeNumber = try Self.officeReceiptNumber(number, db)
            return receipt
        }
    }

    /// The last receipt taken at this terminal.
    public func lastReceipt(terminal: String) throws -> ReceiptNumber? {
        try read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MAX(receipt_number) FROM transactions WHERE terminal_id = ? AND receipt_number IS NOT NULL
                """, arguments: [terminal]).map(ReceiptNumber.init)
        }
    }

    /// Receipts of the open business day taken at this terminal that have never printed:
    /// the printer failed, or Till stopped between posting and printing.
    public func reprintQueue(terminal: String) throws -> [ReceiptNumber] {
        try read { db in
            guard let day = try Self.openDay(db) else { return [] }
            return try Int64.fetchAll(db, sql: """
                SELECT t.receipt_number FROM transactions t
                WHERE t.business_date = ? AND t.terminal_id = ? AND t.receipt_number IS NOT NULL
                  AND t.kind IN ('payment', 'misc-receipt')
                  AND NOT EXISTS (SELECT 1 FROM receipt_prints r WHERE r.receipt_number = t.receipt_number AND r.outcome = 'printed')
                ORDER BY t.receipt_number
                """, arguments: [day.description, terminal]).map(ReceiptNumber.init)
        }
    }

    /// True if the receipt has printed at least once (so the next print is a REPRINT).
    public func hasPrinted(_ number: ReceiptNumber) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM receipt_prints WHERE receipt_number = ? AND outcome = 'printed'",
                              arguments: [number.value]) ?? false
        }
    }

    /// Records a print attempt; a reprint is also an audit event.
    public func recordPrint(_ number: ReceiptNumber, reprint: Bool, failure: String?, operatorID: Int64?, terminal: String) throws {
        try writeImmediate { db in
            try db.execute(sql: """
                INSERT INTO receipt_prints(receipt_number, at, operator_id, terminal_id, reprint, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [number.value, timestamp(), operatorID, terminal, reprint, failure == nil ? "printed" : "failed",
                                 failure ?? ""])
            if reprint {
                try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "receipt.reprinted",
                                 detail: "#\(number)" + (failure.map { " failed: \($0)" } ?? ""))
            }
        }
    }
}

extension Timestamp {
    /// "2026-11-20T19:05:00.000Z" → "2026-11-20 14:05" in the local time zone.
    static func localMinute(_ stamp: String, timeZone: TimeZone = .current) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: stamp) else { return String(stamp.prefix(16)) }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        let day = BusinessDate(dayNumber: seconds.floorDiv(86_400))
        let minute = (seconds - day.dayNumber * 86_400) / 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(day) \(two(minute / 60)):\(two(minute % 60))"
    }
}
