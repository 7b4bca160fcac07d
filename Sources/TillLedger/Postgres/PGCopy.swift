import Foundation
import GRDB

/// What a copy moved: rows by table, and the head both sides show.
public struct LedgerCopySummary: Sendable {
    public var rows: [(table: String, count: Int)] = []
    public var head = LedgerHead(hash: Data())
    public var total: Int { rows.reduce(0) { $0 + $1.count } }
}

/// `till copy --from FILE --to postgresql://…`: a SQLite ledger's rows into an empty
/// PostgreSQL ledger, ids and seals as they are, in one transaction (a failure leaves the
/// database as it was). What the database keeps by triggers (balances, open items, tender
/// totals) is not copied: the triggers make it again from the copied rows, and the copy then
/// checks it against the file's, row for row.
enum PGCopy {
    /// Every table, parents before children; `kept` ones are made by the triggers.
    static let order = [
        "settings", "book_accounts", "operators", "terminals", "business_days", "accounts", "drawer_sessions", "transactions",
        "postings", "tenders", "allocations", "audit_events", "account_notes", "payment_plans", "receipt_prints", "cash_counts",
        "cash_count_lines", "drawer_closes", "drawer_close_missing", "overrides", "adjustments", "refund_requests",
        "service_requests", "service_request_events", "account_changes", "batches", "batch_lines", "batch_files",
        "returned_checks", "transaction_hashes", "record_seals", "suspense_items", "suspense_moves", "drop_acceptances",
        "agencies", "program_enrollments", "pledges", "pledge_payments", "autopay_enrollments", "autopay_stops",
        "autopay_drafts", "autopay_entries", "autopay_draft_closes", "return_lots", "returned_items",
    ]
    static let kept = ["open_items", "tender_totals"]
    /// Read back from both sides after the copy: what the triggers made must equal the file's.
    static let keptChecks = [
        "SELECT id, balance_cents, deposit_held_cents FROM accounts ORDER BY id",
        "SELECT posting_id, account_id, remaining_cents, sort_date, bill_date FROM open_items ORDER BY posting_id",
        "SELECT business_date, drawer_session_id, kind, receipt, count, amount_cents FROM tender_totals "
            + "ORDER BY business_date, drawer_session_id, kind, receipt",
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
                try setSequences(target)
                for table in RecordSeals.versioned.map(\.table) {
                    try target.execute("ALTER TABLE \(table) ENABLE TRIGGER \(table)_guarded")
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
        return summary
    }

    /// A table's rows, in batches of one multi-row INSERT each, every column as the file holds it.
    private static func copyTable(_ table: String, from db: Database, to target: PGConnection) throws -> Int {
        let columns = try target.execute("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position
            """, [.text(PGSchema.name), .text(table)]).all.map { $0.text(0)! }
        // Made again by the triggers as the postings go in.
        let zeroed: Set<String> = table == "accounts" ? ["balance_cents", "deposit_held_cents"]
            : table == "business_days" ? ["deposit_transaction_id"] : []
        let selected = columns.map { zeroed.contains($0) ? (($0 == "deposit_transaction_id" ? "NULL" : "0") + " AS \($0)") : $0 }
        let conflict = table == "settings" ? " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            : table == "book_accounts" ? " ON CONFLICT (code) DO NOTHING" : ""
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
        let rows = try Row.fetchCursor(db, sql: "SELECT \(selected.joined(separator: ", ")) FROM \(table) ORDER BY 1")
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
