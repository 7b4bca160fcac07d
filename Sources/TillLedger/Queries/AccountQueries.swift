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
    static let selectedAccountColumns = """
        number, customer_name, service_address, mailing_address, phone, meter_number, status,
        balance_cents, deposit_held_cents, cash_only_until
        """

    public func account(_ number: String) throws -> AccountRecord? {
        try read { db in try Self.accountRecord(number, db) }
    }

    static func accountRecord(_ number: String, _ db: Database) throws -> AccountRecord? {
        try Row.fetchOne(db, sql: "SELECT \(selectedAccountColumns) FROM accounts WHERE number = ?", arguments: [number])
            .map(record)
    }

    /// What the cashier typed, matched as they type: an exact account or meter number
    /// first, then accounts whose number, name, service address, phone or meter has
    /// words starting with every word typed. No ranking work (it would cost most on the
    /// shortest prefixes); matches come in account order and narrow with each key.
    public func searchAccounts(_ text: String, limit: Int = 50) throws -> [AccountRecord] {
        let words = AccountSearch.words(text)
        guard !words.isEmpty else { return [] }
        let exactText = text.trimmingCharacters(in: .whitespaces)
        return try read { db in
            let exact = try Row.fetchAll(db, sql: AccountSearch.exactSQL,
                                         arguments: [exactText, exactText.uppercased(), limit]).map(Self.record)
            let matches = try Row.fetchAll(db, sql: AccountSearch.matchSQL,
                                           arguments: [AccountSearch.matchExpression(words), limit]).map(Self.record)
            var seen = Set(exact.map(\.number))
            return exact + matches.filter { seen.insert($0.number).inserted }.prefix(max(0, limit - exact.count))
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

enum AccountSearch {
    /// The two statements of a lookup, shared with the raw-SQLite baseline of `till bench`.
    static let exactSQL = """
        SELECT \(Ledger.selectedAccountColumns) FROM accounts WHERE number = ? OR meter_number = ? LIMIT ?
        """
    static let matchSQL = """
        SELECT \(Ledger.selectedAccountColumns) FROM accounts
        WHERE id IN (SELECT rowid FROM account_search WHERE account_search MATCH ? LIMIT ?)
        ORDER BY id
        """

    /// The words of a query, letters and digits only: "(555) 201-0001" is 555, 201, 0001.
    static func words(_ text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { !$0.isEmpty }.prefix(8).map { $0 }
    }

    /// Every word as a quoted prefix: `"smi"* "oak"*`.
    static func matchExpression(_ words: [String]) -> String {
        words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
