import Foundation
import GRDB
import TillCore

/// A person who signs in to Till.
public struct Operator: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let login: OperatorLogin
    public let displayName: String
    public let role: Role
}

extension Ledger {
    /// Adds an operator. The PIN is hashed here and never stored or logged as typed.
    @discardableResult
    public func addOperator(login: OperatorLogin, displayName: String, role: Role, pin: String,
                            by creator: Int64?) throws -> Operator {
        try PINRule.validate(pin)
        let minimum = try typedSettings().pinMinimumLength
        guard pin.count >= minimum else {
            throw LedgerError(.invalid, "A PIN here is at least \(minimum) digits (setting signin.min_pin_length)")
        }
        let hash = try PINHash.make(pin: pin)
        return try writeImmediate { db in
            try Self.insertOperator(db, login: login, displayName: displayName, role: role, hash: hash,
                                    by: creator, at: timestamp())
        }
    }

    static func insertOperator(_ db: Database, login: OperatorLogin, displayName: String, role: Role, hash: PINHash,
                               by creator: Int64?, at now: String) throws -> Operator {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM operators WHERE login = ?", arguments: [login.rawValue]) == true {
            throw LedgerError(.invalid, "Operator \(login) already exists")
        }
        try db.execute(sql: """
            INSERT INTO operators(login, display_name, role, pin_hash, pin_salt, pin_rounds, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [login.rawValue, displayName, role.rawValue, Data(hash.hash), Data(hash.salt),
                             hash.rounds, now])
        let id = db.lastInsertedRowID
        try Audit.record(db, at: now, operatorID: creator, terminal: nil,
                         event: "operator.created", detail: "\(login) as \(role.rawValue)")
        return Operator(id: id, login: login, displayName: displayName, role: role)
    }

    public func operatorNamed(_ login: OperatorLogin) throws -> Operator? {
        try read { db in try Self.fetchOperator(db, login: login) }
    }

    /// The ids of active leads and supervisors: whom an approver field may name.
    public func approverLogins() throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT login FROM operators WHERE active = 1 AND role IN ('lead', 'supervisor')"))
        }
    }

    public func operatorCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operators") ?? 0 }
    }

    /// Checks a PIN. Wrong PINs count towards a lock (a setting: 5 by default, for 15 minutes);
    /// every success, failure and lock is an audit event.
    public func authenticate(_ login: OperatorLogin, pin: String, terminal: String) throws -> Operator {
        // Hash outside the write lock: PBKDF2 takes tens of milliseconds.
        guard let stored = try read({ db in try Self.storedPIN(db, login: login) }) else {
            try writeImmediate { db in
                try Audit.record(db, at: timestamp(), operatorID: nil, terminal: terminal,
                                 event: "signin.unknown", detail: login.rawValue)
            }
            throw LedgerError(.unknownOperator, "No active operator \(login)")
        }
        let matches = stored.hash.matches(pin)
        let result: Result<Operator, LedgerError> = try writeImmediate { db in
            let now = timestamp()
            if let lockedUntil = try String.fetchOne(db, sql: "SELECT locked_until FROM operators WHERE id = ?",
                                                     arguments: [stored.op.id]), lockedUntil > now {
                try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal,
                                 event: "signin.refused-locked", detail: "")
                return .failure(LedgerError(.operatorLocked, "Operator \(login) is locked until \(lockedUntil.dropFirst(11).prefix(5)) UTC (too many wrong PINs)"))
            }
            if matches {
                try db.execute(sql: "UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                               arguments: [stored.op.id])
                try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal, event: "signin", detail: "")
                return .success(stored.op)
            }
            let limit = try Self.intSetting(.pinAttemptsBeforeLock, db)
            let failures = (try Int64.fetchOne(db, sql: "SELECT failed_attempts FROM operators WHERE id = ?",
                                               arguments: [stored.op.id]) ?? 0) + 1
            try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal,
                             event: "signin.wrong-pin", detail: "attempt \(failures)")
            if failures >= limit {
                let minutes = try Self.intSetting(.pinLockMinutes, db)
                let until = Timestamp.string(self.now().addingTimeInterval(TimeInterval(minutes * 60)))
                try db.execute(sql: "UPDATE operators SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                               arguments: [until, stored.op.id])
                try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal,
                                 event: "operator.locked", detail: "\(failures) wrong PINs; locked \(minutes) min")
                return .failure(LedgerError(.operatorLocked, "Wrong PIN. Operator \(login) is now locked for \(minutes) minutes"))
            }
            try db.execute(sql: "UPDATE operators SET failed_attempts = ? WHERE id = ?", arguments: [failures, stored.op.id])
            return .failure(LedgerError(.wrongPIN, "Wrong PIN for \(login) (\(limit - failures) tries left)"))
        }
        return try result.get()
    }

    static func fetchOperator(_ db: Database, login: OperatorLogin) throws -> Operator? {
        try Row.fetchOne(db, sql: "SELECT id, login, display_name, role FROM operators WHERE login = ? AND active = 1",
                         arguments: [login.rawValue]).flatMap(Self.operatorFrom)
    }

    static func fetchOperator(_ db: Database, id: Int64) throws -> Operator? {
        try Row.fetchOne(db, sql: "SELECT id, login, display_name, role FROM operators WHERE id = ?",
                         arguments: [id]).flatMap(Self.operatorFrom)
    }

    private static func operatorFrom(_ row: Row) -> Operator? {
        guard let login = try? OperatorLogin(row["login"]), let role = Role(rawValue: row["role"]) else { return nil }
        return Operator(id: row["id"], login: login, displayName: row["display_name"], role: role)
    }

    private static func storedPIN(_ db: Database, login: OperatorLogin) throws -> (op: Operator, hash: PINHash)? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, login, display_name, role, pin_hash, pin_salt, pin_rounds FROM operators WHERE login = ? AND active = 1
            """, arguments: [login.rawValue]), let op = operatorFrom(row) else { return nil }
        let hash: Data = row["pin_hash"], salt: Data = row["pin_salt"]
        return (op, PINHash(hash: Array(hash), salt: Array(salt), rounds: row["pin_rounds"]))
    }
}
