import GRDB
import TillCore

/// `till export journal --format hledger`: the books as a plain-text journal that
/// hledger reads, so an accountant can check Till's figures with an independent tool.
extension Ledger {
    /// `head` is told the ledger's head as of the export's read (also the journal's last line,
    /// a comment, and sent to the system log).
    public func exportJournal(from: BusinessDate?, to: BusinessDate?, head: (LedgerHead) -> Void = { _ in },
                              write: (String) throws -> Void) throws -> Int {
        let utility = try setting(.utilityName)
        try write("; \(utility) — Till ledger journal\n")
        try write("; amounts in dollars; customer receivable postings carry a customer: tag\n")
        try write("commodity $1000.00\n\n")
        for book in BookAccount.allCases {
            try write("account \(book.journalName)  ; code:\(book.rawValue)\n")
        }
        try write("\n")
        return try read { db in
            var conditions: [String] = []
            var arguments: SQLArguments = []
            if let from { conditions.append("t.business_date >= ?"); arguments += [from.description] }
            if let to { conditions.append("t.business_date <= ?"); arguments += [to.description] }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // Where the ledger has offices, each transaction carries its terminal's: hledger's
            // `tag:office=NORTH` then sums one office's books.
            let offices = try Self.officeMap(db)
            let rows = try SQLRow.fetchCursor(db, sql: """
                SELECT t.id, t.business_date, t.kind, t.receipt_number, t.memo, o.login, t.terminal_id,
                       p.book, p.amount_cents, a.number, f.code, r.number
                FROM transactions t
                JOIN postings p ON p.transaction_id = t.id
                JOIN operators o ON o.id = t.operator_id
                LEFT JOIN accounts a ON a.id = p.account_id
                LEFT JOIN office_receipts r ON r.transaction_id = t.id
                LEFT JOIN offices f ON f.id = r.office_id
                \(whereClause)
                ORDER BY t.business_date, t.id, p.id
                """, arguments: arguments)
            var current: Int64 = -1
            var count = 0
            while let row = try rows.next() {
                let id: Int64 = row[0]
                if id != current {
                    if current != -1 { try write("\n") }
                    current = id
                    count += 1
                    let receipt: Int64? = row[3]
                    let memo: String = row[4]
                    let title = [row[2] as String, receipt.map { "receipt \($0)" }, memo.isEmpty ? nil : memo]
                        .compactMap { $0 }.joined(separator: " — ")
                    try write("\(row[1] as String) * \(Self.journalText(title))\n")
                    let terminal: String = row[6]
                    let office = offices.office(of: terminal).map { ", office:\($0.code)" } ?? ""
                    // Where each office counts its receipts, the number the customer holds.
                    let officeNumber: Int64? = row[11]
                    let officeReceipt = officeNumber.map { ", office_receipt:\(ReceiptReference.office(code: row[10], number: $0))" } ?? ""
                    try write("    ; txn:\(id), operator:\(row[5] as String), terminal:\(Self.journalText(terminal))\(office)\(officeReceipt)\n")
                }
                guard let book = BookAccount(rawValue: row[7]) else { continue }
                let amount = Money(cents: row[8])
                let customer: String? = row[9]
                let amountText = (amount.isNegative ? "-$" : "$") + Money(cents: Int64(amount.cents.magnitude)).decimalString
                // Amounts right-aligned, so a column of them reads like a ledger page.
                let name = "    \(book.journalName)".padding(toLength: 44, withPad: " ", startingAt: 0)
                let line = name + String(repeating: " ", count: max(2, 16 - amountText.count)) + amountText
                try write(line + (customer.map { "  ; customer:\($0)" } ?? "") + "\n")
            }
            if current != -1 { try write("\n") }
            let covered = LedgerHead(hash: try RecordSeals.head(db))
            head(covered)
            try write("; ledger head \(covered.full) (as this journal was read; till verify --anchor \(covered.short))\n")
            SystemLog.anchor("journal export", head: covered, ledger: path)
            return count
        }
    }

    /// Keeps descriptions on one line and free of the comment character.
    private static func journalText(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" || $0 == ";" ? " " : $0 })
    }
}
