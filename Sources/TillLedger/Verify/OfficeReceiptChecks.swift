import TillCore

extension Ledger {
    /// Check 19. Where receipts were numbered per office: every receipt taken while each
    /// office counted its own (by the recorded changes of `receipt.numbering`) has its
    /// office's number and no other receipt has one; the number is its terminal's office's
    /// (the main office's for a terminal placed nowhere); each office's numbers, in the order
    /// of the utility's, run 1, 2, 3… without a gap or a repeat; and the setting says what the
    /// record says.
    static func officeReceiptFault(_ db: Store) throws -> String? {
        let changes = try SQLRow.fetchAll(db, sql: "SELECT mode, from_receipt FROM receipt_numbering ORDER BY id")
            .map { (mode: $0["mode"] as String, from: $0["from_receipt"] as Int64) }
        let recorded = changes.last?.mode ?? "utility"
        let setting = try Self.setting(.receiptNumbering, db)
        if setting != recorded {
            return "receipt.numbering says \(setting) but the recorded numbering is \(recorded): the setting was changed outside Till"
        }
        guard !changes.isEmpty else {
            guard let stray = try Int64.fetchOne(db, sql: """
                SELECT t.receipt_number FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id ORDER BY r.id LIMIT 1
                """) else { return nil }
            return "receipt #\(stray) has an office's number, but receipts were never numbered by office"
        }
        // The runs of utility receipt numbers each numbering covered (utility before the first).
        var runs: [(mode: String, from: Int64, to: Int64)] = [("utility", 1, changes[0].from)]
        for (index, change) in changes.enumerated() {
            guard change.from >= runs[runs.count - 1].from else {
                return "receipt.numbering's changes go back in time: one from receipt #\(change.from) follows one from #\(runs[runs.count - 1].from)"
            }
            runs.append((change.mode, change.from, index + 1 < changes.count ? changes[index + 1].from : Int64.max))
        }
        for run in runs where run.from < run.to {
            if run.mode == "office", let bare = try Int64.fetchOne(db, sql: """
                SELECT t.receipt_number FROM transactions t
                WHERE t.receipt_number >= ? AND t.receipt_number < ?
                  AND NOT EXISTS (SELECT 1 FROM office_receipts r WHERE r.transaction_id = t.id)
                ORDER BY t.receipt_number LIMIT 1
                """, arguments: [run.from, run.to]) {
                return "receipt #\(bare) was taken while each office numbered its receipts, but has no office's number"
            }
            if run.mode == "utility", let stray = try Int64.fetchOne(db, sql: """
                SELECT t.receipt_number FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id
                WHERE t.receipt_number >= ? AND t.receipt_number < ? ORDER BY t.receipt_number LIMIT 1
                """, arguments: [run.from, run.to]) {
                return "receipt #\(stray) has an office's number, but was taken while the utility numbered receipts"
            }
        }
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT t.id, f.code, r.number FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id
            JOIN offices f ON f.id = r.office_id
            WHERE t.receipt_number IS NULL
               OR r.office_id <> COALESCE((SELECT p.office_id FROM terminal_offices p WHERE p.terminal_id = t.terminal_id),
                                          (SELECT MIN(m.id) FROM offices m))
            ORDER BY r.id LIMIT 1
            """) {
            let name = ReceiptReference.office(code: row["code"], number: row["number"])
            return "\(name) is \(try describe(db, transaction: row["id"])), not a receipt of office \(row["code"] as String)'s terminals"
        }
        if let row = try SQLRow.fetchOne(db, sql: """
            SELECT s.code, s.number, s.receipt_number, s.expected FROM (
                SELECT f.code, r.number, t.receipt_number,
                       ROW_NUMBER() OVER (PARTITION BY r.office_id ORDER BY t.receipt_number) AS expected
                FROM office_receipts r JOIN transactions t ON t.id = r.transaction_id JOIN offices f ON f.id = r.office_id
            ) s WHERE s.number <> s.expected ORDER BY s.receipt_number LIMIT 1
            """) {
            let code: String = row["code"], number: Int64 = row["number"], expected: Int64 = row["expected"]
            let receipt: Int64 = row["receipt_number"]
            return number > expected
                ? "\(code)-\(expected) is missing: receipt #\(receipt) is \(code)-\(number)"
                : "\(code)-\(number) comes again or out of order at receipt #\(receipt) (\(code)-\(expected) was due)"
        }
        return nil
    }
}
