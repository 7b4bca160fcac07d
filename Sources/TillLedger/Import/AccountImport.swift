import Foundation
import GRDB
import TillCore

/// `till import accounts FILE.csv` — see docs/CSV.md for the columns.
extension Ledger {
    public static let accountColumns = ["account_number", "customer_name", "service_address", "mailing_address", "phone",
                                        "email", "meter_number", "class", "status", "cash_only_until", "deposit_held"]
    static let requiredAccountColumns = ["account_number", "customer_name", "service_address"]

    struct AccountRow {
        var line: Int
        var number: AccountNumber
        var name: String, serviceAddress: String, mailingAddress: String
        var phone: String, email: String, meter: String
        var accountClass: AccountClass, status: AccountStatus
        var cashOnlyUntil: BusinessDate?
        var deposit: Money
    }

    public func importAccounts(csv bytes: [UInt8], fileName: String, by operatorID: Int64) throws -> ImportSummary {
        let file = try ImportFile(bytes: bytes, name: fileName, required: Self.requiredAccountColumns, allowed: Self.accountColumns)
        let ceiling = try read { db in try Self.amountCeiling(db) }
        let rows = try file.rows(noun: "accounts", parse: { try Self.parseAccountRow($0, file, ceiling: ceiling) },
                                 identity: { $0.number.rawValue },
                                 duplicate: { "duplicate account \($0.number) (also on line \($1))" })
        var problems: [ImportError.Problem] = []
        return try writeImmediate { db in
            let exists = try db.cachedStatement(sql: "SELECT 1 FROM accounts WHERE number = ?")
            for row in rows where try Bool.fetchOne(exists, arguments: [row.number.rawValue]) == true {
                problems.append(.init(line: row.line, reason: "account \(row.number) is already in the ledger"))
            }
            if !problems.isEmpty { throw ImportError(file: fileName, problems: problems) }
            let now = timestamp()
            let day = try Self.openDay(db) ?? Timestamp.localDate(self.now())
            try db.execute(sql: "INSERT INTO terminals(id, created_at) VALUES ('import', ?) ON CONFLICT (id) DO NOTHING", arguments: [now])
            var transactions = 0
            for row in rows {
                try db.execute(sql: """
                    INSERT INTO accounts(number, customer_name, service_address, mailing_address, phone, email, meter_number,
                        class, status, cash_only_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [row.number.rawValue, row.name, row.serviceAddress, row.mailingAddress, row.phone,
                                     row.email, row.meter, row.accountClass.rawValue, row.status.rawValue,
                                     row.cashOnlyUntil?.description, now])
                let accountID = db.lastInsertedRowID
                if row.deposit.isPositive {
                    // A deposit already held: the money is in the bank, owed back to the customer.
                    try db.execute(sql: """
                        INSERT INTO transactions(kind, business_date, posted_at, operator_id, terminal_id, memo)
                        VALUES ('opening-balance', ?, ?, ?, 'import', ?)
                        """, arguments: [day.description, now, operatorID, "deposit held at import from \(fileName)"])
                    let txn = db.lastInsertedRowID
                    try db.execute(sql: "INSERT INTO postings(transaction_id, book, account_id, amount_cents) VALUES (?, 'BANK', NULL, ?), (?, 'DEPOSITS', ?, ?)",
                                   arguments: [txn, row.deposit.cents, txn, accountID, -row.deposit.cents])
                    transactions += 1
                }
            }
            try Audit.record(db, at: now, operatorID: operatorID, terminal: "import", event: "import.accounts",
                             detail: "\(rows.count) accounts from \(fileName)")
            return ImportSummary(rows: rows.count, transactions: transactions)
        }
    }

    private static func parseAccountRow(_ row: CSV.Row, _ file: ImportFile, ceiling: Money) throws -> AccountRow {
        func field(_ name: String) -> String { file.field(name, in: row) }
        let number = try AccountNumber(try file.required("account_number", in: row))
        let classText = field("class").lowercased()
        guard let accountClass = classText.isEmpty ? .residential : AccountClass(rawValue: classText) else {
            throw DomainError(.csv, "class \"\(field("class"))\" is not residential or commercial")
        }
        let statusText = field("status").lowercased()
        guard let status = statusText.isEmpty ? .active : AccountStatus(rawValue: statusText) else {
            throw DomainError(.csv, "status \"\(field("status"))\" is not active, locked-off, final or closed")
        }
        let cashOnly = field("cash_only_until")
        return AccountRow(
            line: row.line, number: number, name: try file.required("customer_name", in: row),
            serviceAddress: try file.required("service_address", in: row), mailingAddress: field("mailing_address"),
            phone: field("phone"), email: field("email"), meter: field("meter_number"),
            accountClass: accountClass, status: status,
            cashOnlyUntil: cashOnly.isEmpty ? nil : try BusinessDate(cashOnly),
            deposit: field("deposit_held").isEmpty ? .zero : try file.amount("deposit_held", in: row, ceiling: ceiling))
    }
}
