import Foundation
import TillCore

/// A place that takes payments: the main office, a branch, a drive-up window, a desk in city
/// hall. Its receipts print its name and address; its deposits go to its bank account.
public struct Office: Sendable, Equatable {
    public let id: Int64
    /// Short and unique, as typed in `TILL_OFFICE` and `--office`: "MAIN", "NORTH".
    public let code: String
    public let name: String
    public let address: String
    public let bankAccount: String
    /// The first office added: the back office's work (payment files, autopay) and every
    /// terminal not placed elsewhere belong to it.
    public let isMain: Bool
    public let addedAt: String
    public let addedBy: String
    /// The terminals placed in it (the main office's unplaced terminals are not listed).
    public var terminals: [String] = []

    /// An office is its id: the same office whatever terminals were listed with it when read.
    public static func == (a: Office, b: Office) -> Bool { a.id == b.id }

    /// One line for lists.
    public var line: String {
        "\(code)\(isMain ? " (main)" : ""): \(name), \(address); deposits to \(bankAccount)"
            + (terminals.isEmpty ? "" : "; terminals \(terminals.joined(separator: ", "))")
    }
}

/// Which office each terminal stands in, read once: the office of a transaction is its
/// terminal's, and a terminal placed nowhere is the main office's.
public struct OfficeMap: Sendable, Equatable {
    public let offices: [Office]
    let placed: [String: Int64]

    /// No office is set up: one office, the utility's, as before offices existed.
    public var isEmpty: Bool { offices.isEmpty }
    public var main: Office? { offices.first }

    /// The office a terminal stands in (the main office when it was placed nowhere).
    public func office(of terminal: String) -> Office? {
        guard let id = placed[terminal] else { return main }
        return offices.first { $0.id == id }
    }

    public func office(code: String) -> Office? {
        let wanted = code.trimmingSpacesAndTabs().uppercased()
        return offices.first { $0.code == wanted }
    }

    /// The office of that code, or a message naming the offices there are.
    public func required(_ code: String) throws -> Office {
        if let office = office(code: code) { return office }
        let wanted = TextSafety.quoted(code.trimmingSpacesAndTabs().uppercased())
        throw LedgerError(.invalid, isEmpty
            ? "No office \(wanted): this ledger has no offices yet (a supervisor adds them with till office add)"
            : "No office \(wanted): the offices are \(offices.map(\.code).joined(separator: ", "))")
    }

    /// Whether a transaction taken at `terminal` is `office`'s.
    public func holds(_ office: Office, terminal: String) -> Bool { self.office(of: terminal)?.id == office.id }
}

extension Ledger {
    /// Adds an office (a supervisor's work). The first one added is the main office.
    @discardableResult
    public func addOffice(code: String, name: String, address: String, bankAccount: String, by operatorID: Int64,
                          terminal: String) throws -> Office {
        let code = try Self.officeCode(code)
        let name = try Self.lineText(name, "office's name"), address = try Self.lineText(address, "office's address")
        guard !name.isEmpty, name.count <= 60 else { throw LedgerError(.invalid, "An office's name is 1 to 60 characters") }
        guard !address.isEmpty else { throw LedgerError(.invalid, "An office needs the address its receipts print") }
        let bank = bankAccount.trimmingSpacesAndTabs()
        guard (4...34).contains(bank.count), bank.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw LedgerError(.invalid, "An office's bank account is 4 to 34 letters, digits or dashes (as on its deposit slips)")
        }
        return try writeImmediate { db in
            guard let op = try Self.fetchOperator(db, id: operatorID), op.role == .supervisor else {
                throw LedgerError(.notAuthorized, "Only a supervisor adds an office")
            }
            if try Self.officeMap(db).office(code: code) != nil {
                throw LedgerError(.invalid, "There is already an office \(code): an office is added once (nothing was changed)")
            }
            let now = timestamp()
            try db.execute(sql: "INSERT INTO offices(code, name, address, bank_account, at, operator_id) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [code, name, address, bank, now, operatorID])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "office.added",
                             detail: "\(code) \(name), \(address); bank \(bank)")
            guard let office = try Self.officeMap(db).office(code: code) else { throw LedgerError(.database, "The office was not saved") }
            return office
        }
    }

    /// Places a terminal in an office, once: a terminal already placed in that office is left as
    /// it is; one placed in another is refused (its transactions stay that office's — a machine
    /// moved to another office gets a new terminal id). `operatorID` nil: the terminal's host
    /// placed it (`TILL_OFFICE`).
    @discardableResult
    public func placeTerminal(_ terminal: String, in code: String, by operatorID: Int64?) throws -> Office {
        let terminal = terminal.trimmingSpacesAndTabs()
        guard !terminal.isEmpty, terminal.count <= 40, TextSafety.firstUnsafe(in: terminal) == nil else {
            throw LedgerError(.invalid, "A terminal id is 1 to 40 printable characters")
        }
        let wanted = code.trimmingSpacesAndTabs().uppercased()
        // Most starts find the terminal placed already: a read, no write lock.
        let known = try read { db in try Self.officeMap(db) }
        if let office = known.office(code: wanted), known.placed[terminal] == office.id { return office }
        return try writeImmediate { db in
            let map = try Self.officeMap(db)
            let office = try map.required(wanted)
            if let placed = map.placed[terminal] {
                guard placed == office.id else {
                    let other = map.offices.first { $0.id == placed }?.code ?? "#\(placed)"
                    throw LedgerError(.invalid, "Terminal \(terminal) stands in office \(other): a terminal is placed in one office "
                                      + "for good (its payments are that office's). Give the machine a new terminal id "
                                      + "(TILL_TERMINAL) for office \(office.code); nothing was changed")
                }
                return office
            }
            if let operatorID {
                guard let op = try Self.fetchOperator(db, id: operatorID), op.role == .supervisor else {
                    throw LedgerError(.notAuthorized, "Only a supervisor places a terminal in an office")
                }
            }
            let now = timestamp()
            try db.execute(sql: "INSERT INTO terminals(id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", arguments: [terminal, now])
            try db.execute(sql: "INSERT INTO terminal_offices(terminal_id, office_id, at, operator_id) VALUES (?, ?, ?, ?)",
                           arguments: [terminal, office.id, now, operatorID])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "terminal.placed",
                             detail: "\(terminal) in \(office.code)" + (operatorID == nil ? " (TILL_OFFICE)" : ""))
            return office
        }
    }

    /// The offices, main office first, each with its placed terminals.
    public func offices() throws -> OfficeMap {
        try read { db in try Self.officeMap(db) }
    }

    static func officeMap(_ db: Store) throws -> OfficeMap {
        var offices = try SQLRow.fetchAll(db, sql: """
            SELECT f.id, f.code, f.name, f.address, f.bank_account, f.at, o.login
            FROM offices f JOIN operators o ON o.id = f.operator_id ORDER BY f.id
            """).enumerated().map { index, row in
            Office(id: row[0], code: row[1], name: row[2], address: row[3], bankAccount: row[4], isMain: index == 0,
                   addedAt: row[5], addedBy: row[6])
        }
        var placed: [String: Int64] = [:]
        for row in try SQLRow.fetchAll(db, sql: "SELECT terminal_id, office_id FROM terminal_offices ORDER BY terminal_id") {
            let terminal: String = row[0], office: Int64 = row[1]
            placed[terminal] = office
            if let index = offices.firstIndex(where: { $0.id == office }) { offices[index].terminals.append(terminal) }
        }
        return OfficeMap(offices: offices, placed: placed)
    }

    /// An office's code: 1 to 12 capital letters, digits or dashes, starting with a letter.
    static func officeCode(_ text: String) throws -> String {
        let code = text.trimmingSpacesAndTabs().uppercased()
        guard (1...12).contains(code.count), code.first.map({ $0.isASCII && $0.isLetter }) == true,
              code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw LedgerError(.invalid, "An office's code is 1 to 12 letters, digits or dashes, starting with a letter (e.g. MAIN, NORTH)")
        }
        return code
    }
}
