import GRDB
import TillCore

/// `till export postings --date D`: what the cash office posted to customer accounts on
/// one business day, for the billing system. Columns are documented in docs/EXPORTS.md.
extension Ledger {
    public static let postingExportColumns = [
        "business_date", "transaction_id", "receipt_number", "kind", "account_number", "book", "amount",
        "tenders", "corrects_receipt", "operator", "terminal", "posted_at", "memo", "office",
        "office_receipt",
    ]

    /// `head` is told the ledger's head as of the export's read: exactly what it covers (also
    /// sent to the system log).
    public func exportPostings(date: BusinessDate, head: (LedgerHead) -> Void = { _ in },
                               to write: (String) throws -> Void) throws -> Int {
        try write(CSV.line(Self.postingExportColumns) + "\r\n")
        return try read { db in
            let covered = LedgerHead(hash: try RecordSeals.head(db))
            head(covered)
            SystemLog.anchor("posting export of \(date)", head: covered, ledger: path)
            let offices = try Self.officeMap(db)
            let rows = try SQLRow.fetchCursor(db, sql: """
                SELECT t.business_date, t.id, t.receipt_number, t.kind, a.number, p.book, p.amount_cents,
                       (SELECT \(db.joinedText("""
                                 x.kind || CASE WHEN x.reference IS NOT NULL AND x.kind IN ('check','money-order') THEN ' ' || x.reference ELSE '' END
                                 """, separator: ";", order: "x.id"))
                          FROM tenders x WHERE x.transaction_id = t.id) AS tenders,
                       c.receipt_number AS corrects_receipt, o.login, t.terminal_id, t.posted_at, t.memo, f.code, r.number
                FROM transactions t
                JOIN postings p ON p.transaction_id = t.id AND p.account_id IS NOT NULL
                JOIN accounts a ON a.id = p.account_id
                JOIN operators o ON o.id = t.operator_id
                LEFT JOIN transactions c ON c.id = t.corrects_id
                LEFT JOIN office_receipts r ON r.transaction_id = t.id
                LEFT JOIN offices f ON f.id = r.office_id
                WHERE t.business_date = ? AND t.kind NOT IN ('bill', 'opening-balance')
                ORDER BY t.id, p.id
                """, arguments: [date.description])
            var count = 0
            while let row = try rows.next() {
                let receipt: Int64? = row[2], corrects: Int64? = row[8], officeNumber: Int64? = row[14]
                try write(CSV.line([
                    row[0], String(row[1] as Int64), receipt.map(String.init) ?? "", row[3], row[4], row[5],
                    Money(cents: row[6]).decimalString, (row[7] as String?) ?? "", corrects.map(String.init) ?? "",
                    row[9], row[10], row[11], row[12], offices.office(of: row[10])?.code ?? "",
                    officeNumber.map { ReceiptReference.office(code: row[13], number: $0).description } ?? "",
                ]) + "\r\n")
                count += 1
            }
            return count
        }
    }
}
