import Foundation
import GRDB
import GRDBSQLite

/// What a copy moved: rows by table, and the head both sides show.
public struct LedgerCopySummary: Sendable {
    public var rows: [(table: String, count: Int)] = []
    public var head = LedgerHead(hash: Data())
    public var total: Int { rows.reduce(0) { $0 + $1.count } }
}

/// `till copy --from FILE --to postgresql://…`: a SQLite ledger's rows into an empty
/// PostgreSQL ledger, ids and seals as they are, in one transaction (a failure leaves the
/// database as it was). The rows go by `COPY`, the foreign keys checked once over all of them
/// at the end. What the database keeps by triggers (balances, open items, tender totals) is
/// not copied: it is made again from the copied rows, and the copy then checks it against the
/// file's, row for row.
enum PGCopy {
    /// Every table, parents before children; the `kept` ones are made from the copied rows (`keptSQL`).
    static let order = [
        "settings", "book_accounts", "operators", "terminals", "business_days", "accounts", "drawer_sessions", "transactions",
        "postings", "tenders", "allocations", "audit_events", "account_notes", "payment_plans", "receipt_prints", "cash_counts",
        "cash_count_lines", "drawer_closes", "drawer_close_missing", "overrides", "adjustments", "refund_requests",
        "service_requests", "service_request_events", "account_changes", "batches", "batch_lines", "batch_files",
        "returned_checks", "transaction_hashes", "record_seals", "suspense_items", "suspense_moves", "drop_acceptances",
        "agencies", "program_enrollments", "pledges", "pledge_payments", "autopay_enrollments", "autopay_stops",
        "autopay_drafts", "autopay_entries", "autopay_draft_closes", "return_lots", "returned_items", "offices",
        "terminal_offices", "receipt_numbering", "office_receipts", "office_days",
    ]
    static let kept = ["open_items", "tender_totals"]
    /// Read back from both sides after the copy: what the triggers made must equal the file's.
    static let keptChecks = [
        "SELECT id, balance_cents, deposit_held_cents FROM accounts ORDER BY id",
        "SELECT posting_id, account_id, remaining_cents, sort_date, bill_date FROM open_items ORDER BY posting_id",
        "SELECT business_date, drawer_session_id, kind, receipt, count, amount_cents FROM tender_totals "
            + "ORDER BY business_date, drawer_session_id, kind, receipt",
    ]
    /// The triggers that keep balances, open items and tender totals as rows go in (migration 1).
    static let keptTriggers = [("postings", "postings_kept"), ("tenders", "tenders_kept"), ("allocations", "allocations_kept")]
    /// What those triggers would have made from the copied rows, made from all of them at once:
    /// each account's balance and deposit held (its receivable and deposit postings), each
    /// receivable posting's open remainder (its amount less what was matched to it as a charge,
    /// plus what was matched from it as a credit; none where that is nothing), and each day's,
    /// drawer's and tender's count and sum. `keptChecks` then holds all of it to the file's.
    static let keptSQL = [
        """
        UPDATE accounts a SET balance_cents = s.balance, deposit_held_cents = s.held
        FROM (SELECT account_id,
                     SUM(CASE WHEN book = 'AR' THEN amount_cents ELSE 0 END) AS balance,
                     -SUM(CASE WHEN book = 'DEPOSITS' THEN amount_cents ELSE 0 END) AS held
              FROM postings WHERE account_id IS NOT NULL GROUP BY account_id) s
        WHERE a.id = s.account_id AND (s.balance <> 0 OR s.held <> 0)
        """,
        """
        INSERT INTO open_items(posting_id, account_id, remaining_cents, sort_date, bill_date)
        SELECT p.id, p.account_id, p.amount_cents - COALESCE(c.matched, 0) + COALESCE(d.matched, 0),
               COALESCE(t.due_date, t.business_date), COALESCE(t.bill_date, t.business_date)
        FROM postings p JOIN transactions t ON t.id = p.transaction_id
        LEFT JOIN (SELECT charge_posting_id AS id, SUM(amount_cents) AS matched FROM allocations GROUP BY 1) c ON c.id = p.id
        LEFT JOIN (SELECT credit_posting_id AS id, SUM(amount_cents) AS matched FROM allocations GROUP BY 1) d ON d.id = p.id
        WHERE p.book = 'AR' AND p.account_id IS NOT NULL AND p.amount_cents <> 0
          AND p.amount_cents - COALESCE(c.matched, 0) + COALESCE(d.matched, 0) <> 0
        ORDER BY p.id
        """,
        """
        INSERT INTO tender_totals(business_date, drawer_session_id, kind, receipt, count, amount_cents)
        SELECT t.business_date, COALESCE(t.drawer_session_id, 0), d.kind, (t.kind IN ('payment', 'misc-receipt', 'void'))::int,
               SUM(CASE WHEN d.amount_cents > 0 THEN 1 ELSE -1 END), SUM(d.amount_cents)
        FROM tenders d JOIN transactions t ON t.id = d.transaction_id
        GROUP BY 1, 2, 3, 4
        """,
    ]
    /// Rows to a statement: PostgreSQL takes up to 65,535 parameters in one.
    static let batchParameters = 30_000

    static func copy(from source: Ledger, to uri: String, progress: (String) -> Void) throws -> LedgerCopySummary {
        let target = try PGConnection(uri)
        try target.execute("SET search_path TO \(PGSchema.name)")
        let described = target.described
        guard let version = try PGSchema.applied(target).last?.version else {
            throw LedgerError(.noLedger, "\(described) holds no Till ledger yet: `till init --db …` makes one first (nothing was copied)")
        }
        guard version == PGSchema.newest else {
            throw LedgerError(.database, "\(described) is at schema \(version) and this Till writes \(PGSchema.newest): bring it up to "
                              + "date with this Till's `till init --db …` (nothing was copied)")
        }
        let holds = try target.execute("""
            SELECT (SELECT COUNT(*) FROM transactions) + (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM operators)
            """).scalar ?? "0"
        guard holds == "0" else {
            throw LedgerError(.invalid, "\(described) holds books already (\(holds) transactions, accounts and operators): a copy goes "
                              + "into an empty ledger only (nothing was copied)")
        }
        var summary = LedgerCopySummary()
        try source.read { db in
            try target.transaction {
                // The rows go in as the file sealed them, seals and all: the guard that refuses
                // changing a sealed row (migration 3) is off for the owner inside this
                // transaction only (it holds the tables meanwhile), so the defaults a migration
                // made can take the file's values.
                for table in RecordSeals.versioned.map(\.table) {
                    try target.execute("ALTER TABLE \(table) DISABLE TRIGGER \(table)_guarded")
                }
                // What the database keeps is made once from all the rows (below), not row by
                // row as each goes in: the postings' trigger alone updated an account's row
                // once per posting, 130 µs a posting, most of a copy's time.
                for (table, trigger) in keptTriggers {
                    try target.execute("ALTER TABLE \(table) DISABLE TRIGGER \(trigger)")
                }
                // Each foreign key is checked once over all the rows (put back below, as the
                // migrations wrote it), not once a row: 24 million transactions and 60 million
                // postings queued some 200 million checks at the ends of their COPYs.
                let foreignKeys = try target.execute("""
                    SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
                    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND k.contype = 'f' ORDER BY k.oid
                    """, [.text(PGSchema.name)]).all.map { (table: $0.text(0)!, name: $0.text(1)!, definition: $0.text(2)!) }
                for key in foreignKeys {
                    try target.execute("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)")
                }
                for table in order {
                    let count = try copyTable(table, from: db.sqlite, to: target)
                    summary.rows.append((table, count))
                    progress("\(table): \(count) rows")
                }
                // A day's deposit names a transaction, copied after the day.
                for row in try Row.fetchAll(db.sqlite, sql: """
                    SELECT date, deposit_transaction_id FROM business_days WHERE deposit_transaction_id IS NOT NULL
                    """) {
                    try target.execute("UPDATE business_days SET deposit_transaction_id = $1 WHERE date = $2",
                                       [.int(row[1]), .text(row[0])])
                }
                progress("foreign keys")
                for key in foreignKeys {
                    try target.execute("ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.definition)")
                }
                progress("balances, open items and tender totals")
                for sql in keptSQL { try target.executeScript(sql) }
                try setSequences(target)
                for table in RecordSeals.versioned.map(\.table) {
                    try target.execute("ALTER TABLE \(table) ENABLE TRIGGER \(table)_guarded")
                }
                for (table, trigger) in keptTriggers {
                    try target.execute("ALTER TABLE \(table) ENABLE TRIGGER \(trigger)")
                }
                for check in keptChecks {
                    let file = try Row.fetchAll(db.sqlite, sql: check).map { row in Array(row.databaseValues.map { SQLValue($0) }) }
                    let copied = try target.execute(check).sqlRows.map(\.values)
                    guard file == copied else {
                        throw LedgerError(.database, "The copy's kept figures differ from the file's (\(check.prefix(60))…): "
                                          + "nothing was copied")
                    }
                }
            }
            summary.head = LedgerHead(hash: try RecordSeals.head(db))
        }
        // The planner's statistics of the books just copied in: without them it plans the
        // first reads as if the tables were empty (a lookup took 30 ms where it takes 1, until
        // autovacuum came round). The ledger's own tables only (a bare ANALYZE also tries the
        // catalogs, and warns for each one the owner does not own); it samples, it does not
        // read every row.
        progress("statistics (ANALYZE)")
        let tables = try target.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = $1 ORDER BY 1",
                                        [.text(PGSchema.name)]).rows.compactMap { $0.first ?? nil }
        if !tables.isEmpty { try target.executeScript("ANALYZE " + tables.joined(separator: ", ")) }
        // The lookup reads its prefixes from the index alone only on pages the visibility map
        // calls all-visible, and a table just copied has none until a VACUUM: on a million
        // accounts "gonzal fa" read 3,615 rows from the table as well (8.3 ms; 4.8 after).
        // Those two now (seconds); autovacuum sees to the rest in its own time.
        progress("the lookup's tables made all-visible (VACUUM)")
        try target.executeScript("VACUUM account_prefixes, accounts")
        return summary
    }

    /// A table's rows, every column as the file holds it, through one `COPY … FROM STDIN`
    /// (the settings and book accounts, which the migrations began, by INSERT … ON CONFLICT).
    private static func copyTable(_ table: String, from db: Database, to target: PGConnection) throws -> Int {
        let columns = try target.execute("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' ORDER BY ordinal_position
            """, [.text(PGSchema.name), .text(table)]).all.map { $0.text(0)! }
        // Made again after the rows are in (and a generated column by the server).
        let zeroed: Set<String> = table == "accounts" ? ["balance_cents", "deposit_held_cents"]
            : table == "business_days" ? ["deposit_transaction_id"] : []
        let selected = columns.map { zeroed.contains($0) ? (($0 == "deposit_transaction_id" ? "NULL" : "0") + " AS \($0)") : $0 }
        let sql = "SELECT \(selected.joined(separator: ", ")) FROM \(table) ORDER BY 1"
        if let conflict = conflicts[table] {
            return try insertRows(try Row.fetchCursor(db, sql: sql), into: table, columns: columns, conflict: conflict, target: target)
        }
        // Read with SQLite's C API, each text by its byte length: GRDB's strings stop at a NUL,
        // and a text cut there would arrive shorter with nothing said.
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let count = sqlite3_column_count(handle)
        var line = 0
        do {
            return try target.copyIn("COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN") { buffer in
                let step = sqlite3_step(handle)
                guard step == SQLITE_ROW else {
                    if step == SQLITE_DONE { return false }
                    throw SQLiteDirect.error(step, statement)
                }
                line += 1
                for column in 0..<count {
                    if column > 0 { buffer.append(PGCopyText.tab) }
                    try PGCopyText.append(column: column, of: handle, to: &buffer)
                }
                buffer.append(PGCopyText.newline)
                return true
            }
        } catch let refusal as PGCopyText.Refusal {
            throw LedgerError(.invalid, "\(table), row \(line) of the file (in \(columns[0]) order): \(refusal.reason); nothing was copied")
        } catch let error as PGError where !error.connectionLost {
            throw LedgerError(.invalid, "\(table): the server refused a row of the file: \(error.message); nothing was copied")
        }
    }

    /// The tables the migrations began: the file's rows replace or join what is there.
    static let conflicts = ["settings": " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            "book_accounts": " ON CONFLICT (code) DO NOTHING"]

    /// Rows in batches of one multi-row INSERT each.
    private static func insertRows(_ rows: RowCursor, into table: String, columns: [String], conflict: String,
                                   target: PGConnection) throws -> Int {
        let rowsPerBatch = max(1, batchParameters / columns.count)
        var batch: [PGValue] = []
        var inBatch = 0, count = 0
        func flush() throws {
            guard inBatch > 0 else { return }
            var placeholders: [String] = []
            placeholders.reserveCapacity(inBatch)
            for row in 0..<inBatch {
                placeholders.append("(" + (1...columns.count).map { "$\(row * columns.count + $0)" }.joined(separator: ", ") + ")")
            }
            try target.execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + placeholders.joined(separator: ", ")
                                + conflict, batch)
            batch.removeAll(keepingCapacity: true)
            inBatch = 0
        }
        while let row = try rows.next() {
            for value in row.databaseValues { batch.append(SQLValue(value).pg) }
            inBatch += 1
            count += 1
            if inBatch == rowsPerBatch { try flush() }
        }
        try flush()
        return count
    }

    /// Each identity column's sequence continues after the copied ids.
    private static func setSequences(_ target: PGConnection) throws {
        let identities = try target.execute("""
            SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES'
            """, [.text(PGSchema.name)]).all
        for row in identities {
            let table = row.text(0)!, column = row.text(1)!
            try target.execute("""
                SELECT setval(pg_get_serial_sequence('\(PGSchema.name).\(table)', '\(column)'), COALESCE(MAX(\(column)), 1), MAX(\(column)) IS NOT NULL)
                FROM \(table)
                """)
        }
    }
}

/// A value in `COPY`'s text format: `\N` for NULL, digits for a whole number, a text with its
/// backslashes, newlines, carriage returns and tabs escaped, bytes as bytea's `\x` hex (its
/// backslash escaped in turn). A NUL, which no PostgreSQL text can hold, is refused.
enum PGCopyText {
    struct Refusal: Error { let reason: String }

    static let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n")
    private static let backslash = UInt8(ascii: "\\")
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Column `index` of SQLite's current row: a text as its bytes (all of them, to its length).
    static func append(column index: Int32, of handle: SQLiteStatement, to buffer: inout [UInt8]) throws {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            buffer.append(backslash)
            buffer.append(UInt8(ascii: "N"))
        case SQLITE_INTEGER:
            buffer.append(contentsOf: String(sqlite3_column_int64(handle, index)).utf8)
        case SQLITE_BLOB:
            buffer.append(backslash)
            buffer.append(backslash)
            buffer.append(UInt8(ascii: "x"))
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let start = sqlite3_column_blob(handle, index) else { return }
            for byte in UnsafeRawBufferPointer(start: start, count: count) {
                buffer.append(hexDigits[Int(byte >> 4)])
                buffer.append(hexDigits[Int(byte & 0x0f)])
            }
        default:
            // Text, and (no ledger column holds one) a floating value as SQLite writes it as text.
            guard let start = sqlite3_column_text(handle, index) else { return }
            try append(text: UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, index))), to: &buffer)
        }
    }

    static func append(text: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) throws {
        for byte in text {
            switch byte {
            case 0: throw Refusal(reason: "a text holds a NUL character, which PostgreSQL cannot store")
            case backslash: buffer.append(backslash); buffer.append(backslash)
            case newline: buffer.append(backslash); buffer.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): buffer.append(backslash); buffer.append(UInt8(ascii: "r"))
            case tab: buffer.append(backslash); buffer.append(UInt8(ascii: "t"))
            default: buffer.append(byte)
            }
        }
    }
}

extension Ledger {
    /// Copies this SQLite ledger into the empty PostgreSQL ledger at `uri` (see `PGCopy`).
    public func copy(toPostgres uri: String, progress: (String) -> Void = { _ in }) throws -> LedgerCopySummary {
        guard case .sqlite = backend else { throw LedgerError(.invalid, "A copy starts from a SQLite ledger file") }
        do {
            return try PGCopy.copy(from: self, to: uri, progress: progress)
        } catch let error as PGError {
            throw LedgerError(postgres: error, address: PGAddress.withoutPassword(uri))
        }
    }
}

extension Ledger {
    /// `till init --db postgresql://…`: the two roles (made where missing), the `till` schema
    /// brought up to date by its owner, and the terminals' privileges. Run as a role that may
    /// create roles (the DBA's). Returns the migrations it ran.
    public static func preparePostgres(_ uri: String, owner: String, terminal: String) throws -> [Int] {
        let described = PGAddress.withoutPassword(uri)
        do {
            let admin = try PGConnection(uri)
            try PGSchema.setUpRoles(admin, owner: owner, terminal: terminal)
            let ran = try PGSchema.migrate(admin, owner: owner)
            try PGSchema.grantTerminal(admin, owner: owner, terminal: terminal)
            return ran
        } catch let error as PGError {
            throw LedgerError(postgres: error, address: described)
        }
    }
}

/// A PostgreSQL ledger back into a new SQLite file (`till copy --from postgresql://… --to FILE`,
/// and `till backup` of a PostgreSQL ledger): every row as the server holds it at one moment
/// (one REPEATABLE READ snapshot), into a file made by SQLite's own migrations, in one SQLite
/// transaction. SQLite's triggers make the kept figures again and they are checked against the
/// server's; verify shows the same head on both.
enum PGCopyBack {
    /// Rows read from the server at a time.
    static let chunk = 20_000

    static func copy(from source: Ledger, to path: String, progress: (String) -> Void) throws -> LedgerCopySummary {
        let queue = try DatabaseQueue(path: path)
        try queue.inDatabase { db in
            db.add(function: RecordSeals.digestFunction)
            try CardNumberGuard.register(db)
        }
        try Schema.migrator.migrate(queue)
        var summary = LedgerCopySummary()
        try source.read { server in
            try queue.inTransaction { db in
                // The migrations sealed the settings they made; the server's seals replace those:
                // the trigger that keeps seals from deletion is lifted for that one statement,
                // inside this transaction, and put back as it was.
                let keepers = try String.fetchAll(db, sql: """
                    SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'record_seals' AND sql LIKE '%BEFORE DELETE%'
                    """)
                for name in try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'record_seals' AND sql LIKE '%BEFORE DELETE%'
                    """) {
                    try db.execute(sql: "DROP TRIGGER \(name)")
                }
                try db.execute(sql: "DELETE FROM record_seals")
                for trigger in keepers { try db.execute(sql: trigger) }
                for table in PGCopy.order {
                    let count = try copyTable(table, from: server, to: db)
                    summary.rows.append((table, count))
                    progress("\(table): \(count) rows")
                }
                for row in try SQLRow.fetchAll(server, sql: "SELECT date, deposit_transaction_id FROM business_days WHERE deposit_transaction_id IS NOT NULL") {
                    try db.execute(sql: "UPDATE business_days SET deposit_transaction_id = ? WHERE date = ?",
                                   arguments: [row[1] as Int64, row[0] as String])
                }
                for check in PGCopy.keptChecks {
                    let file = try Row.fetchAll(db, sql: check).map { row in Array(row.databaseValues.map { SQLValue($0) }) }
                    let copied = try SQLRow.fetchAll(server, sql: check).map(\.values)
                    guard file == copied else {
                        throw LedgerError(.database, "The copy's kept figures differ from the server's (\(check.prefix(60))…): nothing was copied")
                    }
                }
                return .commit
            }
            summary.head = LedgerHead(hash: try RecordSeals.head(server))
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        try queue.close()
        return summary
    }

    private static func copyTable(_ table: String, from server: Store, to db: Database) throws -> Int {
        let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
        let zeroed: Set<String> = table == "accounts" ? ["balance_cents", "deposit_held_cents"]
            : table == "business_days" ? ["deposit_transaction_id"] : []
        let selected = columns.map { zeroed.contains($0) ? (($0 == "deposit_transaction_id" ? "NULL" : "0") + " AS \($0)") : $0 }
        let conflict = PGCopy.conflicts[table] ?? ""
        let insert = try db.makeStatement(sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ("
                                          + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")" + conflict)
        let key = columns[0]
        var count = 0
        var last: SQLValue?
        while true {
            let rows = try SQLRow.fetchAll(server, sql: "SELECT \(selected.joined(separator: ", ")) FROM \(table)"
                                           + (last == nil ? "" : " WHERE \(key) > ?") + " ORDER BY \(key) LIMIT \(chunk)",
                                           arguments: last.map { [$0] } ?? [])
            for row in rows {
                try insert.execute(arguments: StatementArguments(row.values.map(\.grdb)))
            }
            count += rows.count
            guard rows.count == chunk, let final = rows.last else { break }
            last = final.values[0]
        }
        return count
    }
}

extension Ledger {
    /// Copies this PostgreSQL ledger into a new SQLite file at `path` (see `PGCopyBack`).
    public func copy(toFile path: String, progress: (String) -> Void = { _ in }) throws -> LedgerCopySummary {
        guard isPostgres else { throw LedgerError(.invalid, "A copy to a file starts from a PostgreSQL ledger: a SQLite file is copied with till backup") }
        try Self.refuseConnectionURI(path)
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: path) else {
            throw LedgerError(.invalid, "\(path) already exists: a copy makes a new ledger file and never overwrites one")
        }
        // Only the owner may read the books, as with any ledger file.
        guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LedgerError(.invalid, "Cannot create \(path)")
        }
        do {
            return try PGCopyBack.copy(from: self, to: path, progress: progress)
        } catch {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? fileManager.removeItem(atPath: path + suffix) }
            if let error = error as? DatabaseError { throw LedgerError(database: error, path: path) }
            throw error
        }
    }
}
