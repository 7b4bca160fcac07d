import GRDB
import TillCore

/// A charge a CSR directs a payment to, ahead of the allocation order: a bill by its date, or
/// the oldest open fee of a kind. (A deposit is a payment line of its own, not a direction.)
public enum ChargeTarget: Sendable, Equatable, CustomStringConvertible {
    case bill(BusinessDate)
    case fee(BookAccount)

    /// `bill:2026-10-05`, `late-fee`, `nsf-fee`, `reconnect`.
    public init(spec: String) throws {
        let text = spec.trimmingSpacesAndTabs().lowercased()
        switch text {
        case "late-fee", "late": self = .fee(.lateFee)
        case "nsf-fee", "nsf": self = .fee(.nsfFee)
        case "reconnect", "reconnect-fee": self = .fee(.reconnectFee)
        default:
            guard text.hasPrefix("bill:"), let date = try? BusinessDate(String(text.dropFirst(5))) else {
                throw LedgerError(.invalid, "Direct a payment to bill:YYYY-MM-DD, late-fee, nsf-fee or reconnect; \(TextSafety.quoted(spec)) is none of them")
            }
            self = .bill(date)
        }
    }

    public var description: String {
        switch self {
        case .bill(let date): "the bill of \(date)"
        case .fee(.lateFee): "the late fee"
        case .fee(.nsfFee): "the NSF fee"
        case .fee(.reconnectFee): "the reconnect fee"
        case .fee(let book): book.name.lowercased()
        }
    }
}

extension Ledger {
    /// The open charge on the account that `target` names (the oldest, where several match).
    static func directedCharge(_ target: ChargeTarget, accountID: Int64, account: AccountNumber, _ db: Store) throws -> Int64 {
        let sql: String
        let arguments: SQLArguments
        switch target {
        case .bill(let date):
            sql = """
                SELECT o.posting_id FROM open_items o JOIN postings p ON p.id = o.posting_id JOIN transactions t ON t.id = p.transaction_id
                WHERE o.account_id = ? AND o.remaining_cents > 0 AND t.kind = 'bill' AND COALESCE(t.bill_date, t.business_date) = ?
                ORDER BY o.sort_date, o.posting_id LIMIT 1
                """
            arguments = [accountID, date.description]
        case .fee(let book):
            sql = """
                SELECT o.posting_id FROM open_items o JOIN postings p ON p.id = o.posting_id
                WHERE o.account_id = ? AND o.remaining_cents > 0
                  AND EXISTS (SELECT 1 FROM postings f WHERE f.transaction_id = p.transaction_id AND f.book = ?)
                ORDER BY o.sort_date, o.posting_id LIMIT 1
                """
            arguments = [accountID, book.rawValue]
        }
        guard let id = try Int64.fetchOne(db, sql: sql, arguments: arguments) else {
            throw LedgerError(.invalid, "Account \(account) has nothing left to pay on \(target): nothing posted")
        }
        return id
    }

    /// The allocation order (`payment.allocation_order`): `oldest`, or revenue codes in the order
    /// their charges are paid (`OTHER` for charges of no listed code), each rank oldest first.
    static func allocationRanks(_ db: Store) throws -> [String: Int]? {
        // Most offices keep the default (`setting` says so from one indexed read).
        let order = try setting(.allocationOrder, db)
        guard order != "oldest", (try? SettingKey.allocationOrder.validate(order)) != nil else { return nil }
        return Dictionary(order.split(separator: ",").enumerated().map { (String($0.element), $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// A charge's place in the allocation order: its largest revenue line's rank, then its date.
    static func rankedSortKey(postingID: Int64, date: String, ranks: [String: Int], _ db: Store) throws -> String {
        let book = try String.fetchOne(db.cachedStatement(sql: """
            SELECT p.book FROM postings c JOIN postings p ON p.transaction_id = c.transaction_id AND p.amount_cents < 0 AND p.book <> 'AR'
            WHERE c.id = ? ORDER BY p.amount_cents, p.id LIMIT 1
            """), arguments: [postingID])
        let rank = book.flatMap { ranks[$0] } ?? ranks["OTHER"] ?? ranks.count
        return String(format: "%03d|", rank) + date
    }
}
