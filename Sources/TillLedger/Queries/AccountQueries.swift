import Foundation
import GRDB
import TillCore

/// One customer account as the counter sees it.
public struct AccountRecord: Sendable, Equatable {
    public let number: String
    public let name: String
    public let serviceAddress: String
    public let mailingAddress: String
    public let phone: String
    public let meter: String
    public let status: String
    public let balance: Money
    public let depositHeld: Money
    public let cashOnlyUntil: BusinessDate?
}

extension Ledger {
    private static let selectedAccountColumns = """
        number, customer_name, service_address, mailing_address, phone, meter_number, status,
        balance_cents, deposit_held_cents, cash_only_until
        """

    public func account(_ number: String) throws -> AccountRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.selectedAccountColumns) FROM accounts WHERE number = ?", arguments: [number])
                .map(Self.record)
        }
    }

    /// Exact account or meter number first, then account numbers, names and service
    /// addresses starting with `text`. (Search-as-you-type over an index comes with lookup.)
    public func searchAccounts(_ text: String, limit: Int = 50) throws -> [AccountRecord] {
        let query = text.trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { return [] }
        return try read { db in
            let exact = try Row.fetchAll(db, sql: """
                SELECT \(Self.selectedAccountColumns) FROM accounts WHERE number = ? OR meter_number = ? LIMIT ?
                """, arguments: [query, query.uppercased(), limit]).map(Self.record)
            let pattern = query.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            let prefix = try Row.fetchAll(db, sql: """
                SELECT \(Self.selectedAccountColumns) FROM accounts
                WHERE number LIKE ? OR customer_name LIKE ? OR service_address LIKE ? OR phone LIKE ?
                ORDER BY customer_name, number LIMIT ?
                """, arguments: [pattern, pattern, pattern, pattern, limit]).map(Self.record)
            var seen = Set(exact.map(\.number))
            return exact + prefix.filter { seen.insert($0.number).inserted }.prefix(max(0, limit - exact.count))
        }
    }

    /// Records an audit event (sign-out, screen lock and unlock…).
    public func audit(_ event: String, detail: String = "", operatorID: Int64?, terminal: String) throws {
        try writeImmediate { db in
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: event, detail: detail)
        }
    }

    /// "none", or the open drawer session of this operator at this terminal.
    public func drawerState(operatorID: Int64, terminal: String) throws -> String {
        try read { db in
            let open = try Int64.fetchOne(db, sql: """
                SELECT id FROM drawer_sessions WHERE operator_id = ? AND terminal_id = ? AND closed_at IS NULL
                """, arguments: [operatorID, terminal])
            return open.map { "open #\($0)" } ?? "none"
        }
    }

    private static func record(_ row: Row) -> AccountRecord {
        AccountRecord(number: row["number"], name: row["customer_name"], serviceAddress: row["service_address"],
                      mailingAddress: row["mailing_address"], phone: row["phone"], meter: row["meter_number"],
                      status: row["status"], balance: Money(cents: row["balance_cents"]),
                      depositHeld: Money(cents: row["deposit_held_cents"]),
                      cashOnlyUntil: (row["cash_only_until"] as String?).flatMap { try? BusinessDate($0) })
    }
}
