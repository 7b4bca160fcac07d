import GRDB
import TillCore

extension Ledger {
    /// The business date that is open now, if any. Postings carry this date, not the wall clock.
    public func openBusinessDay() throws -> BusinessDate? {
        try read { db in try Self.openDay(db) }
    }

    /// Opens `date` for business. Only a lead or supervisor may, and only today's date by the
    /// ledger's clock; a supervisor may open a date up to `day.open_window_days` away. One day
    /// is open at a time, a day once closed is never reopened, and no day opens before one
    /// already opened (a day cancelled unused does not count, and may open again).
    public func openBusinessDay(_ date: BusinessDate, by operatorID: Int64, terminal: String) throws {
        try writeImmediate { db in
            guard let op = try Self.fetchOperator(db, id: operatorID) else {
                throw LedgerError(.unknownOperator, "Unknown operator")
            }
            guard op.role >= .lead else {
                throw LedgerError(.notAuthorized, "Only a lead or supervisor opens the business day")
            }
            let today = localToday()
            if date != today {
                let window = try TypedSettings.read(db).openDayWindowDays
                let away = abs(date.days(since: today))
                guard away <= window else {
                    throw LedgerError(.invalid, "\(date) is \(away) days from today, \(today), by this machine's clock: "
                                      + "only today opens, or a date within \(window) days with a supervisor (setting day.open_window_days). "
                                      + "If the clock is wrong, set it right first")
                }
                guard op.role == .supervisor else {
                    throw LedgerError(.notAuthorized, "Only today's date, \(today), opens; \(date) needs a supervisor")
                }
            }
            if let open = try Self.openDay(db) {
                throw LedgerError(.dayAlreadyOpen, "Business day \(open) is still open; close it first")
            }
            let cancelled = try Bool.fetchOne(db, sql: "SELECT cancelled_at IS NOT NULL FROM business_days WHERE date = ?",
                                              arguments: [date.description])
            if cancelled == false, let closed = try String.fetchOne(db, sql: "SELECT closed_at FROM business_days WHERE date = ?",
                                                                     arguments: [date.description]) {
                throw LedgerError(.invalid, "Business day \(date) was closed at \(closed) and stays closed")
            }
            if let later = try String.fetchOne(db, sql: "SELECT MAX(date) FROM business_days WHERE cancelled_at IS NULL"),
               later > date.description {
                throw LedgerError(.invalid, "Business day \(later) is already past; \(date) cannot be opened. "
                                  + "A day opened by mistake with nothing in it is cancelled by a supervisor (`till day cancel`)")
            }
            let now = timestamp()
            if cancelled == true {
                // A date cancelled unused opens again; the seals and the audit log keep its history.
                try db.execute(sql: """
                    UPDATE business_days SET opened_by = ?, opened_at = ?, closed_by = NULL, closed_at = NULL,
                        cancelled_by = NULL, cancelled_at = NULL WHERE date = ?
                    """, arguments: [operatorID, now, date.description])
            } else {
                try db.execute(sql: "INSERT INTO business_days(date, opened_by, opened_at) VALUES (?, ?, ?)",
                               arguments: [date.description, operatorID, now])
            }
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal,
                             event: "day.opened", detail: date.description + (cancelled == true ? " (again, after it was cancelled)" : ""))
        }
    }

    /// Cancels the open day when it was opened by mistake and nothing is in it (no drawer, no
    /// transaction): a supervisor's act, audited with the reason. The date may open again.
    public func cancelBusinessDay(_ date: BusinessDate, by operatorID: Int64, terminal: String, reason: String) throws {
        let reason = reason.trimmingSpacesAndTabs()
        guard !reason.isEmpty, reason.count <= 200 else { throw LedgerError(.invalid, "Say why the day is cancelled (up to 200 characters)") }
        try writeImmediate { db in
            guard let op = try Self.fetchOperator(db, id: operatorID), op.role == .supervisor else {
                throw LedgerError(.notAuthorized, "Only a supervisor cancels a business day")
            }
            guard try Self.openDay(db) == date else {
                throw LedgerError(.dayNotOpen, "Business day \(date) is not the open day: only the open day can be cancelled")
            }
            let drawers = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drawer_sessions WHERE business_date = ?",
                                           arguments: [date.description]) ?? 0
            let transactions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM transactions WHERE business_date = ?",
                                                arguments: [date.description]) ?? 0
            guard drawers == 0, transactions == 0 else {
                throw LedgerError(.invalid, "Business day \(date) has \(transactions) transactions and \(drawers) drawers: "
                                  + "only a day with nothing in it is cancelled; this one is closed as usual")
            }
            let now = timestamp()
            try db.execute(sql: """
                UPDATE business_days SET closed_at = ?, closed_by = ?, cancelled_at = ?, cancelled_by = ? WHERE date = ?
                """, arguments: [now, operatorID, now, operatorID, date.description])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal, event: "day.cancelled",
                             detail: "\(date): \(reason)")
        }
    }

    /// Today's local calendar date by the ledger's clock: the date the opener opens.
    public func localToday() -> BusinessDate { Timestamp.localDate(clock()) }

    /// The open day, to read before a write: on SQLite its date and whether its row is as Till
    /// sealed it; on PostgreSQL its date and the row's version (`xmin`, the transaction that
    /// wrote it, and `ctid`, where it lies), whose seal is worked out only when this connection
    /// has not proved that version already (`Store.provedVersion`, `openDayProvingSQL`): the
    /// day's row is the same row every payment reads, and hashing it was a tenth of a payment's
    /// server time, and planning the hash (its SQL functions inlined) 0.2 ms more even where
    /// it was not worked out. Any change to the row, by Till or behind its back, is a new
    /// version, proved afresh.
    static func openDayRead(_ db: Store) -> (sql: String, arguments: SQLArguments) {
        guard db.isPostgres else {
            let sealed = RecordSeals.isSealedSQL(RecordSeals.versioned("business_days"), row: "b", postgres: false)
            return ("SELECT date, \(sealed) FROM business_days b WHERE closed_at IS NULL", [])
        }
        return ("SELECT date, \(rowVersion) FROM business_days b WHERE closed_at IS NULL", [])
    }

    /// On PostgreSQL: the open day's date, whether its row is as Till sealed it, and its version.
    static var openDayProvingSQL: String {
        let sealed = RecordSeals.isSealedSQL(RecordSeals.versioned("business_days"), row: "b", postgres: true)
        return "SELECT date, \(sealed), \(rowVersion) FROM business_days b WHERE closed_at IS NULL"
    }

    private static let rowVersion = "b.xmin::text || '/' || b.ctid::text"
    private static let openDayProof = "business_days: the open day"

    /// The open day, proved to be as Till sealed it: a closed day reopened with `sqlite3` is
    /// refused here, so nothing posts into it.
    static func openDay(_ db: Store) throws -> BusinessDate? {
        let (sql, arguments) = openDayRead(db)
        guard var row = try SQLRow.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) else { return nil }
        if db.isPostgres {
            // The version this connection proved before: nothing to work out.
            if let proved = db.provedVersion(of: Self.openDayProof), proved == (row[1] as String) { return try? BusinessDate(row[0] as String) }
            guard let proving = try SQLRow.fetchOne(db.cachedStatement(sql: openDayProvingSQL)) else { return nil }
            row = proving
        }
        let date: String = row[0]
        let proved: Bool? = row[1]
        guard proved ?? true else {
            throw LedgerError(.tampered, "Business day \(TextSafety.quoted(date)) is open, but not as Till left it: it was changed "
                              + "outside Till. Nothing is posted into it; a supervisor runs `till verify` (docs/RELIABILITY.md)")
        }
        if proved == true, db.isPostgres { db.noteProved(Self.openDayProof, version: row[2]) }
        return try? BusinessDate(date)
    }
}
