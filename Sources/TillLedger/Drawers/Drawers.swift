import GRDB
import TillCore

/// An operator's drawer at one terminal for one business day.
public struct DrawerSession: Sendable, Equatable {
    public let id: Int64
    public let businessDate: BusinessDate
    public let openingFloat: Money
}

extension Ledger {
    /// Opens a drawer for the operator at this terminal with the standard float from the
    /// settings. (Counting the float by denomination arrives with the day's procedures.)
    @discardableResult
    public func openDrawer(operatorID: Int64, terminal: String) throws -> DrawerSession {
        try writeImmediate { db in
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open: a lead or supervisor must open the day first")
            }
            if let open = try Self.currentDrawer(operatorID: operatorID, terminal: terminal, db) {
                throw LedgerError(.drawerAlreadyOpen, "Drawer #\(open.id) is already open for you at \(terminal)")
            }
            try db.execute(sql: "INSERT OR IGNORE INTO terminals(id, created_at) VALUES (?, ?)", arguments: [terminal, timestamp()])
            let float = try Self.intSetting(.standardFloatCents, db)
            try db.execute(sql: """
                INSERT INTO drawer_sessions(operator_id, terminal_id, business_date, opened_at, opening_float_cents)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [operatorID, terminal, day.description, timestamp(), float])
            let id = db.lastInsertedRowID
            try Audit.record(db, at: timestamp(), operatorID: operatorID, terminal: terminal, event: "drawer.opened",
                             detail: "#\(id) float \(Money(cents: float).formatted)")
            return DrawerSession(id: id, businessDate: day, openingFloat: Money(cents: float))
        }
    }

    /// The operator's open drawer at this terminal, if any.
    public func currentDrawer(operatorID: Int64, terminal: String) throws -> DrawerSession? {
        try read { db in try Self.currentDrawer(operatorID: operatorID, terminal: terminal, db) }
    }

    static func currentDrawer(operatorID: Int64, terminal: String, _ db: Database) throws -> DrawerSession? {
        try Row.fetchOne(db, sql: """
            SELECT id, business_date, opening_float_cents FROM drawer_sessions
            WHERE operator_id = ? AND terminal_id = ? AND closed_at IS NULL ORDER BY id DESC LIMIT 1
            """, arguments: [operatorID, terminal]).map {
            DrawerSession(id: $0["id"], businessDate: try BusinessDate($0["business_date"]),
                          openingFloat: Money(cents: $0["opening_float_cents"]))
        }
    }
}
