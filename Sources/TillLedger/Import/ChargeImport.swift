import Foundation
import GRDB
import TillCore

/// `till import charges FILE.csv` — open charges from the billing system, one
/// transaction per row: debit the customer's receivable, credit the revenue code.
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

    public func importCharges(csv bytes: [UInt8], fileName: String, by operatorID: Int64) throws -> ImportSummary {
        let table: CSV.Table
        do { table = try CSV.parse(bytes: bytes) } catch {
            throw ImportError(file: fileName, problems: [.init(line: 1, reason: error.message)])
        }
        var problems: [ImportError.Problem] = []
        for column in Self.requiredChargeColumns where !table.hasColumn(column) {
            problems.append(.init(line: 1, reason: "missing column \(column)"))
        }
        for column in table.header where !Self.chargeColumns.contains(column.lowercased()) {
            problems.append(.init(line: 1, reason: "unknown column \(column)"))
        }
        if !problems.isEmpty { throw ImportError(file: fileName, problems: problems) }

        let ceiling = Money(cents: Int64(try setting(.amountCeilingCents)) ?? Money.defaultCeiling.cents)
        var rows: [ChargeRow] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do {
                let parsed = try Self.parseChargeRow(row, table, ceiling: ceiling)
                if let first = seen[parsed.importKey] {
                    problems.append(.init(line: row.line, reason: "duplicate charge (same account, bill date and revenue code as line \(first))"))
                } else {
                    seen[parsed.importKey] = row.line
                    rows.append(parsed)
                }
            } catch let error as DomainError {
                problems.append(.init(line: row.line, reason: error.message))
            } catch let error as MoneyError {
                problems.append(.init(line: row.line, reason: "amount: \(error.description)"))
            }
        }
        if rows.isEmpty && problems.isEmpty { problems.append(.init(line: 1, reason: "no charges in the file")) }
        if !problems.isEmpty { throw ImportError(file: fileName, problems: problems) }

        return try writeImmediate { db in
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
            try db.execute(sql: "INSERT OR IGNORE INTO terminals(id, created_at) VALUES ('import', ?)", arguments: [now])
            let insertTransaction = try db.cachedStatement(sql: """
                INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, idempotency_key, due_date, memo)
                VALUES ('bill', ?, ?, ?, 'import', ?, ?, ?)
                """)
            let insertPosting = try db.cachedStatement(sql: "INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES (?, ?, ?, ?)")
            var touched = Set<Int64>()
            for row in rows {
                let accountID = accountIDs[row.number]!
                try insertTransaction.execute(arguments: [row.billDate.description, now, operatorID, row.importKey,
                                                          row.dueDate.description, row.description])
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

    private static func parseChargeRow(_ row: CSV.Row, _ table: CSV.Table, ceiling: Money) throws -> ChargeRow {
        guard row.fields.count == table.header.count else {
            throw DomainError(.csv, "has \(row.fields.count) fields; the header has \(table.header.count)")
        }
        func required(_ name: String) throws -> String {
            let value = (table.value(name, in: row) ?? "").trimmingCharacters(in: .whitespaces)
            if value.isEmpty { throw DomainError(.csv, "\(name) is empty") }
            return value
        }
        let number = try AccountNumber(try required("account_number"))
        let billDate = try BusinessDate(try required("bill_date"))
        let dueDate = try BusinessDate(try required("due_date"))
        guard dueDate >= billDate else { throw DomainError(.csv, "due_date \(dueDate) is before bill_date \(billDate)") }
        let code = try required("revenue_code").lowercased()
        guard let revenue = revenueCodeNames[code] else {
            throw DomainError(.csv, "revenue_code \"\(code)\" is not one of \(revenueCodeNames.keys.sorted().joined(separator: ", "))")
        }
        let amount = try Money.parse(try required("amount"), ceiling: ceiling)
        guard amount.isPositive else { throw DomainError(.csv, "amount must be more than $0.00") }
        let description = (table.value("description", in: row) ?? "").trimmingCharacters(in: .whitespaces)
        return ChargeRow(line: row.line, number: number, billDate: billDate, dueDate: dueDate, revenue: revenue,
                         amount: amount, description: description.isEmpty ? "\(revenue.name) billed \(billDate)" : description)
    }
}
