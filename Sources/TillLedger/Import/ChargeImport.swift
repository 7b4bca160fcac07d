import Foundation
import GRDB
import TillCore

/// `till import charges FILE.csv` — open charges from the billing system, one
/// transaction per row: debit the customer's receivable, credit the revenue code.
///
/// Charges post into the open business day, like everything else: a closed day stays closed.
/// The bill's own date stays the bill's (`transactions.bill_date`, for aging; also in its import
/// key and description); its due date orders the allocation. A bill date after the open day, or more than `oldestBillDays` before
/// it, refuses the file.
extension Ledger {
    public static let chargeColumns = ["account_number", "bill_date", "due_date", "revenue_code", "amount", "description"]
    static let requiredChargeColumns = ["account_number", "bill_date", "due_date", "revenue_code", "amount"]

    /// Names the billing system uses for revenue codes.
    public static let revenueCodeNames: [String: BookAccount] = [
        "water": .water, "sewer": .sewer, "late_fee": .lateFee, "nsf_fee": .nsfFee,
        "reconnect_fee": .reconnectFee, "misc": .miscellaneous,
    ]

    struct ChargeRow {
        var line: Int
        var number: AccountNumber
        var billDate: BusinessDate, dueDate: BusinessDate
        var revenue: BookAccount
        var amount: Money
        var description: String
        /// The charge's identity: the same account, bill date and revenue code twice is a duplicate.
        var importKey: String { "charge:\(number):\(billDate):\(revenue.rawValue)" }
    }

    /// How far back a bill date may lie: older is a mistake in the file (a year typed wrong).
    public static let oldestBillDays = 730

    public func importCharges(csv bytes: [UInt8], fileName: String, by operatorID: Int64) throws -> ImportSummary {
        let file = try ImportFile(bytes: bytes, name: fileName, required: Self.requiredChargeColumns, allowed: Self.chargeColumns)
        let ceiling = try read { db in try Self.amountCeiling(db) }
        let rows = try file.rows(noun: "charges", parse: { try Self.parseChargeRow($0, file, ceiling: ceiling) },
                                 identity: \.importKey,
                                 duplicate: { "duplicate charge (same account, bill date and revenue code as line \($1))" })
        var problems: [ImportError.Problem] = []
        return try writeImmediate { db in
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open: charges post into the open day; a lead or supervisor opens it first (till day open)")
            }
            for row in rows where row.billDate > day {
                problems.append(.init(line: row.line, reason: "bill_date \(row.billDate) is after the open business day \(day)"))
            }
            for row in rows where row.billDate < day.adding(days: -Self.oldestBillDays) {
                problems.append(.init(line: row.line, reason: "bill_date \(row.billDate) is more than \(Self.oldestBillDays) days before the open business day \(day)"))
            }
            var accountIDs: [AccountNumber: Int64] = [:]
            let findAccount = try db.cachedStatement(sql: "SELECT id FROM accounts WHERE number = ?")
            let findKey = try db.cachedStatement(sql: "SELECT 1 FROM transactions WHERE idempotency_key = ?")
            for row in rows {
                if accountIDs[row.number] == nil {
                    if let id = try Int64.fetchOne(findAccount, arguments: [row.number.rawValue]) {
                        accountIDs[row.number] = id
                    } else {
                        problems.append(.init(line: row.line, reason: "unknown account \(row.number)"))
                        continue
                    }
                }
                if try Bool.fetchOne(findKey, arguments: [row.importKey]) == true {
                    problems.append(.init(line: row.line, reason: "duplicate: this charge was imported before"))
                }
            }
            if !problems.isEmpty { throw ImportError(file: fileName, problems: problems) }

            let now = timestamp()
            try db.execute(sql: "INSERT INTO terminals(id, created_at) VALUES ('import', ?) ON CONFLICT (id) DO NOTHING", arguments: [now])
            let insertTransaction = try db.cachedStatement(sql: """
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, idempotency_key, due_date, memo, bill_date)
                VALUES ('bill', ?, ?, ?, 'import', ?, ?, ?, ?)
                """)
            let insertPosting = try db.cachedStatement(sql: "INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES (?, ?, ?, ?)")
            var touched = Set<Int64>()
            for row in rows {
                let accountID = accountIDs[row.number]!
                try insertTransaction.execute(arguments: [day.description, now, operatorID, row.importKey,
                                                          row.dueDate.description, row.description, row.billDate.description])
                let txn = db.lastInsertedRowID
                try insertPosting.execute(arguments: [txn, BookAccount.receivable.rawValue, accountID, row.amount.cents])
                try insertPosting.execute(arguments: [txn, row.revenue.rawValue, nil, -row.amount.cents])
                touched.insert(accountID)
            }
            // A customer in credit pays the new charges from that credit; the match is
            // recorded against the account's newest charge transaction.
            for accountID in touched.sorted() {
                let newest = try Int64.fetchOne(db, sql: "SELECT MAX(transaction_id) FROM postings WHERE account_id = ? AND book = 'AR'",
                                                arguments: [accountID])!
                try Self.allocate(accountID: accountID, transactionID: newest, db)
            }
            try Audit.record(db, at: now, operatorID: operatorID, terminal: "import", event: "import.charges",
                             detail: "\(rows.count) charges from \(fileName)")
            return ImportSummary(rows: rows.count, transactions: rows.count)
        }
    }

    private static func parseChargeRow(_ row: CSV.Row, _ file: ImportFile, ceiling: Money) throws -> ChargeRow {
        let number = try AccountNumber(try file.required("account_number", in: row))
        let billDate = try BusinessDate(try file.required("bill_date", in: row))
        let dueDate = try BusinessDate(try file.required("due_date", in: row))
        guard dueDate >= billDate else { throw DomainError(.csv, "due_date \(dueDate) is before bill_date \(billDate)") }
        let code = try file.required("revenue_code", in: row).lowercased()
        guard let revenue = revenueCodeNames[code] else {
            throw DomainError(.csv, "revenue_code \"\(code)\" is not one of \(revenueCodeNames.keys.sorted().joined(separator: ", "))")
        }
        let amount = try file.amount("amount", in: row, ceiling: ceiling)
        guard amount.isPositive else { throw DomainError(.csv, "amount must be more than $0.00") }
        let description = file.field("description", in: row)
        return ChargeRow(line: row.line, number: number, billDate: billDate, dueDate: dueDate, revenue: revenue,
                         amount: amount, description: description.isEmpty ? "\(revenue.name) billed \(billDate)"
                             : description.contains(billDate.description) ? description : "\(description) (billed \(billDate))")
    }
}
