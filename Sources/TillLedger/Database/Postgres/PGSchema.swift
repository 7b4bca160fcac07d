import Crypto
import TillCore
import Foundation

/// One PostgreSQL migration: its number, name and SQL, frozen once shipped.
struct PGMigration: Sendable {
    let version: Int
    let name: String
    let sql: String

    /// The SQL's SHA-256 in hex, recorded when the migration runs: a migration edited after it
    /// shipped shows as a different digest (and a test pins each one).
    var digest: String { SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined() }
}

/// The ledger's schema on PostgreSQL: the `till` schema of a database, its own numbered
/// migrations (append-only like SQLite's, frozen as written) and the two roles that use it.
enum PGSchema {
    static let name = "till"
    static let migrations: [PGMigration] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007,
                                          migration008, migration009, migration010, migration011, migration012,
                                          migration013]
    static var newest: Int { migrations.map(\.version).max() ?? 0 }

    /// The ledger tables: the terminals' role may read them and add rows, nothing else, and a
    /// trigger refuses any change or deletion (and TRUNCATE) to every role.
    static let appendOnlyTables = [
        "transactions", "postings", "tenders", "allocations", "audit_events", "account_notes", "receipt_prints", "cash_counts",
        "cash_count_lines", "drawer_closes", "drawer_close_missing", "overrides", "returned_checks", "adjustments", "refund_requests",
        "service_request_events", "account_changes", "batches", "batch_lines", "transaction_hashes", "batch_files", "record_seals",
        "suspense_items", "suspense_moves", "drop_acceptances", "agencies", "program_enrollments", "pledges", "pledge_payments",
        "autopay_enrollments", "autopay_stops", "autopay_drafts", "autopay_entries", "autopay_draft_closes", "return_lots", "returned_items",
        "offices", "terminal_offices", "office_days", "receipt_numbering", "office_receipts",
    ]

    /// What the terminals' role may change in the tables that are not append-only, column by
    /// column: an account's status and contact details but never its cached balance, a day's
    /// close but not its date. Tables kept by triggers (open items, tender totals) it only reads.
    static let terminalUpdates: [(table: String, insert: Bool, columns: [String])] = [
        ("settings", true, ["value"]),
        ("operators", true, ["display_name", "role", "pin_hash", "pin_salt", "pin_rounds", "pin_peppered", "failed_attempts",
                             "locked_until", "active"]),
        ("terminals", true, ["description"]),
        ("business_days", true, ["opened_by", "opened_at", "closed_by", "closed_at", "deposit_bag", "deposit_transaction_id",
                                 "cancelled_by", "cancelled_at"]),
        ("accounts", true, ["customer_name", "service_address", "mailing_address", "phone", "email", "meter_number", "class",
                            "status", "cash_only_until", "shutoff_date", "collections_on"]),
        ("drawer_sessions", true, ["closed_at"]),
        ("payment_plans", true, ["status"]),
        ("service_requests", true, ["status", "scheduled_for", "notes"]),
    ]

    /// The migrations this database has had, newest last (none for a database without the schema).
    static func applied(_ db: PGConnection) throws -> [(version: Int, digest: String)] {
        let exists = try db.execute("SELECT to_regclass($1) IS NOT NULL", [.text("\(name).migrations")]).scalar == "t"
        guard exists else { return [] }
        return try db.execute("SELECT version, sha256 FROM \(name).migrations ORDER BY version").all.map {
            (Int(try $0.int(0) ?? 0), $0.text(1) ?? "")
        }
    }

    /// Brings the schema up to date, as `owner`: each pending migration in order, all in one
    /// transaction under an advisory lock (two terminals starting at once migrate once). A
    /// database a newer Till has migrated is refused, as on SQLite. Returns the versions run.
    @discardableResult
    static func migrate(_ db: PGConnection, owner: String? = nil) throws -> [Int] {
        try db.transaction {
            try db.execute("SELECT pg_advisory_xact_lock(hashtext('till.migrate'))")
            if let owner { try db.execute("SET LOCAL ROLE \(quoted(owner))") }
            try db.executeScript("""
                CREATE SCHEMA IF NOT EXISTS \(name);
                CREATE TABLE IF NOT EXISTS \(name).migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                SET LOCAL search_path TO \(name);
                """)
            let done = try applied(db)
            if let last = done.last, last.version > newest {
                throw LedgerError(.database, "This PostgreSQL ledger was written by a newer version of Till (schema \(last.version), "
                                  + "this Till knows \(newest)): use that version (nothing was changed)")
            }
            var ran: [Int] = []
            for migration in migrations where !done.contains(where: { $0.version == migration.version }) {
                try db.executeScript(migration.sql)
                try db.execute("INSERT INTO migrations(version, name, sha256) VALUES ($1, $2, $3)",
                               [.int(Int64(migration.version)), .text(migration.name), .text(migration.digest)])
                ran.append(migration.version)
            }
            return ran
        }
    }

    /// Sets up the two roles (made where missing, able to log in, no password: the DBA gives
    /// them one or maps them in pg_hba.conf) and the terminals' privileges. Run by a role that
    /// may create roles (a superuser, or one with CREATEROLE that owns the database).
    static func setUpRoles(_ db: PGConnection, owner: String, terminal: String) throws {
        for role in [owner, terminal] {
            guard isRoleName(role) else {
                throw LedgerError(.invalid, "\(TextSafety.quoted(role)) is not a role name Till uses: letters, digits and _ (up to 63)")
            }
        }
        guard owner != terminal else { throw LedgerError(.invalid, "The owner and the terminals' role must be two roles") }
        try db.transaction {
            for role in [owner, terminal]
            where try db.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(role)]).isEmpty {
                try db.execute("CREATE ROLE \(quoted(role)) LOGIN")
            }
            try db.execute("GRANT \(quoted(owner)) TO CURRENT_USER")
            let database = try db.execute("SELECT current_database()").scalar ?? ""
            try db.execute("GRANT CONNECT, TEMPORARY ON DATABASE \(quoted(database)) TO \(quoted(owner)), \(quoted(terminal))")
            try db.execute("GRANT CREATE ON DATABASE \(quoted(database)) TO \(quoted(owner))")
            // The schema may exist already (an earlier init by another role): it becomes the owner's.
            try db.execute("CREATE SCHEMA IF NOT EXISTS \(name) AUTHORIZATION \(quoted(owner))")
            try db.execute("ALTER SCHEMA \(name) OWNER TO \(quoted(owner))")
        }
    }

    /// The terminals' privileges on what the migrations made, granted by the owner after every
    /// migration: read everything; add rows to the ledger tables and the working tables; change
    /// only the working tables' listed columns; never UPDATE, DELETE or TRUNCATE a ledger table.
    static func grantTerminal(_ db: PGConnection, owner: String, terminal: String) throws {
        try db.transaction {
            try db.execute("SET LOCAL ROLE \(quoted(owner))")
            var script = """
                REVOKE ALL ON ALL TABLES IN SCHEMA \(name) FROM \(quoted(terminal));
                GRANT USAGE ON SCHEMA \(name) TO \(quoted(terminal));
                GRANT SELECT ON ALL TABLES IN SCHEMA \(name) TO \(quoted(terminal));
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(name) TO \(quoted(terminal));

                """
            for table in appendOnlyTables {
                script += "GRANT INSERT ON \(name).\(table) TO \(quoted(terminal));\n"
            }
            for (table, insert, columns) in terminalUpdates {
                if insert { script += "GRANT INSERT ON \(name).\(table) TO \(quoted(terminal));\n" }
                script += "GRANT UPDATE (\(columns.joined(separator: ", "))) ON \(name).\(table) TO \(quoted(terminal));\n"
            }
            try db.executeScript(script)
        }
    }

    static func isRoleName(_ role: String) -> Bool {
        !role.isEmpty && role.utf8.count <= 63 && role.first.map { $0.isLetter || $0 == "_" } == true
            && role.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
