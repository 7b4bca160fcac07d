import Foundation
import GRDB
import TillCore

/// `till demo`: a realistic ledger for trying Till and for tests and benchmarks.
/// Deterministic for a seed and a "today".
public struct DemoOptions: Sendable {
    public var accounts: Int
    public var seed: UInt64
    public var today: BusinessDate
    /// How many monthly bills each account has had (and the payments on them).
    public var months: Int
    /// A training ledger (`ledger.training`): TRAINING on every screen and paper.
    public var training = false

    public init(accounts: Int = 2_000, seed: UInt64 = 1, today: BusinessDate, months: Int = 12) {
        self.accounts = accounts
        self.seed = seed
        self.today = today
        self.months = months
    }
}

public struct DemoOperator: Sendable {
    public let login: String
    public let name: String
    public let role: Role
    public let pin: String
}

public struct DemoSummary: Sendable {
    public let accounts: Int
    public let transactions: Int
    public let receipts: Int
    public let openDay: BusinessDate
    public let nsfAccount: AccountNumber
}

extension Ledger {
    public static let demoOperators = [
        DemoOperator(login: "cashier", name: "Casey Cashier", role: .cashier, pin: "1111"),
        DemoOperator(login: "csr", name: "Sam Service", role: .csr, pin: "2222"),
        DemoOperator(login: "lead", name: "Lee Lead", role: .lead, pin: "3333"),
        DemoOperator(login: "super", name: "Pat Supervisor", role: .supervisor, pin: "9999"),
    ]

    /// Creates a new ledger at `path` holding demo operators, accounts and 12 months of
    /// bills and payments, with `today` open for business.
    ///
    /// The rows are written to a scratch file with journaling off (nothing to protect
    /// in a file nobody uses yet), which is then moved into place and opened normally.
    public static func createDemo(at path: String, _ options: DemoOptions,
                                  progress: (String) -> Void = { _ in }) throws -> (Ledger, DemoSummary) {
        guard options.accounts >= 10 else { throw LedgerError(.invalid, "A demo ledger needs at least 10 accounts") }
        try refuseConnectionURI(path)
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: path) else {
            throw LedgerError(.alreadyInitialized, "A ledger already exists at \(path); a demo needs a new file (choose another --db)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
        }
        let scratch = path + ".building"
        for suffix in ["", "-journal"] { try? fileManager.removeItem(atPath: scratch + suffix) }
        defer { for suffix in ["", "-journal"] { try? fileManager.removeItem(atPath: scratch + suffix) } }
        guard fileManager.createFile(atPath: scratch, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw LedgerError(.noLedger, "Cannot create a ledger at \(path)")
        }

        progress("operators")
        let pepperPath = PINPepper.path(forLedger: path)
        let pepper = try PINPepper.load(pepperPath) ?? PINPepper.create(pepperPath)
        let hashes = try demoOperators.map { try PINHash.make(pin: $0.pin, pepper: pepper) }
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
            db.add(function: RecordSeals.digestFunction)
        }
        // Checked once at the end instead of on each of millions of inserts.
        configuration.foreignKeysEnabled = false
        let summary: DemoSummary
        do {
            let queue = try DatabaseQueue(path: scratch, configuration: configuration)
            try Schema.migrator.migrate(queue)
            summary = try queue.write { database in
                let db = Store(database)
                var ids: [String: Int64] = [:]
                let now = Timestamp.string(Date())
                for (demo, hash) in zip(demoOperators, hashes) {
                    ids[demo.login] = try insertOperator(db, login: try OperatorLogin(demo.login), displayName: demo.name,
                                                         role: demo.role, hash: hash, by: nil, at: now).id
                }
                var generator = DemoGenerator(options: options, cashier: ids["cashier"]!, supervisor: ids["super"]!)
                // Indexes are built once by sorting, and balances summed once, after the load;
                // both are restored from the schema's own SQL as the migration wrote it.
                let deferred = try SQLRow.fetchAll(db, sql: """
                    SELECT type, name, sql FROM sqlite_master
                    WHERE sql IS NOT NULL AND ((type = 'index' AND tbl_name IN ('transactions', 'postings', 'tenders', 'allocations'))
                                               OR name IN ('postings_cache_balance', 'tenders_totals', 'postings_open_items', 'allocations_open_items')
                                               OR name LIKE 'accounts_search_%')
                    """)
                for row in deferred { try db.execute(sql: "DROP \(row["type"] as String) \(row["name"] as String)") }
                let summary = try generator.write(db, progress: progress)
                progress("indexes and balances")
                for row in deferred where (row["type"] as String) == "index" { try db.execute(sql: row["sql"]) }
                try db.execute(sql: Schema.recomputeBalancesSQL)
                try db.execute(sql: "DELETE FROM open_items")
                try db.execute(sql: "INSERT INTO open_items(posting_id, account_id, remaining_cents, sort_date) " + Schema.openItemsSelectSQL)
                try db.execute(sql: Schema.openItemBillDatesSQL)
                try db.execute(sql: "DELETE FROM tender_totals")
                try db.execute(sql: "INSERT INTO tender_totals " + Schema.tenderTotalsSelectSQL + " WHERE true GROUP BY 1, 2, 3, 4")
                try db.execute(sql: "INSERT INTO account_search(account_search) VALUES ('rebuild')")
                for row in deferred where (row["type"] as String) == "trigger" { try db.execute(sql: row["sql"]) }
                try addDemoStanding(db, options: options, supervisor: ids["super"]!)
                progress("hash chain")
                try Chain.sealPending(db)
                try RecordSeals.sealUnsealed(db)
                if let row = try SQLRow.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                    throw LedgerError(.database, "Demo build left a dangling reference in \(row[0] as String)")
                }
                return summary
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw LedgerError(database: error, path: path)
        }
        try fileManager.moveItem(atPath: scratch, toPath: path)
        let book = try Ledger(path: path)
        if options.training { try book.markTraining() }
        return (book, summary)
    }

    /// Some of the accounts behind on their bills get a shut-off notice pending in ten
    /// days, and some a three-month payment plan, so the account pane's alerts show; a few
    /// work orders are open (a lock-off for each pending shut-off's first few, a leak check,
    /// a meter re-read) so the service pane and `till requests` have something to show.
    private static func addDemoStanding(_ db: Store, options: DemoOptions, supervisor: Int64) throws {
        try db.execute(sql: """
            UPDATE accounts SET shutoff_date = ? WHERE status = 'active' AND balance_cents > 15000 AND id % 3 = 0
            """, arguments: [options.today.adding(days: 10).description])
        try db.execute(sql: """
            INSERT INTO payment_plans(account_id, created_at, created_by, starts_on, installments, installment_cents, first_due)
            SELECT id, ?, ?, ?, 3, (balance_cents / 3 + 99) / 100 * 100, ?
            FROM accounts WHERE status = 'active' AND balance_cents > 15000 AND id % 3 = 1
            """, arguments: ["\(options.today)T07:30:00.000Z", supervisor, options.today.description,
                             options.today.adding(days: 14).description])
        let at = "\(options.today)T08:00:00.000Z"
        let orders: [(String, String, String, String)] = [
            ("lock-off", "normal", "Shut-off notice sent: lock off at the curb stop on its date unless paid or on a plan", "status = 'active' AND shutoff_date IS NOT NULL"),
            ("leak-check", "high", "Customer reports water pooling by the meter box", "status = 'active' AND balance_cents BETWEEN 1 AND 9000"),
            ("meter-reread", "normal", "Bill much higher than last year's: re-read before the next bill", "status = 'active' AND balance_cents > 9000"),
        ]
        for (type, priority, notes, condition) in orders {
            try db.execute(sql: """
                INSERT INTO service_requests(account_id, type, priority, status, notes, created_at, created_by)
                SELECT id, ?, ?, 'open', ?, ?, ? FROM accounts WHERE \(condition) ORDER BY id LIMIT 2
                """, arguments: [type, priority, notes, at, supervisor])
        }
        try db.execute(sql: """
            INSERT INTO service_request_events(request_id, at, operator_id, status, note)
            SELECT id, created_at, created_by, 'open', notes FROM service_requests
            """)
    }
}
