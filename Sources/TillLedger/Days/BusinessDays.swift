import GRDB
import TillCore

extension Ledger {
    /// The business date that is open now, if any. Postings carry this date, not the wall clock.
    public func openBusinessDay() throws -> BusinessDate? {
        try read { db in try Self.openDay(db) }
    }

    /// Opens `date` for business. Only a lead or supervisor may; one day is open at a time,
    /// and a day once closed is never reopened.
    public func openBusinessDay(_ date: BusinessDate, by operatorID: Int64, terminal: String) throws {
        try writeImmediate { db in
            guard let op = try Self.fetchOperator(db, id: operatorID) else {
                throw LedgerError(.unknownOperator, "Unknown operator")
            }
            guard op.role >= .lead else {
                throw LedgerError(.notAuthorized, "Only a lead or supervisor opens the business day")
            }
            if let open = try Self.openDay(db) {
                throw LedgerError(.dayAlreadyOpen, "Business day \(open) is still open; close it first")
            }
            if let closed = try String.fetchOne(db, sql: "SELECT closed_at FROM business_days WHERE date = ?",
                                                arguments: [date.description]) {
                throw LedgerError(.invalid, "Business day \(date) was closed at \(closed) and stays closed")
            }
            if let later = try String.fetchOne(db, sql: "SELECT MAX(date) FROM business_days"), later > date.description {
                throw LedgerError(.invalid, "Business day \(later) is already past; \(date) cannot be opened")
            }
            let now = timestamp()
            try db.execute(sql: "INSERT INTO business_days(date, opened_by, opened_at) VALUES (?, ?, ?)",
                           arguments: [date.description, operatorID, now])
            try Audit.record(db, at: now, operatorID: operatorID, terminal: terminal,
                             event: "day.opened", detail: date.description)
        }
    }

    /// Today's local calendar date by the ledger's clock: the date the opener opens.
    public func localToday() -> BusinessDate { Timestamp.localDate(clock()) }

    /// The open day, proved to be as Till sealed it: a closed day reopened with `sqlite3` is
    /// refused here, so nothing posts into it.
    static func openDay(_ db: Database) throws -> BusinessDate? {
        let table = RecordSeals.versioned.first { $0.table == "business_days" }!
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT date, \(RecordSeals.digestSQL(table, row: "")) IS (SELECT digest FROM record_seals
                WHERE tbl = 'business_days' AND row_key = date ORDER BY seq DESC LIMIT 1)
            FROM business_days WHERE closed_at IS NULL
            """)) else { return nil }
        let date: String = row[0]
        guard row[1] as Bool else {
            throw LedgerError(.tampered, "Business day \(TextSafety.quoted(date)) is open, but not as Till left it: it was changed "
                              + "outside Till. Nothing is posted into it; a supervisor runs `till verify` (docs/RELIABILITY.md)")
        }
        return try? BusinessDate(date)
    }
}
