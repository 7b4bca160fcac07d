import Crypto
import Foundation
import GRDB
import GRDBSQLite

/// The sealed log of everything besides transactions that carries money or trust: business
/// days, drawers, operators, settings, payment plans (rows Till changes, sealed version by
/// version under their key) and the append-only tables (allocations, counts, closes, audit
/// events, overrides, batches…, sealed in ranges of rows as they are written).
///
/// Each write seals what it wrote before it commits, in `record_seals`: a seal is the SHA-256
/// of the seal before it, what it covers (a row's digest, or a range's), and the newest
/// transaction seal of the chain (`Chain`) at that moment. So the newest record seal, the
/// ledger's **head**, covers every record and every transaction committed before it: it is
/// what the Z report, the day close, a backup and an export print, and what
/// `till verify --anchor` looks for.
///
/// On the writing connection, temporary triggers note each row written, and refuse to change
/// or delete a row whose content is no longer what Till sealed (one `UPDATE` with `sqlite3`
/// does not become Till's own by Till's next change to it). `till verify` re-derives every
/// seal and every row's digest.
enum RecordSeals {
    /// A table whose rows Till changes: each version is sealed under the row's key.
    struct Versioned: Sendable {
        let table: String
        let key: String
        let columns: String
    }

    /// Frozen with migration v12-sealed-records: a later migration that adds a column to one of
    /// these tables seals it with a list of its own, and never edits these.
    static let versioned: [Versioned] = [
        .init(table: "settings", key: "key", columns: "key, value"),
        .init(table: "operators", key: "id", columns: """
            id, login, display_name, role, pin_hash, pin_salt, pin_rounds, failed_attempts, locked_until, active, \
            created_at, pin_peppered
            """),
        .init(table: "terminals", key: "id", columns: "id, description, created_at"),
        .init(table: "business_days", key: "date", columns: """
            date, opened_by, opened_at, closed_by, closed_at, deposit_bag, deposit_transaction_id, cancelled_by, cancelled_at
            """),
        .init(table: "drawer_sessions", key: "id", columns: """
            id, operator_id, terminal_id, business_date, opened_at, opening_float_cents, closed_at, float_reason
            """),
        .init(table: "payment_plans", key: "id", columns: """
            id, account_id, created_at, created_by, starts_on, installments, installment_cents, first_due, status, kind, \
            total_cents, after_transaction_id
            """),
    ]

    /// Append-only tables: sealed in ranges of rowid, each range as one digest.
    static let appended = appendedV12 + appendedV13 + appendedV14 + appendedV16 + appendedV17 + appendedV18 + appendedV19 + appendedV20

    /// Frozen with migration v20-office-receipts.
    static let appendedV20: [(table: String, columns: String)] = [
        ("receipt_numbering", "id, mode, from_receipt, at, operator_id"),
        ("office_receipts", "id, transaction_id, office_id, number"),
    ]

    /// Frozen with migration v19-offices.
    static let appendedV19: [(table: String, columns: String)] = [
        ("offices", "id, code, name, address, bank_account, at, operator_id"),
        ("terminal_offices", "id, terminal_id, office_id, at, operator_id"),
        ("office_days", "id, office_id, date, event, at, operator_id, terminal_id, deposit_bag, deposit_transaction_id"),
    ]

    /// Frozen with migration v18-returns.
    static let appendedV18: [(table: String, columns: String)] = [
        ("return_lots", "id, business_date, at, operator_id, file_name, sha256, item_count, total_cents"),
        ("returned_items", """
            id, lot_id, line, kind, reason_code, reference, original_transaction_id, transaction_id, account_id, amount_cents, fee_cents, follow_up
            """),
    ]

    /// Frozen with migration v17-autopay.
    static let appendedV17: [(table: String, columns: String)] = [
        ("autopay_enrollments", """
            id, account_id, routing, bank_account_kind, last_four, sealed_number, key_id, holder, starts_on, at, operator_id, terminal_id
            """),
        ("autopay_stops", "id, enrollment_id, at, operator_id, reason, return_code"),
        ("autopay_drafts", "id, effective_date, business_date, at, operator_id, created, file_id_modifier, header"),
        ("autopay_entries", "id, draft_id, enrollment_id, amount_cents, trace_number, transaction_id"),
        ("autopay_draft_closes", "id, draft_id, at, entry_count, total_cents"),
    ]

    /// Frozen with migration v16-assistance.
    static let appendedV16: [(table: String, columns: String)] = [
        ("agencies", "id, name, program, contact, at, operator_id"),
        ("program_enrollments", "id, account_id, agency_id, case_number, starts_on, ends_on, at, operator_id"),
        ("pledges", "id, agency_id, account_id, amount_cents, case_number, pledged_on, expires_on, at, operator_id, terminal_id"),
        ("pledge_payments", "id, pledge_id, transaction_id, amount_cents"),
    ]

    /// Frozen with migration v14-turn-ins.
    static let appendedV14: [(table: String, columns: String)] = [
        ("drop_acceptances", "id, count_id, at, operator_id, counted_cents, difference_cents, transaction_id, reason"),
    ]

    /// Frozen with migration v13-suspense.
    static let appendedV13: [(table: String, columns: String)] = [
        ("suspense_items", "id, transaction_id, amount_cents, reason, account_given, payer, address, phone, reference, check_number, source_line"),
        ("suspense_moves", "id, item_id, transaction_id, kind, account_id, amount_cents, payee, address"),
    ]

    /// Frozen with migration v12-sealed-records, like `versioned`.
    static let appendedV12: [(table: String, columns: String)] = [
        ("allocations", "id, transaction_id, credit_posting_id, charge_posting_id, amount_cents"),
        ("audit_events", "id, at, operator_id, terminal_id, event, detail"),
        ("account_notes", "id, account_id, at, operator_id, terminal_id, text"),
        ("receipt_prints", "id, receipt_number, at, operator_id, terminal_id, reprint, outcome, detail"),
        ("cash_counts", "id, drawer_session_id, kind, at, operator_id, total_cents, transaction_id, bag"),
        ("cash_count_lines", "id, count_id, denomination, quantity"),
        ("drawer_closes", """
            id, drawer_session_id, z_number, at, operator_id, approved_by, reason, count_id, expected_cash_cents, \
            counted_cash_cents, cash_over_short_cents, checks_over_short_cents, money_orders_over_short_cents, \
            expected_card_cents, card_batch_cents, card_over_short_cents, transaction_id
            """),
        ("drawer_close_missing", "id, close_id, tender_id"),
        ("overrides", "id, at, business_date, action, operator_id, approver_id, terminal_id, amount_cents, transaction_id, detail"),
        ("returned_checks", "id, tender_id, batch_line_id, check_number, amount_cents, transaction_id, account_id, fee_cents, cash_only_until"),
        ("adjustments", "id, transaction_id, kind, period_from, period_to, charge_posting_id"),
        ("refund_requests", "id, transaction_id, account_id, source, payee, address, amount_cents"),
        ("service_request_events", "id, request_id, at, operator_id, status, note"),
        ("account_changes", "id, account_id, field, old_value, new_value, at, operator_id, terminal_id"),
        ("batches", "id, kind, business_date, at, operator_id, approved_by, control_total_cents, total_cents, line_count, reason, source"),
        ("batch_lines", "id, batch_id, line, transaction_id, tender, reference, paid_on"),
        ("batch_files", "batch_id, sha256"),
    ]

    /// The seal written when a write added transactions and no record: the head still moves,
    /// so it covers them too.
    static let transactionsOnly = "transactions"

    static let digestFunctionName = "till_row_digest"
    static let refusal = "sealed:"

    /// SHA-256 of a row's values as the chain encodes fields, its table's name first. The same
    /// function digests a row at sealing, in the guard (from the trigger's OLD values) and in verify.
    static let digestFunction = DatabaseFunction(digestFunctionName, argumentCount: nil, pure: true) { values in
        var text = ChainText()
        text.start()
        text.mark(UInt8(ascii: "V"))
        for value in values {
            switch value.storage {
            case .null: text.null()
            case .int64(let number): text.integer(number)
            case .double(let number): text.real(number.bitPattern)
            case .string(let string): text.text(string)
            case .blob(let data): text.blob(data)
            }
        }
        return Data(SHA256.hash(data: text.bytes))
    }

    /// SQL for a row's digest: SQLite's `till_row_digest` function, or PostgreSQL's
    /// `till_field` encodings (migration 2) hashed by its `sha256`. The same bytes either way.
    static func digestSQL(_ table: Versioned, row: String, postgres: Bool = false) -> String {
        let values = table.columns.split(separator: ",").map { "\(row)\($0.trimmingCharacters(in: .whitespaces))" }
        if postgres {
            return "sha256(till_row_start() || till_field('\(table.table)'::text) || "
                + values.map { "till_field(\($0))" }.joined(separator: " || ") + ")"
        }
        return "\(digestFunctionName)('\(table.table)', \(values.joined(separator: ", ")))"
    }

    /// SQL that is true when the row `alias` of a sealed table is what its newest seal says.
    static func isSealedSQL(_ table: Versioned, row alias: String, postgres: Bool = false) -> String {
        let newest = "(SELECT digest FROM \(postgres ? "" : "main.")record_seals WHERE tbl = '\(table.table)' "
            + "AND row_key = CAST(\(alias).\(table.key) AS TEXT) ORDER BY seq DESC LIMIT 1)"
        return digestSQL(table, row: alias + ".", postgres: postgres) + (postgres ? " IS NOT DISTINCT FROM " : " IS ") + newest
    }

    static func versioned(_ name: String) -> Versioned { versioned.first { $0.table == name }! }

    // MARK: - The writing connection

    /// The temporary table of rows written in this transaction, and the triggers that fill it
    /// and guard sealed rows, on the connection that writes.
    static func install(_ db: Store) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS till_pending_records (
                tbl TEXT NOT NULL, row_key TEXT NOT NULL, PRIMARY KEY (tbl, row_key)) WITHOUT ROWID
            """)
        for table in versioned {
            let name = table.table
            // Not `INSERT OR IGNORE`: an upsert's own conflict clause would override it inside the trigger.
            let mark = { (row: String) in
                let key = "CAST(\(row).\(table.key) AS TEXT)"
                return "INSERT INTO till_pending_records SELECT '\(name)', \(key) WHERE NOT EXISTS "
                    + "(SELECT 1 FROM temp.till_pending_records WHERE tbl = '\(name)' AND row_key = \(key));"
            }
            // A row Till did not write this transaction must still be what its newest seal says.
            let tampered = """
                NOT EXISTS (SELECT 1 FROM temp.till_pending_records WHERE tbl = '\(name)' AND row_key = CAST(OLD.\(table.key) AS TEXT))
                AND NOT (\(isSealedSQL(table, row: "OLD")))
                """
            let message = "\(refusal) a row of \(name) was changed outside Till since Till sealed it, so Till will not build on it: "
                + "nothing was saved. A supervisor runs `till verify` (docs/RELIABILITY.md)"
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS till_seal_\(name)_insert AFTER INSERT ON main.\(name)
                BEGIN \(mark("NEW")) END;
                CREATE TEMP TRIGGER IF NOT EXISTS till_seal_\(name)_update AFTER UPDATE ON main.\(name)
                BEGIN \(mark("OLD")) \(mark("NEW")) END;
                CREATE TEMP TRIGGER IF NOT EXISTS till_seal_\(name)_delete AFTER DELETE ON main.\(name)
                BEGIN \(mark("OLD")) END;
                CREATE TEMP TRIGGER IF NOT EXISTS till_guard_\(name)_update BEFORE UPDATE ON main.\(name) WHEN \(tampered)
                BEGIN SELECT RAISE(ABORT, '\(message)'); END;
                CREATE TEMP TRIGGER IF NOT EXISTS till_guard_\(name)_delete BEFORE DELETE ON main.\(name) WHEN \(tampered)
                BEGIN SELECT RAISE(ABORT, '\(message)'); END;
                """)
        }
        for (name, _) in appended {
            try db.execute(sql: """
                CREATE TEMP TRIGGER IF NOT EXISTS till_seal_\(name)_insert AFTER INSERT ON main.\(name)
                BEGIN INSERT INTO till_pending_records SELECT '\(name)', '*' WHERE NOT EXISTS
                    (SELECT 1 FROM temp.till_pending_records WHERE tbl = '\(name)' AND row_key = '*'); END
                """)
        }
    }

    /// The rows this transaction wrote, as the triggers note them: SQLite's temporary triggers
    /// on the writing connection (`install`), PostgreSQL's own (migration 3).
    static func pendingTable(_ db: Store) -> String {
        db.isPostgres ? "pg_temp.till_pending_records" : "temp.till_pending_records"
    }

    /// The rows this write's triggers noted.
    static func pendingSQL(_ db: Store) -> String { "SELECT tbl, row_key FROM \(pendingTable(db))" }

    /// On PostgreSQL, the session's table of rows written, which its triggers fill: made once
    /// by each connection that writes. `sealWritten` empties it before the commit, and each
    /// write empties it first (`clearPendingSQL`), so no write seals what another noted. Not
    /// `ON COMMIT DELETE ROWS`: the server then truncates the table and rebuilds its index at
    /// every commit that touched a temporary table, 0.3 ms of each payment's 0.5 ms commit.
    static func preparePostgres(_ connection: PGConnection) throws {
        try connection.executeScript("""
            CREATE TEMP TABLE IF NOT EXISTS till_pending_records (
                tbl TEXT NOT NULL, row_key TEXT NOT NULL, PRIMARY KEY (tbl, row_key))
            """)
    }

    /// Empties the session's table of rows written, as a PostgreSQL write begins (a table left
    /// with rows by an earlier transaction is not this write's to seal).
    static let clearPendingSQL = "DELETE FROM pg_temp.till_pending_records"

    /// An append-only table's row number, which its ranges of seals count: its `id` (SQLite's
    /// rowid), or for `batch_files` its batch's.
    static func rowNumber(of table: String) -> String { table == "batch_files" ? "batch_id" : "id" }

    /// Seals what this transaction wrote (the rows the triggers noted), then, when it added
    /// transactions and no record, a seal that covers them. Returns the head.
    @discardableResult
    static func sealWritten(_ db: Store) throws -> Data {
        try db.readAhead([(pendingSQL(db), []), (Sealer.newestSQL, []), (Sealer.chainSQL, [])])
        let pending = try SQLRow.fetchAll(db.cachedStatement(sql: pendingSQL(db)))
        var sealer = try Sealer(db)
        // Where each appended table's new rows start and end, for all of them in one round trip.
        try db.readAhead(pending.filter { ($0[1] as String) == "*" }.flatMap { Sealer.rangeReads(of: $0[0]) })
        for row in pending {
            let table: String = row[0], key: String = row[1]
            if key == "*" {
                try sealer.sealRange(of: table)
            } else if let versioned = versioned.first(where: { $0.table == table }) {
                try sealer.sealVersion(of: versioned, key: key)
            }
        }
        if !pending.isEmpty { try db.cachedStatement(sql: "DELETE FROM \(pendingTable(db))").execute() }
        try sealer.finish()
        return sealer.head
    }

    /// Seals everything not yet sealed: every row of a versioned table without a seal, and every
    /// append-only table's rows after its last range (migration v12, the demo's bulk load).
    static func sealUnsealed(_ db: Store, appended: [(table: String, columns: String)] = appended) throws {
        var sealer = try Sealer(db)
        for table in versioned {
            let keys = try String.fetchAll(db, sql: """
                SELECT CAST(\(table.key) AS TEXT) FROM \(table.table) t WHERE NOT EXISTS (
                    SELECT 1 FROM record_seals r WHERE r.tbl = '\(table.table)' AND r.row_key = CAST(t.\(table.key) AS TEXT))
                ORDER BY \(table.key)
                """)
            for key in keys { try sealer.sealVersion(of: table, key: key) }
        }
        for (table, _) in appended { try sealer.sealRange(of: table) }
        try sealer.finish()
    }

    /// The newest record seal (empty before the first).
    static func head(_ db: Store) throws -> Data {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM record_seals ORDER BY seq DESC LIMIT 1")) ?? Data()
    }

    /// The text a seal hashes after the seal before it.
    static func sealText(table: String, key: String?, from: Int64?, to: Int64?, digest: Data,
                         chainSeq: Int64, chainHash: Data, endsCommit: Bool) -> ChainText {
        var text = ChainText()
        text.start()
        text.mark(UInt8(ascii: "R"))
        text.text(table)
        if let key { text.text(key) } else { text.null() }
        if let from { text.integer(from) } else { text.null() }
        if let to { text.integer(to) } else { text.null() }
        text.blob(digest)
        text.integer(chainSeq)
        text.blob(chainHash)
        text.integer(endsCommit ? 1 : 0)
        return text
    }

    /// The digest of an append-only table's rows with rowid in (`after`, `through`], in rowid order.
    static func rangeDigest(_ db: Store, table: String, after: Int64, through: Int64) throws -> Data {
        let columns = appended.first { $0.table == table }!.columns
        let number = rowNumber(of: table)
        let rows = try RawCursor(db, "SELECT \(number), \(columns) FROM \(table) WHERE \(number) > ? AND \(number) <= ? ORDER BY \(number)",
                                 arguments: [after, through])
        var hasher = RangeHasher(table: table)
        while rows.hasRow {
            hasher.add(rows)
            try rows.advance()
        }
        return hasher.finish()
    }

    /// Digests a table's rows one by one, as `rangeDigest` and verify's walk do.
    struct RangeHasher {
        private var hasher = SHA256()
        private var text = ChainText()

        init(table: String) {
            text.start()
            text.mark(UInt8(ascii: "A"))
            text.text(table)
            hasher.update(data: text.bytes)
        }

        mutating func add(_ row: RawCursor) {
            text.start()
            row.append(from: 0, to: &text)
            hasher.update(data: text.bytes)
        }

        func finish() -> Data { Data(hasher.finalize()) }
    }

    /// Writes seals one after another, each chained to the one before and to the newest
    /// transaction seal; the last of a commit is marked as its end (`finish`), so the head a
    /// Z report was printed with can be found again for a reprint.
    fileprivate struct Sealer {
        let db: Store
        private(set) var head: Data
        private let headChainSeq: Int64
        private let chainSeq: Int64
        private let chainHash: Data
        private var wrote = false
        private var queued: (table: String, key: String?, from: Int64?, to: Int64?, digest: Data)?

        static let newestSQL = "SELECT hash, chain_seq FROM record_seals ORDER BY seq DESC LIMIT 1"
        static let chainSQL = "SELECT seq, hash FROM transaction_hashes ORDER BY seq DESC LIMIT 1"

        init(_ db: Store) throws {
            self.db = db
            let newest = try SQLRow.fetchOne(db.cachedStatement(sql: Self.newestSQL))
            head = newest?[0] ?? Data()
            headChainSeq = newest?[1] ?? 0
            let chain = try SQLRow.fetchOne(db.cachedStatement(sql: Self.chainSQL))
            chainSeq = chain?[0] ?? 0
            chainHash = chain?[1] ?? Data()
        }

        mutating func sealVersion(of table: Versioned, key: String) throws {
            let digest = try Data.fetchOne(db.cachedStatement(sql: """
                SELECT \(digestSQL(table, row: "", postgres: db.isPostgres)) FROM \(table.table) WHERE \(table.key) = ?
                """), arguments: [key]) ?? Data() // deleted: an empty digest
            try queue(table: table.table, key: key, from: nil, to: nil, digest: digest)
        }

        /// What `sealRange` reads first: where the table's last range ended, and its newest row.
        static func rangeReads(of table: String) -> [(sql: String, arguments: SQLArguments)] {
            [(sealedThroughSQL, [table]), ("SELECT MAX(\(RecordSeals.rowNumber(of: table))) FROM \(table)", [])]
        }

        private static let sealedThroughSQL = "SELECT MAX(to_id) FROM record_seals WHERE tbl = ? AND to_id IS NOT NULL"

        mutating func sealRange(of table: String) throws {
            let reads = Self.rangeReads(of: table)
            let after = try Int64.fetchOne(db.cachedStatement(sql: reads[0].sql), arguments: reads[0].arguments) ?? 0
            let through = try Int64.fetchOne(db.cachedStatement(sql: reads[1].sql)) ?? 0
            guard through > after else { return }
            try queue(table: table, key: nil, from: after, to: through,
                      digest: try RecordSeals.rangeDigest(db, table: table, after: after, through: through))
        }

        /// Transactions added since the newest seal, and no record with them: one seal covers
        /// them. Then the commit's last seal is written, marked as its end.
        mutating func finish() throws {
            if !wrote, queued == nil, chainSeq != headChainSeq {
                try queue(table: RecordSeals.transactionsOnly, key: nil, from: nil, to: nil, digest: Data())
            }
            try flush(endsCommit: true)
        }

        private mutating func queue(table: String, key: String?, from: Int64?, to: Int64?, digest: Data) throws {
            try flush(endsCommit: false)
            queued = (table, key, from, to, digest)
        }

        private mutating func flush(endsCommit: Bool) throws {
            guard let entry = queued else { return }
            queued = nil
            let text = RecordSeals.sealText(table: entry.table, key: entry.key, from: entry.from, to: entry.to, digest: entry.digest,
                                            chainSeq: chainSeq, chainHash: chainHash, endsCommit: endsCommit)
            let hash = Data(text.seal(after: Array(head)))
            try db.cachedStatement(sql: """
                INSERT INTO record_seals(tbl, row_key, from_id, to_id, digest, chain_seq, ends_commit, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [entry.table, entry.key, entry.from, entry.to, entry.digest, chainSeq, endsCommit, hash])
            head = hash
            wrote = true
        }
    }
}

extension ChainText {
    mutating func text(_ string: String) {
        var string = string
        string.withUTF8 { text($0.baseAddress, count: $0.count) }
    }
}
