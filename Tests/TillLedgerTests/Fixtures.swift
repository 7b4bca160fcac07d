import Foundation
import GRDB
import TillCore
@testable import TillLedger

/// The engines a ledger test runs on: SQLite always, and PostgreSQL where the test server runs
/// (scripts/test starts one and requires it).
enum Engine: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    static var all: [Engine] { TestPostgres.available ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }
}

/// A real ledger file in a fresh temporary directory, with a supervisor, a cashier,
/// three accounts with open charges, and the business day 2026-11-20 open.
struct CounterFixture {
    let directory: URL
    let ledger: Ledger
    /// The ledger's clock: today is 2026-11-20 until a test moves it.
    let clock: TestClock
    let supervisor: Operator
    let cashier: Operator
    /// The cashier's open drawer at T1.
    let drawer: Int64
    /// The fixture's database on the test server, when it is on PostgreSQL.
    var postgresDatabase: String?
    static let today = try! BusinessDate("2026-11-20")

    static let accountsCSV = """
        account_number,customer_name,service_address,mailing_address,phone,email,meter_number,class,status,cash_only_until,deposit_held
        100001,"Smith, Jane",12 Oak St,,(555) 201-0001,jane@example.com,M10000001,residential,active,,
        100002,José Núñez,40 Pine Ave,"PO Box 9, Union",(555) 201-0002,,M10000002,residential,active,2027-03-01,150.00
        100003,Union Hardware,1 Main St,,(555) 201-0003,,M10000003,commercial,locked-off,,
        """

    static let chargesCSV = """
        account_number,bill_date,due_date,revenue_code,amount,description
        100001,2026-09-05,2026-09-26,water,40.00,
        100001,2026-09-05,2026-09-26,sewer,20.00,
        100001,2026-10-05,2026-10-26,water,30.00,
        100002,2026-10-05,2026-10-26,water,55.25,
        100003,2026-08-05,2026-08-26,water,200.00,
        100003,2026-08-27,2026-08-27,late_fee,10.00,Late fee
        """

    init() throws {
        clock = TestClock()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("till-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = self.clock
        ledger = try Ledger(path: directory.appendingPathComponent("till.sqlite").path, create: true, clock: { clock.now() })
        supervisor = try ledger.addOperator(login: try OperatorLogin("super"), displayName: "Pat Supervisor",
                                            role: .supervisor, pin: "9999", by: nil)
        cashier = try ledger.addOperator(login: try OperatorLogin("cashier"), displayName: "Casey Cashier",
                                         role: .cashier, pin: "1111", by: supervisor.id)
        _ = try ledger.importAccounts(csv: Array(Self.accountsCSV.utf8), fileName: "accounts.csv", by: supervisor.id)
        try ledger.openBusinessDay(Self.today, by: supervisor.id, terminal: "T1")
        _ = try ledger.importCharges(csv: Array(Self.chargesCSV.utf8), fileName: "charges.csv", by: supervisor.id)
        drawer = try ledger.openDrawer(operatorID: cashier.id, terminal: "T1").id
    }

    /// The same fixture on PostgreSQL: made on SQLite, copied into `database` on the test
    /// server by its owner, and opened there by the terminals' role with the same clock.
    init(postgres database: String) throws {
        let lite = try CounterFixture()
        (directory, clock, supervisor, cashier, drawer) = (lite.directory, lite.clock, lite.supervisor, lite.cashier, lite.drawer)
        postgresDatabase = database
        let roles = try PGLedgerTests.initialized(database)
        _ = try lite.ledger.copy(toPostgres: TestPostgres.uri(database: database, user: roles.owner))
        let clock = lite.clock
        ledger = try Ledger(postgres: TestPostgres.uri(database: database, user: roles.terminal),
                            pepperFile: PINPepper.path(forLedger: lite.ledger.path, environment: [:]), filesDirectory: lite.directory.path,
                            clock: { clock.now() })
    }

    /// Another terminal's connection to the same ledger, with the same clock.
    func anotherTerminal() throws -> Ledger {
        let clock = self.clock
        return try ledger.reopened(clock: { clock.now() })
    }

    /// `body` with a fresh fixture on `engine`; on PostgreSQL in a database of its own, dropped
    /// (with its roles) when `body` returns.
    static func on<T>(_ engine: Engine, _ body: (CounterFixture) throws -> T) throws -> T {
        switch engine {
        case .sqlite: try body(try CounterFixture())
        case .postgres: try TestPostgres.withDatabase { _, name in try body(try CounterFixture(postgres: name)) }
        }
    }

    func account(_ number: String) throws -> AccountNumber { try AccountNumber(number) }

    func balance(_ number: String) throws -> Money {
        try ledger.read { db in
            Money(cents: try Int64.fetchOne(db, sql: "SELECT balance_cents FROM accounts WHERE number = ?", arguments: [number])!)
        }
    }

    func count(_ table: String) throws -> Int {
        try ledger.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")! }
    }

    /// Pays `amount` cash on one account.
    @discardableResult
    func payCash(_ number: String, cents: Int64, key: String? = nil) throws -> PostedTransaction {
        try ledger.post(Payment(lines: [.account(try account(number), Money(cents: cents))],
                                tenders: [.cash(Money(cents: cents))]),
                        operatorID: cashier.id, terminal: "T1", idempotencyKey: key, drawerSession: drawer)
    }

    /// Raw SQL with the append-only triggers dropped, as someone tampering with the file would.
    /// What a person with the file and `sqlite3` does: on a connection of their own (none of
    /// Till's functions or temporary triggers), the append-only triggers dropped, the change
    /// made, the triggers put back as they were.
    /// On PostgreSQL, what a superuser with `psql` does: the triggers off for the session
    /// (`session_replication_role = replica`), the change made.
    func tamper(_ sql: String) throws {
        if let postgresDatabase {
            let superuser = try PGConnection(TestPostgres.uri(database: postgresDatabase))
            try superuser.execute("SET search_path TO \(PGSchema.name)")
            try superuser.execute("SET session_replication_role = replica")
            try superuser.executeScript(sql) // several statements, as psql takes them
            return
        }
        let queue = try DatabaseQueue(path: ledger.path)
        try queue.writeWithoutTransaction { db in
            let triggers = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%_no_update' OR name LIKE '%_no_delete')
                """)
            for table in AppendOnly.tables {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_no_update; DROP TRIGGER IF EXISTS \(table)_no_delete")
            }
            try db.execute(sql: sql)
            for trigger in triggers { try db.execute(sql: trigger) }
        }
        try queue.close()
    }
}

/// An injected clock: the real time, moved so that the local date is `today` (it started at
/// noon, so a test's minutes stay on that date), and jumped forwards or back at will.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval

    init(today: BusinessDate = CounterFixture.today) {
        let real = Date()
        let noon = TimeInterval(today.dayNumber * 86_400 + 12 * 3_600 - TimeZone.current.secondsFromGMT(for: real))
        offset = noon - real.timeIntervalSince1970
    }

    func now() -> Date { lock.withLock { Date().addingTimeInterval(offset) } }

    /// Jumps the clock (a clock set wrong, or set right again).
    func jump(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
}
