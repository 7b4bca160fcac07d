import GRDB
import TillCore

/// What a scanned bill stub comes to against the ledger: whose account, what the stub asked,
/// what is owed now, and whether the stub is still the one to pay by.
public struct StubMatch: Equatable, Sendable {
    public enum Standing: Equatable, Sendable {
        /// The account's newest bill, not yet paid: pay the stub's amount.
        case current
        /// A newer bill (of that date) is out since this stub.
        case newerBill(BusinessDate)
        /// Payments since the bill (this much) already cover the stub's amount.
        case paid(Money)
        /// The account has no bill of the stub's date.
        case noSuchBill
    }

    public let stub: ScanLine
    public let customerName: String
    /// What the account owes now (negative: a credit).
    public let balance: Money
    public let standing: Standing

    /// What to tell the person at the counter before they take the stub's amount (nil: nothing).
    public var warning: String? {
        switch standing {
        case .current: nil
        case .newerBill(let date): "This stub is for the bill of \(stub.billDate); a newer bill of \(date) is out: the balance now is \(balance.formatted)"
        case .paid(let paid): "The bill of \(stub.billDate) is paid (\(paid.formatted) since it): the balance now is \(balance.formatted)"
        case .noSuchBill: "Account \(stub.account) has no bill of \(stub.billDate): check the stub; the balance now is \(balance.formatted)"
        }
    }
}

extension Ledger {
    /// The scan-line layout in force (setting `stub.scan_line`).
    static func scanLineFormat(_ db: Store) throws -> ScanLineFormat {
        do { return try ScanLineFormat(spec: try setting(.scanLine, db)) } catch { return .standard }
    }

    /// The scan line for the account's newest bill, with the amount it asked and its date.
    public func stub(for number: AccountNumber) throws -> (line: String, amount: Money, billDate: BusinessDate) {
        try read { db in try Self.stub(for: number, db) }
    }

    static func stub(for number: AccountNumber, _ db: Store) throws -> (line: String, amount: Money, billDate: BusinessDate) {
        let id = try Self.accountID(number, db)
        guard let bill = try Self.newestBill(accountID: id, db) else {
            throw LedgerError(.invalid, "Account \(number) has no bill yet: no stub to print")
        }
        // What the bill asked: the account's balance once the bill was posted (nothing when in credit).
        let due = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount_cents), 0) FROM postings WHERE account_id = ? AND book = 'AR' AND transaction_id <= ?
            """, arguments: [id, bill.id]) ?? 0
        let amount = Money(cents: max(0, due))
        let format = try Self.scanLineFormat(db)
        do throws(DomainError) {
            return (try format.line(account: number, amount: amount, billDate: bill.date), amount, bill.date)
        } catch { throw LedgerError(domain: error) }
    }

    /// Reads a scanned stub: a bad shape or check digit is refused; an account this ledger does
    /// not have is refused; otherwise the match says whether the stub is still the one to pay.
    public func readStub(_ text: String) throws -> StubMatch {
        try read { db in
            let format = try Self.scanLineFormat(db)
            let stub: ScanLine
            do throws(DomainError) { stub = try format.parse(text) } catch { throw LedgerError(domain: error) }
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT id, customer_name, balance_cents FROM accounts WHERE number = ?",
                                             arguments: [stub.account.rawValue]) else {
                throw LedgerError(.unknownAccount, "The stub is for account \(stub.account), which this ledger does not have: check the stub, type the account number, or take the payment into suspense (:suspense NAME)")
            }
            let id: Int64 = row[0]
            let balance = Money(cents: row[2])
            var standing = StubMatch.Standing.noSuchBill
            if let newest = try Self.newestBill(accountID: id, db) {
                if newest.date > stub.billDate {
                    standing = .newerBill(newest.date)
                } else if newest.date == stub.billDate {
                    let paid = try Int64.fetchOne(db, sql: """
                        SELECT COALESCE(-SUM(amount_cents), 0) FROM postings
                        WHERE account_id = ? AND book = 'AR' AND amount_cents < 0 AND transaction_id > ?
                        """, arguments: [id, newest.id]) ?? 0
                    standing = stub.amount.isPositive && paid >= stub.amount.cents ? .paid(Money(cents: paid)) : .current
                }
            }
            return StubMatch(stub: stub, customerName: row[1], balance: balance, standing: standing)
        }
    }

    /// The account's newest bill: its transaction and its date (the bill's own date when the
    /// billing system gave one).
    static func newestBill(accountID: Int64, _ db: Store) throws -> (id: Int64, date: BusinessDate)? {
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT t.id, COALESCE(t.bill_date, t.business_date) FROM postings p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.account_id = ? AND p.book = 'AR' AND t.kind = 'bill' ORDER BY t.id DESC LIMIT 1
            """, arguments: [accountID]) else { return nil }
        return (row[0], try BusinessDate(row[1]))
    }
}
