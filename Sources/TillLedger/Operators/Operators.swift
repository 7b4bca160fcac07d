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
        let hash = try PINHash.make(pin: pin, pepper: try requirePepper())
        return try writeImmediate { db in
            try Self.insertOperator(db, login: login, displayName: displayName, role: role, hash: hash,
                                    by: creator, at: timestamp())
        }
    }

    static func insertOperator(_ db: Store, login: OperatorLogin, displayName: String, role: Role, hash: PINHash,
                               by creator: Int64?, at now: String) throws -> Operator {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM operators WHERE login = ?", arguments: [login.rawValue]) == true {
            throw LedgerError(.invalid, "Operator \(login) already exists")
        }
        try db.execute(sql: """
            INSERT INTO operators(login, display_name, role, pin_hash, pin_salt, pin_rounds, created_at, pin_peppered)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [login.rawValue, displayName, role.rawValue, Data(hash.hash), Data(hash.salt),
                             hash.rounds, now, hash.peppered])
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

    /// The pepper, or why PINs cannot be hashed without it.
    func requirePepper() throws -> Data {
        guard let pepper else {
            throw LedgerError(.database, "PINs cannot be checked or set: the PIN pepper \(pepperPath) is missing. "
                              + "Restore it from where it is kept (docs/RELIABILITY.md); nothing was changed")
        }
        return pepper
    }

    /// Checks a PIN. Wrong PINs count towards a lock (a setting: 5 by default); the lock lasts
    /// `signin.lock_minutes` measured on the machine's boot clock, which setting the wall clock
    /// does not move, or until a supervisor unlocks (`unlockOperator`). Every success, failure
    /// and lock is an audit event. A PIN hashed before the pepper is hashed again with it.
    public func authenticate(_ login: OperatorLogin, pin: String, terminal: String) throws -> Operator {
        // Hash outside the write lock: PBKDF2 takes tens of milliseconds.
        guard let stored = try read({ db in try Self.storedPIN(db, login: login) }) else {
            try writeImmediate { db in
                try Audit.record(db, at: timestamp(), operatorID: nil, terminal: terminal,
                                 event: "signin.unknown", detail: login.rawValue)
            }
            throw LedgerError(.unknownOperator, "No active operator \(login)")
        }
        if stored.hash.peppered { _ = try requirePepper() }
        let matches = stored.hash.matches(pin, pepper: pepper)
        let rehashed = try matches && !stored.hash.peppered && pepper != nil ? PINHash.make(pin: pin, pepper: pepper) : nil
        let result: Result<Operator, LedgerError> = try writeImmediate { db in
            let now = timestamp()
            if let lock = try String.fetchOne(db, sql: "SELECT locked_until FROM operators WHERE id = ?", arguments: [stored.op.id]),
               let remaining = Lockout.remaining(lock, now: now) {
                try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal,
                                 event: "signin.refused-locked", detail: "")
                let wait = remaining == .max ? "" : " for \((remaining + 59) / 60) more minutes"
                return .failure(LedgerError(.operatorLocked, "Operator \(login) is locked\(wait) (too many wrong PINs); "
                                            + "a supervisor can unlock it now (`till operator unlock \(login)`)"))
            }
            if matches {
                try db.execute(sql: "UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                               arguments: [stored.op.id])
                if let rehashed {
                    try db.execute(sql: "UPDATE operators SET pin_hash = ?, pin_salt = ?, pin_rounds = ?, pin_peppered = 1 WHERE id = ?",
                                   arguments: [Data(rehashed.hash), Data(rehashed.salt), rehashed.rounds, stored.op.id])
                }
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
                try db.execute(sql: "UPDATE operators SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                               arguments: [Lockout.lock(minutes: minutes), stored.op.id])
                try Audit.record(db, at: now, operatorID: stored.op.id, terminal: terminal,
                                 event: "operator.locked", detail: "\(failures) wrong PINs; locked \(minutes) min")
                return .failure(LedgerError(.operatorLocked, "Wrong PIN. Operator \(login) is now locked for \(minutes) minutes"))
            }
            try db.execute(sql: "UPDATE operators SET failed_attempts = ? WHERE id = ?", arguments: [failures, stored.op.id])
            return .failure(LedgerError(.wrongPIN, "Wrong PIN for \(login) (\(limit - failures) tries left)"))
        }
        return try result.get()
    }

    static func fetchOperator(_ db: Store, login: OperatorLogin) throws -> Operator? {
        try SQLRow.fetchOne(db, sql: "SELECT id, login, display_name, role FROM operators WHERE login = ? AND active = 1",
                         arguments: [login.rawValue]).flatMap(Self.operatorFrom)
    }

    static func fetchOperator(_ db: Store, id: Int64) throws -> Operator? {
        try SQLRow.fetchOne(db, sql: operatorByIDSQL, arguments: [id]).flatMap(Self.operatorFrom)
    }

    static let operatorByIDSQL = "SELECT id, login, display_name, role FROM operators WHERE id = ?"

    private static func operatorFrom(_ row: SQLRow) -> Operator? {
        guard let login = try? OperatorLogin(row["login"]), let role = Role(rawValue: row["role"]) else { return nil }
        return Operator(id: row["id"], login: login, displayName: row["display_name"], role: role)
    }

    private static func storedPIN(_ db: Store, login: OperatorLogin) throws -> (op: Operator, hash: PINHash)? {
        guard let row = try SQLRow.fetchOne(db, sql: """
            SELECT id, login, display_name, role, pin_hash, pin_salt, pin_rounds, pin_peppered FROM operators WHERE login = ? AND active = 1
            """, arguments: [login.rawValue]), let op = operatorFrom(row) else { return nil }
        let hash: Data = row["pin_hash"], salt: Data = row["pin_salt"]
        return (op, PINHash(hash: Array(hash), salt: Array(salt), rounds: row["pin_rounds"], peppered: row["pin_peppered"]))
    }

    /// A supervisor lifts an operator's lock (audited).
    public func unlockOperator(_ login: OperatorLogin, by supervisorID: Int64, terminal: String) throws {
        try writeImmediate { db in
            guard let supervisor = try Self.fetchOperator(db, id: supervisorID), supervisor.role == .supervisor else {
                throw LedgerError(.notAuthorized, "Only a supervisor unlocks an operator")
            }
            guard let op = try Self.fetchOperator(db, login: login) else { throw LedgerError(.unknownOperator, "No active operator \(login)") }
            try db.execute(sql: "UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?", arguments: [op.id])
            try Audit.record(db, at: timestamp(), operatorID: supervisorID, terminal: terminal, event: "operator.unlocked",
                             detail: login.rawValue)
        }
    }
}

/// An operator's lock as stored in `operators.locked_until`: "boot ID SECONDS", the machine's
/// boot and the moment on its boot clock (CLOCK_BOOTTIME, which setting the date does not
/// move) when the lock ends. After a reboot the lock holds until a supervisor lifts it.
/// A lock stored before (a wall-clock time) is read as it was written.
enum Lockout {
    static func lock(minutes: Int64) -> String {
        "boot \(bootID()) \(bootClock() + minutes * 60)"
    }

    /// Seconds the lock still holds (`Int.max`: until a supervisor lifts it), or nil when it has ended.
    static func remaining(_ lock: String, now: String) -> Int? {
        let parts = lock.split(separator: " ")
        guard parts.first == "boot" else { return lock > now ? Int.max : nil } // a wall-clock time from before
        guard parts.count == 3, let end = Int64(parts[2]), parts[1] == Substring(bootID()) else { return Int.max }
        let left = end - bootClock()
        return left > 0 ? Int(left) : nil
    }

    static func bootID() -> String {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
    }

    static func bootClock() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_BOOTTIME, &time)
        return Int64(time.tv_sec)
    }
}
