import Foundation
import GRDB
import GRDBSQLite
import TillCore

/// The ledger's last word on full card numbers: whatever path a text takes into the books
/// (a screen field, a command's option, an import file, a future caller that forgot to check),
/// a row whose free text holds one is refused before it is written.
///
/// Temporary triggers on the writing connection call a function of this process, so the rule
/// lives in Till rather than in the file: the `sqlite3` shell and other tools open the ledger
/// as before, and `till verify` finds a card number written by anything else.
enum CardNumberGuard {
    /// The columns people and files write text into. Machine-made text (timestamps, kinds,
    /// idempotency keys built from UUIDs, hashes) is left out: a UUID's digits could look like
    /// a card by chance, and what builds those keys from typed text checks it first.
    static let columns: [(table: String, columns: [String], what: String)] = [
        ("settings", ["value"], "a setting"),
        ("operators", ["login", "display_name"], "an operator"),
        ("terminals", ["id", "description"], "a terminal"),
        ("business_days", ["deposit_bag"], "a deposit bag number"),
        ("accounts", ["number", "customer_name", "service_address", "mailing_address", "phone", "email", "meter_number"],
         "an account"),
        ("drawer_sessions", ["float_reason"], "a float's reason"),
        ("transactions", ["memo", "terminal_id"], "a memo"),
        ("tenders", ["reference", "last_four"], "a tender"),
        ("audit_events", ["detail", "terminal_id"], "the audit log"),
        ("account_notes", ["text"], "an account note"),
        ("receipt_prints", ["detail"], "a receipt print"),
        ("cash_counts", ["bag"], "a bag number"),
        ("drawer_closes", ["reason"], "an over/short reason"),
        ("overrides", ["detail"], "an override"),
        ("returned_checks", ["check_number"], "a check number"),
        ("refund_requests", ["payee", "address"], "a refund's pay-to"),
        ("service_requests", ["notes"], "a work order"),
        ("service_request_events", ["note"], "a work order's note"),
        ("account_changes", ["old_value", "new_value"], "a contact change"),
        ("batches", ["reason", "source"], "a batch"),
        ("batch_lines", ["reference"], "a batch line"),
        ("suspense_items", ["account_given", "payer", "address", "phone", "reference", "check_number", "source_line"],
         "a suspense item"),
        ("suspense_moves", ["payee", "address"], "a suspense refund's pay-to"),
        ("drop_acceptances", ["reason"], "a drop's acceptance"),
        ("agencies", ["name", "program", "contact"], "an agency"),
        ("program_enrollments", ["case_number"], "a program enrolment"),
        ("pledges", ["case_number"], "a pledge"),
        ("autopay_enrollments", ["holder"], "an autopay enrolment"),
        ("autopay_stops", ["reason"], "an autopay stop"),
        ("return_lots", ["file_name"], "a returns file's name"),
        ("offices", ["code", "name", "address"], "an office"),
        ("terminal_offices", ["terminal_id"], "a terminal's office"),
        ("office_days", ["deposit_bag"], "a deposit bag number"),
    ]

    /// The column that names a row of a guarded table in verify's report.
    static func key(of table: String) -> String {
        switch table {
        case "settings": "key"
        case "business_days": "date"
        default: "id"
        }
    }

    static let functionName = "till_holds_card_number"
    static let messagePrefix = "card number:"

    /// Registers `till_holds_card_number(text)` on a connection: 1 when the text holds a full
    /// card number, else 0 (and 0 for what is not text). Called by every row a guarded table
    /// takes, so it reads SQLite's bytes itself: the whole text, a NUL and what follows it
    /// included, and plain ASCII with fewer than 13 digits (nearly every text) answered
    /// without making a Swift string.
    static func register(_ db: Database) throws {
        let code = sqlite3_create_function_v2(db.sqliteConnection, functionName, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
                                              { context, _, values in
            guard let value = values?[0], sqlite3_value_type(value) == SQLITE_TEXT else {
                sqlite3_result_int(context, 0)
                return
            }
            let start = sqlite3_value_text(value) // before its length: the text is made first
            let bytes = UnsafeBufferPointer(start: start, count: Int(sqlite3_value_bytes(value)))
            sqlite3_result_int(context, CardNumber.containsFullCardNumber(utf8: bytes) ? 1 : 0)
        }, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register \(functionName)")
        }
    }

    /// The texts of the transactions and tenders a write added (after a transaction id).
    private static let newRowReads: [(sql: String, what: String)] = columns.filter { $0.table == "transactions" || $0.table == "tenders" }
        .map { table, columns, what in
            ("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(table == "transactions" ? "id" : "transaction_id") > ?", what)
        }

    /// The reads `refuseWritten` starts with, to be asked for ahead with others.
    static func writtenReads(afterTransaction before: Int64, _ db: Store) -> [(sql: String, arguments: SQLArguments)] {
        let pending: (sql: String, arguments: SQLArguments) = (RecordSeals.pendingSQL(db), [])
        return newRowReads.map { read -> (sql: String, arguments: SQLArguments) in (read.sql, [before]) } + [pending]
    }

    /// PostgreSQL's guard, run by each write just before it commits: every row the write added
    /// or changed (its transactions and tenders; the rows migrations 3 and 5 noted) is read
    /// back, and a full card number in any text people write refuses the whole write, with
    /// SQLite's message. (The database cannot call Till's check, so Till calls it there.)
    static func refuseWritten(_ db: Store, afterTransaction before: Int64) throws {
        func refuse(_ rows: [SQLRow], _ what: String) throws {
            let holdsOne = rows.contains { row in
                row.values.contains { value in
                    if case .text(let text) = value { CardNumber.containsFullCardNumber(text) } else { false }
                }
            }
            if holdsOne {
                throw LedgerError(.cardNumber, "Refused: that looks like a full card number in \(what): Till never keeps one; nothing was saved")
            }
        }
        for (sql, what) in newRowReads {
            try refuse(try SQLRow.fetchAll(db.cachedStatement(sql: sql), arguments: [before]), what)
        }
        let pending = try SQLRow.fetchAll(db.cachedStatement(sql: RecordSeals.pendingSQL(db)))
        for row in pending {
            let table: String = row[0], key: String = row[1]
            guard let (_, columns, what) = columns.first(where: { $0.table == table }) else { continue }
            let selected = columns.joined(separator: ", ")
            if key == "*" {
                let number = RecordSeals.rowNumber(of: table)
                try refuse(try SQLRow.fetchAll(db.cachedStatement(sql: """
                    SELECT \(selected) FROM \(table) WHERE \(number) > (SELECT COALESCE(MAX(to_id), 0) FROM record_seals
                                                                       WHERE tbl = ? AND to_id IS NOT NULL)
                    """), arguments: [table]), what)
            } else {
                try refuse(try SQLRow.fetchAll(db.cachedStatement(sql: """
                    SELECT \(selected) FROM \(table) WHERE CAST(\(Self.key(of: table)) AS TEXT) = ?
                    """), arguments: [key]), what)
            }
        }
    }

    /// Installs the function and the triggers on the connection that writes.
    static func install(_ db: Store) throws {
        for (table, columns, what) in columns {
            let condition = columns.map { "\(functionName)(NEW.\($0))" }.joined(separator: " OR ")
            let message = "\(messagePrefix) that looks like a full card number in \(what): Till never keeps one; nothing was saved"
                .replacingOccurrences(of: "'", with: "''")
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS till_no_card_\(table)_insert
                BEFORE INSERT ON main.\(table) WHEN \(condition)
                BEGIN SELECT RAISE(ABORT, '\(message)'); END
                """)
            // An update is checked only in the columns it sets: a balance update must not be
            // refused because an older row already holds a card number (verify reports those).
            for column in columns {
                try db.execute(sql: """
                    CREATE TEMP TRIGGER IF NOT EXISTS till_no_card_\(table)_\(column)_update
                    BEFORE UPDATE OF \(column) ON main.\(table) WHEN \(functionName)(NEW.\(column))
                    BEGIN SELECT RAISE(ABORT, '\(message)'); END
                    """)
            }
        }
    }
}
