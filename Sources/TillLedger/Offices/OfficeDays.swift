import Foundation
import TillCore

/// One office's share of a business day where offices keep their own days (`office.days =
/// own`): opened and closed by a lead of its own, with its own deposit to its bank account.
public struct OfficeDay: Sendable, Equatable {
    public let office: Office
    public let date: BusinessDate
    public var openedAt: String?
    public var openedBy: String?
    public var closedAt: String?
    public var closedBy: String?
    public var bag = ""
    public var depositTransaction: Int64?

    public var isOpen: Bool { openedAt != nil && closedAt == nil }
    public var isClosed: Bool { closedAt != nil }

    /// "open", "closed 17:02 by lead, bag N-1", or "not opened".
    public var state: String {
        if let closedAt { return "closed \(Timestamp.localMinute(closedAt)) by \(closedBy ?? "?")" + (bag.isEmpty ? "" : ", bag \(bag)") }
        return openedAt == nil ? "not opened" : "open"
    }
}

extension Ledger {
    /// Whether each office opens and closes its own share of the day (`office.days = own`, and
    /// there are offices).
    static func officesKeepOwnDays(_ db: Store) throws -> Bool {
        guard try (Int64.fetchOne(db.cachedStatement(sql: anyOfficeSQL)) ?? 0) > 0 else { return false }
        return try setting(.officeDays, db) == "own"
    }

    static let anyOfficeSQL = "SELECT COUNT(*) FROM (SELECT 1 FROM offices LIMIT 1) AS any_office"

    public func officesKeepOwnDays() throws -> Bool { try read { db in try Self.officesKeepOwnDays(db) } }

    /// Every office's share of `date`, main office first.
    public func officeDays(on date: BusinessDate) throws -> [OfficeDay] {
        try read { db in try Self.officeDays(on: date, db) }
    }

    static func officeDays(on date: BusinessDate, _ db: Store) throws -> [OfficeDay] {
        var days = try officeMap(db).offices.map { OfficeDay(office: $0, date: date) }
        try fillOfficeDays(&days, sql: "d.date = ?", [date.description], db)
        return days
    }

    /// One office's share of `date` (what a posting at its terminal asks: one small read).
    static func officeShare(_ office: Office, on date: BusinessDate, _ db: Store) throws -> OfficeDay {
        var days = [OfficeDay(office: office, date: date)]
        try fillOfficeDays(&days, sql: "d.date = ? AND d.office_id = ?", [date.description, office.id], db)
        return days[0]
    }

    /// Each office's open and close events of the day into `days`.
    private static func fillOfficeDays(_ days: inout [OfficeDay], sql condition: String, _ arguments: SQLArguments, _ db: Store) throws {
        for row in try SQLRow.fetchAll(db.cachedStatement(sql: """
            SELECT d.office_id, d.event, d.at, o.login, d.deposit_bag, d.deposit_transaction_id
            FROM office_days d JOIN operators o ON o.id = d.operator_id WHERE \(condition) ORDER BY d.id
            """), arguments: arguments) {
            guard let index = days.firstIndex(where: { $0.office.id == row[0] as Int64 }) else { continue }
            if row[1] as String == "open" {
                days[index].openedAt = row[2]
                days[index].openedBy = row[3]
            } else {
                days[index].closedAt = row[2]
                days[index].closedBy = row[3]
                days[index].bag = row[4]
                days[index].depositTransaction = row[5]
            }
        }
    }

    /// Where offices keep their own days, a posting or a drawer at `terminal` needs its office's
    /// share of `day` open: not yet opened, or closed already, it is refused with what to do.
    static func requireOfficeOpen(terminal: String, day: BusinessDate, _ db: Store) throws {
        guard try officesKeepOwnDays(db), let office = try officeMap(db).office(of: terminal) else { return }
        let share = try officeShare(office, on: day, db)
        if share.isClosed {
            throw LedgerError(.dayNotOpen, "\(office.name) closed its day \(day) at \(Timestamp.localMinute(share.closedAt ?? "")): "
                              + "nothing more posts there today")
        }
        if !share.isOpen {
            throw LedgerError(.dayNotOpen, "\(office.name) has not opened its day \(day): a lead opens it (F8 o at one of its "
                              + "terminals, or till day open --office \(office.code))")
        }
    }

    /// Opens an office's share of the open business day (a lead or supervisor). The business day
    /// itself is opened first, as always (`openBusinessDay`).
    @discardableResult
    public func openOfficeDay(_ code: String, by operatorID: Int64, terminal: String) throws -> OfficeDay {
        try writeImmediate { db in
            let office = try Self.ownDayOffice(code, operatorID: operatorID, verb: "opens", db)
            guard let day = try Self.openDay(db) else {
                throw LedgerError(.dayNotOpen, "No business day is open: a lead opens it first (F8 o, till day open), then each office its share")
            }
            let share = try Self.officeShare(office, on: day, db)
            if share.isClosed { throw LedgerError(.invalid, "\(office.name) closed its day \(day) already: it opens again tomorrow") }
            if share.isOpen { throw LedgerError(.invalid, "\(office.name)'s day \(day) is open already") }
            let now = timestamp()
            try db.execute(sql: "INSERT INTO office_days(office_id, date, event, at, operator_id, terminal_id) VALUES (?, ?, 'open', ?, ?, ?)",
                           arguments: [office.id, day.description, now, operatorID, terminal])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "office.day.opened", detail: "\(office.code) \(day)")
            return try Self.officeShare(office, on: day, db)
        }
    }

    /// Closes an office's share of the business day (a lead or supervisor): its drawers all
    /// counted and closed, its drops accepted where they must be; posts its deposit (its drawers'
    /// cash less their floats, its drops, checks and money orders) for its bank account, in the
    /// same transaction. Nothing more posts at its terminals that day. Returns its settlement.
    @discardableResult
    public func closeOfficeDay(_ code: String, by operatorID: Int64, terminal: String, bag: String) throws -> Settlement {
        let bag = bag.trimmingSpacesAndTabs()
        guard !bag.isEmpty, bag.count <= 20 else { throw LedgerError(.invalid, "Give the deposit bag number (up to 20 characters)") }
        return try writeImmediate { db in
            let office = try Self.ownDayOffice(code, operatorID: operatorID, verb: "closes", db)
            guard let day = try Self.openDay(db) else { throw LedgerError(.dayNotOpen, "No business day is open") }
            guard try Self.officeShare(office, on: day, db).isOpen else {
                throw LedgerError(.dayNotOpen, "\(office.name)'s day \(day) is not open")
            }
            let map = try Self.officeMap(db)
            var settlement = try Self.settlement(day, db, scope: OfficeScope(map: map, office: office))
            try Self.requireClosable(settlement)
            let books = try Self.depositBooks(day: day, sessions: Set(settlement.drawers.map(\.id)), db)
            let deposit = try depositSlip(settlement, books: books,
                                          memo: "Deposit bag \(bag), office \(office.code) to account \(office.bankAccount)",
                                          operatorID: operatorID, terminal: terminal, db)
            let now = timestamp()
            try db.execute(sql: """
                INSERT INTO office_days(office_id, date, event, at, operator_id, terminal_id, deposit_bag, deposit_transaction_id)
                VALUES (?, ?, 'close', ?, ?, ?, ?, ?)
                """, arguments: [office.id, day.description, now, operatorID, terminal, bag, deposit])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "office.day.closed",
                             detail: "\(office.code) \(day) deposit \(settlement.depositTotal.formatted) bag \(bag)")
            let login = try Self.fetchOperator(db, id: operatorID)?.login.rawValue ?? ""
            settlement.closed = Settlement.ClosedDay(at: now, by: login, bag: bag)
            return settlement
        }
    }

    /// The office named by `code`, where offices keep their own days and the operator is a lead
    /// or supervisor.
    private static func ownDayOffice(_ code: String, operatorID: Int64, verb: String, _ db: Store) throws -> Office {
        guard let op = try fetchOperator(db, id: operatorID), op.role >= .lead else {
            throw LedgerError(.notAuthorized, "Only a lead or supervisor \(verb) an office's day")
        }
        let office = try officeMap(db).required(code)
        guard try setting(.officeDays, db) == "own" else {
            throw LedgerError(.invalid, "Every office follows the main office's day (setting office.days is shared): the business day "
                              + "opens and closes once for all of them")
        }
        return office
    }
}
